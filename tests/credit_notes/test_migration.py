"""Migration 0005_credit_notes on a database the previous version (0003) made: its invoices
and lines stay as they were (no line is flagged as returned), the paid invoice's watch is
still held by it, a credit note can be recorded, and the downgrade gives 0003 back."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import inspect, select

from tracker_desktop.db.credit_models import CreditNote
from tracker_desktop.db.engine import make_engine, make_session_factory, session_scope
from tracker_desktop.db.migrate import make_alembic_config, prepare_database
from tracker_desktop.db.models import Invoice, InvoiceLine
from tracker_desktop.services.credit.credit_views import totals_of
from tracker_desktop.services.invoicing import state_moves

ROWS = """
INSERT INTO profiles (id, name, kind, default_currency, default_due_days, invoice_footer,
    live_confirmed, created_at) VALUES (1, 'Geneva Fine Watches', 'stripe', 'CHF', 14, '', 0,
    '2026-01-05 09:00:00.000000');
INSERT INTO watches (id, profile_id, brand, model, reference, serial, condition, has_box,
    has_papers, currency, notes, status, created_at, updated_at) VALUES
    (1, 1, 'A. Lange & Söhne', 'Lange 1', '191.032', 'L1-191032', '', 1, 1, 'CHF', '', 'sold',
     '2026-01-05 09:00:00.000000', '2026-01-05 09:00:00.000000');
INSERT INTO invoices (id, uuid, profile_id, customer_name, customer_email,
    customer_address_json, currency, days_until_due, memo, footer, state, number,
    total_minor, amount_paid_minor, amount_remaining_minor, payment_processing, created_at,
    updated_at) VALUES
    (1, 'c4d1a9e2-0000-4000-8000-000000000001', 1, 'Zoë Schäfer', 'zoe@example.ch', '{}',
     'CHF', 14, '', '', 'paid', 'GFW-2025-0193', 3980000, 3980000, 0, 0,
     '2025-11-02 10:00:00.000000', '2025-11-02 10:00:00.000000');
INSERT INTO invoice_lines (id, invoice_id, position, watch_id, description, quantity,
    unit_amount_minor) VALUES
    (1, 1, 0, 1, 'A. Lange & Söhne Lange 1 191.032', 1, 3955000),
    (2, 1, 1, NULL, 'Insured shipping', 1, 25000);
"""


def test_upgrade_from_0003_keeps_every_line_and_downgrade_returns(tmp_path: Path) -> None:
    db_file = tmp_path / "tracker.sqlite3"
    url = f"sqlite:///{db_file}"
    command.upgrade(make_alembic_config(url=url), "0003")
    engine = make_engine(url)
    with engine.begin() as conn:
        for statement in ROWS.split(";"):
            if statement.strip():
                conn.exec_driver_sql(statement)
    engine.dispose()

    prepare_database(url, db_file, tmp_path / "backups")  # what the app does at start-up
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with session_scope(sessions, write=True) as session:
        lines = session.scalars(select(InvoiceLine).order_by(InvoiceLine.id)).all()
        assert [(ln.id, ln.restocked) for ln in lines] == [(1, False), (2, False)]
        invoice = session.get(Invoice, 1)
        assert invoice is not None
        assert state_moves.holder(session, 1, 1) is invoice  # the sale still holds its watch
        assert totals_of(invoice).net.minor == 3_980_000
        session.add(
            CreditNote(
                uuid="c4d1a9e2-0000-4000-8000-00000000cn01",
                profile_id=1,
                invoice_id=1,
                state="pending",
                currency="CHF",
                total_minor=25_000,
            )
        )
    with sessions() as session:
        assert session.scalar(select(CreditNote.total_minor)) == 25_000
    engine.dispose()

    command.downgrade(make_alembic_config(url=url), "0003")
    engine = make_engine(url)
    tables = inspect(engine).get_table_names()
    columns = {c["name"] for c in inspect(engine).get_columns("invoice_lines")}
    engine.dispose()
    assert "credit_notes" not in tables
    assert "credit_note_lines" not in tables
    assert "restocked" not in columns
