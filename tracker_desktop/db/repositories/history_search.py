"""The history's search: every typed word must occur somewhere in the invoice (folded, so in
any case and with or without accents), the serial filter in one of its watches' serials.

On SQLite a word of three characters or more is looked up in the FTS5 trigram index
`invoice_search` (migration 0003) while it matches few invoices; shorter or commoner words,
and a database without that index, scan the folded columns with LIKE. PostgreSQL uses LIKE
throughout, which pg_trgm's GIN indexes serve.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, column, literal_column, or_, select, table
from sqlalchemy.orm import Session

from tracker_desktop.db.models import Invoice
from tracker_desktop.db.repositories.paging import ESCAPE, contains_pattern
from tracker_desktop.db.search_text import SEARCH_INDEX, fold

_SEARCH_TABLE = table(SEARCH_INDEX, column("rowid"))
_TRIGRAM = 3  # the index knows strings of three characters or more
# Above this many index matches a page is found by scanning in the page's order instead
# (see search_condition): at 100,000 invoices 5% match, so a page is ~4,000 rows in.
DENSE = 5_000


@dataclass(frozen=True, slots=True)
class Search:
    condition: ColumnElement[bool]
    drive: bool  # matches come from the index, and are few: start the query from them


def search_condition(session: Session, text: str, serial: str, *, counting: bool) -> Search | None:
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
    return Search(and_(*conditions), drive)


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
