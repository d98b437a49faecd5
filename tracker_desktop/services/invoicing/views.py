"""The plain values the invoice windows get and give: no ORM object crosses into the UI.

Re-exported by services.invoices, which is where the windows import them from.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from tracker_desktop.db.models import Invoice, InvoiceEvent
from tracker_desktop.db.repositories.invoice_history import HistoryRecord
from tracker_desktop.domain.errors import FormInvalid
from tracker_desktop.domain.invoice_state import (
    Action,
    ActionCheck,
    DisplayKind,
    DisplayStatus,
    InvoiceState,
    check_action,
    display_status,
)
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.validation import PostalAddress
from tracker_desktop.services.invoicing.push import PushStep
from tracker_desktop.services.invoicing.state_moves import LABELS

# --- What the composer hands in ----------------------------------------------------------


@dataclass(slots=True)
class DraftLineInput:
    description: str
    quantity: int
    unit_price: Money  # in the invoice currency
    # A watch from inventory (quantity must be 1), or None for a free-text line.
    watch_id: int | None = None


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


# --- ORM -> values -------------------------------------------------------------------------


def status_of(invoice: Invoice, now: dt.datetime) -> DisplayStatus:
    return display_status(
        InvoiceState(invoice.state),
        invoice.due_at,
        now,
        processing=invoice.payment_processing,
        failed_message=invoice.payment_failed_message,
    )


def address_of(raw: str) -> PostalAddress | None:
    data = json.loads(raw or "{}")
    if not data:
        return None
    keys = PostalAddress.__dataclass_fields__
    return PostalAddress(**{k: str(v) for k, v in data.items() if k in keys})


def _timeline_order(event: InvoiceEvent) -> tuple[dt.datetime, int]:
    # Stripe's times are whole seconds: within one second, the order things were recorded.
    return (event.occurred_at.replace(microsecond=0), event.id)


def detail_of(invoice: Invoice, serials: Mapping[int, str], now: dt.datetime) -> InvoiceDetail:
    state = InvoiceState(invoice.state)
    cur = invoice.currency
    actions = {a: check_action(a, state, processing=invoice.payment_processing) for a in Action}
    return InvoiceDetail(
        id=invoice.id,
        uuid=invoice.uuid,
        state=state,
        status=status_of(invoice, now),
        number=invoice.number,
        contact_id=invoice.contact_id,
        customer_name=invoice.customer_name,
        customer_email=invoice.customer_email,
        customer_address=address_of(invoice.customer_address_json),
        currency=cur,
        total=Money(invoice.total_minor, cur),
        amount_paid=Money(invoice.amount_paid_minor, cur),
        amount_remaining=Money(invoice.amount_remaining_minor, cur),
        days_until_due=invoice.days_until_due,
        memo=invoice.memo,
        footer=invoice.footer,
        created_at=invoice.created_at,
        due_at=invoice.due_at,
        finalized_at=invoice.finalized_at,
        paid_at=invoice.paid_at,
        last_synced_at=invoice.last_synced_at,
        hosted_invoice_url=invoice.hosted_invoice_url,
        invoice_pdf_url=invoice.invoice_pdf_url,
        pdf_path=invoice.pdf_path,
        pdf_on_disk=bool(invoice.pdf_path) and os.path.isfile(invoice.pdf_path or ""),
        stripe_invoice_id=invoice.stripe_invoice_id,
        push_step=PushStep(invoice.push_step) if invoice.push_step else None,
        last_error=invoice.last_error,
        payment_processing=invoice.payment_processing,
        payment_failed_message=invoice.payment_failed_message,
        paid_out_of_band_note=invoice.paid_out_of_band_note,
        lines=tuple(
            InvoiceLineView(
                position=ln.position,
                description=ln.description,
                quantity=ln.quantity,
                unit_price=Money(ln.unit_amount_minor, cur),
                amount=Money(ln.unit_amount_minor * ln.quantity, cur),
                watch_id=ln.watch_id,
                watch_serial=serials.get(ln.watch_id) if ln.watch_id is not None else None,
            )
            for ln in invoice.lines
        ),
        timeline=tuple(
            TimelineEntry(e.kind, LABELS.get(e.kind, e.kind), e.occurred_at, e.detail)
            for e in sorted(invoice.events, key=_timeline_order)
        ),
        actions=actions,
    )


def row_of(record: HistoryRecord, now: dt.datetime) -> InvoiceRow:
    return InvoiceRow(
        id=record.id,
        number=record.number,
        customer_name=record.customer_name,
        total=Money(record.total_minor, record.currency),
        state=InvoiceState(record.state),
        status=display_status(
            InvoiceState(record.state),
            record.due_at,
            now,
            processing=record.payment_processing,
            failed_message=record.payment_failed_message,
        ),
        created_at=record.created_at,
        due_at=record.due_at,
        last_synced_at=record.last_synced_at,
        serials=record.serials,
    )
