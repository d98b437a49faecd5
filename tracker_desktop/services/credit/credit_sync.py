"""The poller's part for credit notes: `credit_note.created` and `credit_note.voided` events.

Each note named by an event is retrieved and recorded (credit_apply): one this app asked for
(found by its `tracker_credit_note_id` metadata, even if the dealer's run never heard the
answer) becomes issued; one made elsewhere (Stripe's Dashboard) is added to its invoice.
The invoice's own amounts and status come from its `invoice.updated` event, applied by the
poller before this runs; an open invoice credited to 0 is then paid. Every statement runs
on the poll's Offload, never on the loop thread.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Protocol, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.repositories import credit_notes as repo
from tracker_desktop.db.repositories import sync as sync_repo
from tracker_desktop.db.repositories.invoices import get_invoice_by_stripe_id
from tracker_desktop.domain.errors import NotFound
from tracker_desktop.domain.stripe_types import StripeCreditNote, StripeEvent, StripeInvoice
from tracker_desktop.services.credit import credit_apply
from tracker_desktop.services.offload import Offload
from tracker_desktop.stripe_gateway import StripeGateway

T = TypeVar("T")
OBJECT_TYPE = "credit_note"
VOIDED = "credit_note.voided"


class Counted(Protocol):
    """The poll's RequestCounter: counts each request it awaits."""

    async def call(self, coro: Awaitable[T]) -> T: ...


class CreditNoteEvents:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        profile_id: int,
        requests: Counted,
        offload: Offload,
    ) -> None:
        self._sessions = session_factory
        self._profile_id = profile_id
        self._call = requests.call
        self._offload = offload

    async def apply(self, gw: StripeGateway, events: list[StripeEvent]) -> int:
        """Record the credit notes of these (not yet applied) events; returns how many
        invoices changed. Each event is marked applied with its note, in one transaction."""
        changed = 0
        for event in sorted(events, key=lambda e: (e.created, e.id)):
            if not event.object_id:
                await self._offload(lambda ev=event: self._mark(ev))  # type: ignore[misc]
                continue
            try:
                note = await self._call(gw.retrieve_credit_note(event.object_id))
            except NotFound:
                await self._offload(lambda ev=event: self._mark(ev))  # type: ignore[misc]
                continue
            remote_invoice = None
            if event.type == VOIDED:
                remote_invoice = await self._call(gw.retrieve_invoice(note.invoice_id))
            changed += await self._offload(
                lambda ev=event, n=note, inv=remote_invoice: self._write(ev, n, inv)  # type: ignore[misc]
            )
        return changed

    def _mark(self, event: StripeEvent) -> None:
        with session_scope(self._sessions, write=True) as session:
            sync_repo.mark_processed(
                session, self._profile_id, event.id, int(event.created.timestamp())
            )

    def _write(
        self, event: StripeEvent, remote: StripeCreditNote, invoice_now: StripeInvoice | None
    ) -> int:
        with session_scope(self._sessions, write=True) as session:
            sync_repo.mark_processed(
                session, self._profile_id, event.id, int(event.created.timestamp())
            )
            invoice = get_invoice_by_stripe_id(session, self._profile_id, remote.invoice_id)
            if invoice is None:
                return 0  # an invoice this database does not hold (its import brings it)
            note = repo.by_stripe_id(session, self._profile_id, remote.id)
            ours = remote.metadata.get(credit_apply.NOTE_KEY)
            if note is None and ours:
                note = repo.by_uuid(session, self._profile_id, ours)
            if note is None:
                note = credit_apply.record_foreign(session, invoice, remote, event.id)
            elif event.type != VOIDED:
                credit_apply.record_issued(session, note, invoice, remote, event.id)
            if event.type == VOIDED:
                credit_apply.record_void(session, note, invoice, remote, event.id)
                if invoice_now is not None:
                    credit_apply.settle_invoice_after_void(invoice, invoice_now.amount_remaining)
            return 1
