"""Invoice states and watch statuses are enums in Python and the same words in the file.

The columns were plain strings before the enums: a database written then must read as
enums now, and what is written now must read the same to SQL (no migration in between).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from tracker_desktop.db.engine import make_engine, make_session_factory, session_scope
from tracker_desktop.db.migrate import prepare_database
from tracker_desktop.db.models import Invoice, Watch
from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.watch_status import WatchStatus


def _database(db_url: str, db_file: Path, backups_dir: Path) -> None:
    prepare_database(db_url, db_file, backups_dir)
    with sqlite3.connect(db_file) as raw:  # as the string columns stored them
        raw.execute(
            "INSERT INTO profiles (id, name, kind, default_currency, default_due_days,"
            " invoice_footer, live_confirmed, created_at)"
            " VALUES (1, 'Shop', 'stripe', 'USD', 14, '', 0, '2026-01-05 10:00:00')"
        )
        raw.execute(
            "INSERT INTO watches (id, profile_id, brand, model, reference, serial, condition,"
            " has_box, has_papers, currency, notes, status, created_at, updated_at)"
            " VALUES (1, 1, 'Rolex', 'Daytona', '', 'S-1', '', 0, 0, 'USD', '', 'reserved',"
            " '2026-01-05 10:00:00', '2026-01-05 10:00:00')"
        )
        raw.execute(
            "INSERT INTO invoices (id, uuid, profile_id, customer_name, customer_email,"
            " customer_address_json, currency, days_until_due, memo, footer, state,"
            " total_minor, amount_paid_minor, amount_remaining_minor, payment_processing,"
            " search_text, search_serials, created_at, updated_at)"
            " VALUES (1, 'u-1', 1, 'Ada', '', '{}', 'USD', 14, '', '', 'push_failed',"
            " 0, 0, 0, 0, '', '', '2026-01-05 10:00:00', '2026-01-05 10:00:00')"
        )


def test_rows_written_as_strings_read_as_enums_and_are_written_back_the_same(
    db_url: str, db_file: Path, backups_dir: Path
) -> None:
    _database(db_url, db_file, backups_dir)
    engine = make_engine(db_url)
    sessions = make_session_factory(engine)
    with session_scope(sessions, write=True) as session:
        invoice = session.get(Invoice, 1)
        watch = session.get(Watch, 1)
        assert invoice is not None
        assert watch is not None
        assert invoice.state is InvoiceState.PUSH_FAILED
        assert watch.status is WatchStatus.RESERVED
        found = session.scalars(select(Invoice.id).where(Invoice.state == InvoiceState.PUSH_FAILED))
        assert list(found) == [1]
        invoice.state = InvoiceState.OPEN
        watch.status = WatchStatus.SOLD
        session.add(
            Watch(profile_id=1, brand="Omega", model="Seamaster", serial="S-2", currency="USD")
        )
    engine.dispose()
    with sqlite3.connect(db_file) as raw:
        assert raw.execute("SELECT state FROM invoices").fetchall() == [("open",)]
        assert raw.execute("SELECT status FROM watches ORDER BY id").fetchall() == [
            ("sold",),
            ("in_stock",),  # the default, stored as its word
        ]


def test_a_word_that_is_no_state_is_refused_when_read(
    db_url: str, db_file: Path, backups_dir: Path
) -> None:
    _database(db_url, db_file, backups_dir)
    with sqlite3.connect(db_file) as raw:
        raw.execute("UPDATE invoices SET state = 'lost'")
    engine = make_engine(db_url)
    sessions = make_session_factory(engine)
    with sessions() as session, pytest.raises(LookupError, match="lost"):
        session.get(Invoice, 1)
    engine.dispose()


def test_a_word_that_is_no_status_is_refused_before_it_is_written(
    db_url: str, db_file: Path, backups_dir: Path
) -> None:
    _database(db_url, db_file, backups_dir)
    engine = make_engine(db_url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        watch = session.get(Watch, 1)
        assert watch is not None
        watch.status = "lost"  # type: ignore[assignment]
        with pytest.raises(StatementError, match="lost"):
            session.commit()
    engine.dispose()
    with sqlite3.connect(db_file) as raw:
        assert raw.execute("SELECT status FROM watches").fetchall() == [("reserved",)]
