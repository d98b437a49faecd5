"""Where a watch in inventory stands. Reserved and sold follow the invoice it is on
(services/invoicing/state_moves: reserved while an invoice may be paid, sold once paid);
on memo and in service are the dealer's own, set in the watch's window, and keep the watch
off any new invoice until it is back in stock."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class WatchStatus(StrEnum):
    IN_STOCK = "in_stock"
    RESERVED = "reserved"
    SOLD = "sold"
    ON_MEMO = "on_memo"  # lent to another dealer or a client on approval
    IN_SERVICE = "in_service"  # at the watchmaker

    @property
    def label(self) -> str:
        """As a column or filter shows it: "In stock"."""
        return _LABELS[self]

    @property
    def words(self) -> str:
        """Inside a sentence: "in stock"."""
        return _LABELS[self].lower()

    @property
    def away(self) -> bool:
        """Out of the shop by the dealer's choice: on memo or in service."""
        return self in AWAY


_LABELS: Mapping[WatchStatus, str] = {
    WatchStatus.IN_STOCK: "In stock",
    WatchStatus.RESERVED: "Reserved",
    WatchStatus.SOLD: "Sold",
    WatchStatus.ON_MEMO: "On memo",
    WatchStatus.IN_SERVICE: "In service",
}

# What the dealer may set by hand (reserved and sold come from invoices only).
DEALER_SET: tuple[WatchStatus, ...] = (
    WatchStatus.IN_STOCK,
    WatchStatus.ON_MEMO,
    WatchStatus.IN_SERVICE,
)
AWAY = frozenset({WatchStatus.ON_MEMO, WatchStatus.IN_SERVICE})
