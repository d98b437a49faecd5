"""Invoices for the windows: drafts, history queries and the dealer's actions.

Everything returned is a plain frozen dataclass (no ORM object leaves this module), so the
composer and the history window can hold results after the session closed. Queries are short
synchronous DB reads; anything that talks to Stripe is a coroutine for TaskRunner.run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.domain.errors import ValidationError
from tracker_desktop.domain.invoice_state import (
    Action,
    ActionCheck,
    DisplayKind,
    DisplayStatus,
    InvoiceState,
)
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.validation import PostalAddress
from tracker_desktop.services.events import EventHub
from tracker_desktop.stripe_gateway import StripeGateway

# profile id -> that profile's gateway (GatewayProvider.gateway fits).
GatewayFor = Callable[[int], StripeGateway]
Clock = Callable[[], dt.datetime]


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


class DraftInvalid(ValidationError):
    """Every problem with a draft at once: `errors` maps a field key to its message.

    Keys follow domain.draft.validate_draft: "lines", "lines[2].unit_price",
    "lines[0].watch", "customer_email", "customer_address.city", "total", "contact"...
    `field` (from ValidationError) is the first key, `str(exc)` its message.
    """

    def __init__(self, errors: Mapping[str, str]) -> None:
        first_key, first_msg = next(iter(errors.items()))
        super().__init__(first_msg, field=first_key)
        self.errors: dict[str, str] = dict(errors)


# --- What the windows get back -------------------------------------------------------------


class PushStep(StrEnum):
    """The push's steps, in order. Invoice.push_step stores the last one that succeeded."""

    CUSTOMER = "customer"
    CREATE_INVOICE = "create_invoice"
    ADD_LINES = "add_lines"
    FINALIZE = "finalize"
    DONE = "done"

    @property
    def label(self) -> str:
        return _STEP_LABELS[self]


_STEP_LABELS: Mapping[PushStep, str] = {
    PushStep.CUSTOMER: "Preparing the customer in Stripe…",
    PushStep.CREATE_INVOICE: "Creating the invoice…",
    PushStep.ADD_LINES: "Adding the lines…",
    PushStep.FINALIZE: "Finalizing…",
    PushStep.DONE: "Ready for payment",
}

PushProgress = Callable[[PushStep], None]


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
    pdf_path: str | None
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


@dataclass(frozen=True, slots=True)
class InvoiceFilters:
    """History filters; empty means no filter. Dates are aware; `created_before` excluded.

    `statuses` filters on what the dealer sees (DisplayKind), so "Overdue" works even though
    it is derived; `text` matches number, customer, email, memo and line descriptions.
    """

    statuses: tuple[DisplayKind, ...] = ()
    created_from: dt.datetime | None = None
    created_before: dt.datetime | None = None
    contact_id: int | None = None
    serial: str = ""
    text: str = ""


@dataclass(frozen=True, slots=True)
class InvoicePage:
    rows: tuple[InvoiceRow, ...]
    total: int
    offset: int
    limit: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.rows) < self.total


# --- The service -------------------------------------------------------------------------


class InvoiceService:
    """Use cases on invoices for one database; every call names its profile.

    `gateway_for(profile_id)` gives the Stripe gateway; `hub` hears DATA_CHANGED(kind=
    "invoices"/"watches") after every change; `clock` is injectable for tests (aware UTC).
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        gateway_for: GatewayFor,
        hub: EventHub | None = None,
        clock: Clock | None = None,
    ) -> None:
        raise NotImplementedError

    # -- drafts (local only, work offline) --

    def save_draft(self, profile_id: int, draft: DraftInput) -> int:
        """Validate and save a new local draft; returns its invoice id. Raises DraftInvalid
        (every field problem), or ValidationError naming the invoice that holds a watch."""
        raise NotImplementedError

    def update_draft(self, profile_id: int, invoice_id: int, draft: DraftInput) -> None:
        """Replace a draft's fields and lines (only while Action.EDIT_DRAFT is allowed)."""
        raise NotImplementedError

    def delete_draft(self, profile_id: int, invoice_id: int) -> None:
        """Delete a draft; its watches stay (or go back) in stock."""
        raise NotImplementedError

    def duplicate(self, profile_id: int, invoice_id: int) -> int:
        """A new local draft with the same customer and lines; returns its id. Watches that
        are reserved or sold elsewhere are refused with a ValidationError naming the invoice."""
        raise NotImplementedError

    def draft_input(self, profile_id: int, invoice_id: int) -> DraftInput:
        """A saved invoice as composer input (to edit a draft or start from an old one)."""
        raise NotImplementedError

    # -- queries --

    def get(self, profile_id: int, invoice_id: int) -> InvoiceDetail:
        """One invoice with lines, timeline, display status and allowed actions."""
        raise NotImplementedError

    def list(
        self,
        profile_id: int,
        filters: InvoiceFilters = InvoiceFilters(),
        *,
        offset: int = 0,
        limit: int = 50,
    ) -> InvoicePage:
        """Newest first, paged."""
        raise NotImplementedError

    # -- Stripe --

    async def push(
        self, profile_id: int, invoice_id: int, progress: PushProgress | None = None
    ) -> InvoiceDetail:
        """Send a local draft (or retry a failed push) to Stripe and finalize it.

        Resumable and idempotent: each step is saved as it succeeds; a failure leaves the
        invoice push_failed with Stripe's reason in `last_error` and raises the GatewayError;
        calling push again continues from the failed step and never creates anything twice.
        On success the invoice is open with its number and hosted_invoice_url, its watches
        reserved. The caller then opens the payment page and calls poller.go_fast().
        """
        raise NotImplementedError

    async def send_email(self, profile_id: int, invoice_id: int) -> InvoiceDetail:
        """Ask Stripe to email the hosted-page link to the customer."""
        raise NotImplementedError

    async def void(self, profile_id: int, invoice_id: int) -> InvoiceDetail:
        """Void an open or uncollectible invoice; its watches go back in stock."""
        raise NotImplementedError

    async def mark_uncollectible(self, profile_id: int, invoice_id: int) -> InvoiceDetail:
        raise NotImplementedError

    async def record_wire(self, profile_id: int, invoice_id: int, note: str) -> InvoiceDetail:
        """Record a payment outside Stripe (paid_out_of_band); the invoice is paid, its
        watches sold. `note` (e.g. the bank reference) goes on the timeline."""
        raise NotImplementedError

    async def refresh(self, profile_id: int, invoice_id: int) -> InvoiceDetail:
        """Fetch this one invoice from Stripe now and apply it (the detail view's refresh)."""
        raise NotImplementedError
