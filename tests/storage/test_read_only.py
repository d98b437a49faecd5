"""A read-only data folder or database file: a sentence naming it, a window, exit non-zero,
and nothing changed. The subprocess obeys chmod even when the tests run as root."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pytestqt.qtbot import QtBot

from tracker_desktop.config.paths import app_paths
from tracker_desktop.db.migrate import prepare_database

from .conftest import (
    child_env,
    fingerprint,
    no_library_text,
    read_only_here,
    run_app,
    tree_fingerprint,
)


def _ready_home(home: Path) -> Path:
    """A home whose database the app made, closed cleanly (no -wal, no -shm left)."""
    paths = app_paths(home).ensure()
    prepare_database(f"sqlite:///{paths.database_file}", paths.database_file, paths.backups)
    with sqlite3.connect(paths.database_file) as conn:
        conn.execute(
            "INSERT INTO profiles (name, kind, default_currency, default_due_days,"
            " invoice_footer, live_confirmed, created_at)"
            " VALUES ('Geneva Fine Watches', 'stripe', 'CHF', 14, '', 0, '2026-01-01')"
        )
    conn.close()
    assert fingerprint(paths.database_file).companions == ()
    return paths.database_file


def test_read_only_home_is_a_sentence_and_no_traceback(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o555)
    home.chmod(0o555)

    checked = run_app(["--self-test"], child_env(home), obey_file_modes=True)
    assert checked.returncode == 1
    assert checked.stderr.startswith(f"self-test FAILED: The folder {home} is read-only, so ")
    assert "its database" in checked.stderr
    assert "Give your user account permission to write to that folder" in checked.stderr
    no_library_text(checked.stderr)

    started = run_app(["--quit-after-ready"], child_env(home), obey_file_modes=True)
    assert started.returncode == 1
    assert "Traceback" not in started.stderr
    assert f"start-up failed: The folder {home} is read-only" in started.stderr
    assert list(home.iterdir()) == []


def test_read_only_data_folder_keeps_the_database_as_it_was(tmp_path: Path) -> None:
    home = tmp_path / "home"
    db = _ready_home(home)
    db.chmod(0o644)
    before = fingerprint(db)
    (home / "data").chmod(0o555)
    try:
        started = run_app(["--quit-after-ready"], child_env(home), obey_file_modes=True)
        assert started.returncode == 1
        checked = run_app(["--self-test"], child_env(home), obey_file_modes=True)
    finally:
        (home / "data").chmod(0o700)
    log = started.stderr + (home / "logs" / "tracker.log").read_text(encoding="utf-8")
    assert f"The folder {home / 'data'} is read-only" in log
    assert "Traceback" not in started.stderr
    assert checked.returncode == 1
    assert f"The folder {home / 'data'} is read-only" in checked.stderr
    assert "could not read its database" not in checked.stderr + log
    assert fingerprint(db) == before


def test_read_only_database_file_is_named_and_keeps_its_mode(tmp_path: Path) -> None:
    home = tmp_path / "home"
    db = _ready_home(home)
    db.chmod(0o444)
    before = fingerprint(db)
    started = run_app(["--quit-after-ready"], child_env(home), obey_file_modes=True)
    assert started.returncode == 1
    log = (home / "logs" / "tracker.log").read_text(encoding="utf-8")
    expected = f"The database file {db} is read-only, so Tracker Desktop cannot save anything"
    assert expected in log
    assert fingerprint(db) == before  # still 0444: not "tightened" to a writable 0600

    everything = tree_fingerprint(home)
    checked = run_app(["--self-test"], child_env(home), obey_file_modes=True)
    assert checked.returncode == 1
    assert expected in checked.stderr
    no_library_text(checked.stderr)
    assert tree_fingerprint(home) == everything


def test_the_window_opens_and_says_the_folder_is_read_only(
    qtbot: QtBot, qasync_loop: object, tracker_home: Path, memory_keyring: object
) -> None:
    """In this process, with real widgets: the folder is read-only for root too (a
    read-only bind mount) or by chmod when the tests do not run as root."""
    from tracker_desktop.app.composition import Application
    from tracker_desktop.app.launch import prepare_folders

    tracker_home.mkdir()
    paths = app_paths()
    with read_only_here(tracker_home):
        problem = prepare_folders(paths)
        assert problem is not None
        app = Application(
            paths,
            practice=False,
            quit_after_ready=False,
            self_test=False,
            startup_problem=problem,
        )
        qtbot.addWidget(app.window)
        app.start()
        qtbot.waitUntil(lambda: app.failure is not None)
    banner = app.window.startup_banner
    assert app.window.isVisible()
    assert banner.isVisible()
    assert banner.text().startswith(f"The folder {tracker_home} is read-only, so Tracker")
    assert banner.text().endswith("then start Tracker Desktop again. Nothing was changed.")
    no_library_text(banner.text())
    assert not app.window.nav.isEnabled()
    assert app.services is None  # the database was never opened
    assert list(tracker_home.iterdir()) == []
