"""The plain values the invoice windows get and give: no ORM object crosses into the UI.

Re-exported by invoicing.invoice_service, which is where the windows import them from;
view_making makes them from the database's rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from tracker_desktop.domain.draft import TradeIn
from tracker_desktop.domain.errors import FormInvalid
from tracker_desktop.domain.invoice_state import (
    Action,
    ActionCheck,
    DisplayKind,
    DisplayStatus,
    InvoiceState,
)
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.validation import PostalAddress
from tracker_desktop.services.credit.values import CreditNoteView, CreditTotals
from tracker_desktop.services.invoicing.push import PushStep

# --- What the composer hands in ----------------------------------------------------------


@dataclass(slots=True)
class DraftLineInput:
    description: str
    quantity: int
    unit_price: Money  # in the invoice currency
    # A watch from inventory (quantity must be 1), or None for a free-text line.
    watch_id: int | None = None
    # A watch taken in part exchange: `unit_price` is then minus its allowance.
    trade_in: TradeIn | None = None


@dataclass(slots=True)
class DraftInput:
    """An invoice as composed. With `contact_id`, an empty name/email is taken from the client;
    otherwise name and email (and optionally the address) describe a one-off customer."""

    currency: str
    lines: list[DraftLineInput] = field(default_factory=list)
    contact_id: int | None = None
    customer_name: str = ""
    customer_email: str = ""
    customer_address: PostalAddress | None = None
    days_until_due: int = 14
    memo: str = ""
    footer: str = ""


class DraftInvalid(FormInvalid):
    """Every problem with a draft at once. Keys follow domain.draft.validate_draft: "lines",
    "lines[2].unit_price", "lines[0].watch", "customer_email", "customer_address.city",
    "total", "contact"..."""


# --- What the windows get back -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InvoiceLineView:
    position: int
    description: str
    quantity: int
    unit_price: Money
    amount: Money
    watch_id: int | None = None
    watch_serial: str | None = None
    trade_in: TradeIn | None = None  # the watch a trade-in line takes in

    def as_input(self) -> DraftLineInput:
        """This line as the composer edits it again."""
        return DraftLineInput(
            self.description, self.quantity, self.unit_price, self.watch_id, self.trade_in
        )


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    kind: str  # "created", "finalized", "sent", "payment_failed", "paid", "voided", ...
    label: str  # the words shown, e.g. "Payment failed"
    occurred_at: dt.datetime
    detail: str = ""  # e.g. Stripe's decline reason, or the wire note


@dataclass(frozen=True, slots=True)
class InvoiceDetail:
    id: int
    uuid: str
    state: InvoiceState
    status: DisplayStatus  # what the dealer sees: Overdue, Processing, Payment failed...
    number: str | None
    contact_id: int | None
    customer_name: str
    customer_email: str
    customer_address: PostalAddress | None
    currency: str
    total: Money
    amount_paid: Money
    amount_remaining: Money
    days_until_due: int
    memo: str
    footer: str
    created_at: dt.datetime
    due_at: dt.datetime | None
    finalized_at: dt.datetime | None
    paid_at: dt.datetime | None
    last_synced_at: dt.datetime | None
    hosted_invoice_url: str | None
    invoice_pdf_url: str | None
    pdf_path: str | None  # the newest local PDF (its name ends with the status it shows)
    pdf_on_disk: bool  # pdf_path names a file that is there: "Open PDF" works offline
    stripe_invoice_id: str | None
    push_step: PushStep | None
    last_error: str | None  # Stripe's reason when the push failed
    payment_processing: bool
    payment_failed_message: str | None
    paid_out_of_band_note: str | None
    lines: tuple[InvoiceLineView, ...]
    timeline: tuple[TimelineEntry, ...]
    # Every Action with allowed/why-not, from domain.invoice_state.check_action.
    actions: Mapping[Action, ActionCheck]
    # Credit notes on it (services/credit), and what the issued ones add up to.
    credit_notes: tuple[CreditNoteView, ...] = ()
    credits: CreditTotals | None = None
    # Why no credit note can be issued now ("" when one can).
    credit_blocked: str = ""

    def can(self, action: Action) -> ActionCheck:
        return self.actions[action]


@dataclass(frozen=True, slots=True)
class InvoiceRow:
    """One line of the history list."""

    id: int
    number: str | None
    customer_name: str
    total: Money
    state: InvoiceState
    status: DisplayStatus
    created_at: dt.datetime
    due_at: dt.datetime | None
    last_synced_at: dt.datetime | None
    serials: tuple[str, ...]  # serials of the watches on it


class SortKey(StrEnum):
    """The history's sortable columns."""

    NUMBER = "number"
    CLIENT = "client"
    TOTAL = "total"  # within a currency: grouped by currency, then by amount
    STATUS = "status"  # in DisplayKind's order: Draft ... Open, Overdue ... Paid, Void
    DUE = "due"
    CREATED = "created"
    SYNCED = "synced"


@dataclass(frozen=True, slots=True)
class InvoiceFilters:
    """History filters and order; empty means no filter. Dates are aware; `created_before`
    excluded. Newest first unless `sort` says otherwise.

    `statuses` filters on what the dealer sees (DisplayKind), so "Overdue" works even though
    it is derived; every word of `text` must occur in the number, customer, email, memo, a
    line description or a serial; `serial` in a serial. Both ignore case and accents.
    """

    statuses: tuple[DisplayKind, ...] = ()
    created_from: dt.datetime | None = None
    created_before: dt.datetime | None = None
    contact_id: int | None = None
    serial: str = ""
    text: str = ""
    sort: SortKey = SortKey.CREATED
    descending: bool = True


@dataclass(frozen=True, slots=True)
class InvoicePage:
    """One page of the history. `total` is None when it was not counted (see
    InvoiceService.count); `has_more` is known either way."""

    rows: tuple[InvoiceRow, ...]
    total: int | None
    offset: int
    limit: int
    more: bool = False

    @property
    def has_more(self) -> bool:
        return self.more
