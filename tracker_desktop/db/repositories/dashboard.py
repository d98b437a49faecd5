"""The Dashboard's figures, summed in SQL per currency (never converted): paid sales by month,
margin over purchase cost, what is still owed, the best clients and brands.

Months are given as their first instants (`starts`, aware, ascending: the dealer's local
midnights); a month is "the invoice was made in it" (`created_at`), the same date the
Invoices window filters on, so a click on a month shows exactly the invoices it sums.
Plain SQL (CASE, SUM, COUNT, GROUP BY) that SQLite and PostgreSQL both run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import (
    ColumnElement,
    Integer,
    case,
    func,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from tracker_desktop.db.models import Invoice, InvoiceLine, Watch
from tracker_desktop.db.repositories.dashboard_credits import (
    credited_on_paid,
    month_of,
    returned_watch_lines,
)
from tracker_desktop.db.repositories.dashboard_filters import at, paid_within
from tracker_desktop.db.repositories.invoice_history import display_condition
from tracker_desktop.domain.invoice_state import DisplayKind, InvoiceState

_NEVER = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)
_LINES_READ_PER_SALE = 10
# What an open invoice is shown as, in domain.display_status's precedence.
RECEIVABLE_KINDS = (
    DisplayKind.PROCESSING,
    DisplayKind.PAYMENT_FAILED,
    DisplayKind.OVERDUE,
    DisplayKind.OPEN,
)


@dataclass(frozen=True, slots=True)
class MonthSum:
    month: int  # index into `starts`
    currency: str
    minor: int
    count: int


@dataclass(frozen=True, slots=True)
class MarginSum:
    month: int
    currency: str
    sold_minor: int  # the watch lines' amounts
    cost_minor: int  # those watches' purchase costs
    sales: int  # invoices


@dataclass(frozen=True, slots=True)
class SaleMargin:
    invoice_id: int
    number: str | None
    customer_name: str
    currency: str
    sold_minor: int
    cost_minor: int


@dataclass(frozen=True, slots=True)
class KindSum:
    kind: DisplayKind
    currency: str
    minor: int  # amount still owed
    count: int


@dataclass(frozen=True, slots=True)
class OpenInvoice:
    invoice_id: int
    number: str | None
    customer_name: str
    currency: str
    remaining_minor: int
    due_at: dt.datetime | None


def _month(index: int) -> ColumnElement[int]:
    return literal_column(str(int(index)), Integer).label("month")


def paid_by_month(
    session: Session, profile_id: int, starts: Sequence[dt.datetime]
) -> list[MonthSum]:
    """Paid invoices' totals per month of `starts` (all but the last, which ends the range),
    less their issued credit notes: a sale refunded in full adds nothing."""
    # One range scan of the covering index per month, UNION ALL: a CASE naming the month
    # of every row cost SQLite four times as much.
    months = [
        select(_month(i), Invoice.currency, func.sum(Invoice.total_minor), func.count())
        .where(*paid_within(profile_id, starts[i], starts[i + 1]))
        .group_by(Invoice.currency)
        for i in range(len(starts) - 1)
    ]
    stmt = union_all(*months)
    credited = _credited_by_month(session, profile_id, starts)
    return [
        MonthSum(int(m), c, int(s) - credited.get((int(m), c), 0), int(n))
        for m, c, s, n in session.execute(stmt)
    ]


def _credited_by_month(
    session: Session, profile_id: int, starts: Sequence[dt.datetime]
) -> dict[tuple[int, str], int]:
    """Issued credit notes on the paid invoices of each month, by the invoice's month."""
    out: dict[tuple[int, str], int] = {}
    for created, code, _contact, _name, minor in credited_on_paid(
        session, profile_id, starts[0], starts[-1]
    ):
        key = (month_of(starts, created), code)
        out[key] = out.get(key, 0) + int(minor)
    return out


def _watch_lines(
    profile_id: int, start: dt.datetime, end: dt.datetime
) -> list[ColumnElement[bool]]:
    # A margin is only worked out where the cost is known in the sale's own currency. A
    # watch returned by credit note was not sold: its line is taken off afterwards
    # (returned_watch_lines), as a filter here would read every line's row, not the index.
    return [
        *paid_within(profile_id, start, end),
        Watch.purchase_cost_minor.is_not(None),
        Watch.currency == Invoice.currency,
    ]


def margin_by_month(
    session: Session, profile_id: int, starts: Sequence[dt.datetime]
) -> list[MarginSum]:
    """Paid watch lines less their purchase cost, per month and currency."""
    months = [
        select(
            _month(i),
            Watch.currency,
            func.sum(InvoiceLine.quantity * InvoiceLine.unit_amount_minor),
            func.sum(Watch.purchase_cost_minor),
            func.count(func.distinct(Invoice.id)),
        )
        .join(InvoiceLine, InvoiceLine.invoice_id == Invoice.id)
        .join(Watch, Watch.id == InvoiceLine.watch_id)
        .where(*_watch_lines(profile_id, starts[i], starts[i + 1]))
        # By the watch's currency, the sale's own (see _watch_lines): grouped by the
        # invoice's, SQLite would walk the (profile, currency) index through every invoice.
        .group_by(Watch.currency)
        for i in range(len(starts) - 1)
    ]
    stmt = union_all(*months)
    returned: dict[tuple[int, str], tuple[int, int]] = {}
    for created, code, _brand, sold, cost, sold_in in returned_watch_lines(
        session, profile_id, starts[0], starts[-1]
    ):
        if cost is None or code != sold_in:
            continue  # never counted in the margin: nothing to take off
        key = (month_of(starts, created), code)
        was = returned.get(key, (0, 0))
        returned[key] = (was[0] + int(sold), was[1] + int(cost))
    out = []
    for m, c, s, k, n in session.execute(stmt):
        back_sold, back_cost = returned.get((int(m), c), (0, 0))
        out.append(MarginSum(int(m), c, int(s or 0) - back_sold, int(k or 0) - back_cost, int(n)))
    return out


def margin_by_sale(
    session: Session, profile_id: int, start: dt.datetime, end: dt.datetime, limit: int = 10
) -> list[SaleMargin]:
    """The newest paid sales of the range with their watches' margin."""
    # Lines newest first, stopping early, grouped here: grouping every sale of the year
    # first would read them all for ten.
    stmt = (
        select(
            Invoice.id,
            Invoice.number,
            Invoice.customer_name,
            Invoice.currency,
            InvoiceLine.quantity * InvoiceLine.unit_amount_minor,
            Watch.purchase_cost_minor,
        )
        .join(InvoiceLine, InvoiceLine.invoice_id == Invoice.id)
        .join(Watch, Watch.id == InvoiceLine.watch_id)
        .where(*_watch_lines(profile_id, start, end), InvoiceLine.restocked.is_(False))
        .order_by(Invoice.created_at.desc(), Invoice.id.desc())
        .limit(limit * _LINES_READ_PER_SALE)
    )
    sales: dict[int, SaleMargin] = {}
    rows = session.execute(stmt).all()
    for invoice_id, number, name, code, sold, cost in rows:
        seen = sales.get(invoice_id)
        if seen is None:
            sales[invoice_id] = SaleMargin(invoice_id, number, name, code, sold, cost or 0)
        else:
            sales[invoice_id] = replace(
                seen, sold_minor=seen.sold_minor + sold, cost_minor=seen.cost_minor + (cost or 0)
            )
    found = list(sales.values())
    if len(rows) == limit * _LINES_READ_PER_SALE:
        found = found[:-1]  # the last sale read may have more lines than were read
    return found[:limit]


def _kind_of_open(now: dt.datetime) -> ColumnElement[str]:
    return case(
        *((display_condition(kind, now), kind.value) for kind in RECEIVABLE_KINDS[:-1]),
        else_=DisplayKind.OPEN.value,
    )


def receivables(session: Session, profile_id: int, now: dt.datetime) -> list[KindSum]:
    """What open invoices still owe, per shown status (Overdue, Open...) and currency."""
    rows = (
        select(_kind_of_open(now).label("kind"), Invoice.currency, Invoice.amount_remaining_minor)
        .where(Invoice.profile_id == profile_id, Invoice.state == InvoiceState.OPEN)
        .subquery()
    )
    stmt = select(
        rows.c.kind, rows.c.currency, func.sum(rows.c.amount_remaining_minor), func.count()
    ).group_by(rows.c.kind, rows.c.currency)
    return [KindSum(DisplayKind(k), c, int(s), int(n)) for k, c, s, n in session.execute(stmt)]


def oldest_open(session: Session, profile_id: int, limit: int = 8) -> list[OpenInvoice]:
    """Open invoices, the longest due first (no due date last)."""
    stmt = (
        select(
            Invoice.id,
            Invoice.number,
            Invoice.customer_name,
            Invoice.currency,
            Invoice.amount_remaining_minor,
            Invoice.due_at,
        )
        .where(Invoice.profile_id == profile_id, Invoice.state == InvoiceState.OPEN)
        # COALESCE: no due date sorts last, and the database starts from the few open
        # invoices (the state index) rather than walking the due-date index through all.
        .order_by(func.coalesce(Invoice.due_at, at(_NEVER)), Invoice.id)
        .limit(limit)
    )
    return [OpenInvoice(*row) for row in session.execute(stmt)]
