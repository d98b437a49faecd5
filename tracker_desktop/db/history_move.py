"""Moving a single computer's SQLite history into an empty shared PostgreSQL database.

Both databases are brought to this app's schema first (db.migrate). Every table is copied in
foreign-key order with its ids, so links between records stay as they were, in batches in
one transaction on the server; the SQLite file is only read. The server's id sequences are
then moved past the copied ids, and every table is read back from both sides in id order
and compared row for row: any difference rolls the copy back; the server's statistics are
then brought up to date. A server that already holds
a profile is refused, so nothing is ever mixed into another shop's history.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Row, Table, func, insert, select, text

from tracker_desktop.db.models import Base, Profile
from tracker_desktop.domain.errors import DatabaseProblem

BATCH = 2_000


@dataclass(frozen=True, slots=True)
class MoveReport:
    rows: dict[str, int]  # table name -> rows copied and found equal

    def __str__(self) -> str:
        return ", ".join(f"{n} {table}" for table, n in self.rows.items() if n)


def move_history(source: Engine, target: Engine) -> MoveReport:
    """Copy everything in `source` (SQLite) into `target` (an empty PostgreSQL database at
    head) and check it. Raises DatabaseProblem, with nothing written, when the server already
    has a history or the copy is not equal."""
    tables = list(Base.metadata.sorted_tables)
    with source.connect() as read, target.begin() as write:
        if write.scalar(select(func.count()).select_from(Profile.__table__)):
            raise DatabaseProblem(
                "The shared database already holds a history, so this computer's was not "
                "moved into it. Nothing was changed on either side."
            )
        copied = {table.name: _copy(read, write, table) for table in tables}
        for table in tables:
            _advance_sequence(write, table)
        for table in tables:
            different = _first_difference(read, write, table)
            if different is not None:
                raise DatabaseProblem(
                    f"The copy of {table.name} differs from this computer's at id "
                    f"{different}, so nothing was moved. This computer's file is unchanged."
                )
    refresh_statistics(target, [t.name for t in tables])
    return MoveReport(copied)


def refresh_statistics(target: Engine, tables: list[str]) -> None:
    """VACUUM (ANALYZE) the tables just filled. A history arrives in one go, long before
    autovacuum looks at it: without row counts the planner guesses how many invoices a
    search matches, and rows still in the GIN indexes' pending list are read one by one."""
    names = ", ".join(target.dialect.identifier_preparer.quote(name) for name in tables)
    with target.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"VACUUM (ANALYZE) {names}")


def _ordered(conn: Connection, table: Table) -> Iterator[Row[Any]]:
    return iter(conn.execute(select(table).order_by(*table.primary_key.columns)))


def _copy(read: Connection, write: Connection, table: Table) -> int:
    rows = _ordered(read, table)
    count = 0
    while batch := [dict(row._mapping) for row in itertools.islice(rows, BATCH)]:
        write.execute(insert(table), batch)
        count += len(batch)
    return count


def _advance_sequence(write: Connection, table: Table) -> None:
    """A copied id must never be handed out again by the server's sequence."""
    for column in table.primary_key.columns:
        if column.autoincrement is True or (
            column.autoincrement == "auto" and len(table.primary_key.columns) == 1
        ):
            if column.type.python_type is not int:
                continue
            sequence = write.scalar(
                text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name}
            )
            if sequence:
                write.execute(
                    text(
                        f"SELECT setval(:s, COALESCE((SELECT max({column.name}) "  # noqa: S608
                        f"FROM {table.name}), 0) + 1, false)"
                    ),
                    {"s": sequence},
                )


def _first_difference(read: Connection, write: Connection, table: Table) -> object | None:
    """The primary key of the first row that differs (or is missing on one side), or None."""
    for here, there in itertools.zip_longest(_ordered(read, table), _ordered(write, table)):
        if here is None or there is None or tuple(here) != tuple(there):
            row = here if here is not None else there
            assert row is not None
            return tuple(row._mapping[c.name] for c in table.primary_key.columns)
    return None
