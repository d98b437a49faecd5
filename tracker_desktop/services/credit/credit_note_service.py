"""Credit notes and refunds on an invoice Stripe holds: the one entry point for the windows
and for other use cases (cancelling a sale issues one through `issue`).

    view = await credits.issue(profile_id, invoice_id, CreditRequest(CreditReason.ORDER_CHANGE))

`issue` checks the request (CreditNoteInvalid, field by field), records the intent as a
`pending` credit note, then sends it (credit_run); `retry` finishes a pending one after a
failure, a crash or a lost answer, and never makes a second credit note or refund.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuidlib
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.credit_models import CreditNote, CreditNoteLine
from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Invoice, utcnow
from tracker_desktop.db.repositories import credit_notes as repo
from tracker_desktop.domain.errors import ActionNotAllowed
from tracker_desktop.services.credit.credit_pdfs import CreditNotePdfs
from tracker_desktop.services.credit.credit_plan import CreditPlan, plan_credit, why_not
from tracker_desktop.services.credit.credit_run import CreditRun
from tracker_desktop.services.credit.credit_views import view_of, views_of
from tracker_desktop.services.credit.values import (
    CreditNoteState,
    CreditNoteView,
    CreditRequest,
)
from tracker_desktop.services.events import EventHub, InvoicesChanged, WatchesChanged
from tracker_desktop.services.invoicing.stripe_actions import load_invoice
from tracker_desktop.stripe_gateway import StripeGateway

PENDING_TAKEN = (
    "A credit note on this invoice is not confirmed by Stripe yet; finish it first (Retry "
    "credit note), which never issues it twice."
)


class CreditNoteService:
    """`gateway_for(profile_id)` gives the Stripe gateway; `hub` hears InvoicesChanged and
    WatchesChanged after every change; `pdfs`, when given, keeps Stripe's credit-note PDF."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        gateway_for: Callable[[int], StripeGateway],
        hub: EventHub | None = None,
        clock: Callable[[], dt.datetime] | None = None,
        *,
        pdfs: CreditNotePdfs | None = None,
        locale: Callable[[], str] = lambda: "en_US",
    ) -> None:
        self._sessions = session_factory
        self._gateway_for = gateway_for
        self._hub = hub
        self._clock = clock or utcnow
        self._pdfs = pdfs
        self._locale = locale
        self._running: set[int] = set()  # a double click must not start a second run

    # -- asking --

    def check(self, profile_id: int, invoice_id: int, request: CreditRequest) -> CreditPlan:
        """The amounts `issue` would ask for, or CreditNoteInvalid; changes nothing."""
        with self._sessions() as session:
            invoice = load_invoice(session, profile_id, invoice_id)
            return plan_credit(invoice, request, self._locale())

    async def issue(
        self, profile_id: int, invoice_id: int, request: CreditRequest
    ) -> CreditNoteView:
        """Issue one credit note (and its refund). Raises CreditNoteInvalid before anything
        is recorded; Stripe's refusal (InvalidRequest, with Stripe's reason) leaves it
        `refused`; any other GatewayError leaves it `pending` for `retry`."""
        note_id = self._record_intent(profile_id, invoice_id, request)
        return await self._run(profile_id, invoice_id, note_id, resumed=False)

    async def retry(self, profile_id: int, credit_note_id: int) -> CreditNoteView:
        """Finish a pending credit note: finds the one Stripe may have made, else sends it
        again with the same key."""
        with self._sessions() as session:
            note = repo.get_credit_note(session, profile_id, credit_note_id)
            if note is None:
                raise ActionNotAllowed("That credit note no longer exists.", "credit_note")
            invoice_id = note.invoice_id
        return await self._run(profile_id, invoice_id, credit_note_id, resumed=True)

    def pending_id(self, profile_id: int, invoice_id: int) -> int | None:
        with self._sessions() as session:
            note = repo.pending_for_invoice(session, profile_id, invoice_id)
            return note.id if note is not None else None

    def why_not(self, profile_id: int, invoice_id: int) -> str | None:
        """Why this invoice cannot take a credit note now (None: it can)."""
        with self._sessions() as session:
            return why_not(load_invoice(session, profile_id, invoice_id))

    # -- reading --

    def for_invoice(self, profile_id: int, invoice_id: int) -> tuple[CreditNoteView, ...]:
        with self._sessions() as session:
            invoice = load_invoice(session, profile_id, invoice_id)
            return views_of(invoice)

    def get(self, profile_id: int, credit_note_id: int) -> CreditNoteView:
        with self._sessions() as session:
            note = repo.get_credit_note(session, profile_id, credit_note_id)
            if note is None:
                raise ActionNotAllowed("That credit note no longer exists.", "credit_note")
            invoice = load_invoice(session, profile_id, note.invoice_id)
            positions = {ln.id: ln.position for ln in invoice.lines}
            return view_of(note, positions)

    # -- helpers --

    def _record_intent(self, profile_id: int, invoice_id: int, request: CreditRequest) -> int:
        with session_scope(self._sessions, write=True) as session:
            invoice = load_invoice(session, profile_id, invoice_id)
            if repo.pending_for_invoice(session, profile_id, invoice_id) is not None:
                raise ActionNotAllowed(PENDING_TAKEN, action="credit_note")
            plan = plan_credit(invoice, request, self._locale())
            note = _intent(invoice, request, plan, self._clock())
            session.add(note)
            session.flush()
            return note.id

    async def _run(
        self, profile_id: int, invoice_id: int, note_id: int, *, resumed: bool
    ) -> CreditNoteView:
        if invoice_id in self._running:
            raise ActionNotAllowed("A credit note on this invoice is being sent.", "credit_note")
        self._running.add(invoice_id)
        try:
            gateway = self._gateway_for(profile_id)
            await CreditRun(self._sessions, gateway, profile_id, note_id, self._clock).run(
                resumed=resumed
            )
        finally:
            self._running.discard(invoice_id)
            self._changed(profile_id, invoice_id)
        if self._pdfs is not None:
            self._pdfs.schedule(profile_id, note_id)
        return self.get(profile_id, note_id)

    def _changed(self, profile_id: int, invoice_id: int) -> None:
        if self._hub is not None:
            self._hub.publish(InvoicesChanged(profile_id, frozenset({invoice_id})))
            self._hub.publish(WatchesChanged(profile_id))


def _intent(
    invoice: Invoice, request: CreditRequest, plan: CreditPlan, now: dt.datetime
) -> CreditNote:
    """The pending row: the request exactly as it will be sent, and its lines."""
    asked = {
        "total": plan.total_minor,
        "lines": [{"position": p.line.position, "amount": p.amount_minor} for p in plan.lines],
        "reason": request.reason.value,
        "memo": request.memo.strip(),
        "refund": plan.refund_minor,
        "out_of_band": plan.out_of_band_minor,
    }
    lines = [
        CreditNoteLine(
            position=i,
            invoice_line_id=p.line.id,
            description=p.line.description,
            amount_minor=p.amount_minor,
            restock=p.restock,
        )
        for i, p in enumerate(plan.lines)
    ]
    # A whole-invoice credit returns watches too: their lines carry the restock, amount 0.
    lines += [
        CreditNoteLine(
            position=len(lines) + i,
            invoice_line_id=line.id,
            description=line.description,
            amount_minor=0,
            restock=True,
        )
        for i, line in enumerate(plan.restock_only)
    ]
    return CreditNote(
        uuid=str(uuidlib.uuid4()),
        profile_id=invoice.profile_id,
        invoice_id=invoice.id,
        state=CreditNoteState.PENDING,
        currency=invoice.currency,
        total_minor=plan.total_minor,
        pre_payment_minor=plan.pre_payment_minor,
        post_payment_minor=plan.post_payment_minor,
        refund_minor=plan.refund_minor,
        out_of_band_minor=plan.out_of_band_minor,
        reason=request.reason.value,
        memo=request.memo.strip(),
        request_json=json.dumps(asked, sort_keys=True),
        created_at=now,
        lines=lines,
    )
