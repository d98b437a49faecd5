"""History search and sorting at 100,000 invoices: folded search columns on invoices, filled
for the invoices already there, a trigram index over them (FTS5 on SQLite, pg_trgm on
PostgreSQL), kept in step by triggers on SQLite, and an index for each sortable column.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-08 10:00:00
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.exc import DBAPIError

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger(__name__)

SORT_INDEXES = {
    "ix_invoices_profile_number": ["profile_id", "number"],
    "ix_invoices_profile_customer": ["profile_id", "customer_name"],
    "ix_invoices_profile_total": ["profile_id", "currency", "total_minor"],
    "ix_invoices_profile_due": ["profile_id", "due_at"],
    "ix_invoices_profile_synced": ["profile_id", "last_synced_at"],
}
BATCH = 2000

# An external-content FTS5 table over the two columns: it stores only the trigram index.
SQLITE_INDEX = (
    "CREATE VIRTUAL TABLE invoice_search USING fts5(search_text, search_serials, "
    "content='invoices', content_rowid='id', tokenize='trigram')"
)
SQLITE_TRIGGERS = (
    """CREATE TRIGGER invoice_search_insert AFTER INSERT ON invoices BEGIN
        INSERT INTO invoice_search(rowid, search_text, search_serials)
        VALUES (new.id, new.search_text, new.search_serials);
    END""",
    """CREATE TRIGGER invoice_search_delete AFTER DELETE ON invoices BEGIN
        INSERT INTO invoice_search(invoice_search, rowid, search_text, search_serials)
        VALUES ('delete', old.id, old.search_text, old.search_serials);
    END""",
    """CREATE TRIGGER invoice_search_update AFTER UPDATE OF search_text, search_serials
        ON invoices BEGIN
        INSERT INTO invoice_search(invoice_search, rowid, search_text, search_serials)
        VALUES ('delete', old.id, old.search_text, old.search_serials);
        INSERT INTO invoice_search(rowid, search_text, search_serials)
        VALUES (new.id, new.search_text, new.search_serials);
    END""",
)
POSTGRES_INDEXES = (
    "CREATE INDEX ix_invoices_search_text_trgm ON invoices USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX ix_invoices_search_serials_trgm ON invoices "
    "USING gin (search_serials gin_trgm_ops)",
)


# A frozen copy of db/search_text.fold as of this revision (the same result, done on the
# whole string): a migration must not change when the app's code does.
_UNDECOMPOSED = {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "þ": "th",
                 "æ": "ae", "œ": "oe"}  # fmt: skip


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return unicodedata.normalize("NFC", "".join(_UNDECOMPOSED.get(ch, ch) for ch in bare))


def _joined(parts: Sequence[str | None]) -> str:
    return _fold("\n".join(p.replace("\n", " ") for p in parts if p))


def upgrade() -> None:
    with op.batch_alter_table("invoices") as batch:
        batch.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("search_serials", sa.Text(), nullable=False, server_default=""))
    for name, columns in SORT_INDEXES.items():
        op.create_index(name, "invoices", columns)
    _fill_search_columns(op.get_bind())
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _create_sqlite_index(op.get_bind())
    elif dialect == "postgresql":
        _create_postgres_index(op.get_bind())


def _fill_search_columns(conn: sa.Connection) -> None:
    last = 0
    while True:
        invoices = conn.execute(
            sa.text(
                "SELECT id, number, customer_name, customer_email, memo FROM invoices "
                "WHERE id > :last ORDER BY id LIMIT :n"
            ),
            {"last": last, "n": BATCH},
        ).all()
        if not invoices:
            return
        first, last = invoices[0].id, invoices[-1].id
        descriptions: dict[int, list[str]] = {}
        serials: dict[int, list[str]] = {}
        lines = conn.execute(
            sa.text(
                "SELECT l.invoice_id, l.description, w.serial FROM invoice_lines l "
                "LEFT JOIN watches w ON w.id = l.watch_id "
                "WHERE l.invoice_id BETWEEN :first AND :last ORDER BY l.invoice_id, l.position"
            ),
            {"first": first, "last": last},
        )
        for invoice_id, description, serial in lines:
            descriptions.setdefault(invoice_id, []).append(description)
            if serial:
                serials.setdefault(invoice_id, []).append(serial)
        conn.execute(
            sa.text("UPDATE invoices SET search_text = :t, search_serials = :s WHERE id = :id"),
            [
                {
                    "id": inv.id,
                    "t": _joined(
                        [
                            inv.number,
                            inv.customer_name,
                            inv.customer_email,
                            inv.memo,
                            *descriptions.get(inv.id, []),
                        ]
                    ),
                    "s": _joined(serials.get(inv.id, [])),
                }
                for inv in invoices
            ],
        )


def _create_sqlite_index(conn: sa.Connection) -> None:
    # FTS5's trigram tokenizer needs SQLite 3.34; without it, search scans the columns.
    try:
        with conn.begin_nested():
            conn.exec_driver_sql(SQLITE_INDEX)
    except DBAPIError as exc:
        log.warning("no trigram index for invoice search (%s); searching without one", exc.orig)
        return
    for trigger in SQLITE_TRIGGERS:
        conn.exec_driver_sql(trigger)
    conn.exec_driver_sql("INSERT INTO invoice_search(invoice_search) VALUES ('rebuild')")


def _create_postgres_index(conn: sa.Connection) -> None:
    try:
        with conn.begin_nested():
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DBAPIError as exc:
        log.warning("pg_trgm unavailable (%s); invoice search runs without an index", exc.orig)
        return
    for statement in POSTGRES_INDEXES:
        conn.exec_driver_sql(statement)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for name in ("invoice_search_insert", "invoice_search_delete", "invoice_search_update"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        conn.exec_driver_sql("DROP TABLE IF EXISTS invoice_search")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP INDEX IF EXISTS ix_invoices_search_serials_trgm")
        conn.exec_driver_sql("DROP INDEX IF EXISTS ix_invoices_search_text_trgm")
    for name in SORT_INDEXES:
        op.drop_index(name, "invoices")
    with op.batch_alter_table("invoices") as batch:
        batch.drop_column("search_serials")
        batch.drop_column("search_text")
