"""A single computer's SQLite history moved into an empty database on the PostgreSQL test
server: equal row for row, ids and links kept, the file left as it was, the server's ids
going on after the copied ones; a profile the server already has, or a copy that differs,
leaves both sides unchanged. (One profile into a server with others: test_history_merge.)"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from postgres_server import PostgresServer
from sqlalchemy import Engine, func, select

from tracker_desktop.db import history_move
from tracker_desktop.db.engine import make_engine, make_session_factory, session_scope
from tracker_desktop.db.models import Base, Invoice, Profile
from tracker_desktop.db.repositories import invoices, profiles
from tracker_desktop.db.repositories import sync as sync_repo
from tracker_desktop.db.repositories.invoices import InvoiceDraft, LineDraft
from tracker_desktop.domain.errors import DatabaseProblem

from .test_repositories import seed

DB_BACKENDS = ("sqlite",)  # the history moved is a SQLite file's; the server is the target


@pytest.fixture
def server_db(postgres_server: PostgresServer) -> Iterator[Engine]:
    url = postgres_server.fresh()
    engine = make_engine(url)
    yield engine
    engine.dispose()
    postgres_server.drop(url)


@pytest.fixture
def filled(db: Any) -> Any:
    with session_scope(db.sessions, write=True) as session:
        first, _, _, invoice = seed(session, "Geneva shop")
        invoice.memo = "Collected in Malmö, insured"
        seed(session, "London shop")
        invoices.create_draft(
            session,
            first.id,
            InvoiceDraft(currency="chf", customer_name="Walk-in buyer"),
            [LineDraft("Service", 45_000)],
        )
        sync_repo.mark_processed(session, first.id, "evt_1", 1_700_000_000)
        sync_repo.get_sync_state(session, first.id).events_cursor = "evt_1"
    return db


def _rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {
            t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
            for t in Base.metadata.sorted_tables
        }


def _file_digest(db: Any) -> str:
    db.engine.dispose()  # no connection keeps a WAL open: the file's bytes are all there is
    return hashlib.sha256(db.paths.database_file.read_bytes()).hexdigest()


def test_a_history_moves_row_for_row_and_the_file_stays(filled: Any, server_db: Engine) -> None:
    before = _file_digest(filled)
    report = history_move.move_history(filled.engine, server_db)
    assert report.rows["profiles"] == 2
    assert report.rows["invoices"] == 3
    assert report.rows["invoice_lines"] == 3
    assert report.rows["processed_stripe_events"] == 1
    assert _rows(server_db) == _rows(filled.engine)
    assert _file_digest(filled) == before

    sessions = make_session_factory(server_db)
    with session_scope(sessions, write=True) as session:  # the server's ids go on after them
        newest = profiles.create_profile(session, "Zurich shop")
        assert newest.id == 3
    with server_db.connect() as conn:  # planned on what is there from the first search on
        analyzed = conn.exec_driver_sql(
            "SELECT last_analyze IS NOT NULL AND last_vacuum IS NOT NULL "
            "FROM pg_stat_user_tables WHERE relname = 'invoices'"
        ).scalar()
    assert analyzed
    with sessions() as session:
        found = session.scalar(select(Invoice).where(Invoice.memo.like("%Malmö%")))
        assert found is not None
        assert found.lines[0].description == "Rolex Submariner 126610LN"


def test_a_profile_the_server_already_has_is_refused(filled: Any, server_db: Engine) -> None:
    with session_scope(make_session_factory(server_db), write=True) as session:
        profiles.create_profile(session, "Another shop")
        profiles.create_profile(session, "london SHOP")  # the same shop, typed another way
    before = _rows(server_db)
    with pytest.raises(DatabaseProblem, match="profile of the same name"):
        history_move.move_history(filled.engine, server_db)
    assert _rows(server_db) == before


def test_a_copy_that_differs_is_rolled_back(
    filled: Any, server_db: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = history_move._copy

    def lossy_copy(read: Any, write: Any, table: Any, *args: Any) -> int:
        count = copy(read, write, table, *args)
        if table.name == "invoice_lines":  # a row lost on the way
            write.execute(table.delete().where(table.c.id == 2))
        return count

    monkeypatch.setattr(history_move, "_copy", lossy_copy)
    with pytest.raises(DatabaseProblem, match="invoice_lines differs"):
        history_move.move_history(filled.engine, server_db)
    with server_db.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Profile.__table__)) == 0
