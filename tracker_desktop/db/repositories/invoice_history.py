"""The invoice history: filtered by the status a dealer sees (Overdue, Processing... are
derived, so they are conditions, not a column), searched, sorted by any column, paged.

Search runs on the folded columns of db/search_text. On SQLite a word of three characters
or more is looked up in the FTS5 trigram index `invoice_search` (migration 0003); shorter
words, and a database without that index, scan the folded columns with LIKE. PostgreSQL
uses LIKE throughout, which pg_trgm's GIN indexes serve. Either way every word must occur
somewhere in the invoice, in any case and with or without accents.
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
    column,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.orm import Session, selectinload

from tracker_desktop.db.models import Invoice, InvoiceLine, UTCDateTime, Watch
from tracker_desktop.db.repositories.paging import ESCAPE, contains_pattern
from tracker_desktop.db.search_text import SEARCH_INDEX, fold
from tracker_desktop.domain.invoice_state import DisplayKind

_PLAIN = {
    "draft": "local_draft",
    "sending": "pushing",
    "push_failed": "push_failed",
    "paid": "paid",
    "void": "void",
    "uncollectible": "uncollectible",
}
_SEARCH_TABLE = table(SEARCH_INDEX, column("rowid"))
_TRIGRAM = 3  # the index knows strings of three characters or more
MAX_ROWS = 5000  # one read at most; the window reads 200 at a time
# Above this many index matches a page is found by scanning in the page's order instead
# (see _search_condition): at 100,000 invoices 5% match, so a page is ~4,000 rows in.
DENSE = 5_000
SORT_KEYS = ("number", "client", "total", "status", "due", "created", "synced")
_NEVER = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)


def display_condition(kind: str, now: dt.datetime) -> ColumnElement[bool]:
    """SQL for one DisplayKind value, with the precedence of domain.display_status."""
    if kind in _PLAIN:
        return Invoice.state == _PLAIN[kind]
    is_open = Invoice.state == "open"
    quiet = and_(is_open, Invoice.payment_processing.is_(False))
    no_failure = Invoice.payment_failed_message.is_(None)
    if kind == "processing":
        return and_(is_open, Invoice.payment_processing.is_(True))
    if kind == "payment_failed":
        return and_(quiet, Invoice.payment_failed_message.is_not(None))
    # COALESCE keeps a due date as "never" when there is none, and keeps the database from
    # reading these through the due-date index: by state, open invoices are few.
    due = func.coalesce(Invoice.due_at, literal(_NEVER, UTCDateTime()))
    if kind == "overdue":
        return and_(quiet, no_failure, due < now)
    if kind == "open":
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
    search = _search_condition(session, query.text, query.serial, counting=counting)
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
    if query.descending:
        return stmt.order_by(*(k.desc().nulls_last() for k in keys))
    return stmt.order_by(*(k.asc().nulls_first() for k in keys))


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


# -- search -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Search:
    condition: ColumnElement[bool]
    drive: bool  # matches come from the index, and are few: start the query from them


def _search_condition(
    session: Session, text: str, serial: str, *, counting: bool
) -> _Search | None:
    """Every word of `text` in any searched field, and `serial` in a serial; None if both
    are empty."""
    terms = [_Term(word, serial_only=False) for word in fold(text).split()]
    if fold(serial).strip():
        terms.append(_Term(fold(serial).strip(), serial_only=True))
    if not terms:
        return None
    indexed = _has_trigram_index(session)
    looked_up = [t for t in terms if indexed and len(t.needle) >= _TRIGRAM]
    conditions = [t.scan() for t in terms if t not in looked_up]
    drive = False
    if looked_up:
        expression = " AND ".join(t.fts() for t in looked_up)
        if not counting and _matches_more_than(session, expression, DENSE):
            # Common words: the index would hand back much of the history, while a scan
            # in the page's order stops after one page of matches.
            conditions.extend(t.scan() for t in looked_up)
        else:
            hits = select(_SEARCH_TABLE.c.rowid).where(_match(expression))
            conditions.append(Invoice.id.in_(hits))
            drive = True
    return _Search(and_(*conditions), drive)


@dataclass(frozen=True, slots=True)
class _Term:
    needle: str  # folded
    serial_only: bool

    def scan(self) -> ColumnElement[bool]:
        pattern = contains_pattern(self.needle)
        in_serials = Invoice.search_serials.like(pattern, escape=ESCAPE)
        if self.serial_only:
            return in_serials
        return or_(Invoice.search_text.like(pattern, escape=ESCAPE), in_serials)

    def fts(self) -> str:
        # A quoted FTS5 string; with the trigram tokenizer, a substring match.
        phrase = '"' + self.needle.replace('"', '""') + '"'
        return f"search_serials : {phrase}" if self.serial_only else phrase


def _match(expression: str) -> ColumnElement[bool]:
    return literal_column(SEARCH_INDEX).op("MATCH")(expression)


def _matches_more_than(session: Session, expression: str, many: int) -> bool:
    # The index yields matches as it finds them: this stops at match number `many` + 1.
    probe = select(_SEARCH_TABLE.c.rowid).where(_match(expression)).offset(many).limit(1)
    return session.execute(probe).first() is not None


def _has_trigram_index(session: Session) -> bool:
    """Whether this SQLite database has the trigram index (SQLite older than 3.34, or one
    built without FTS5, has none). Remembered per connection."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return False
    info = connection.info
    if SEARCH_INDEX not in info:
        found = connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (SEARCH_INDEX,)
        ).first()
        info[SEARCH_INDEX] = found is not None
    return bool(info[SEARCH_INDEX])
