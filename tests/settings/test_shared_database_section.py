"""Settings -> Shared database driven as a dealer would: real widgets, the app's SQLite file
under TRACKER_HOME, the in-memory keychain and the PostgreSQL test server. The password is
masked, kept in the keychain only and never in settings.json or the section's sentences;
a wrong field is told beside it; nothing is half-saved when a step fails."""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import keyring
import keyring.backends.fail
import pytest
from alembic import command
from alembic.migration import MigrationContext
from postgres_server import PostgresServer
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, func, make_url, select

from tracker_desktop.config.paths import database_url
from tracker_desktop.config.secrets import DATABASE_SERVICE_NAME, KeyStore
from tracker_desktop.config.settings import load_settings, save_settings
from tracker_desktop.db.engine import make_engine, make_session_factory, session_scope
from tracker_desktop.db.migrate import make_alembic_config
from tracker_desktop.db.models import Profile
from tracker_desktop.db.repositories import profiles
from tracker_desktop.services import shared_database as service
from tracker_desktop.services.shared_database import SharedDatabaseSetup
from tracker_desktop.ui.settings.shared_database_section import SharedDatabaseSection

# A simulator-shaped test key, never sent anywhere here.
LONDON_KEY = "sk_test_TrackerDesktopSharedLondon0001"
PASSWORD = "Back-office pa55/word"  # the test server trusts its socket; any password opens it
CLICK = Qt.MouseButton.LeftButton


@pytest.fixture
def shops(db: Any) -> dict[str, int]:
    """This computer's history: two shops."""
    with session_scope(db.sessions, write=True) as session:
        geneva = profiles.create_profile(session, "Geneva shop")
        london = profiles.create_profile(session, "London shop")
        geneva.stripe_account_id, london.stripe_account_id = "acct_geneva", "acct_london"
        return {"geneva": geneva.id, "london": london.id}


def make_section(qtbot: QtBot, db: Any) -> SharedDatabaseSection:
    setup = SharedDatabaseSetup(db.paths, load_settings(db.paths.settings_file))
    widget = SharedDatabaseSection(setup)
    qtbot.addWidget(widget)
    widget.resize(700, 600)
    widget.show()
    qtbot.waitUntil(lambda: widget.history.count() == 4)  # this computer's profiles offered
    return widget


@pytest.fixture
def section(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    db: Any,
    shops: dict[str, int],
    memory_keyring: Any,
) -> SharedDatabaseSection:
    return make_section(qtbot, db)


@pytest.fixture
def server_db(postgres_server: PostgresServer) -> Iterator[str]:
    """An empty database on the server, as a shop's administrator creates it."""
    url = postgres_server.empty()
    yield url
    postgres_server.drop(url)


def fill(qtbot: QtBot, section: SharedDatabaseSection, url: str, password: str = PASSWORD) -> None:
    parsed = make_url(url)
    values = {
        "host": str(parsed.query["host"]),
        "port": str(parsed.query["port"]),
        "database": str(parsed.database),
        "user": str(parsed.username),
    }
    for key, value in values.items():
        section.edits[key].clear()
        qtbot.keyClicks(section.edits[key], value)
    section.password.clear()
    qtbot.keyClicks(section.password, password)


def choose(section: SharedDatabaseSection, label: str) -> None:
    index = section.history.findText(label)
    assert index >= 0, label
    section.history.setCurrentIndex(index)


def click_in_box(qtbot: QtBot, section: SharedDatabaseSection, button: str) -> str:
    box = section.dialog
    assert isinstance(box, QMessageBox)
    text = box.text()
    found = [b for b in box.buttons() if b.text().replace("&", "") == button]
    assert found, [b.text() for b in box.buttons()]
    qtbot.mouseClick(found[0], CLICK)
    return text


def use(qtbot: QtBot, section: SharedDatabaseSection) -> None:
    """Use this database…, Yes, and wait until it is done."""
    qtbot.mouseClick(section.use_button, CLICK)
    click_in_box(qtbot, section, "Yes")
    qtbot.waitUntil(lambda: not section.runner.busy, timeout=60_000)


def keychain_password(memory_keyring: Any, section: SharedDatabaseSection) -> str | None:
    shared = section._setup.checked(section.form())
    return keyring.get_password(DATABASE_SERVICE_NAME, shared.account)


def settings_text(db: Any) -> str:
    file: Path = db.paths.settings_file
    return file.read_text(encoding="utf-8") if file.exists() else ""


def file_digest(db: Any) -> str:
    db.engine.dispose()
    return hashlib.sha256(db.paths.database_file.read_bytes()).hexdigest()


def names_on(url: str) -> list[str]:
    engine: Engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.scalars(select(Profile.name).order_by(Profile.name)))
    finally:
        engine.dispose()


def test_the_password_is_masked_and_wrong_fields_are_told_beside_them(
    qtbot: QtBot, section: SharedDatabaseSection, db: Any
) -> None:
    assert section.password.echoMode() == QLineEdit.EchoMode.Password
    section.edits["port"].clear()
    qtbot.keyClicks(section.edits["port"], "99999")
    section.edits["database"].clear()
    qtbot.mouseClick(section.use_button, CLICK)
    assert section.errors["host"].text() == "Enter the server's name or address."
    assert section.errors["port"].text() == "A port is a number from 1 to 65535."
    assert "database's name" in section.errors["database"].text()
    assert not section.errors["user"].isVisible()
    assert section.dialog is None  # not asked, nothing done
    assert "shared_database" not in settings_text(db) or '"shared_database": {}' in settings_text(
        db
    )

    qtbot.keyClicks(section.edits["host"], "backoffice.local")  # right now: its message goes
    assert not section.errors["host"].isVisible()
    assert section.errors["port"].isVisible()


def test_test_connection_runs_off_the_gui_thread_and_answers_in_a_sentence(
    qtbot: QtBot,
    section: SharedDatabaseSection,
    postgres_server: PostgresServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: list[threading.Thread] = []
    real = service.connection_problem

    def recorded(url: str) -> str | None:
        threads.append(threading.current_thread())
        return real(url)

    monkeypatch.setattr(service, "connection_problem", recorded)
    busy: list[tuple[bool, bool, bool]] = []
    section.runner.busy_changed.connect(
        lambda on: busy.append((on, section.progress.isVisible(), section.test_button.isEnabled()))
    )
    url = postgres_server.fresh()
    fill(qtbot, section, url)
    qtbot.mouseClick(section.test_button, CLICK)
    qtbot.waitUntil(lambda: section.answer.isVisible(), timeout=30_000)
    assert section.answer.text() == "Connected: this workstation can use that database."
    assert busy[0] == (True, True, False)  # a busy state while it runs
    assert busy[-1][0] is False
    assert not section.progress.isVisible()
    assert threads
    assert threading.main_thread() not in threads

    section.edits["database"].clear()
    qtbot.keyClicks(section.edits["database"], "no_such_db")
    qtbot.mouseClick(section.test_button, CLICK)
    qtbot.waitUntil(lambda: "no_such_db" in section.answer.text(), timeout=30_000)
    assert "does not exist" in section.answer.text()
    assert PASSWORD not in section.answer.text()


def test_use_this_database_upgrades_it_moves_the_history_and_saves_the_setting(
    qtbot: QtBot,
    section: SharedDatabaseSection,
    db: Any,
    server_db: str,
    memory_keyring: Any,
    tracker_home: Path,
) -> None:
    before = file_digest(db)
    seen: list[int] = []
    section.progress.valueChanged.connect(seen.append)
    fill(qtbot, section, server_db)
    choose(section, "Every business profile (Practice stays here)")
    use(qtbot, section)

    assert "from its next start" in section.answer.text()
    assert "2 profiles" in section.answer.text()
    assert click_in_box(qtbot, section, "Later").startswith("Tracker Desktop will use")
    assert names_on(server_db) == ["Geneva shop", "London shop"]
    assert seen  # the move showed how far it was
    assert max(seen) == 100
    saved = load_settings(db.paths.settings_file).shared_database
    assert saved["database"] == make_url(server_db).database
    assert PASSWORD not in settings_text(db)
    assert keychain_password(memory_keyring, section) == PASSWORD
    assert section.password.text() == ""  # not kept in the window either
    assert PASSWORD not in section.answer.text()
    assert make_url(database_url(db.paths)).database == make_url(server_db).database
    assert file_digest(db) == before  # this computer's file as it was
    for file in (p for p in tracker_home.rglob("*") if p.is_file()):  # logs, settings, copies
        for form in (PASSWORD, quote(PASSWORD, safe="")):
            assert form.encode() not in file.read_bytes(), file
    assert section.stop_button.isVisible()


def test_one_profile_joins_a_server_that_already_has_a_shop(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    db: Any,
    shops: dict[str, int],
    memory_keyring: Any,
    postgres_server: PostgresServer,
) -> None:
    london = shops["london"]
    KeyStore().set(london, LONDON_KEY)
    settings = load_settings(db.paths.settings_file)
    settings.active_profile_id, settings.front_desk_profiles = london, [london]
    save_settings(db.paths.settings_file, settings)
    url = postgres_server.fresh()
    with session_scope(make_session_factory(make_engine(url)), write=True) as session:
        for name in ("Zurich shop", "Paris shop", "Milan shop"):  # ids 1 to 3 are theirs
            profiles.create_profile(session, name).stripe_account_id = f"acct_{name}"
    section = make_section(qtbot, db)
    fill(qtbot, section, url)
    choose(section, "Only London shop")
    use(qtbot, section)
    assert names_on(url) == ["London shop", "Milan shop", "Paris shop", "Zurich shop"]

    # What this computer keeps by profile id follows London to its id on the server.
    engine = make_engine(url)
    with engine.connect() as conn:
        server_id = conn.scalar(select(Profile.id).where(Profile.name == "London shop"))
    engine.dispose()
    assert server_id is not None
    assert server_id != london
    saved = load_settings(db.paths.settings_file)
    assert (saved.active_profile_id, saved.front_desk_profiles) == (server_id, [server_id])
    shared = KeyStore.for_database(database_url(db.paths))  # what the next start reads
    assert shared.get(server_id) == LONDON_KEY
    assert shared.get(london) is None  # the server's profile of that id is another shop
    assert KeyStore().get(london) == LONDON_KEY  # this computer's file keeps its own


def test_the_same_shop_twice_is_refused_and_nothing_is_saved(
    qtbot: QtBot,
    section: SharedDatabaseSection,
    postgres_server: PostgresServer,
    db: Any,
    memory_keyring: Any,
) -> None:
    url = postgres_server.fresh()
    with session_scope(make_session_factory(make_engine(url)), write=True) as session:
        profiles.create_profile(session, "London, Mayfair").stripe_account_id = "acct_london"
    fill(qtbot, section, url)
    choose(section, "Only London shop")
    use(qtbot, section)
    assert "for the same Stripe account" in section.answer.text()
    assert names_on(url) == ["London, Mayfair"]
    assert load_settings(db.paths.settings_file).shared_database == {}
    assert keychain_password(memory_keyring, section) is None  # taken out again
    assert section.use_button.isEnabled()


def test_no_keychain_is_told_and_the_server_is_not_touched(
    qtbot: QtBot, section: SharedDatabaseSection, server_db: str, db: Any, memory_keyring: Any
) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        fill(qtbot, section, server_db)
        use(qtbot, section)
    finally:
        keyring.set_keyring(memory_keyring)
    assert "keychain" in section.answer.text()
    assert PASSWORD not in section.answer.text()
    assert load_settings(db.paths.settings_file).shared_database == {}
    engine = make_engine(server_db)
    with engine.connect() as conn:  # not even migrated
        tables = conn.scalar(
            select(func.count()).select_from(
                select(1).where(func.to_regclass("public.profiles").is_not(None)).subquery()
            )
        )
    engine.dispose()
    assert tables == 0


def test_stop_sharing_goes_back_to_this_computers_file(
    qtbot: QtBot, section: SharedDatabaseSection, db: Any, server_db: str, memory_keyring: Any
) -> None:
    fill(qtbot, section, server_db)
    choose(section, "Nothing: start the shared database empty")
    use(qtbot, section)
    click_in_box(qtbot, section, "Later")
    assert names_on(server_db) == []  # migrated, nothing moved
    qtbot.mouseClick(section.stop_button, CLICK)
    click_in_box(qtbot, section, "Yes")
    assert "this computer's own file again" in section.answer.text()
    assert click_in_box(qtbot, section, "Later").startswith("From its next start")
    assert load_settings(db.paths.settings_file).shared_database == {}
    assert load_settings(db.paths.settings_file).active_profile_id is None  # the file's first
    assert database_url(db.paths) == f"sqlite:///{db.paths.database_file}"
    assert keychain_password(memory_keyring, section) is None
    assert section.where.text() == "This computer works in its own database file."
    assert not section.stop_button.isVisible()


def test_without_pg_dump_the_upgrade_waits_for_the_dealers_yes(
    qtbot: QtBot,
    section: SharedDatabaseSection,
    server_db: str,
    db: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    command.upgrade(make_alembic_config(url=server_db), "0002")  # an older version's database
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    fill(qtbot, section, server_db)
    choose(section, "Nothing: start the shared database empty")
    use(qtbot, section)
    question = click_in_box(qtbot, section, "No")
    assert "pg_dump" in question
    assert "Make a backup" in question
    assert "was not upgraded" in section.answer.text()
    assert load_settings(db.paths.settings_file).shared_database == {}
    assert _revision(server_db) == "0002"

    use(qtbot, section)
    click_in_box(qtbot, section, "Yes")  # the backup is made: upgrade it
    qtbot.waitUntil(lambda: not section.runner.busy, timeout=60_000)
    assert "from its next start" in section.answer.text()
    assert _revision(server_db) != "0002"
    assert load_settings(db.paths.settings_file).shared_database != {}


def _revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
