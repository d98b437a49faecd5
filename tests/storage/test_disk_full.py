"""A full disk is a sentence naming the folder, never SQLAlchemy's text, never half a save.

Two honest full disks:
- SQLite's own limit, `PRAGMA max_page_count`, pinned on every connection of the app's
  engine: when the file would grow past it SQLite fails the write with SQLITE_FULL
  ("database or disk is full"), the very code a full disk gives. It runs anywhere, without
  root, so the services and the Settings page are tried on it.
- A real 1 MiB tmpfs filled to the last block (root only; see conftest): the kernel says
  ENOSPC to SQLite, to the log file and to the folders, at first start and while working.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app_wiring import make_foundation
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.config.log_setup import configure_logging
from tracker_desktop.config.paths import app_paths
from tracker_desktop.config.settings import AppSettings
from tracker_desktop.db.engine import make_engine, make_session_factory, session_scope
from tracker_desktop.db.migrate import prepare_database
from tracker_desktop.db.models import Profile
from tracker_desktop.domain.errors import DiskFull, ValidationError
from tracker_desktop.services.profiles.profile_service import ProfileService
from tracker_desktop.services.profiles.stripe_access import GatewayProvider

from .conftest import SmallDisk, child_env, no_library_text, run_app, tree_fingerprint

GROWTH_PAGES = 2  # the file may grow by this much, then SQLite answers SQLITE_FULL


def pin_size(engine: Engine, db_file: Path) -> None:
    with sqlite3.connect(db_file) as probe:
        (pages,) = probe.execute("PRAGMA page_count").fetchone()
    probe.close()

    @event.listens_for(engine, "connect")
    def _limit(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + GROWTH_PAGES}")


def _services(paths: Any, sessions: sessionmaker[Session]) -> ProfileService:
    base = make_foundation(paths, sessions, settings=AppSettings())
    return ProfileService(base, GatewayProvider(sessions, base.keystore))


@pytest.fixture
def full_db(db: Any) -> Iterator[tuple[ProfileService, sessionmaker[Session], Path]]:
    """The app's migrated file, on an engine whose file may grow by two pages only."""
    engine = make_engine(db.url)
    pin_size(engine, db.paths.database_file)
    sessions = make_session_factory(engine)
    try:
        yield _services(db.paths, sessions), sessions, db.paths.database_file
    finally:
        engine.dispose()


def _fill_until_full(profiles: ProfileService) -> tuple[int, DiskFull]:
    """Add profiles as a busy dealer would, until the disk says no."""
    for n in range(1, 5000):
        try:
            profiles.create_profile(f"Geneva Fine Watches branch {n:04d}", invoice_footer="x" * 900)
        except DiskFull as full:
            return n - 1, full
    raise AssertionError("the database never filled up")


def test_a_service_write_on_a_full_disk_is_a_sentence_and_saves_nothing(
    full_db: tuple[ProfileService, sessionmaker[Session], Path],
) -> None:
    profiles, _sessions, db_file = full_db
    saved, full = _fill_until_full(profiles)
    message = str(full)
    assert message == (
        f"The disk that holds {db_file.parent} is full, so Tracker Desktop could not write "
        f"its database ({db_file.name}) there. Free some space on that disk, then try "
        "again; nothing was half-saved."
    )
    no_library_text(message)
    assert not full.retryable
    assert len(profiles.list_profiles()) == saved  # the refused one left no row behind
    with pytest.raises(DiskFull):  # still full: the same sentence, not another error
        profiles.create_profile("One more", invoice_footer="x" * 900)


def test_a_session_opened_without_session_scope_is_translated_too(
    full_db: tuple[ProfileService, sessionmaker[Session], Path],
) -> None:
    """Services that open `factory()` themselves (push, poll) get the same sentence: the
    translation is the engine's, not one helper's."""
    profiles, sessions, _db_file = full_db
    saved, _full = _fill_until_full(profiles)

    def add_twenty() -> None:
        with sessions() as session, session.begin():
            for n in range(20):
                session.add(Profile(name=f"Lugano {n}", kind="stripe", invoice_footer="y" * 900))

    with pytest.raises(DiskFull, match="is full"):
        add_twenty()
    with session_scope(sessions) as session:
        assert len(session.scalars(select(Profile)).all()) == saved


def test_settings_shows_the_full_disk_beside_the_form(
    qtbot: QtBot,
    qasync_loop: object,
    full_db: tuple[ProfileService, sessionmaker[Session], Path],
    memory_keyring: Any,
) -> None:
    from tracker_desktop.ui.settings import SettingsPage
    from tracker_desktop.ui.settings.dialogs import AddProfileDialog

    profiles, _sessions, db_file = full_db
    _fill_until_full(profiles)
    page = SettingsPage(profiles)
    qtbot.addWidget(page)
    page.show()

    qtbot.mouseClick(page.add_button, qtbot_left())
    dialog = page.dialog
    assert isinstance(dialog, AddProfileDialog)
    qtbot.keyClicks(dialog.name_edit, "Zurich Vintage " + "z" * 100)
    qtbot.keyClick(dialog.name_edit, qtbot_return())
    assert dialog.isVisible()  # not added, and the dialog says why
    assert dialog.problem.isVisible()
    assert dialog.problem.text().startswith(f"The disk that holds {db_file.parent} is full")
    assert not dialog.name_error.isVisible()
    dialog.reject()

    form = page.form
    form.footer.setPlainText("Bank: Geneva Private Bank, IBAN CH00 0000 " + "0" * 1500)
    qtbot.mouseClick(form.save_button, qtbot_left())
    assert form.save_error.isVisible()
    assert "is full" in form.save_error.text()
    no_library_text(form.save_error.text())
    assert form.saved_note.text() == ""


def qtbot_left() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def qtbot_return() -> Any:
    from PySide6.QtCore import Qt

    return Qt.Key.Key_Return


# -- a real full disk ---------------------------------------------------------------------
def test_first_start_on_a_full_disk_shows_a_sentence_in_the_window(
    qtbot: QtBot,
    qasync_loop: object,
    small_disk: SmallDisk,
    monkeypatch: pytest.MonkeyPatch,
    memory_keyring: Any,
) -> None:
    from tracker_desktop.app.composition import Application
    from tracker_desktop.app.launch import prepare_folders

    home = small_disk.root / "home"
    monkeypatch.setenv("TRACKER_HOME", str(home))
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    small_disk.fill()
    paths = app_paths()
    app = Application(
        paths,
        practice=False,
        quit_after_ready=False,
        self_test=False,
        startup_problem=prepare_folders(paths),
    )
    qtbot.addWidget(app.window)
    app.start()
    qtbot.waitUntil(lambda: app.failure is not None)
    text = app.window.startup_banner.text()
    assert app.window.startup_banner.isVisible()
    assert text.startswith(f"The disk that holds {home}")
    assert " is full, so Tracker Desktop could not " in text
    assert "Free some space on that disk" in text
    assert "could not read" not in text
    assert "restore" not in text.lower()
    no_library_text(text)


def test_self_test_on_a_full_disk_says_so_and_changes_nothing(small_disk: SmallDisk) -> None:
    home = small_disk.root / "home"
    made = run_app(["--quit-after-ready"], child_env(home))
    assert made.returncode == 0, made.stderr
    small_disk.fill()
    everything = tree_fingerprint(home)
    checked = run_app(["--self-test"], child_env(home))
    assert checked.returncode == 1
    assert checked.stderr.startswith(
        f"self-test FAILED: The disk that holds {home / 'data'} is full or nearly full"
    )
    assert "Free some space on that disk" in checked.stderr
    no_library_text(checked.stderr)
    assert tree_fingerprint(home) == everything


def test_the_disk_fills_while_working(small_disk: SmallDisk) -> None:
    paths = app_paths(small_disk.root / "home").ensure()
    url = f"sqlite:///{paths.database_file}"
    prepare_database(url, paths.database_file, paths.backups)
    engine = make_engine(url)
    try:
        profiles = _services(paths, make_session_factory(engine))
        profiles.create_profile("Geneva Fine Watches")
        small_disk.fill()
        saved, full = _fill_until_full(profiles)
        assert str(full).startswith(f"The disk that holds {paths.data} is full")
        small_disk.free()
        profiles.create_profile("After the clean-up")  # works again once there is room
        assert len(profiles.list_profiles()) == saved + 2
    finally:
        engine.dispose()


def test_a_full_disk_under_the_log_is_one_line_not_a_traceback(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """/dev/full answers every write with ENOSPC, for any user: the log file points there."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "tracker.log").symlink_to("/dev/full")
    configure_logging(logs)
    logger = logging.getLogger("tracker.test")
    for n in range(50):
        logger.info("line %s", n)
    err = capfd.readouterr().err
    assert err.splitlines() == [
        f"Tracker Desktop could not write its log file {logs / 'tracker.log'} "
        "(No space left on device); log lines are dropped until that is fixed."
    ]
    assert oct(os.stat("/dev/full").st_mode & 0o777) == "0o666"  # never "tightened"


def test_validation_still_comes_first(
    full_db: tuple[ProfileService, sessionmaker[Session], Path],
) -> None:
    """A bad name is the dealer's to fix, full disk or not: the field's message wins."""
    profiles, _s, _f = full_db
    _fill_until_full(profiles)
    with pytest.raises(ValidationError):
        profiles.create_profile("   ")
