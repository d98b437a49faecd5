"""Invoices for the windows: drafts, history queries and the dealer's actions.

Everything returned is a plain frozen dataclass (see invoice_views; no ORM object leaves),
so the composer and the history window can hold results after the session closed. Queries
are short synchronous DB reads; anything that talks to Stripe is a coroutine for
TaskRunner.run.
"""

from __future__ import annotations

import builtins
import datetime as dt
import json
from collections.abc import Awaitable, Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Contact, Invoice, InvoiceEvent, utcnow
from tracker_desktop.db.repositories import invoices as repo
from tracker_desktop.db.repositories import invoices_push as history
from tracker_desktop.domain.draft import DraftLine, InvoiceDraft, validate_draft
from tracker_desktop.domain.errors import ActionNotAllowed, InvalidRequest, ValidationError
from tracker_desktop.domain.invoice_state import Action, InvoiceState, require_action
from tracker_desktop.domain.stripe_types import INVOICE_OPEN, StripeInvoice
from tracker_desktop.services import events as topics
from tracker_desktop.services import inventory_status
from tracker_desktop.services.events import EventHub
from tracker_desktop.services.invoice_push import Push, PushProgress, PushStep
from tracker_desktop.services.invoice_sync import apply_remote
from tracker_desktop.services.invoice_views import (
    DraftInput,
    DraftInvalid,
    DraftLineInput,
    InvoiceDetail,
    InvoiceFilters,
    InvoiceLineView,
    InvoicePage,
    InvoiceRow,
    TimelineEntry,
    address_of,
    detail_of,
    row_of,
)
from tracker_desktop.services.pdf_cache import PdfCache
from tracker_desktop.stripe_gateway import StripeGateway, idempotency_key

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

    `gateway_for(profile_id)` gives the Stripe gateway; `hub` hears DATA_CHANGED(kind=
    "invoices"/"watches") after every change; `clock` is injectable for tests (aware UTC);
    `pdfs`, when given, fetches the invoice's PDF in the background after a push or action.
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

    # -- drafts (local only, work offline) --

    def save_draft(self, profile_id: int, draft: DraftInput) -> int:
        """Validate and save a new local draft; returns its invoice id. Raises DraftInvalid
        (every field problem; a watch reserved or sold elsewhere names that invoice)."""
        with session_scope(self._sessions, write=True) as session:
            fields, lines = self._checked(session, profile_id, draft, except_invoice=None)
            invoice = repo.create_draft(session, profile_id, fields, lines)
            inventory_status.add_timeline(session, invoice, "created", self._clock())
            new_id = invoice.id
        self._changed()
        return new_id

    def update_draft(self, profile_id: int, invoice_id: int, draft: DraftInput) -> None:
        """Replace a draft's fields and lines (only while Action.EDIT_DRAFT is allowed)."""
        with session_scope(self._sessions, write=True) as session:
            invoice = self._load(session, profile_id, invoice_id)
            require_action(
                Action.EDIT_DRAFT,
                S(invoice.state),
                stripe_invoice_id=invoice.stripe_invoice_id,
            )
            fields, lines = self._checked(session, profile_id, draft, except_invoice=invoice_id)
            if invoice.state == S.PUSH_FAILED:
                # Nothing at Stripe yet: back to a plain draft, its watches released.
                inventory_status.move_to(session, invoice, S.LOCAL_DRAFT, self._clock())
                invoice.push_step = None
                invoice.last_error = None
                if invoice.contact_id is None:
                    invoice.stripe_customer_id = None
            repo.update_draft(session, profile_id, invoice_id, fields, lines)
        self._changed()

    def delete_draft(self, profile_id: int, invoice_id: int) -> None:
        """Delete a draft; its watches stay (or go back) in stock."""
        with session_scope(self._sessions, write=True) as session:
            invoice = self._load(session, profile_id, invoice_id)
            require_action(
                Action.DELETE_DRAFT, S(invoice.state), stripe_invoice_id=invoice.stripe_invoice_id
            )
            if invoice.state != S.LOCAL_DRAFT:
                inventory_status.move_to(session, invoice, S.LOCAL_DRAFT, self._clock())
            session.delete(invoice)
        self._changed()

    def duplicate(self, profile_id: int, invoice_id: int) -> int:
        """A new local draft with the same customer and lines; returns its id. Watches that
        are reserved or sold elsewhere are refused (DraftInvalid naming the invoice)."""
        return self.save_draft(profile_id, self.draft_input(profile_id, invoice_id))

    def draft_input(self, profile_id: int, invoice_id: int) -> DraftInput:
        """A saved invoice as composer input (to edit a draft or start from an old one)."""
        with self._sessions() as session:
            inv = self._load(session, profile_id, invoice_id)
            detail = detail_of(inv, {}, self._clock())
        return DraftInput(
            currency=detail.currency,
            lines=[
                DraftLineInput(ln.description, ln.quantity, ln.unit_price, ln.watch_id)
                for ln in detail.lines
            ],
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
            invoice = self._load(session, profile_id, invoice_id)
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
    ) -> InvoicePage:
        """Newest first, paged."""
        filters = filters or InvoiceFilters()
        now = self._clock()
        stmt = history.history_query(
            profile_id,
            now=now,
            kinds=[k.value for k in filters.statuses],
            created_from=filters.created_from,
            created_before=filters.created_before,
            contact_id=filters.contact_id,
            serial=filters.serial,
            text=filters.text,
        )
        with self._sessions() as session:
            page = history.history_page(session, stmt, offset=offset, limit=limit)
            watch_ids = {ln.watch_id for i in page.items for ln in i.lines if ln.watch_id}
            serials = history.serials_by_watch(session, watch_ids)
            rows = tuple(row_of(i, serials, now) for i in page.items)
        return InvoicePage(rows, page.total, page.offset, page.limit)

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
        if invoice_id in self._pushing:
            raise ActionNotAllowed("This invoice is being sent already.", action="push")
        self._pushing.add(invoice_id)
        try:
            gateway = self._gateway_for(profile_id)
            await Push(self._sessions, gateway, profile_id, invoice_id, self._clock, progress).run()
        finally:
            self._pushing.discard(invoice_id)
            self._changed()
        self._fetch_pdf(profile_id, invoice_id)
        return self.get(profile_id, invoice_id)

    async def send_email(self, profile_id: int, invoice_id: int) -> InvoiceDetail:
        """Ask Stripe to email the hosted-page link to the customer."""

        def step(session: Session, invoice: Invoice) -> str:
            sent = session.scalar(
                select(func.count())
                .select_from(InvoiceEvent)
                .where(InvoiceEvent.invoice_id == invoice.id, InvoiceEvent.kind == "sent")
            )
            return f"send-{int(sent or 0) + 1}"  # each later send is a new request

        def after(session: Session, invoice: Invoice) -> None:
            inventory_status.add_timeline(session, invoice, "sent", self._clock())

        return await self._act(
            profile_id, invoice_id, Action.SEND_EMAIL, step, StripeGateway.send_invoice, after
        )

    async def void(self, profile_id: int, invoice_id: int) -> InvoiceDetail:
        """Void an open or uncollectible invoice; its watches go back in stock."""
        return await self._act(
            profile_id, invoice_id, Action.VOID, "void", StripeGateway.void_invoice
        )

    async def mark_uncollectible(self, profile_id: int, invoice_id: int) -> InvoiceDetail:
        return await self._act(
            profile_id,
            invoice_id,
            Action.MARK_UNCOLLECTIBLE,
            "mark-uncollectible",
            StripeGateway.mark_uncollectible,
        )

    async def record_wire(self, profile_id: int, invoice_id: int, note: str) -> InvoiceDetail:
        """Record a payment outside Stripe (paid_out_of_band); the invoice is paid, its
        watches sold. `note` (e.g. the bank reference) goes on the timeline."""

        def after(session: Session, invoice: Invoice) -> None:
            invoice.paid_out_of_band_note = note.strip() or None
            inventory_status.add_timeline(
                session, invoice, "paid_by_wire", self._clock(), note.strip()
            )

        return await self._act(
            profile_id,
            invoice_id,
            Action.RECORD_WIRE,
            "pay-out-of-band",
            StripeGateway.pay_out_of_band,
            after,
        )

    async def refresh(self, profile_id: int, invoice_id: int) -> InvoiceDetail:
        """Fetch this one invoice from Stripe now and apply it (the detail view's refresh)."""
        with self._sessions() as session:
            stripe_id = self._load(session, profile_id, invoice_id).stripe_invoice_id
        if stripe_id is not None:
            gateway = self._gateway_for(profile_id)
            remote = await gateway.retrieve_invoice(stripe_id)
            payments = None
            if remote.status == INVOICE_OPEN:
                payments = await gateway.list_invoice_payments(stripe_id)
            with session_scope(self._sessions, write=True) as session:
                invoice = self._load(session, profile_id, invoice_id)
                apply_remote(session, invoice, remote, self._clock(), payments)
            self._changed()
            self._fetch_pdf(profile_id, invoice_id)
        return self.get(profile_id, invoice_id)

    # -- helpers --

    async def _act(
        self,
        profile_id: int,
        invoice_id: int,
        action: Action,
        step: str | Callable[[Session, Invoice], str],
        call: Callable[..., Awaitable[StripeInvoice]],
        after: Callable[[Session, Invoice], None] | None = None,
    ) -> InvoiceDetail:
        """Check the action locally, ask Stripe, apply its answer (state, watches, timeline)."""
        with self._sessions() as session:
            invoice = self._load(session, profile_id, invoice_id)
            require_action(
                action,
                S(invoice.state),
                processing=invoice.payment_processing,
                stripe_invoice_id=invoice.stripe_invoice_id,
            )
            stripe_id, uuid = invoice.stripe_invoice_id, invoice.uuid
            step_name = step if isinstance(step, str) else step(session, invoice)
        assert stripe_id is not None  # every state that allows these actions has one
        gateway = self._gateway_for(profile_id)
        try:
            remote = await call(
                gateway, stripe_id, idempotency_key=idempotency_key(uuid, step_name)
            )
        except InvalidRequest:
            await self.refresh(profile_id, invoice_id)  # Stripe knows better: show its state
            raise
        with session_scope(self._sessions, write=True) as session:
            invoice = self._load(session, profile_id, invoice_id)
            if after is not None:
                after(session, invoice)
            apply_remote(session, invoice, remote, self._clock())
        self._changed()
        self._fetch_pdf(profile_id, invoice_id)  # Stripe's PDF changes with the status
        return self.get(profile_id, invoice_id)

    def _checked(
        self, session: Session, profile_id: int, draft: DraftInput, *, except_invoice: int | None
    ) -> tuple[repo.InvoiceDraft, builtins.list[repo.LineDraft]]:
        name, email = draft.customer_name.strip(), draft.customer_email.strip()
        errors: dict[str, str] = {}
        if draft.contact_id is not None:
            contact = session.get(Contact, draft.contact_id)
            if contact is None or contact.profile_id != profile_id:
                errors["contact"] = "That client no longer exists."
            else:
                name, email = name or contact.name, email or contact.email
        domain_draft = InvoiceDraft(
            currency=draft.currency,
            lines=[
                DraftLine(
                    ln.description,
                    ln.quantity,
                    ln.unit_price,
                    str(ln.watch_id) if ln.watch_id is not None else None,
                )
                for ln in draft.lines
            ],
            customer_name=name,
            customer_email=email,
            customer_address=draft.customer_address,
            contact_id=str(draft.contact_id) if draft.contact_id is not None else None,
            days_until_due=draft.days_until_due,
            memo=draft.memo,
        )
        errors.update(validate_draft(domain_draft))
        for i, line in enumerate(draft.lines):
            if line.watch_id is None or f"lines[{i}].watch" in errors:
                continue
            try:
                inventory_status.refuse_taken_watches(
                    session, profile_id, [line.watch_id], except_invoice=except_invoice
                )
            except ValidationError as exc:
                errors[f"lines[{i}].watch"] = str(exc)
        if errors:
            raise DraftInvalid(errors)
        address = draft.customer_address.to_stripe() if draft.customer_address else {}
        fields = repo.InvoiceDraft(
            currency=draft.currency,
            contact_id=draft.contact_id,
            customer_name=name,
            customer_email=email,
            customer_address_json=json.dumps(address),
            days_until_due=draft.days_until_due,
            memo=draft.memo.strip(),
            footer=draft.footer.strip(),
        )
        lines = [
            repo.LineDraft(ln.description.strip(), ln.unit_price.minor, ln.quantity, ln.watch_id)
            for ln in draft.lines
        ]
        return fields, lines

    @staticmethod
    def _load(session: Session, profile_id: int, invoice_id: int) -> Invoice:
        invoice = repo.get_invoice(session, profile_id, invoice_id)
        if invoice is None:
            raise ValidationError("That invoice no longer exists.")
        return invoice

    def _fetch_pdf(self, profile_id: int, invoice_id: int) -> None:
        # In the background, after Stripe answered: a PDF download never delays or fails the
        # push or action, and is not one of the push's Stripe requests.
        if self._pdfs is not None:
            self._pdfs.schedule(profile_id, invoice_id)

    def _changed(self) -> None:
        if self._hub is not None:
            self._hub.publish(topics.DATA_CHANGED, kind="invoices")
            self._hub.publish(topics.DATA_CHANGED, kind="watches")


_ = address_of  # re-exported for the composer's convenience
