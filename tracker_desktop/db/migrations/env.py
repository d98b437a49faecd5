"""Alembic environment. The caller hands over an open connection in config.attributes.

A developer generating a revision from the command line passes a URL instead
(see tracker_desktop.db.migrate.make_alembic_config).
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from sqlalchemy import Connection

from tracker_desktop.db.column_types import UTCDateTime
from tracker_desktop.db.engine import make_engine
from tracker_desktop.db.models import Base
from tracker_desktop.db.search_text import is_search_index

target_metadata = Base.metadata


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    # Revisions must not import models (models change, old revisions must not), so the
    # UTC wrapper is written as the plain DateTime it stores.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def include_name(name: str | None, type_: str, _parents: Any) -> bool:
    # The search index (FTS5 tables, or pg_trgm indexes) is made by migration 0003.
    return not (type_ in ("table", "index") and is_search_index(name))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
        compare_type=True,
        render_item=_render_item,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection and no sqlalchemy.url given to the migrations")
    engine = make_engine(url, foreign_keys=False)
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
_main()
