"""Credit notes of one profile: find by id, by Stripe's id, by our uuid; the pending ones.

Like every repository: scoped by profile id, never commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker_desktop.db.credit_models import CreditNote
from tracker_desktop.domain.stripe_types import CREDIT_NOTE_ISSUED, CREDIT_NOTE_VOID

PENDING = "pending"


def get_credit_note(session: Session, profile_id: int, credit_note_id: int) -> CreditNote | None:
    note = session.get(CreditNote, credit_note_id, populate_existing=True)
    return note if note is not None and note.profile_id == profile_id else None


def by_stripe_id(session: Session, profile_id: int, stripe_id: str) -> CreditNote | None:
    return session.scalar(
        select(CreditNote).where(
            CreditNote.profile_id == profile_id, CreditNote.stripe_credit_note_id == stripe_id
        )
    )


def by_uuid(session: Session, profile_id: int, uuid: str) -> CreditNote | None:
    return session.scalar(
        select(CreditNote).where(CreditNote.profile_id == profile_id, CreditNote.uuid == uuid)
    )


def pending_for_invoice(session: Session, profile_id: int, invoice_id: int) -> CreditNote | None:
    """The credit note asked for and not yet confirmed by Stripe, if any (one at a time)."""
    return session.scalar(
        select(CreditNote)
        .where(
            CreditNote.profile_id == profile_id,
            CreditNote.invoice_id == invoice_id,
            CreditNote.state == PENDING,
        )
        .order_by(CreditNote.id)
        .limit(1)
    )


def pending_ids(session: Session, profile_id: int) -> list[int]:
    return list(
        session.scalars(
            select(CreditNote.id).where(
                CreditNote.profile_id == profile_id, CreditNote.state == PENDING
            )
        )
    )


def without_pdf(session: Session, profile_id: int, limit: int) -> list[int]:
    """Issued credit notes whose PDF is not kept yet, newest first."""
    return list(
        session.scalars(
            select(CreditNote.id)
            .where(
                CreditNote.profile_id == profile_id,
                CreditNote.state.in_((CREDIT_NOTE_ISSUED, CREDIT_NOTE_VOID)),
                CreditNote.pdf_url.is_not(None),
                CreditNote.pdf_path.is_(None),
            )
            .order_by(CreditNote.id.desc())
            .limit(limit)
        )
    )
