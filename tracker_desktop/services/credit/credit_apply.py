"""Recording what Stripe says about a credit note: shared by the dealer's run (its answer) and
the poller (credit_note.* events), so both write the same thing whichever comes first.

Recording is idempotent: a credit note already issued stays as it is, the timeline entry is
claimed by Stripe's event instead of written twice, a watch already back in stock stays so.
"""

from __future__ import annotations

import uuid as uuidlib

from sqlalchemy import update
from sqlalchemy.orm import Session

from tracker_desktop.db.credit_models import CreditNote, CreditNoteLine
from tracker_desktop.db.models import Invoice, Watch
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.stripe_types import CREDIT_NOTE_VOID, StripeCreditNote
from tracker_desktop.domain.watch_status import WatchStatus
from tracker_desktop.services.credit.values import CreditNoteState, CreditReason
from tracker_desktop.services.invoicing import state_moves

# Sent as the credit note's metadata: how a retry and the poller find the one Stripe made.
NOTE_KEY = "tracker_credit_note_id"
ISSUED_KIND = "credit_note"
VOIDED_KIND = "credit_note_voided"


def _major(minor: int, currency: str) -> str:
    return f"{currency} {format(Money(minor, currency).to_major(), 'f')}"


def describe(note: CreditNote) -> str:
    """One line for the timeline: number, amount, where the money went, Stripe's reason."""
    cur = note.currency
    parts = [note.number or "Credit note", _major(note.total_minor, cur)]
    if note.pre_payment_minor:
        parts.append(f"{_major(note.pre_payment_minor, cur)} off what was due")
    if note.refund_minor:
        parts.append(f"{_major(note.refund_minor, cur)} refunded to the payment")
    if note.out_of_band_minor:
        parts.append(f"{_major(note.out_of_band_minor, cur)} returned outside Stripe")
    if note.reason:
        parts.append(CreditReason(note.reason).words)
    return " · ".join(parts)


def record_issued(
    session: Session,
    note: CreditNote,
    invoice: Invoice,
    remote: StripeCreditNote,
    event_id: str | None = None,
) -> None:
    """Stripe issued `remote` for `note`: its numbers, the timeline, the watches back."""
    first = note.state != CreditNoteState.ISSUED and note.state != CreditNoteState.VOID
    note.stripe_credit_note_id = remote.id
    note.number = remote.number
    note.total_minor = remote.total
    note.pre_payment_minor = remote.pre_payment_amount
    note.post_payment_minor = remote.post_payment_amount
    note.refund_minor = remote.refund_amount
    note.out_of_band_minor = remote.out_of_band_amount
    note.pdf_url = remote.pdf or note.pdf_url
    note.issued_at = note.issued_at or remote.created
    note.last_error = None
    note.run_owner = None
    note.run_lease_until = None
    if first:
        note.state = CreditNoteState.ISSUED
    state_moves.add_timeline(
        session, invoice, ISSUED_KIND, remote.created, describe(note), event_id
    )
    if remote.status == CREDIT_NOTE_VOID:
        record_void(session, note, invoice, remote, None)
    restock(session, invoice, note)


def restock(session: Session, invoice: Invoice, note: CreditNote) -> None:
    """The watches of the lines this credit note returns go back in stock."""
    wanted = {ln.invoice_line_id for ln in note.lines if ln.restock}
    for line in invoice.lines:
        if line.id not in wanted or line.restocked or line.watch_id is None:
            continue
        line.restocked = True
        session.flush()
        other = state_moves.holder(
            session, invoice.profile_id, line.watch_id, except_invoice=invoice.id
        )
        if other is None:
            session.execute(
                update(Watch)
                .where(Watch.id == line.watch_id, Watch.profile_id == invoice.profile_id)
                .values(status=WatchStatus.IN_STOCK)
            )


def record_void(
    session: Session,
    note: CreditNote,
    invoice: Invoice,
    remote: StripeCreditNote,
    event_id: str | None,
) -> None:
    if note.state == CreditNoteState.VOID:
        return
    note.state = CreditNoteState.VOID
    note.voided_at = remote.voided_at
    when = remote.voided_at or remote.created
    state_moves.add_timeline(session, invoice, VOIDED_KIND, when, describe(note), event_id)


def record_foreign(
    session: Session, invoice: Invoice, remote: StripeCreditNote, event_id: str | None
) -> CreditNote:
    """A credit note made outside this app (Stripe's Dashboard): kept as Stripe has it."""
    note = CreditNote(
        uuid=str(uuidlib.uuid4()),
        profile_id=invoice.profile_id,
        invoice_id=invoice.id,
        state=CreditNoteState.PENDING,
        currency=invoice.currency,
        total_minor=remote.total,
        reason=remote.reason if remote.reason in set(CreditReason) else None,
        memo=remote.memo or "",
        created_at=remote.created,
        lines=[
            CreditNoteLine(position=i, description=ln.description or "", amount_minor=ln.amount)
            for i, ln in enumerate(remote.lines)
        ],
    )
    session.add(note)
    session.flush()
    record_issued(session, note, invoice, remote, event_id)
    return note


def settle_invoice_after_void(invoice: Invoice, amount_remaining: int) -> None:
    """A void credit note on an open invoice makes its amount due again. Applying a snapshot
    only ever lowers what is due (stripe_state), so the rise is taken here, where its cause
    is known."""
    invoice.amount_remaining_minor = max(invoice.amount_remaining_minor, amount_remaining)
