"""Migration 0005_credit_notes on a database the previous version (0003) made: its invoices
and lines stay as they were (no line is flagged as returned), the paid invoice's watch is
still held by it, a credit note can be recorded, and the downgrade gives 0003 back."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import inspect, select

from tests.old_versions import PROFILE, database_at, paid_sale_rows, watch_row
from tracker_desktop.db.credit_models import CreditNote
from tracker_desktop.db.engine import make_engine, make_session_factory, session_scope
from tracker_desktop.db.migrate import make_alembic_config, prepare_database
from tracker_desktop.db.models import Invoice, InvoiceLine
from tracker_desktop.services.credit.credit_views import totals_of
from tracker_desktop.services.invoicing import state_moves

ROWS = PROFILE + watch_row("sold") + paid_sale_rows()


def test_upgrade_from_0003_keeps_every_line_and_downgrade_returns(tmp_path: Path) -> None:
    url, db_file = database_at(tmp_path, "0003", ROWS)

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
