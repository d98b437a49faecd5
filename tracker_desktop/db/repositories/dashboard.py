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
from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, literal, select
from sqlalchemy.orm import Session

from tracker_desktop.db.column_types import UTCDateTime
from tracker_desktop.db.models import Invoice, InvoiceLine, Watch
from tracker_desktop.db.repositories.invoice_history import display_condition
from tracker_desktop.domain.invoice_state import DisplayKind, InvoiceState

_NEVER = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)
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


@dataclass(frozen=True, slots=True)
class ClientSum:
    contact_id: int | None  # None: a one-off buyer, known by name only
    name: str
    currency: str
    minor: int
    count: int


@dataclass(frozen=True, slots=True)
class BrandSum:
    brand: str
    currency: str
    watches: int
    minor: int


def _at(moment: dt.datetime) -> ColumnElement[dt.datetime]:
    return literal(moment, UTCDateTime())


def _month_of(starts: Sequence[dt.datetime]) -> ColumnElement[int]:
    """The index of the month an invoice was made in (only asked within starts[0]..[-1])."""
    whens = [(Invoice.created_at < _at(end), index) for index, end in enumerate(starts[1:])]
    return case(*whens, else_=len(starts) - 1)


def _paid_within(
    profile_id: int, start: dt.datetime, end: dt.datetime
) -> list[ColumnElement[bool]]:
    return [
        Invoice.profile_id == profile_id,
        Invoice.state == InvoiceState.PAID,
        Invoice.created_at >= _at(start),
        Invoice.created_at < _at(end),
    ]


def paid_by_month(
    session: Session, profile_id: int, starts: Sequence[dt.datetime]
) -> list[MonthSum]:
    """Paid invoices' totals per month of `starts` (all but the last, which ends the range)."""
    # Grouped outside a subquery: PostgreSQL does not see that a CASE with bound parameters
    # in the select list is the one in GROUP BY.
    rows = (
        select(_month_of(starts).label("month"), Invoice.currency, Invoice.total_minor)
        .where(*_paid_within(profile_id, starts[0], starts[-1]))
        .subquery()
    )
    stmt = select(
        rows.c.month, rows.c.currency, func.sum(rows.c.total_minor), func.count()
    ).group_by(rows.c.month, rows.c.currency)
    return [MonthSum(int(m), c, int(s), int(n)) for m, c, s, n in session.execute(stmt)]


def _watch_lines(
    profile_id: int, start: dt.datetime, end: dt.datetime
) -> list[ColumnElement[bool]]:
    # A margin is only worked out where the cost is known in the sale's own currency.
    return [
        *_paid_within(profile_id, start, end),
        Watch.purchase_cost_minor.is_not(None),
        Watch.currency == Invoice.currency,
    ]


def margin_by_month(
    session: Session, profile_id: int, starts: Sequence[dt.datetime]
) -> list[MarginSum]:
    """Paid watch lines less their purchase cost, per month and currency."""
    rows = (
        select(
            _month_of(starts).label("month"),
            Invoice.currency,
            Invoice.id.label("invoice_id"),
            (InvoiceLine.quantity * InvoiceLine.unit_amount_minor).label("sold"),
            Watch.purchase_cost_minor.label("cost"),
        )
        .join(InvoiceLine, InvoiceLine.invoice_id == Invoice.id)
        .join(Watch, Watch.id == InvoiceLine.watch_id)
        .where(*_watch_lines(profile_id, starts[0], starts[-1]))
        .subquery()
    )
    stmt = select(
        rows.c.month,
        rows.c.currency,
        func.sum(rows.c.sold),
        func.sum(rows.c.cost),
        func.count(func.distinct(rows.c.invoice_id)),
    ).group_by(rows.c.month, rows.c.currency)
    return [MarginSum(int(m), c, int(s), int(k), int(n)) for m, c, s, k, n in session.execute(stmt)]


def margin_by_sale(
    session: Session, profile_id: int, start: dt.datetime, end: dt.datetime, limit: int = 10
) -> list[SaleMargin]:
    """The newest paid sales of the range with their watches' margin."""
    sold = func.sum(InvoiceLine.quantity * InvoiceLine.unit_amount_minor)
    stmt = (
        select(
            Invoice.id,
            Invoice.number,
            Invoice.customer_name,
            Invoice.currency,
            sold,
            func.sum(Watch.purchase_cost_minor),
        )
        .join(InvoiceLine, InvoiceLine.invoice_id == Invoice.id)
        .join(Watch, Watch.id == InvoiceLine.watch_id)
        .where(*_watch_lines(profile_id, start, end))
        .group_by(Invoice.id, Invoice.number, Invoice.customer_name, Invoice.currency)
        .order_by(Invoice.created_at.desc(), Invoice.id.desc())
        .limit(limit)
    )
    return [
        SaleMargin(i, num, name, c, int(s or 0), int(k or 0))
        for i, num, name, c, s, k in session.execute(stmt)
    ]


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
        .order_by(func.coalesce(Invoice.due_at, _at(_NEVER)), Invoice.id)
        .limit(limit)
    )
    return [OpenInvoice(*row) for row in session.execute(stmt)]


def clients_paid(
    session: Session, profile_id: int, start: dt.datetime, end: dt.datetime
) -> list[ClientSum]:
    """Paid totals per client and currency; a one-off buyer (no client) by name."""
    one_off = case((Invoice.contact_id.is_(None), Invoice.customer_name))
    stmt = (
        select(
            Invoice.contact_id,
            func.max(Invoice.customer_name),
            Invoice.currency,
            func.sum(Invoice.total_minor),
            func.count(),
        )
        .where(*_paid_within(profile_id, start, end))
        .group_by(Invoice.contact_id, one_off, Invoice.currency)
    )
    return [ClientSum(i, name, c, int(s), int(n)) for i, name, c, s, n in session.execute(stmt)]


def brands_sold(
    session: Session, profile_id: int, start: dt.datetime, end: dt.datetime
) -> list[BrandSum]:
    """Watches sold on paid invoices per brand and currency, with their lines' amounts."""
    stmt = (
        select(
            Watch.brand,
            Invoice.currency,
            func.count(InvoiceLine.id),
            func.sum(InvoiceLine.quantity * InvoiceLine.unit_amount_minor),
        )
        .join(InvoiceLine, InvoiceLine.invoice_id == Invoice.id)
        .join(Watch, Watch.id == InvoiceLine.watch_id)
        .where(*_paid_within(profile_id, start, end))
        .group_by(Watch.brand, Invoice.currency)
    )
    return [BrandSum(b, c, int(n), int(s)) for b, c, n, s in session.execute(stmt)]
