"""Settings -> Shared database below the window: the form's checks, the password kept in the
keychain and never in settings.json, the URL the app then opens, and "Test connection"
against the PostgreSQL test server (a good database, a missing one)."""

from __future__ import annotations

from pathlib import Path

import pytest
from postgres_server import PostgresServer
from sqlalchemy import make_url, text

from tracker_desktop.config.memory_keychain import MemoryKeyring
from tracker_desktop.config.paths import app_paths, database_url
from tracker_desktop.config.secrets import DatabasePasswordStore
from tracker_desktop.config.settings import AppSettings, load_settings, save_settings
from tracker_desktop.config.shared_database import SharedDatabase, checked, shared_database
from tracker_desktop.db.connection_check import connection_problem
from tracker_desktop.db.engine import make_engine
from tracker_desktop.domain.errors import FormInvalid

PASSWORD = "s3cret/with:odd@chars"


def test_the_form_says_what_is_wrong_beside_each_field() -> None:
    with pytest.raises(FormInvalid) as err:
        checked("back office", "70000", "", "x" * 64)
    assert set(err.value.errors) == {"host", "port", "database", "user"}
    assert checked(" db.shop.local ", "5433", "tracker", "desk") == SharedDatabase(
        "db.shop.local", 5433, "tracker", "desk"
    )


def test_the_password_is_in_the_keychain_and_the_url_opens_the_server(
    tracker_home: Path, memory_keyring: MemoryKeyring, postgres_server: PostgresServer
) -> None:
    server = make_url(postgres_server.url)
    name = make_url(postgres_server.fresh()).database or ""
    shared = SharedDatabase(str(server.query["host"]), int(server.query["port"]), name, "tracker")
    paths = app_paths().ensure()
    save_settings(paths.settings_file, AppSettings(shared_database=shared.to_settings()))
    DatabasePasswordStore().set(shared.account, PASSWORD)

    assert PASSWORD not in paths.settings_file.read_text(encoding="utf-8")
    assert shared_database(load_settings(paths.settings_file).shared_database) == shared
    url = database_url(paths)
    assert make_url(url).password == PASSWORD  # joined only here, from the keychain
    assert connection_problem(url) is None  # the test server trusts its socket
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT current_database()")).scalar() == name
    engine.dispose()


def test_a_missing_database_is_a_sentence_without_the_password(
    postgres_server: PostgresServer,
) -> None:
    server = make_url(postgres_server.url)
    missing = SharedDatabase(str(server.query["host"]), int(server.query["port"]), "no_such_db")
    problem = connection_problem(missing.url(PASSWORD))
    assert problem is not None
    assert 'database "no_such_db"' in problem
    assert "does not exist" in problem
    assert PASSWORD not in problem


def test_a_shared_databases_stripe_keys_are_kept_apart_from_the_files(
    memory_keyring: MemoryKeyring,
) -> None:
    """Profile 1 of the server is not profile 1 of this computer's file: its key is another."""
    from tracker_desktop.config.secrets import KeyStore
    from tracker_desktop.config.shared_database import keychain_scope

    shared = SharedDatabase("/run/postgresql", 5432, "tracker", "front desk")
    assert keychain_scope(shared.url(PASSWORD)) == shared.account
    assert PASSWORD not in keychain_scope(shared.url(PASSWORD))
    assert keychain_scope("sqlite:////home/dealer/tracker.sqlite3") == ""
    KeyStore().set(1, "sk_test_TrackerDesktopFileProfileOne01")
    server = KeyStore.for_database(shared.url(PASSWORD))  # as the app opens it
    assert server.get(1) is None
    server.set(1, "sk_test_TrackerDesktopServerProfileOne")
    assert KeyStore().get(1) == "sk_test_TrackerDesktopFileProfileOne01"
    assert KeyStore(shared.account).get(1) == "sk_test_TrackerDesktopServerProfileOne"
