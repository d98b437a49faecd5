"""The engine's promises: a private file, WAL, foreign keys, real transactions."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tracker_desktop.db.engine import make_engine, make_session_factory, session_scope

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


@posix_only
def test_new_database_file_is_private(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite3"
    old = os.umask(0o022)
    try:
        engine = make_engine(f"sqlite:///{db}")
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
            conn.execute(text("INSERT INTO t VALUES (1)"))
            wal = Path(f"{db}-wal")
            assert wal.exists()
            assert stat.S_IMODE(wal.stat().st_mode) == 0o600
    finally:
        os.umask(old)
    engine.dispose()
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


@posix_only
def test_existing_file_of_ours_is_tightened(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite3"
    sqlite3.connect(db).close()
    db.chmod(0o644)
    make_engine(f"sqlite:///{db}").dispose()
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_pragmas(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 't.sqlite3'}", busy_timeout_ms=1234)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    engine.dispose()


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 't.sqlite3'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE p (id INTEGER PRIMARY KEY)"))
        conn.execute(text("CREATE TABLE c (id INTEGER PRIMARY KEY, p_id REFERENCES p(id))"))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("INSERT INTO c (p_id) VALUES (42)"))
    engine.dispose()


def test_session_scope_rolls_back_everything_on_error(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 't.sqlite3'}")
    factory = make_session_factory(engine)
    with session_scope(factory, write=True) as s:
        s.execute(text("CREATE TABLE t (x INTEGER)"))

    def insert_then_fail() -> None:
        with session_scope(factory, write=True) as s:
            s.execute(text("INSERT INTO t VALUES (1)"))
            with s.begin_nested():  # a SAVEPOINT inside the real transaction
                s.execute(text("INSERT INTO t VALUES (2)"))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        insert_then_fail()
    with session_scope(factory) as s:
        assert s.execute(text("SELECT count(*) FROM t")).scalar() == 0
    engine.dispose()


def test_write_scope_holds_the_write_lock_from_the_start(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite3"
    engine = make_engine(f"sqlite:///{db}")
    factory = make_session_factory(engine)
    with session_scope(factory, write=True) as s:
        s.execute(text("SELECT 1"))  # nothing written yet, and still nobody else may write
        other = sqlite3.connect(db, timeout=0.05)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    engine.dispose()


def test_postgres_url_gets_no_sqlite_setup() -> None:
    pytest.importorskip("psycopg")
    engine = make_engine("postgresql+psycopg://u:p@localhost:1/x")  # never connects
    assert engine.dialect.name == "postgresql"
