"""The dealer's actions on an invoice Stripe holds: send, void, uncollectible, wire, refresh.

InvoiceService holds one InvoiceStripeActions and hands these calls to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Invoice, InvoiceEvent
from tracker_desktop.db.repositories import invoices as repo
from tracker_desktop.domain.errors import InvalidRequest, ValidationError
from tracker_desktop.domain.invoice_state import Action, InvoiceState, require_action
from tracker_desktop.domain.stripe_types import INVOICE_OPEN, StripeInvoice
from tracker_desktop.services.invoicing import state_moves
from tracker_desktop.services.invoicing.stripe_state import apply_remote
from tracker_desktop.services.invoicing.views import InvoiceDetail
from tracker_desktop.stripe_gateway import StripeGateway, idempotency_key

S = InvoiceState


class InvoiceStripeActions:
    """`read` gives the invoice as shown after an action; `changed(profile_id, invoice_id)`
    tells the windows (the invoice and its watches moved);
    `fetch_pdf` downloads Stripe's PDF in the background (its content follows the status)."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        gateway_for: Callable[[int], StripeGateway],
        clock: Callable[[], dt.datetime],
        *,
        read: Callable[[int, int], InvoiceDetail],
        changed: Callable[[int, int], None],
        fetch_pdf: Callable[[int, int], None],
    ) -> None:
        self._sessions = session_factory
        self._gateway_for = gateway_for
        self._clock = clock
        self._read = read
        self._changed = changed
        self._fetch_pdf = fetch_pdf

    async def send_email(self, profile_id: int, invoice_id: int) -> InvoiceDetail:
        """Ask Stripe to email the hosted-page link to the customer."""

        def step(session: Session, invoice: Invoice) -> str:
            sent = session.scalar(
                select(func.count())
                .select_from(InvoiceEvent)
                .where(InvoiceEvent.invoice_id == invoice.id, InvoiceEvent.kind == "sent")
            )
            return f"send-{int(sent or 0) + 1}"  # each later send is a new request

        def after(session: Session, invoice: Invoice, remote: StripeInvoice) -> None:
            state_moves.add_timeline(session, invoice, "sent", self._clock())

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

        def after(session: Session, invoice: Invoice, remote: StripeInvoice) -> None:
            invoice.paid_out_of_band_note = note.strip() or None
            # The moment Stripe took it as paid, so it reads just before "Paid" on the timeline.
            when = remote.paid_at or self._clock()
            state_moves.add_timeline(session, invoice, "paid_by_wire", when, note.strip())

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
            stripe_id = load_invoice(session, profile_id, invoice_id).stripe_invoice_id
        if stripe_id is not None:
            gateway = self._gateway_for(profile_id)
            fetched_at = self._clock()
            remote = await gateway.retrieve_invoice(stripe_id)
            payments = None
            if remote.status == INVOICE_OPEN:
                payments = await gateway.list_invoice_payments(stripe_id)
            with session_scope(self._sessions, write=True) as session:
                invoice = load_invoice(session, profile_id, invoice_id)
                apply_remote(
                    session, invoice, remote, self._clock(), payments, fetched_at=fetched_at
                )
            self._changed(profile_id, invoice_id)
            self._fetch_pdf(profile_id, invoice_id)
        return self._read(profile_id, invoice_id)

    # -- helpers --

    async def _act(
        self,
        profile_id: int,
        invoice_id: int,
        action: Action,
        step: str | Callable[[Session, Invoice], str],
        call: Callable[..., Awaitable[StripeInvoice]],
        after: Callable[[Session, Invoice, StripeInvoice], None] | None = None,
    ) -> InvoiceDetail:
        """Check the action locally, ask Stripe, apply its answer (state, watches, timeline)."""
        with self._sessions() as session:
            invoice = load_invoice(session, profile_id, invoice_id)
            require_action(action, S(invoice.state), processing=invoice.payment_processing)
            stripe_id, uuid = invoice.stripe_invoice_id, invoice.uuid
            step_name = step if isinstance(step, str) else step(session, invoice)
        assert stripe_id is not None  # every state that allows these actions has one
        gateway = self._gateway_for(profile_id)
        # Stripe's answer is at least as new as this moment; a poll may have read the invoice
        # before or after it, and applying stays monotonic either way (stripe_state).
        fetched_at = self._clock()
        try:
            remote = await call(
                gateway, stripe_id, idempotency_key=idempotency_key(uuid, step_name)
            )
        except InvalidRequest:
            await self.refresh(profile_id, invoice_id)  # Stripe knows better: show its state
            raise
        with session_scope(self._sessions, write=True) as session:
            invoice = load_invoice(session, profile_id, invoice_id)
            if after is not None:
                after(session, invoice, remote)
            apply_remote(session, invoice, remote, self._clock(), fetched_at=fetched_at)
        self._changed(profile_id, invoice_id)
        self._fetch_pdf(profile_id, invoice_id)  # Stripe's PDF changes with the status
        return self._read(profile_id, invoice_id)


def load_invoice(session: Session, profile_id: int, invoice_id: int) -> Invoice:
    """The profile's invoice, or a sentence saying it is gone (deleted in another window)."""
    invoice = repo.get_invoice(session, profile_id, invoice_id)
    if invoice is None:
        raise ValidationError("That invoice no longer exists.")
    return invoice
