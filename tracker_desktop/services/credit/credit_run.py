"""One credit note sent to Stripe, resumable like the push (ARCHITECTURE.md "Credit notes").

The intent is recorded first (credit_note_service: a `pending` row holding the request), so
a crash, a kill -9 or a lost answer leaves it on record. The POST carries a key made from
that row's uuid and step (`<uuid>:create-credit-note`) and the uuid as metadata: a retry
within Stripe's 24 hours replays the key and gets the same credit note (and the same refund)
back; a resumed run first looks for it among the invoice's credit notes by that metadata,
so not even a forgotten key makes a second one. Stripe's refusal marks the row `refused`
(nothing was made); any other failure leaves it `pending` for Retry.

One run at a time: the row's lease (run_owner, run_lease_until) is taken with a
compare-and-set UPDATE; an owner that died on this computer is seen at once
(push_lease.owner_is_dead), another computer's lease runs out after LEASE_FOR.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.credit_models import CreditNote
from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.repositories.credit_notes import get_credit_note
from tracker_desktop.domain.errors import ActionNotAllowed, GatewayError, InvalidRequest
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.stripe_types import (
    CreditLineDraft,
    CreditNoteDraft,
    StripeCreditNote,
)
from tracker_desktop.services.credit import credit_apply
from tracker_desktop.services.credit.values import CreditNoteState
from tracker_desktop.services.invoicing import push_lease
from tracker_desktop.services.invoicing.stripe_actions import load_invoice
from tracker_desktop.services.invoicing.stripe_state import apply_remote
from tracker_desktop.stripe_gateway import StripeGateway, idempotency_key

# A run is a few requests of up to ~95 s each (timeouts and retries): no heartbeat needed.
LEASE_FOR = dt.timedelta(minutes=6)
BUSY = "This credit note is being sent from another window or computer; wait for it."
STEP = "create-credit-note"
LINES_UNKNOWN = (
    "Stripe's lines of this invoice do not match the ones kept here (it was made in Stripe); "
    "credit the whole invoice instead."
)


class CreditRun:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        gateway: StripeGateway,
        profile_id: int,
        note_id: int,
        clock: Callable[[], dt.datetime],
    ) -> None:
        self._sessions = sessions
        self._gw = gateway
        self._profile_id = profile_id
        self._note_id = note_id
        self._clock = clock
        self._owner = push_lease.new_owner()

    async def run(self, *, resumed: bool) -> None:
        self._take()
        try:
            await self._send(resumed)
        except InvalidRequest as exc:
            self._end(CreditNoteState.REFUSED, str(exc))
            raise
        except GatewayError as exc:
            self._end(CreditNoteState.PENDING, str(exc))
            raise
        finally:
            self._release()

    def _load(self, session: Session) -> CreditNote:
        note = get_credit_note(session, self._profile_id, self._note_id)
        if note is None:
            raise ActionNotAllowed("That credit note no longer exists.", action="credit_note")
        return note

    def _take(self) -> None:
        now = self._clock()
        with session_scope(self._sessions, write=True) as session:
            note = self._load(session)
            if note.state != CreditNoteState.PENDING:
                raise ActionNotAllowed("This credit note was settled already.", "credit_note")
            held = note.run_owner
            live = (
                held is not None
                and note.run_lease_until is not None
                and note.run_lease_until > now
                and not push_lease.owner_is_dead(held)
            )
            if live:
                raise ActionNotAllowed(BUSY, action="credit_note")
            same = CreditNote.run_owner.is_(None) if held is None else CreditNote.run_owner == held
            taken = session.execute(
                update(CreditNote)
                .where(CreditNote.id == note.id, same)
                .values(run_owner=self._owner, run_lease_until=now + LEASE_FOR)
                .execution_options(synchronize_session=False)
            )
            if taken.rowcount != 1:  # type: ignore[attr-defined]
                raise ActionNotAllowed(BUSY, action="credit_note")

    def _release(self) -> None:
        with session_scope(self._sessions, write=True) as session:
            session.execute(
                update(CreditNote)
                .where(CreditNote.id == self._note_id, CreditNote.run_owner == self._owner)
                .values(run_owner=None, run_lease_until=None)
                .execution_options(synchronize_session=False)
            )

    def _end(self, state: CreditNoteState, reason: str) -> None:
        with session_scope(self._sessions, write=True) as session:
            note = self._load(session)
            if note.state == CreditNoteState.PENDING and note.run_owner == self._owner:
                note.state = state
                note.last_error = reason

    async def _send(self, resumed: bool) -> None:
        with self._sessions() as session:
            note = self._load(session)
            invoice = load_invoice(session, self._profile_id, note.invoice_id)
            stripe_invoice = invoice.stripe_invoice_id
            uuid, currency = note.uuid, note.currency
            asked = json.loads(note.request_json)
            positions = sorted(ln.position for ln in invoice.lines)
        assert stripe_invoice is not None  # only a finalized invoice gets a credit note
        made: StripeCreditNote | None = None
        if resumed:
            # The earlier run's POST may have reached Stripe: find that one first.
            for found in await self._gw.list_credit_notes(stripe_invoice):
                if found.metadata.get(credit_apply.NOTE_KEY) == uuid:
                    made = found
        if made is None:
            draft = await self._draft(stripe_invoice, uuid, currency, asked, positions)
            made = await self._gw.create_credit_note(
                draft, idempotency_key=idempotency_key(uuid, STEP)
            )
        fetched_at = self._clock()
        remote_invoice = await self._gw.retrieve_invoice(stripe_invoice)
        with session_scope(self._sessions, write=True) as session:
            note = self._load(session)
            invoice = load_invoice(session, self._profile_id, note.invoice_id)
            apply_remote(session, invoice, remote_invoice, self._clock(), fetched_at=fetched_at)
            credit_apply.record_issued(session, note, invoice, made)

    async def _draft(
        self,
        stripe_invoice: str,
        uuid: str,
        currency: str,
        asked: dict[str, object],
        positions: list[int],
    ) -> CreditNoteDraft:
        def money(key: str) -> Money | None:
            value = asked.get(key)
            return Money(value, currency) if isinstance(value, int) and value else None

        lines: tuple[CreditLineDraft, ...] = ()
        per_line = asked.get("lines")
        if isinstance(per_line, list) and per_line:
            remote_lines = await self._gw.list_invoice_lines(stripe_invoice)
            if len(remote_lines) != len(positions):
                raise InvalidRequest(LINES_UNKNOWN, param="lines")
            ids = {pos: rl.id for pos, rl in zip(positions, remote_lines, strict=True)}
            lines = tuple(
                CreditLineDraft(
                    invoice_line_id=ids[int(ln["position"])],
                    amount=Money(int(ln["amount"]), currency),
                )
                for ln in per_line
            )
        return CreditNoteDraft(
            invoice_id=stripe_invoice,
            currency=currency,
            lines=lines,
            amount=None if lines else money("total"),
            reason=str(asked.get("reason") or "") or None,
            memo=str(asked.get("memo") or "") or None,
            refund=money("refund"),
            out_of_band=money("out_of_band"),
            metadata={credit_apply.NOTE_KEY: uuid},
        )
