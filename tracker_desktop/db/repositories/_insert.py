"""INSERT that quietly does nothing when the row exists: idempotent writes for the poller."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session


def insert_ignore(session: Session, table: Table, values: dict[str, Any]) -> bool:
    """Insert one row unless a unique key already holds it. True if a row was inserted.

    ON CONFLICT DO NOTHING on SQLite and PostgreSQL, so two workstations polling at once
    cannot both insert; a savepoint elsewhere.
    """
    conn = session.connection()
    dialect = conn.dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        result = conn.execute(sqlite_insert(table).values(values).on_conflict_do_nothing())
        return result.rowcount == 1
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        # psycopg reports an INSERT's row count only when SQLAlchemy is asked to keep it.
        statement = pg_insert(table).values(values).on_conflict_do_nothing()
        result = conn.execute(statement.execution_options(preserve_rowcount=True))
        return result.rowcount == 1
    try:
        with session.begin_nested():
            session.connection().execute(insert(table).values(values))
    except IntegrityError:
        return False
    return True
