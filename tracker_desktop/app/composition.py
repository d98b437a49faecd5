"""Start-up: paint the window first, then open the database and build the services.

asyncio, stripe, alembic, SQLAlchemy and keyring are imported only after the first paint, so
the window shows fast even with a large database (`make bench` measures cold_start_ratio;
tests/app/test_first_paint_imports.py keeps the list). The methods that need asyncio import
it where they run, which is always after the first paint.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from tracker_desktop import APP_NAME, app_version
from tracker_desktop.app.about import install_help_menu
from tracker_desktop.app.database_start import prepare_and_connect, say_when_it_fails
from tracker_desktop.app.first_paint import FirstPaintWatcher, show_until_painted
from tracker_desktop.config.log_setup import set_detailed
from tracker_desktop.config.paths import AppPaths, database_url
from tracker_desktop.config.settings import AppSettings, load_settings, save_settings
from tracker_desktop.ui.main_window import MainWindow
from tracker_desktop.ui.pages_registry import build_pages
from tracker_desktop.ui.widgets.geometry import LayoutMemory

if TYPE_CHECKING:
    import asyncio

    from PySide6.QtWidgets import QDialog

    from tracker_desktop.services.app_services import AppServices, Foundation
    from tracker_desktop.services.profiles.profile_service import ProfileService
    from tracker_desktop.ui.bridge import QtEventBridge

log = logging.getLogger("tracker.app")


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
        self.help_menu = install_help_menu(self.window, paths)
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

    def show_window(self) -> bool:
        """Shows the window and runs Qt's loop alone until it has painted once.

        False when the app quit before that (the window closed at once, or the bench's
        "quit" mode). The event loop proper starts after this returns.
        """
        return show_until_painted(self.window)

    def start(self) -> None:
        """The same inside an event loop that already runs (the screenshots)."""
        self._first_paint = FirstPaintWatcher(self.window, self.open_database)
        self.window.show()

    def open_database(self) -> None:
        """After the first paint, inside the running event loop: the database, then services."""
        import asyncio

        QApplication.setApplicationVersion(app_version())
        log.info("%s %s, window shown", APP_NAME, app_version())
        if self.startup_problem is not None:
            self.fail(self.startup_problem)
            return
        self._startup_task = asyncio.ensure_future(self._open_database_async())
        self._startup_task.add_done_callback(
            lambda t: say_when_it_fails(t, self.fail, self.paths.logs)
        )

    async def _open_database_async(self) -> None:
        """Imports, checks and migrations run in a worker thread: the window stays live."""
        import asyncio

        url = database_url(self.paths)
        db_file = self.paths.database_file if url.startswith("sqlite") else None
        loop = asyncio.get_running_loop()
        try:
            session_factory = await loop.run_in_executor(
                None, prepare_and_connect, url, db_file, self.paths.backups
            )
        except Exception as exc:
            from tracker_desktop.domain.errors import TrackerError

            if isinstance(exc, TrackerError):  # refused, full, read-only, busy: a sentence
                self.fail(str(exc))
            else:  # unexpected: say so plainly, without the library's text
                log.exception("database start-up failed")
                where = db_file if db_file is not None else "the configured database server"
                self.fail(
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
        from tracker_desktop.ui import bridge, notifications

        settings = self.settings
        base = Foundation(
            paths=self.paths,
            settings=settings,
            hub=EventHub(),
            session_factory=session_factory,  # type: ignore[arg-type]
            keystore=KeyStore.for_database(database_url(self.paths)),
            active=ActiveProfile(settings.active_profile_id),
            locale=lambda: dealer_locale(settings.locale),
        )
        self.base = base
        gateways = GatewayProvider(base.session_factory, base.keystore)
        base.closers.append(gateways.close_all)
        self.bridge = bridge.QtEventBridge(base.hub, self.window)
        self.bridge.sync_state.connect(self.window.set_sync_state)
        profiles = ProfileService(base, gateways, practice_starter=self._start_simulator)
        self.profiles = profiles
        self._open_profiles(profiles)
        # The poller starts after the first start's profile is chosen, as it follows that one.
        services = build_services(base, gateways, profiles)
        self.services = services
        self.window.sync_requested.connect(lambda: self._spawn(services.sync.poll_now()))
        self.notices = notifications.attach_notices(self.window, services)  # before a poll
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
        import asyncio

        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def fail(self, message: str) -> None:
        if self.failure is not None:  # start-up or the self-test failed: the first reason
            return
        self.failure = message
        log.error("start-up failed: %s", message)
        self.window.show_startup_problem(message)
        if self.quit_after_ready:
            QTimer.singleShot(0, QApplication.quit)

    def _ready(self) -> None:
        if self.self_test:  # every page and the PDF viewer, then quit
            from tracker_desktop.app.self_test_tour import tour_then_quit

            self._spawn(tour_then_quit(self.window, self.paths.data.parent, self.fail))
        elif self.quit_after_ready:
            QTimer.singleShot(0, QApplication.quit)

    async def shutdown(self) -> None:
        """Closers may be plain functions or coroutines (HTTP clients close asynchronously)."""
        import asyncio

        if self.base is None:
            return
        for closer in reversed(self.base.closers):
            try:
                result = closer()
                if asyncio.iscoroutine(result):
                    await result
            except Exception:
                log.exception("shutdown step failed")
