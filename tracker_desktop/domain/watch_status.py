"""Where a watch in inventory stands. Its status follows the invoice it is on
(services/invoicing/state_moves: reserved while an invoice may be paid, sold once paid)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class WatchStatus(StrEnum):
    IN_STOCK = "in_stock"
    RESERVED = "reserved"
    SOLD = "sold"

    @property
    def label(self) -> str:
        """As a column or filter shows it: "In stock"."""
        return _LABELS[self]

    @property
    def words(self) -> str:
        """Inside a sentence: "in stock"."""
        return _LABELS[self].lower()


_LABELS: Mapping[WatchStatus, str] = {
    WatchStatus.IN_STOCK: "In stock",
    WatchStatus.RESERVED: "Reserved",
    WatchStatus.SOLD: "Sold",
}
