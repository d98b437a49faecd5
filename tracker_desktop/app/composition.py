"""Start-up: paint the window first, then open the database and build the services.

stripe, alembic and keyring are imported only after the first paint, so the window shows
fast even with a large database (`make bench` measures cold_start_ratio).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from tracker_desktop import APP_NAME, app_version
from tracker_desktop.app.error_hooks import ErrorReporter
from tracker_desktop.app.first_paint import on_first_paint
from tracker_desktop.app.resources import resource
from tracker_desktop.app.single_instance import ALREADY_RUNNING, take_instance_lock
from tracker_desktop.config.log_setup import (
    configure_logging,
    configure_stderr_logging,
    set_detailed,
)
from tracker_desktop.config.paths import AppPaths, app_paths, database_url
from tracker_desktop.config.settings import AppSettings, load_settings, save_settings
from tracker_desktop.ui.main_window import MainWindow
from tracker_desktop.ui.pages_registry import build_pages
from tracker_desktop.ui.widgets.geometry import LayoutMemory

if TYPE_CHECKING:
    from tracker_desktop.services.app_services import AppServices, Foundation
    from tracker_desktop.services.profiles.profile_service import ProfileService
    from tracker_desktop.ui.bridge import QtEventBridge

log = logging.getLogger("tracker.app")


class StartupFailed(RuntimeError):
    """Raised in self-test mode so the reason reaches the command line."""


class Application:
    """Owns the window, the services and their shutdown. One per process."""

    def __init__(
        self,
        paths: AppPaths,
        *,
        practice: bool,
        quit_after_ready: bool,
        self_test: bool,
        startup_problem: str | None = None,
    ) -> None:
        self.paths = paths
        # A folder the app cannot write, found before the window existed: shown instead of
        # opening the database.
        self.startup_problem = startup_problem
        self.practice = practice
        self.quit_after_ready = quit_after_ready
        self.self_test = self_test
        self.base: Foundation | None = None  # what start-up made before any service
        self.profiles: ProfileService | None = None
        self.services: AppServices | None = None
        self.bridge: QtEventBridge | None = None
        self.failure: str | None = None
        self.welcome: QDialog | None = None  # the first-start dialog, while it is open
        self._tasks: set[asyncio.Future[object]] = set()  # keep fire-and-forget tasks alive
        # Read once, before the window shows (its size and place are in it); the services
        # share this object, so every save writes the whole of it.
        self.settings = load_settings(paths.settings_file)
        set_detailed(self.settings.detailed_log)
        self.window = MainWindow(build_pages(self._services, self._bridge))
        self.window.setWindowTitle(APP_NAME)
        # The self-test and the bench leave the settings file alone.
        self.layout_memory = LayoutMemory(
            self.settings, self._save_settings, autosave=not quit_after_ready
        )
        self.layout_memory.restore_window(self.window)
        self.window.layout_memory = self.layout_memory
        self.window.closing.connect(self.layout_memory.save)

    def _save_settings(self, settings: AppSettings) -> None:
        from tracker_desktop.domain.errors import StorageProblem

        try:
            save_settings(self.paths.settings_file, settings)
        except StorageProblem as exc:  # the window's layout is not worth a dialog
            log.warning("window layout not kept: %s", exc)

    def _services(self) -> AppServices:
        if self.services is None:
            raise RuntimeError("services are not ready yet")
        return self.services

    def _base(self) -> Foundation:
        if self.base is None:
            raise RuntimeError("the database is not open yet")
        return self.base

    def _profiles(self) -> ProfileService:
        if self.profiles is None:
            raise RuntimeError("profiles are not ready yet")
        return self.profiles

    def _bridge(self) -> QtEventBridge:
        if self.bridge is None:
            raise RuntimeError("services are not ready yet")
        return self.bridge

    def start(self) -> None:
        # After the first paint: the expensive imports and the database.
        self._first_paint = on_first_paint(self.window, self._open_database)
        self.window.show()

    def _open_database(self) -> None:
        QApplication.setApplicationVersion(app_version())
        log.info("%s %s, window shown", APP_NAME, app_version())
        if self.startup_problem is not None:
            self._fail(self.startup_problem)
            return
        self._startup_task = asyncio.ensure_future(self._open_database_async())

    async def _open_database_async(self) -> None:
        """Imports, checks and migrations run in a worker thread: the window stays live."""
        url = database_url(self.paths)
        db_file = self.paths.database_file if url.startswith("sqlite") else None
        loop = asyncio.get_running_loop()
        try:
            session_factory = await loop.run_in_executor(
                None, _prepare_and_connect, url, db_file, self.paths.backups
            )
        except Exception as exc:
            from tracker_desktop.domain.errors import TrackerError

            if isinstance(exc, TrackerError):  # refused, full, read-only, busy: a sentence
                self._fail(str(exc))
            else:  # unexpected: say so plainly, without the library's text
                log.exception("database start-up failed")
                where = db_file if db_file is not None else "the configured database server"
                self._fail(
                    f"Tracker Desktop could not open its database at {where} because of an "
                    f"unexpected problem ({type(exc).__name__}). The details are in the log "
                    f"file in {self.paths.logs}."
                )
            return
        self._build_services(session_factory)

    def _build_services(self, session_factory: object) -> None:
        from tracker_desktop.app.dealer_locale import dealer_locale
        from tracker_desktop.app.service_graph import build_services
        from tracker_desktop.config.secrets import KeyStore
        from tracker_desktop.services.app_services import ActiveProfile, Foundation
        from tracker_desktop.services.events import EventHub
        from tracker_desktop.services.profiles.profile_service import ProfileService
        from tracker_desktop.services.profiles.stripe_access import GatewayProvider
        from tracker_desktop.ui.bridge import QtEventBridge

        settings = self.settings
        base = Foundation(
            paths=self.paths,
            settings=settings,
            hub=EventHub(),
            session_factory=session_factory,  # type: ignore[arg-type]
            keystore=KeyStore(),
            active=ActiveProfile(settings.active_profile_id),
            locale=lambda: dealer_locale(settings.locale),
        )
        self.base = base
        gateways = GatewayProvider(base.session_factory, base.keystore)
        base.closers.append(gateways.close_all)
        self.bridge = QtEventBridge(base.hub, self.window)
        self.bridge.sync_state.connect(self.window.set_sync_state)
        profiles = ProfileService(base, gateways, practice_starter=self._start_simulator)
        self.profiles = profiles
        self._open_profiles(profiles)
        # The poller starts after the first start's profile is chosen, as it follows that one.
        services = build_services(base, gateways, profiles)
        self.services = services
        self.window.sync_requested.connect(lambda: self._spawn(services.sync.poll_now()))
        if not self.quit_after_ready:  # self-test and bench start no network work
            services.sync.start()
        self.window.enable_pages()
        # Everything made so far lives as long as the app: keep it out of the collector's
        # full passes, which otherwise stall the GUI thread for tens of milliseconds.
        gc.freeze()
        self._ready()

    # -- profiles, Practice mode and the first start -------------------------------------
    def _open_profiles(self, profiles: ProfileService) -> None:
        assert self.bridge is not None
        self.bridge.profile_changed.connect(lambda _pid: self._show_profile())
        self.bridge.profiles_edited.connect(self._show_profile)
        profiles.open_active()  # missing or deleted: the first one
        active = profiles.active()
        if self.practice or (active is not None and active.is_practice):
            self._guarded(profiles.start_practice)
        self._show_profile()
        if not profiles.list_profiles() and not self.quit_after_ready:
            QTimer.singleShot(0, self._welcome)

    def _start_simulator(self) -> tuple[str, str]:
        """Practice mode: the simulator runs in this process and stops with it."""
        from tracker_desktop.sandbox import Sandbox

        simulator = Sandbox(port=0, account_name="Practice Watch Co.").start()
        self._base().closers.append(simulator.stop)
        log.info("practice simulator started on %s", simulator.base_url)
        return simulator.base_url, simulator.secret_key

    def _show_profile(self) -> None:
        view = self._profiles().active()
        if view is None:
            self.window.set_profile(None, "none")
        else:
            self.window.set_profile(view.name, view.mode, view.connection.short)

    def _welcome(self) -> None:
        from tracker_desktop.ui.welcome import WelcomeDialog

        dialog = WelcomeDialog(self.window)
        self.welcome = dialog
        profiles = self._profiles()
        dialog.practise_chosen.connect(lambda: self._guarded(profiles.start_practice))
        dialog.connect_chosen.connect(self._connect_stripe)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _connect_stripe(self) -> None:
        from tracker_desktop.ui.settings import SettingsPage

        page = self.window.show_page("settings")
        if isinstance(page, SettingsPage):
            page.add_profile()

    def _guarded(self, action: Callable[[], object]) -> None:
        from tracker_desktop.domain.errors import TrackerError

        try:
            action()
        except TrackerError as exc:
            self.window.set_sync_state(str(exc), ok=False)
        except Exception:  # the app still opens; the reason is in the log
            log.exception("practice mode did not start")
            self.window.set_sync_state("Practice mode did not start; see the log.", ok=False)

    def _spawn(self, coro: Coroutine[object, object, object]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _fail(self, message: str) -> None:
        self.failure = message
        log.error("start-up failed: %s", message)
        self.window.show_startup_problem(message)
        if self.quit_after_ready:
            QTimer.singleShot(0, QApplication.quit)

    def _ready(self) -> None:
        if self.quit_after_ready:
            QTimer.singleShot(0, QApplication.quit)

    async def shutdown(self) -> None:
        """Closers may be plain functions or coroutines (HTTP clients close asynchronously)."""
        if self.base is None:
            return
        for closer in reversed(self.base.closers):
            try:
                result = closer()
                if asyncio.iscoroutine(result):
                    await result
            except Exception:
                log.exception("shutdown step failed")


def _prepare_and_connect(url: str, db_file: Path | None, backups: Path) -> object:
    from tracker_desktop.db.engine import make_engine, make_session_factory
    from tracker_desktop.db.migrate import prepare_database

    report = prepare_database(url, db_file, backups)
    log.info("database ready: %s", report)
    return make_session_factory(make_engine(url))


def _prepare_folders(paths: AppPaths) -> str | None:
    """Create the log file and the folders; a sentence if the system refuses one.

    The log comes first, so a read-only data folder is still written down there; without
    a log file logging goes to stderr. Either way the window opens to say what is wrong.
    """
    from tracker_desktop.domain.errors import StorageProblem

    log_problem = folder_problem = None
    try:
        configure_logging(paths.logs)
    except StorageProblem as exc:
        configure_stderr_logging()
        log_problem = str(exc)
    try:
        paths.ensure()
    except StorageProblem as exc:
        folder_problem = str(exc)
    return folder_problem or log_problem


def run_gui(*, practice: bool, quit_after_ready: bool, self_test: bool = False) -> int:
    paths = app_paths()
    problem = _prepare_folders(paths)
    log.info("%s starting (practice=%s)", APP_NAME, practice)

    import qasync

    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    qt_app.setApplicationName(APP_NAME)
    icon = resource("tracker.png")
    if icon is not None:
        QApplication.setWindowIcon(QIcon(str(icon)))
    instance_lock = None
    if not self_test and problem is None:
        instance_lock = take_instance_lock(paths.data)
        if instance_lock is None:
            text = ALREADY_RUNNING.format(folder=paths.data)
            log.warning("a second copy was refused: another one holds %s", paths.data)
            print(text, file=sys.stderr)
            if not quit_after_ready:
                # Before the event loop runs, so this is the only loop, not a nested one.
                QMessageBox.information(None, APP_NAME, text)
            return 3
    loop = qasync.QEventLoop(qt_app)
    asyncio.set_event_loop(loop)

    app = Application(
        paths,
        practice=practice,
        quit_after_ready=quit_after_ready,
        self_test=self_test,
        startup_problem=problem,
    )
    errors = ErrorReporter(lambda: app.window)
    errors.install(loop)
    quit_event = asyncio.Event()
    qt_app.aboutToQuit.connect(quit_event.set)
    app.start()
    with loop:
        loop.run_until_complete(quit_event.wait())
        loop.run_until_complete(app.shutdown())
    errors.uninstall(loop)
    if instance_lock is not None:
        instance_lock.unlock()
    if app.failure:
        if self_test:
            raise StartupFailed(app.failure)
        return 1
    return 0
