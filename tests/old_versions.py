"""Databases as an earlier version of the app left them, for the migration tests: the schema
at an older revision, filled with rows written in that revision's own columns."""

from __future__ import annotations

from pathlib import Path

from alembic import command

from tracker_desktop.db.engine import make_engine
from tracker_desktop.db.migrate import make_alembic_config

PROFILE = """
INSERT INTO profiles (id, name, kind, default_currency, default_due_days, invoice_footer,
    live_confirmed, created_at) VALUES (1, 'Geneva Fine Watches', 'stripe', 'CHF', 14, '', 0,
    '2026-01-05 09:00:00.000000');
"""


WATCH = """
INSERT INTO watches (id, profile_id, brand, model, reference, serial, condition, has_box,
    has_papers, currency, notes, status, created_at, updated_at) VALUES
    (1, 1, 'A. Lange & Söhne', 'Lange 1', '191.032', 'L1-191032', '', 1, 1, 'CHF', '',
     'STATUS', '2026-01-05 09:00:00.000000', '2026-01-05 09:00:00.000000');
"""


def watch_row(status: str) -> str:
    """Watch 1 of profile 1, a Lange 1 with box and papers, in the given status."""
    return WATCH.replace("'STATUS'", f"'{status}'")


PAID_SALE = """
INSERT INTO invoices (id, uuid, profile_id, customer_name, customer_email,
    customer_address_json, currency, days_until_due, memo, footer, state, number,
    total_minor, amount_paid_minor, amount_remaining_minor, payment_processing, created_at,
    updated_at) VALUES
    (1, 'c4d1a9e2-0000-4000-8000-000000000001', 1, 'Zoë Schäfer', 'zoe@example.ch', '{}',
     'CHF', 14, 'MEMO', '', 'paid', 'GFW-2025-0193', 3980000, 3980000, 0, 0,
     '2025-11-02 10:00:00.000000', '2025-11-02 10:00:00.000000');
INSERT INTO invoice_lines (id, invoice_id, position, watch_id, description, quantity,
    unit_amount_minor) VALUES
    (1, 1, 0, 1, 'A. Lange & Söhne Lange 1 191.032', 1, 3955000),
    (2, 1, 1, NULL, 'Insured shipping', 1, 25000);
"""


def paid_sale_rows(memo: str = "") -> str:
    """Invoice 1: watch 1 sold to Zoë Schäfer with insured shipping, paid in full."""
    return PAID_SALE.replace("'MEMO'", "'" + memo.replace("'", "''") + "'")


def database_at(tmp_path: Path, revision: str, rows: str) -> tuple[str, Path]:
    """A SQLite file at `revision` holding `rows` (statements split at ';'): URL and path."""
    db_file = tmp_path / "tracker.sqlite3"
    url = f"sqlite:///{db_file}"
    command.upgrade(make_alembic_config(url=url), revision)
    engine = make_engine(url)
    with engine.begin() as conn:
        for statement in rows.split(";"):
            if statement.strip():
                conn.exec_driver_sql(statement)
    engine.dispose()
    return url, db_file
