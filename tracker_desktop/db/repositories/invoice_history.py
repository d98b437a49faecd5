"""The invoice history: filtered by the status a dealer sees (Overdue, Processing... are
derived, so they are conditions, not a column), searched, sorted by any column, paged.

Search runs on the folded columns of db/search_text (history_search: the trigram index, or
a scan).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    false,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session, selectinload

from tracker_desktop.db.column_types import UTCDateTime
from tracker_desktop.db.models import Invoice, InvoiceLine, Watch
from tracker_desktop.db.repositories.history_search import search_condition
from tracker_desktop.domain.invoice_state import DisplayKind, InvoiceState

_PLAIN: dict[DisplayKind, InvoiceState] = {
    DisplayKind.DRAFT: InvoiceState.LOCAL_DRAFT,
    DisplayKind.SENDING: InvoiceState.PUSHING,
    DisplayKind.PUSH_FAILED: InvoiceState.PUSH_FAILED,
    DisplayKind.PAID: InvoiceState.PAID,
    DisplayKind.VOID: InvoiceState.VOID,
    DisplayKind.UNCOLLECTIBLE: InvoiceState.UNCOLLECTIBLE,
}
MAX_ROWS = 5000  # one read at most; the window reads 200 at a time
SORT_KEYS = ("number", "client", "total", "status", "due", "created", "synced")
_NEVER = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)


def display_condition(shown: DisplayKind | str, now: dt.datetime) -> ColumnElement[bool]:
    """SQL for one DisplayKind, with the precedence of domain.display_status."""
    try:
        kind = DisplayKind(shown)
    except ValueError:
        return false()
    if kind in _PLAIN:
        return Invoice.state == _PLAIN[kind]
    is_open = Invoice.state == InvoiceState.OPEN
    quiet = and_(is_open, Invoice.payment_processing.is_(False))
    no_failure = Invoice.payment_failed_message.is_(None)
    if kind is DisplayKind.PROCESSING:
        return and_(is_open, Invoice.payment_processing.is_(True))
    if kind is DisplayKind.PAYMENT_FAILED:
        return and_(quiet, Invoice.payment_failed_message.is_not(None))
    # COALESCE keeps a due date as "never" when there is none, and keeps the database from
    # reading these through the due-date index: by state, open invoices are few.
    due = func.coalesce(Invoice.due_at, literal(_NEVER, UTCDateTime()))
    if kind is DisplayKind.OVERDUE:
        return and_(quiet, no_failure, due < now)
    if kind is DisplayKind.OPEN:
        return and_(quiet, no_failure, due >= now)
    return false()


@dataclass(frozen=True, slots=True)
class HistoryQuery:
    """What the history shows: the filters, and the order (a SORT_KEYS name)."""

    profile_id: int
    now: dt.datetime
    kinds: Sequence[str] = ()
    created_from: dt.datetime | None = None
    created_before: dt.datetime | None = None
    contact_id: int | None = None
    serial: str = ""
    text: str = ""
    sort: str = "created"
    descending: bool = True


def history_query(session: Session, query: HistoryQuery, *, counting: bool = False) -> Select[int]:
    """The ids of the filtered invoices, unordered (`page_ids` orders them). Narrow on purpose: the
    database sorts ids and sort keys, not whole rows, and `records` reads one page.
    `counting`: the statement will count every match rather than read one page."""
    search = search_condition(session, query.text, query.serial, counting=counting)
    profile = Invoice.profile_id == query.profile_id
    if search is not None and search.drive:
        # Few matches, found by the index: the database is to start from them. Without
        # statistics SQLite would rather walk the whole profile in the page's order, since
        # `profile_id = ?` looks selective to it; `+ 0` keeps it off the profile's indexes.
        profile = Invoice.profile_id + 0 == query.profile_id
    stmt = select(Invoice.id).where(profile)
    if query.kinds:
        stmt = stmt.where(or_(*(display_condition(k, query.now) for k in query.kinds)))
    if query.created_from is not None:
        stmt = stmt.where(Invoice.created_at >= query.created_from)
    if query.created_before is not None:
        stmt = stmt.where(Invoice.created_at < query.created_before)
    if query.contact_id is not None:
        stmt = stmt.where(Invoice.contact_id == query.contact_id)
    if search is not None:
        stmt = stmt.where(search.condition)
    return stmt


def _ordered(stmt: Select[int], query: HistoryQuery) -> Select[int]:
    """Sorted by the query's column, the id breaking ties in the same direction: a total
    order, so offset paging never skips or repeats a row. Empty values sort first going up
    and last going down, the same on SQLite and PostgreSQL."""
    keys = [*_sort_columns(query.sort), Invoice.id]
    return stmt.order_by(*(_direction(k, query.descending) for k in keys))


def _direction(key: Any, descending: bool) -> Any:
    ordered = key.desc() if descending else key.asc()
    if not key.expression.nullable:
        # No NULLS clause on a column that is never empty: PostgreSQL reads an index in
        # NULLS LAST order going up and NULLS FIRST going down only, and with any other
        # clause it sorts every match instead of reading the first page off the index.
        return ordered
    return ordered.nulls_last() if descending else ordered.nulls_first()


def page_ids(
    session: Session, stmt: Select[int], query: HistoryQuery, *, offset: int, limit: int
) -> tuple[list[int], bool]:
    """One page of the history's ids in the query's order, and whether more follow. `stmt`
    is `history_query`'s."""
    offset, limit = max(offset, 0), min(max(limit, 1), MAX_ROWS)
    if query.sort == "status":
        ids = _by_status(session, stmt, query, offset, limit + 1)
    else:
        ids = list(session.scalars(_ordered(stmt, query).offset(offset).limit(limit + 1)))
    return ids[:limit], len(ids) > limit


def _by_status(
    session: Session, stmt: Select[int], query: HistoryQuery, offset: int, wanted: int
) -> list[int]:
    # The shown status is derived: sorting by it in one statement would rank every row.
    # Instead each status is read in turn (DisplayKind's order: Draft ... Open, Overdue ...
    # Paid, Void), by id within it, through the states' index.
    kinds = list(DisplayKind)[:: -1 if query.descending else 1]
    by_id = Invoice.id.desc() if query.descending else Invoice.id.asc()
    found: list[int] = []
    for kind in kinds:
        group = stmt.where(display_condition(kind.value, query.now))
        if offset:
            size = history_count(session, group)
            if offset >= size:
                offset -= size
                continue
        page = group.order_by(by_id).offset(offset).limit(wanted - len(found))
        found.extend(session.scalars(page))
        offset = 0
        if len(found) >= wanted:
            break
    return found


def history_count(session: Session, stmt: Select[int]) -> int:
    counted = select(func.count()).select_from(stmt.order_by(None).subquery())
    return int(session.scalar(counted) or 0)


@dataclass(frozen=True, slots=True)
class HistoryRecord:
    """What one history line shows, read without building ORM objects."""

    id: int
    number: str | None
    customer_name: str
    currency: str
    total_minor: int
    state: str
    due_at: dt.datetime | None
    payment_processing: bool
    payment_failed_message: str | None
    created_at: dt.datetime
    last_synced_at: dt.datetime | None
    serials: tuple[str, ...]


_RECORD_COLUMNS = (
    Invoice.id,
    Invoice.number,
    Invoice.customer_name,
    Invoice.currency,
    Invoice.total_minor,
    Invoice.state,
    Invoice.due_at,
    Invoice.payment_processing,
    Invoice.payment_failed_message,
    Invoice.created_at,
    Invoice.last_synced_at,
)


def records(session: Session, ids: Sequence[int]) -> list[HistoryRecord]:
    """The history lines of `ids`, in that order, with the serials of their watches."""
    if not ids:
        return []
    connection = session.connection()  # plain rows: no ORM objects to build
    serials: dict[int, list[str]] = {}
    on_lines = (
        select(InvoiceLine.invoice_id, Watch.serial)
        .join(Watch, Watch.id == InvoiceLine.watch_id)
        .where(InvoiceLine.invoice_id.in_(ids))
        .order_by(InvoiceLine.invoice_id, InvoiceLine.position)
    )
    for invoice_id, serial in connection.execute(on_lines).all():
        serials.setdefault(invoice_id, []).append(serial)
    found = {
        row[0]: HistoryRecord(*row, serials=tuple(serials.get(row[0], ())))
        for row in connection.execute(select(*_RECORD_COLUMNS).where(Invoice.id.in_(ids))).all()
    }
    return [found[i] for i in ids if i in found]


def invoices(session: Session, ids: Sequence[int]) -> list[Invoice]:
    """Whole invoices with their lines, in the order of `ids` (for the CSV export)."""
    if not ids:
        return []
    loaded = session.scalars(
        select(Invoice).options(selectinload(Invoice.lines)).where(Invoice.id.in_(ids))
    )
    by_id = {inv.id: inv for inv in loaded}
    return [by_id[i] for i in ids if i in by_id]


def serials_by_watch(session: Session, watch_ids: set[int]) -> dict[int, str]:
    if not watch_ids:
        return {}
    rows = session.execute(select(Watch.id, Watch.serial).where(Watch.id.in_(watch_ids)))
    return {row.id: row.serial for row in rows}


# -- order --------------------------------------------------------------------------------


def _sort_columns(key: str) -> list[Any]:  # columns and expressions
    if key == "number":
        return [Invoice.number]
    if key == "client":
        return [Invoice.customer_name]
    if key == "total":  # amounts compare within a currency only
        return [Invoice.currency, Invoice.total_minor]
    if key == "due":
        return [Invoice.due_at]
    if key == "synced":
        return [Invoice.last_synced_at]
    if key == "created":
        return [Invoice.created_at]
    raise ValueError(f"unknown sort key {key!r}; expected one of {SORT_KEYS}")
