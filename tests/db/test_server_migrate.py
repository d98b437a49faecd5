"""Start-up migration on the PostgreSQL test server: one workstation at a time, a pg_dump copy
before an upgrade (or the dealer's yes without one), a newer database refused, the schema
equal to the models, and the search indexes of pg_trgm in place."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from postgres_server import PostgresServer
from sqlalchemy import Engine, inspect, text

from tracker_desktop.db.engine import make_engine
from tracker_desktop.db.migrate import MigrationReport, make_alembic_config, prepare_database
from tracker_desktop.db.models import Base
from tracker_desktop.db.server_upgrade import MIGRATION_LOCK
from tracker_desktop.domain.errors import DatabaseProblem

from .test_migrate import APP_HEAD, include_name


@pytest.fixture
def empty_url(postgres_server: PostgresServer) -> Iterator[str]:
    url = postgres_server.empty()
    yield url
    postgres_server.drop(url)


@pytest.fixture
def engine(empty_url: str) -> Iterator[Engine]:
    made = make_engine(empty_url)
    yield made
    made.dispose()


def _revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _at_0002(url: str) -> None:
    command.upgrade(make_alembic_config(url=url), "0002")


def test_fresh_server_database_is_created_at_head_like_the_models(
    empty_url: str, engine: Engine, tmp_path: Path
) -> None:
    assert prepare_database(empty_url, None, tmp_path).outcome == "created"
    assert prepare_database(empty_url, None, tmp_path).outcome == "up_to_date"
    with engine.connect() as conn:
        opts = {"compare_type": True, "include_name": include_name}
        assert compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata) == []
    indexes = {ix["name"] for ix in inspect(engine).get_indexes("invoices")}
    assert {"ix_invoices_search_text_trgm", "ix_invoices_search_serials_trgm"} <= indexes


def test_a_newer_server_database_is_refused_and_left_alone(
    empty_url: str, engine: Engine, tmp_path: Path
) -> None:
    prepare_database(empty_url, None, tmp_path)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    with pytest.raises(DatabaseProblem, match="newer version"):
        prepare_database(empty_url, None, tmp_path)
    assert _revision(engine) == "9999_from_the_future"


def test_an_upgrade_keeps_a_pg_dump_copy_first(
    empty_url: str, engine: Engine, tmp_path: Path
) -> None:
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.fail("PostgreSQL's client tools (pg_dump, pg_restore) are part of the test set-up")
    _at_0002(empty_url)
    report = prepare_database(empty_url, None, tmp_path / "backups")
    assert (report.outcome, report.previous_revision) == ("upgraded", "0002")
    assert report.backup is not None
    assert report.backup.parent == tmp_path / "backups"
    assert report.backup.stat().st_mode & 0o077 == 0
    listing = subprocess.run(
        ["pg_restore", "--list", str(report.backup)], capture_output=True, text=True, check=True
    ).stdout
    assert "TABLE public invoices" in listing
    assert "search_text" not in listing  # the copy is of 0002, taken before the upgrade
    assert _revision(engine) == APP_HEAD


def test_without_pg_dump_the_upgrade_waits_for_the_dealers_yes(
    empty_url: str, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _at_0002(empty_url)
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    asked: list[str] = []

    def dealer_says(answer: bool) -> Callable[[str], bool]:
        def confirm(question: str) -> bool:
            asked.append(question)
            return answer

        return confirm

    with pytest.raises(DatabaseProblem, match="not upgraded and has not been changed"):
        prepare_database(empty_url, None, tmp_path, confirm_without_backup=dealer_says(False))
    assert _revision(engine) == "0002"
    database = engine.url.database
    assert f'"{database}"' in asked[0]
    assert "backup" in asked[0]
    with pytest.raises(DatabaseProblem, match="install pg_dump"):
        prepare_database(empty_url, None, tmp_path)  # nobody to ask: no upgrade either
    report = prepare_database(empty_url, None, tmp_path, confirm_without_backup=dealer_says(True))
    assert (report.outcome, report.backup) == ("upgraded", None)
    assert _revision(engine) == APP_HEAD


def test_one_workstation_migrates_at_a_time(empty_url: str, engine: Engine, tmp_path: Path) -> None:
    results: list[MigrationReport | BaseException] = []

    def second_workstation() -> None:
        try:
            results.append(prepare_database(empty_url, None, tmp_path))
        except BaseException as exc:  # reported by the assertion below
            results.append(exc)

    with engine.connect() as holder:
        # The first workstation's upgrade, mid-way: it holds the migration lock.
        holder.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK})
        holder.commit()
        worker = threading.Thread(target=second_workstation)
        worker.start()
        _wait_for_a_waiter(engine)
        assert _revision(engine) is None
        assert "profiles" not in inspect(engine).get_table_names()  # it waited, did nothing
        holder.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK})
        holder.commit()
        worker.join(timeout=60)
    assert [getattr(r, "outcome", r) for r in results] == ["created"]


def _wait_for_a_waiter(engine: Engine) -> None:
    """Until another session waits for the migration lock (bounded, as qtbot.waitUntil is)."""
    waiting = text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    )
    done = threading.Event()
    for _ in range(600):
        with engine.connect() as conn:
            if conn.execute(waiting).scalar_one():
                return
        done.wait(0.05)
    pytest.fail("the second workstation never waited for the migration lock")
