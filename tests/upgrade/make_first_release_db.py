"""Writes tests/upgrade/first_release.db: a dealer's database as the first release left it.

The schema is the first migration's (revision 0001), made by the app's own migrations; the
rows are written in that schema's columns (today's models have more). Run it only to remake
the fixture: `.venv/bin/python -m tests.upgrade.make_first_release_db`. The file is kept in
the repository so later migrations are always tried on what the first release wrote.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command

from tracker_desktop.db.migrate import make_alembic_config

FIXTURE = Path(__file__).with_name("first_release.db")
WHEN = dt.datetime(2026, 11, 27, 9, 30)


def rows() -> dict[str, list[dict[str, Any]]]:
    """Every row, by table, in the first release's columns (foreign keys in order)."""
    stamps = {"created_at": WHEN, "updated_at": WHEN}
    contact = {"company": "", "phone": "", "address_line2": "", "state": "", "notes": "",
               "needs_sync": False, **stamps}  # fmt: skip
    watch = {"condition": "very good", "has_box": True, "has_papers": True, "notes": "", **stamps}
    invoice = {"customer_address_json": "{}", "days_until_due": 30, "footer": "Thank you.",
               "payment_processing": False, **stamps}  # fmt: skip
    return {
        "profiles": [
            {"id": 1, "name": "Lindqvist Uhren", "kind": "stripe", "default_currency": "CHF",
             "default_due_days": 30, "invoice_footer": "Thank you.", "live_confirmed": False,
             "stripe_account_id": "acct_1Q2w3E4r5T6y7U8i", "livemode": False,
             "key_last4": "4242", "created_at": WHEN},
        ],
        "contacts": [
            {"id": 1, "profile_id": 1, "name": "Jürgen Söhne", "email": "juergen@example.com",
             "address_line1": "Bahnhofstrasse 1", "city": "Zürich", "postal_code": "8001",
             "country": "CH", "stripe_customer_id": "cus_Qa1b2C3d4E5f6G", **contact},
            {"id": 2, "profile_id": 1, "name": "Amélie Durand", "email": "amelie@example.com",
             "address_line1": "12 rue de la Paix", "city": "Paris", "postal_code": "75002",
             "country": "FR", **contact},
        ],
        "watches": [
            {"id": 1, "profile_id": 1, "brand": "Rolex", "model": "Submariner Date",
             "reference": "126610LN", "serial": "K3891Z27", "year": 2021, "currency": "CHF",
             "purchase_cost_minor": 980000, "asking_price_minor": 1250050, "status": "sold",
             **watch},
            {"id": 2, "profile_id": 1, "brand": "A. Lange & Söhne", "model": "Saxonia",
             "reference": "219.026", "serial": "LS-204417", "year": 2019, "currency": "CHF",
             "purchase_cost_minor": 1800000, "asking_price_minor": 2290000,
             "status": "in_stock", **watch},
        ],
        "invoices": [
            {"id": 1, "uuid": "3f0c2a9e-8d1b-4c59-9a77-1e2f3a4b5c6d", "profile_id": 1,
             "contact_id": 1, "customer_name": "Jürgen Söhne",
             "customer_email": "juergen@example.com", "currency": "CHF",
             "memo": "Submariner, full set", "state": "paid", "total_minor": 1250050,
             "amount_paid_minor": 1250050, "amount_remaining_minor": 0,
             "stripe_invoice_id": "in_1Pq2Rs3Tu4Vw5Xy", **invoice},
            {"id": 2, "uuid": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "profile_id": 1,
             "contact_id": 2, "customer_name": "Amélie Durand",
             "customer_email": "amelie@example.com", "currency": "CHF", "memo": "",
             "state": "local_draft", "total_minor": 45000, "amount_paid_minor": 0,
             "amount_remaining_minor": 45000, **invoice},
        ],
        "invoice_lines": [
            {"id": 1, "invoice_id": 1, "position": 0, "watch_id": 1, "quantity": 1,
             "description": "Rolex Submariner Date 126610LN, serial K3891Z27",
             "unit_amount_minor": 1250050},
            {"id": 2, "invoice_id": 2, "position": 0, "quantity": 1,
             "description": "Service and bracelet polish", "unit_amount_minor": 45000},
        ],
        "invoice_events": [
            {"id": 1, "invoice_id": 1, "kind": "finalized", "occurred_at": WHEN, "detail": ""},
            {"id": 2, "invoice_id": 1, "kind": "paid", "occurred_at": WHEN, "detail": "Visa 4242"},
        ],
        "sync_state": [{"profile_id": 1, "events_cursor": "evt_1Ab2Cd3Ef4Gh", "last_error": None}],
        "processed_stripe_events": [
            {"profile_id": 1, "event_id": "evt_1Ab2Cd3Ef4Gh", "event_created": 1764235800,
             "processed_at": WHEN},
        ],
    }  # fmt: skip


def make(target: Path) -> None:
    url = f"sqlite:///{target}"
    command.upgrade(make_alembic_config(url=url), "0001")
    engine = sa.create_engine(url)
    tables = sa.MetaData()
    tables.reflect(engine)
    with engine.begin() as conn:
        for name, values in rows().items():
            for row in values:  # one by one: the rows of a table set different columns
                conn.execute(tables.tables[name].insert().values(row))
    engine.dispose()
    # One self-contained file: a reader of a WAL file would leave -wal and -shm beside it.
    with closing(sqlite3.connect(target)) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")


if __name__ == "__main__":
    FIXTURE.unlink(missing_ok=True)
    make(FIXTURE)
    print(FIXTURE)
