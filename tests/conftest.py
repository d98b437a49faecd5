"""Shared fixtures: a throwaway TRACKER_HOME, an in-memory keychain, a qasync loop, a catcher
for the system browser, a migrated SQLite file, the Stripe simulator over real HTTP and a
profile with its own simulator account. Only the keychain and the browser launcher are replaced.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import settings
from postgres_server import PostgresServer, server_url
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.config.memory_keychain import MemoryKeyring, memory_keychain
from tracker_desktop.config.paths import AppPaths, app_paths
from tracker_desktop.config.secrets import KeyStore
from tracker_desktop.db.engine import make_engine, make_session_factory, session_scope
from tracker_desktop.db.migrate import prepare_database
from tracker_desktop.db.repositories.profiles import create_profile

if TYPE_CHECKING:
    from tracker_desktop.sandbox import Sandbox

# Hypothesis's per-example deadline is a timed assertion: on two busy cores a correct
# example can take longer than 200 ms. Speed is `make bench`'s business, never a test's.
settings.register_profile("tracker", deadline=None)
settings.load_profile("tracker")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Every simulator answer in the run is held to Stripe's own model (tests/stripe_model_check.py).
pytest_plugins = ["stripe_model_check"]


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """The OS keychain cannot run here; the app's own in-memory stand-in replaces it."""
    with memory_keychain() as backend:
        yield backend


@pytest.fixture
def tracker_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("TRACKER_HOME", str(home))
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    return home


@pytest.fixture
def qasync_loop(qapp: object) -> Iterator[asyncio.AbstractEventLoop]:
    """qasync's loop on the already running pytest-qt application."""
    import qasync
    from PySide6.QtWidgets import QApplication

    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    # A plain pool we can shut down: qasync's own QThread pool outlives the test and aborts
    # the process at exit.
    pool = ThreadPoolExecutor(2, thread_name_prefix="test-loop")
    loop.set_default_executor(pool)
    try:
        yield loop
    finally:
        for task in asyncio.all_tasks(loop):
            task.cancel()
        for _ in range(5):  # let the cancellations run inside the Qt loop
            QApplication.processEvents()
        # qasync marks the loop as running for the whole thread; undo it, or every later
        # asyncio.run() in this process would refuse to start.
        asyncio.events._set_running_loop(None)
        asyncio.set_event_loop(None)
        pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture
def browser_urls(qapp: object) -> Iterator[list[str]]:
    """Every URL the app asked the system browser to open, instead of opening it."""
    from PySide6.QtCore import QObject, QUrl, Slot
    from PySide6.QtGui import QDesktopServices

    opened: list[str] = []

    class Catcher(QObject):
        @Slot(QUrl)
        def open(self, url: QUrl) -> None:
            opened.append(url.toString())

    catcher = Catcher()
    for scheme in ("https", "http"):
        QDesktopServices.setUrlHandler(scheme, catcher, "open")
    try:
        yield opened
    finally:
        for scheme in ("https", "http"):
            QDesktopServices.unsetUrlHandler(scheme)


@pytest.fixture(autouse=True)
def links_through_qt() -> Iterator[None]:
    """Links and files open through QDesktopServices in every test, where a test's URL handler
    catches them; on Linux the app would run xdg-open itself (ui.browser). Tests of that path
    point the launcher at a script of their own."""
    from tracker_desktop.ui import browser

    previous = browser.launcher()
    browser.set_launcher(None)
    try:
        yield
    finally:
        browser.set_launcher(previous)


@pytest.fixture
def start_app(
    qtbot: Any, qasync_loop: asyncio.AbstractEventLoop, tracker_home: Path, memory_keyring: Any
) -> Iterator[Callable[..., Any]]:
    """Starts the real Application (composition root) on a fresh TRACKER_HOME."""
    from tracker_desktop.app.composition import Application

    started: list[Application] = []

    def start(*, practice: bool = False) -> Application:
        app = Application(
            app_paths().ensure(), practice=practice, quit_after_ready=False, self_test=False
        )
        qtbot.addWidget(app.window)
        app.start()
        qtbot.waitUntil(lambda: app.services is not None or app.failure is not None)
        assert app.failure is None
        started.append(app)
        return app

    yield start
    for app in started:
        done = asyncio.ensure_future(app.shutdown())
        qtbot.waitUntil(done.done, timeout=10_000)


# -- the database, the simulator and a profile on it ------------------------------------------
@dataclass(frozen=True)
class MigratedDb:
    """The app's SQLite file where the app keeps it (under the test's TRACKER_HOME), migrated
    to head the way the app does it at start-up."""

    paths: AppPaths
    url: str
    engine: Engine
    sessions: sessionmaker[Session]


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    """The test server with a migrated template database (skips or fails without one)."""
    server = PostgresServer(server_url())
    server.create_template(tmp_path_factory.mktemp("pg-backups"))
    try:
        yield server
    finally:
        server.drop_all()


@pytest.fixture
def db_backend() -> str:
    """The engine `db` runs on. SQLite here; the database and service suites' conftests
    parametrize it over SQLite and PostgreSQL."""
    return "sqlite"


@pytest.fixture
def db(tracker_home: Path, db_backend: str, request: pytest.FixtureRequest) -> Iterator[MigratedDb]:
    paths = app_paths().ensure()
    server: PostgresServer | None = None
    if db_backend == "postgresql":
        server = request.getfixturevalue("postgres_server")
        url = server.fresh()
    else:
        url = f"sqlite:///{paths.database_file}"
        prepare_database(url, paths.database_file, paths.backups)
    engine = make_engine(url)
    try:
        yield MigratedDb(paths, url, engine, make_session_factory(engine))
    finally:
        engine.dispose()
        if server is not None:
            server.drop(url)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """The simulator, one server per test module: its clock, faults and request counters are
    the server's, so a module shares them; accounts are per key (Sandbox.new_key())."""
    from tracker_desktop.sandbox import Sandbox

    with Sandbox(port=0, account_name="Geneva Fine Watches") as sb:
        yield sb


@dataclass(frozen=True)
class SimProfile:
    """A profile in `db` whose Stripe key, a simulator account of its own, is in the keychain."""

    id: int
    key: str


@pytest.fixture
def sim_profile(db: MigratedDb, sandbox: Sandbox, memory_keyring: MemoryKeyring) -> SimProfile:
    with session_scope(db.sessions, write=True) as session:
        profile_id = create_profile(session, "Geneva Fine Watches").id
    key = sandbox.new_key()
    KeyStore().set(profile_id, key)
    return SimProfile(profile_id, key)


@pytest.fixture
def closed_port_url() -> str:
    """A local address nobody listens on: connecting fails at once, as when offline."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture(autouse=True)
def patient_wait_until(monkeypatch: pytest.MonkeyPatch) -> None:
    """CI shares two cores with the simulator and Qt: give `qtbot.waitUntil` a 20 s ceiling
    by default instead of 5 s. A wait ends as soon as its condition holds, so passing tests
    are no slower; only a real failure waits longer before it is reported."""
    from pytestqt.qtbot import QtBot

    original = QtBot.waitUntil

    def wait_until(
        self: QtBot, callback: Callable[[], bool | None], *, timeout: int = 20_000
    ) -> None:
        original(self, callback, timeout=timeout)

    monkeypatch.setattr(QtBot, "waitUntil", wait_until)
