"""Invoices for the windows: drafts, history queries and the dealer's actions.

Everything returned is a plain frozen dataclass (see invoicing/views; no ORM object leaves),
so the composer and the history window can hold results after the session closed. Queries
are short synchronous DB reads; anything that talks to Stripe is a coroutine for
TaskRunner.run. The actions on an invoice Stripe holds live in stripe_actions (a
collaborator this service hands them to); checking a draft against the database lives in
drafts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Invoice, utcnow
from tracker_desktop.db.repositories import invoice_history as history
from tracker_desktop.db.repositories import invoices as repo
from tracker_desktop.domain.errors import ActionNotAllowed
from tracker_desktop.domain.invoice_state import Action, InvoiceState, require_action
from tracker_desktop.services.clients.stripe_customers import ClientCustomers
from tracker_desktop.services.events import EventHub, InvoicesChanged, WatchesChanged
from tracker_desktop.services.invoicing import history as invoice_history
from tracker_desktop.services.invoicing import push_recovery, state_moves, take_back
from tracker_desktop.services.invoicing.drafts import checked_draft
from tracker_desktop.services.invoicing.pdf_cache import PdfCache
from tracker_desktop.services.invoicing.push import Push, PushProgress, PushStep
from tracker_desktop.services.invoicing.sale_making import refuse_sale_member_edit
from tracker_desktop.services.invoicing.stripe_actions import InvoiceStripeActions, load_invoice
from tracker_desktop.services.invoicing.view_making import address_of, detail_of
from tracker_desktop.services.invoicing.views import (
    DraftInput,
    DraftInvalid,
    DraftLineInput,
    InvoiceDetail,
    InvoiceFilters,
    InvoiceLineView,
    InvoicePage,
    InvoiceRow,
    TimelineEntry,
)
from tracker_desktop.stripe_gateway import StripeGateway

__all__ = [
    "DraftInput",
    "DraftInvalid",
    "DraftLineInput",
    "InvoiceDetail",
    "InvoiceFilters",
    "InvoiceLineView",
    "InvoicePage",
    "InvoiceRow",
    "InvoiceService",
    "PushProgress",
    "PushStep",
    "TimelineEntry",
]

# profile id -> that profile's gateway (GatewayProvider.gateway fits).
GatewayFor = Callable[[int], StripeGateway]
Clock = Callable[[], dt.datetime]
S = InvoiceState


class InvoiceService:
    """Use cases on invoices for one database; every call names its profile.

    `gateway_for(profile_id)` gives the Stripe gateway; `hub` hears InvoicesChanged (and
    WatchesChanged if watches may have moved) after every change; `clock` is injectable for
    tests (aware UTC); `pdfs`, when given, fetches the PDF in the background after a push or
    action.
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        gateway_for: GatewayFor,
        hub: EventHub | None = None,
        clock: Clock | None = None,
        *,
        pdfs: PdfCache | None = None,
    ) -> None:
        self._sessions = session_factory
        self._gateway_for = gateway_for
        self._hub = hub
        self._clock = clock or utcnow
        self._pdfs = pdfs
        self._pushing: set[int] = set()  # a double click must not start a second run
        self._customers = ClientCustomers(session_factory)
        self._actions = InvoiceStripeActions(
            session_factory,
            gateway_for,
            self._clock,
            read=self.get,
            changed=self._changed,
            fetch_pdf=self._fetch_pdf,
        )

    # -- drafts (local only, work offline) --

    def save_draft(self, profile_id: int, draft: DraftInput) -> int:
        """Validate and save a new local draft; returns its invoice id. Raises DraftInvalid
        (every field problem; a watch reserved or sold elsewhere names that invoice)."""
        with session_scope(self._sessions, write=True) as session:
            fields, lines = checked_draft(session, profile_id, draft, except_invoice=None)
            invoice = repo.create_draft(session, profile_id, fields, lines)
            state_moves.add_timeline(session, invoice, "created", self._clock())
            new_id = invoice.id
        self._changed(profile_id, new_id, watches=False)  # a draft reserves nothing
        return new_id

    def update_draft(self, profile_id: int, invoice_id: int, draft: DraftInput) -> None:
        """Replace a local draft's fields and lines. An invoice whose sending failed is
        taken back first (`take_back`), so Stripe never holds an older copy of it."""
        with session_scope(self._sessions, write=True) as session:
            invoice = load_invoice(session, profile_id, invoice_id)
            require_action(Action.EDIT_DRAFT, S(invoice.state))
            _require_nothing_at_stripe(invoice)
            fields, lines = checked_draft(session, profile_id, draft, except_invoice=invoice_id)
            repo.update_draft(session, profile_id, invoice_id, fields, lines)
        self._changed(profile_id, invoice_id, watches=False)

    def delete_draft(self, profile_id: int, invoice_id: int) -> None:
        """Delete a local draft; its watches stay in stock (see `delete_unsent` for an
        invoice whose sending failed)."""
        with session_scope(self._sessions, write=True) as session:
            invoice = load_invoice(session, profile_id, invoice_id)
            require_action(Action.DELETE_DRAFT, S(invoice.state))
            _require_nothing_at_stripe(invoice)
            session.delete(invoice)
        self._changed(profile_id, invoice_id, watches=False)

    async def take_back(self, profile_id: int, invoice_id: int) -> InvoiceDetail:
        """Before editing an invoice whose sending failed: delete Stripe's unfinished draft
        of it (if any) and make it a local draft with a new identity (take_back.py)."""
        try:
            await take_back.take_back(
                self._sessions,
                lambda: self._gateway_for(profile_id),
                profile_id,
                invoice_id,
                self._clock,
            )
        finally:
            self._changed(profile_id, invoice_id)  # its watches are back in stock
        return self.get(profile_id, invoice_id)

    async def delete_unsent(self, profile_id: int, invoice_id: int) -> None:
        """Delete an invoice that Stripe never finalized, its unfinished Stripe draft too."""
        await self.take_back(profile_id, invoice_id)
        self.delete_draft(profile_id, invoice_id)

    def release_dead_pushes(self, profile_id: int) -> list[int]:
        """Pushes whose run died become push_failed, offering Retry (push_recovery)."""
        released = push_recovery.release_dead_pushes(self._sessions, profile_id, self._clock())
        if released:
            self._changed(profile_id, *released, watches=False)  # still reserved
        return released

    def duplicate(self, profile_id: int, invoice_id: int) -> int:
        """A new local draft with the same customer and lines; returns its id. Watches that
        are reserved or sold elsewhere are refused (DraftInvalid naming the invoice)."""
        return self.save_draft(profile_id, self.draft_input(profile_id, invoice_id))

    def draft_input(self, profile_id: int, invoice_id: int) -> DraftInput:
        """A saved invoice as composer input (to edit a draft or start from an old one)."""
        with self._sessions() as session:
            inv = load_invoice(session, profile_id, invoice_id)
            detail = detail_of(inv, {}, self._clock())
        return DraftInput(
            currency=detail.currency,
            lines=[ln.as_input() for ln in detail.lines],
            contact_id=detail.contact_id,
            customer_name=detail.customer_name,
            customer_email=detail.customer_email,
            customer_address=detail.customer_address,
            days_until_due=detail.days_until_due,
            memo=detail.memo,
            footer=detail.footer,
        )

    # -- queries --

    def get(self, profile_id: int, invoice_id: int) -> InvoiceDetail:
        """One invoice with lines, timeline, display status and allowed actions."""
        with self._sessions() as session:
            invoice = load_invoice(session, profile_id, invoice_id)
            serials = history.serials_by_watch(
                session, {ln.watch_id for ln in invoice.lines if ln.watch_id is not None}
            )
            return detail_of(invoice, serials, self._clock())

    def list(
        self,
        profile_id: int,
        filters: InvoiceFilters | None = None,
        *,
        offset: int = 0,
        limit: int = 50,
        with_total: bool = True,
    ) -> InvoicePage:
        """One page in the filters' order (newest first by default). `with_total=False`
        skips counting every match (`count` does that): the window shows the rows first."""
        query = invoice_history.history_query(
            profile_id, filters or InvoiceFilters(), self._clock()
        )
        with self._sessions() as session:
            return invoice_history.read_page(
                session, query, offset=offset, limit=limit, with_total=with_total
            )

    def count(self, profile_id: int, filters: InvoiceFilters | None = None) -> int:
        """How many invoices match `filters`."""
        query = invoice_history.history_query(
            profile_id, filters or InvoiceFilters(), self._clock()
        )
        with self._sessions() as session:
            return invoice_history.count(session, query)

    # -- Stripe --

    async def send_email(self, profile_id: int, invoice_id: int) -> InvoiceDetail:
        """Ask Stripe to email the hosted-page link to the customer."""
        return await self._actions.send_email(profile_id, invoice_id)

    async def void(self, profile_id: int, invoice_id: int) -> InvoiceDetail:
        """Void an open or uncollectible invoice; its watches go back in stock."""
        return await self._actions.void(profile_id, invoice_id)

    async def mark_uncollectible(self, profile_id: int, invoice_id: int) -> InvoiceDetail:
        return await self._actions.mark_uncollectible(profile_id, invoice_id)

    async def record_wire(self, profile_id: int, invoice_id: int, note: str) -> InvoiceDetail:
        """Record a payment outside Stripe; the invoice is paid, its watches sold."""
        return await self._actions.record_wire(profile_id, invoice_id, note)

    async def refresh(self, profile_id: int, invoice_id: int) -> InvoiceDetail:
        """Fetch this one invoice from Stripe now and apply it (the detail view's refresh)."""
        return await self._actions.refresh(profile_id, invoice_id)

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
        if invoice_id in self._pushing:
            raise ActionNotAllowed("This invoice is being sent already.", action="push")
        self._pushing.add(invoice_id)
        try:
            gateway = self._gateway_for(profile_id)
            await Push(
                self._sessions,
                gateway,
                profile_id,
                invoice_id,
                self._clock,
                progress,
                customers=self._customers,
            ).run()
        finally:
            self._pushing.discard(invoice_id)
            self._changed(profile_id, invoice_id)
        self._fetch_pdf(profile_id, invoice_id)
        return self.get(profile_id, invoice_id)

    def _fetch_pdf(self, profile_id: int, invoice_id: int) -> None:
        # In the background, after Stripe answered: a PDF download never delays or fails the
        # push or action, and is not one of the push's Stripe requests.
        if self._pdfs is not None:
            self._pdfs.schedule(profile_id, invoice_id)

    def _changed(self, profile_id: int, *invoice_ids: int, watches: bool = True) -> None:
        """Tell the windows which invoices changed, and if their watches may have moved."""
        if self._hub is not None:
            self._hub.publish(InvoicesChanged(profile_id, frozenset(invoice_ids)))
            if watches:
                self._hub.publish(WatchesChanged(profile_id))


def _require_nothing_at_stripe(invoice: Invoice) -> None:
    refuse_sale_member_edit(invoice)  # a sale's invoices change together, or not at all
    if invoice.state != S.LOCAL_DRAFT or invoice.push_started_at is not None:
        raise ActionNotAllowed(
            "Stripe may hold an unfinished copy of this invoice; Edit or Delete in the "
            "Invoices window removes it first.",
            action="edit_draft",
        )


_ = address_of  # re-exported for the composer's convenience
