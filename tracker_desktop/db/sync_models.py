"""The poller's own state per profile: where it stopped, and the events already applied."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tracker_desktop.db.models import Base, utcnow


class ProcessedStripeEvent(Base):
    """Event ids already applied, so an overlapping poll never applies one twice."""

    __tablename__ = "processed_stripe_events"
    # Pruning drops ids older than Stripe's 30-day event window, by creation time.
    __table_args__ = (
        Index("ix_processed_stripe_events_profile_created", "profile_id", "event_created"),
    )

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_created: Mapped[int] = mapped_column(BigInteger)
    processed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SyncState(Base):
    """Where polling stopped, per profile."""

    __tablename__ = "sync_state"

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True
    )
    events_cursor: Mapped[str | None] = mapped_column(String(64))
    cursor_created: Mapped[int | None] = mapped_column(BigInteger)
    last_poll_at: Mapped[dt.datetime | None] = mapped_column()
    last_reconcile_at: Mapped[dt.datetime | None] = mapped_column()
    customers_import_cursor: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(Text)
