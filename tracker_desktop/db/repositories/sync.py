"""Poller bookkeeping: event ids already applied, and where polling stopped, per profile."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tracker_desktop.db.models import ProcessedStripeEvent, SyncState, utcnow
from tracker_desktop.db.repositories._insert import insert_ignore


def mark_processed(session: Session, profile_id: int, event_id: str, event_created: int) -> bool:
    """Record an event as applied. False if it already was (another poll got there first)."""
    return insert_ignore(
        session,
        ProcessedStripeEvent.__table__,  # type: ignore[arg-type]
        {
            "profile_id": profile_id,
            "event_id": event_id,
            "event_created": event_created,
            "processed_at": utcnow(),
        },
    )


def processed_ids(session: Session, profile_id: int, event_ids: Collection[str]) -> set[str]:
    """Which of `event_ids` were applied already: one query for a whole page of events."""
    if not event_ids:
        return set()
    return set(
        session.scalars(
            select(ProcessedStripeEvent.event_id).where(
                ProcessedStripeEvent.profile_id == profile_id,
                ProcessedStripeEvent.event_id.in_(list(event_ids)),
            )
        )
    )


def prune_processed(session: Session, profile_id: int, created_before: int) -> int:
    """Forget ids of events older than `created_before` (Unix time): Stripe keeps events
    30 days, so older ones can never be listed again. Returns how many were dropped."""
    result = session.execute(
        delete(ProcessedStripeEvent).where(
            ProcessedStripeEvent.profile_id == profile_id,
            ProcessedStripeEvent.event_created < created_before,
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def get_sync_state(session: Session, profile_id: int) -> SyncState:
    """The profile's polling state, made empty on first use. Change its fields in place."""
    insert_ignore(
        session,
        SyncState.__table__,  # type: ignore[arg-type]
        {"profile_id": profile_id},
    )
    state = session.get(SyncState, profile_id, populate_existing=True)
    assert state is not None
    return state
