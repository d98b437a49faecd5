"""Which rows of a history belong to the profiles being moved, and how their ids change on
the way into the shared database (db.history_move).

Every table hangs from `profiles` by a chain of foreign keys that cannot be empty (a line by
its invoice, an invoice by its profile), so a row belongs to a moved profile when the row
that chain leads to does. Each table with an id of its own gets a map from this computer's
ids to the server's: the same ids into an empty server, new ones from the server's sequence
otherwise; every foreign key is then rewritten through the map of the table it points at.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Connection, Table, select, text

from tracker_desktop.db.models import Profile
from tracker_desktop.domain.errors import DatabaseProblem

Row = tuple[Any, ...]
PROFILES = Profile.__tablename__


@functools.cache  # asked for every row of every table: the schema does not change
def own_id(table: Table) -> Column[Any] | None:
    """The table's own integer id, handed out by a sequence (None: its key is a parent's)."""
    keys = list(table.primary_key.columns)
    if len(keys) == 1 and not keys[0].foreign_keys and keys[0].type.python_type is int:
        return keys[0]
    return None


@functools.cache
def owner(table: Table) -> Column[Any]:
    """The column that ties the table's rows to a profile: the profile's own id, the profile
    where the table names it, otherwise a parent that cannot be empty (a line's invoice)."""
    if table.name == PROFILES:
        return table.c.id
    required = [c for c in table.columns if c.foreign_keys and not c.nullable]
    for column in required:
        if _parent(column) == PROFILES:
            return column
    if not required:
        raise AssertionError(f"{table.name} does not hang from a profile")
    return required[0]


def _parent(column: Column[Any]) -> str:
    if not column.foreign_keys:  # the profiles' own id: a profile is its own owner
        return column.table.name
    return next(iter(column.foreign_keys)).column.table.name


@dataclass
class IdMaps:
    """This computer's ids -> the server's, per table with an id of its own."""

    keep_ids: bool
    maps: dict[str, dict[int, int]] = field(default_factory=dict)

    def owned(self, table: Table, row: Row) -> bool:
        """Does the row belong to what is moved (its owner was chosen and mapped)?"""
        if table.name == PROFILES:
            return True  # chosen by the query (ordered)
        column = owner(table)
        value = row[_index(table, column)]
        return value in self.maps.get(_parent(column), {})

    def assign(self, write: Connection, table: Table, rows: list[Row]) -> None:
        column = own_id(table)
        if column is None:
            return
        old = sorted(row[_index(table, column)] for row in rows)
        if self.keep_ids:
            self.maps[table.name] = {i: i for i in old}
            return
        new = sorted(_next_ids(write, table, column, len(old)))
        self.maps[table.name] = dict(zip(old, new, strict=True))

    def mapped(self, table: Table, row: Row) -> Row:
        """The row as it is written on the server: its id and every link rewritten."""
        values = list(row)
        for i, column in enumerate(table.columns):
            if values[i] is None:
                continue
            if column is own_id(table):
                values[i] = self.maps[table.name][values[i]]
            elif column.foreign_keys:
                target = self.maps.get(_parent(column), {})
                if values[i] not in target:  # a link to a row that is not moved with it
                    raise DatabaseProblem(
                        f"A row of {table.name} points at a {_parent(column)} row outside "
                        "the profile being moved, so nothing was moved. This computer's file "
                        "is unchanged."
                    )
                values[i] = target[values[i]]
        return tuple(values)

    def moved_on_server(self, table: Table, rows: Iterable[Row]) -> Iterator[Row]:
        """The server's rows that came from this move (found by their mapped owners)."""
        column = owner(table)
        index = _index(table, column)
        wanted = set(self.maps.get(_parent(column), {}).values())
        return (row for row in rows if row[index] in wanted)


@functools.cache
def _index(table: Table, column: Column[Any]) -> int:
    return list(table.columns).index(column)


def _next_ids(write: Connection, table: Table, column: Column[Any], count: int) -> list[int]:
    if not count:
        return []
    sequence = write.scalar(
        text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name}
    )
    if not sequence:
        raise AssertionError(f"{table.name}.{column.name} has no sequence on the server")
    return list(
        write.scalars(
            text("SELECT nextval(:s) FROM generate_series(1, :n)"), {"s": sequence, "n": count}
        )
    )


def ordered(conn: Connection, table: Table, profile_ids: list[int] | None) -> list[Row]:
    """The table's rows in key order; only the chosen profiles' where the table names its
    profile (the others are filtered by their parents, IdMaps.owned)."""
    query = select(table).order_by(*table.primary_key.columns)
    column = owner(table)
    if profile_ids is not None and _parent(column) == PROFILES:
        query = query.where(table.c[column.name].in_(profile_ids))
    return [tuple(row) for row in conn.execute(query)]


def key_of(table: Table, row: Row) -> Row:
    return tuple(row[_index(table, c)] for c in table.primary_key.columns)
