"""A database the app refuses is left exactly as it was: bytes, mode, no companion files.

Each refused kind is made as another program or a newer version would leave it: in
SQLite's default rollback-journal mode (which the app would switch to WAL, a write) and
with the dealer's ordinary 0644 mode (which the app would tighten to 0600, a chmod).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tracker_desktop.config.paths import app_paths
from tracker_desktop.db.migrate import prepare_database
from tracker_desktop.domain.errors import DatabaseProblem

from .conftest import child_env, fingerprint, no_library_text, run_app, tree_fingerprint


def _rollback_db(path: Path, *statements: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        for statement in statements:
            conn.execute(statement)
    conn.close()
    path.chmod(0o644)


def newer_version(path: Path) -> None:
    _rollback_db(
        path,
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
        "INSERT INTO alembic_version VALUES ('9999_from_the_future')",
        "CREATE TABLE profiles (id INTEGER PRIMARY KEY, name TEXT)",
        "INSERT INTO profiles (name) VALUES ('Geneva Fine Watches')",
    )


def another_program(path: Path) -> None:
    _rollback_db(path, "CREATE TABLE recipes (name TEXT)", "INSERT INTO recipes VALUES ('soup')")


def not_a_database(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is a shopping list, not a database\n" * 200)
    path.chmod(0o644)


def damaged(path: Path) -> None:
    another_program(path)
    with sqlite3.connect(path) as conn:
        conn.executemany("INSERT INTO recipes VALUES (?)", [("x" * 500,)] * 40)
    conn.close()
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page + 8 : page * 3] = b"\xff" * (page * 2 - 8)  # smash pages 2 and 3
    path.write_bytes(bytes(data))
    path.chmod(0o644)


REFUSED: dict[str, tuple[Callable[[Path], None], str]] = {
    "newer version": (newer_version, "made by a newer version of Tracker Desktop"),
    "another program": (another_program, "may belong to another program"),
    "not a database": (not_a_database, "the file is damaged or is not a database"),
    "damaged": (damaged, "the file is damaged or is not a database"),
}


@pytest.mark.parametrize("kind", list(REFUSED))
def test_refused_database_is_untouched_bytes_and_mode(tmp_path: Path, kind: str) -> None:
    make, words = REFUSED[kind]
    db = tmp_path / "data" / "tracker.sqlite3"
    make(db)
    before = fingerprint(db)
    assert before.mode == 0o644
    with pytest.raises(DatabaseProblem) as refused:
        prepare_database(f"sqlite:///{db}", db, tmp_path / "backups")
    message = str(refused.value)
    assert words in message
    assert str(db) in message
    assert "has not been changed" in message
    no_library_text(message)
    assert fingerprint(db) == before  # same sha256, same 0644, no -wal/-shm/-journal
    assert not (tmp_path / "backups").exists()


def test_locked_rollback_database_is_untouched(tmp_path: Path) -> None:
    db = tmp_path / "data" / "tracker.sqlite3"
    another_program(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program in the middle of a write
    try:
        before = fingerprint(db)
        with pytest.raises(DatabaseProblem) as refused:
            prepare_database(f"sqlite:///{db}", db, tmp_path / "backups", busy_timeout_ms=100)
        assert "is in use by another program" in str(refused.value)
        assert "nothing was lost" in str(refused.value)
        assert fingerprint(db) == before
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_locked_database_of_ours_keeps_its_mode(tmp_path: Path) -> None:
    """Ours, in WAL, but another window holds the write lock: refused before the chmod."""
    db = tmp_path / "data" / "tracker.sqlite3"
    db.parent.mkdir(parents=True)
    prepare_database(f"sqlite:///{db}", db, tmp_path / "backups")
    db.chmod(0o640)  # as an administrator may have set it for a backup group
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        before = fingerprint(db)
        with pytest.raises(DatabaseProblem, match="in use by another program"):
            prepare_database(f"sqlite:///{db}", db, tmp_path / "backups", busy_timeout_ms=100)
        assert fingerprint(db).sha256 == before.sha256
        assert fingerprint(db).mode == 0o640
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.mark.parametrize("kind", ["newer version", "another program", "not a database"])
def test_the_app_and_its_self_test_leave_a_refused_file_alone(tmp_path: Path, kind: str) -> None:
    make, words = REFUSED[kind]
    home = tmp_path / "home"
    db = home / "data" / "tracker.sqlite3"
    make(db)
    before = fingerprint(db)

    started = run_app(["--quit-after-ready"], child_env(home))
    assert started.returncode == 1, started.stderr
    assert fingerprint(db) == before
    log = (home / "logs" / "tracker.log").read_text(encoding="utf-8")
    assert words in log

    everything = tree_fingerprint(home)
    checked = run_app(["--self-test"], child_env(home))
    assert checked.returncode == 1
    assert checked.stderr.startswith("self-test FAILED: ")
    assert words in checked.stderr
    assert str(db) in checked.stderr
    assert "Traceback" not in checked.stderr
    assert tree_fingerprint(home) == everything  # not even a log line was added


def test_the_window_says_why_and_the_file_keeps_its_mode(
    qtbot: QtBot, qasync_loop: object, tracker_home: Path, memory_keyring: object
) -> None:
    from tracker_desktop.app.composition import Application

    paths = app_paths()
    newer_version(paths.database_file)
    before = fingerprint(paths.database_file)
    app = Application(paths.ensure(), practice=False, quit_after_ready=False, self_test=False)
    qtbot.addWidget(app.window)
    app.start()
    qtbot.waitUntil(lambda: app.failure is not None)
    banner = app.window.startup_banner
    assert banner.isVisible()
    assert banner.text().startswith(f"The database at {paths.database_file} was made by a newer")
    assert "it has not been changed" in banner.text()
    assert not app.window.nav.isEnabled()  # no page reads a database it may not touch
    assert fingerprint(paths.database_file) == before
