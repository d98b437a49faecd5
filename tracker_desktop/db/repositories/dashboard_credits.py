"""What credit notes take off the Dashboard's sums: issued credit notes on paid invoices,
and the watch lines they returned to stock. Both are read from the credit notes' side (few
rows): joined from the invoices', SQLite would walk a year's invoices, and a filter on a
line's own columns in the main sums would read every line's row instead of the covering
index (dashboard.py)."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker_desktop.db.credit_models import CreditNote, CreditNoteLine
from tracker_desktop.db.models import Invoice, InvoiceLine, Watch
from tracker_desktop.db.repositories.dashboard_filters import paid_within
from tracker_desktop.domain.stripe_types import CREDIT_NOTE_ISSUED


class Credited(NamedTuple):
    created_at: dt.datetime  # the invoice's, which decides its month
    currency: str
    contact_id: int | None
    customer_name: str
    minor: int


class Returned(NamedTuple):
    created_at: dt.datetime
    watch_currency: str
    brand: str
    sold_minor: int
    cost_minor: int | None
    invoice_currency: str


def credited_on_paid(
    session: Session, profile_id: int, start: dt.datetime, end: dt.datetime
) -> list[Credited]:
    """The issued credit notes on paid invoices made in [start, end)."""
    rows = session.execute(
        select(
            Invoice.created_at,
            Invoice.currency,
            Invoice.contact_id,
            Invoice.customer_name,
            CreditNote.total_minor,
        )
        .select_from(CreditNote)
        .join(Invoice, Invoice.id == CreditNote.invoice_id)
        .where(CreditNote.profile_id == profile_id, CreditNote.state == CREDIT_NOTE_ISSUED)
        .where(*paid_within(profile_id, start, end))
    )
    return [Credited(t, c, who, name, int(minor)) for t, c, who, name, minor in rows]


def returned_watch_lines(
    session: Session, profile_id: int, start: dt.datetime, end: dt.datetime
) -> list[Returned]:
    """Watch lines of paid invoices made in [start, end) returned by an issued credit note."""
    rows = session.execute(
        select(
            Invoice.created_at,
            Watch.currency,
            Watch.brand,
            InvoiceLine.quantity * InvoiceLine.unit_amount_minor,
            Watch.purchase_cost_minor,
            Invoice.currency,
        )
        .select_from(CreditNoteLine)
        .join(CreditNote, CreditNote.id == CreditNoteLine.credit_note_id)
        .join(InvoiceLine, InvoiceLine.id == CreditNoteLine.invoice_line_id)
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .join(Watch, Watch.id == InvoiceLine.watch_id)
        .where(CreditNote.profile_id == profile_id, CreditNote.state == CREDIT_NOTE_ISSUED)
        .where(CreditNoteLine.restock.is_(True), *paid_within(profile_id, start, end))
    )
    return [Returned(t, c, b, int(sold), cost, into) for t, c, b, sold, cost, into in rows]


def month_of(starts: Sequence[dt.datetime], moment: dt.datetime) -> int:
    return bisect.bisect_right(list(starts), moment) - 1
