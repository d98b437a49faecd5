"""What is worth telling the dealer about, read from the invoices' timelines: every way an
invoice is paid, fails a payment or falls overdue writes its timeline entry there
(services/invoicing/state_moves, services/sync/event_apply), so reading the entries after
the last one seen misses none and tells none twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker_desktop.db.models import Invoice, InvoiceEvent


@dataclass(frozen=True, slots=True)
class TimelineNotice:
    entry_id: int
    kind: str  # the timeline entry's kind
    occurred_at: dt.datetime
    detail: str
    invoice_id: int
    number: str | None
    customer_name: str
    currency: str
    paid_minor: int
    remaining_minor: int
    recorded_by_dealer: bool  # a wire the dealer recorded: not news to them


def last_entry_id(session: Session) -> int:
    return int(session.scalar(select(func.max(InvoiceEvent.id))) or 0)


def notices_after(
    session: Session, profile_id: int, after_id: int, kinds: Sequence[str]
) -> list[TimelineNotice]:
    """The profile's timeline entries of these kinds newer than `after_id`, in order."""
    stmt = (
        select(
            InvoiceEvent.id,
            InvoiceEvent.kind,
            InvoiceEvent.occurred_at,
            InvoiceEvent.detail,
            Invoice.id,
            Invoice.number,
            Invoice.customer_name,
            Invoice.currency,
            Invoice.amount_paid_minor,
            Invoice.amount_remaining_minor,
            Invoice.paid_out_of_band_note.is_not(None),
        )
        .join(Invoice, Invoice.id == InvoiceEvent.invoice_id)
        .where(
            InvoiceEvent.id > after_id,
            InvoiceEvent.kind.in_(kinds),
            Invoice.profile_id == profile_id,
        )
        .order_by(InvoiceEvent.id)
    )
    return [TimelineNotice(*row) for row in session.execute(stmt)]
