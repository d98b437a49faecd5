"""The process around the app: folders and logging first, the Qt application, one copy per
data folder, the window painted once, then the qasync loop and the Application until the
window closes."""

from __future__ import annotations

import gc
import logging
import sys

from PySide6.QtCore import QLockFile
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from tracker_desktop import APP_NAME
from tracker_desktop.app.composition import Application
from tracker_desktop.app.error_hooks import ErrorReporter
from tracker_desktop.app.resources import resource
from tracker_desktop.app.single_instance import ALREADY_RUNNING, take_instance_lock
from tracker_desktop.config.log_setup import (
    configure_logging,
    configure_stderr_logging,
    start_rotating,
)
from tracker_desktop.config.paths import AppPaths, app_paths

log = logging.getLogger("tracker.app")


class StartupFailed(RuntimeError):
    """Raised in self-test mode so the reason reaches the command line."""


def prepare_folders(paths: AppPaths) -> str | None:
    """Create the log file and the folders; a sentence if the system refuses one.

    The log comes first, so a read-only data folder is still written down there; without
    a log file logging goes to stderr. Either way the window opens to say what is wrong.
    """
    from tracker_desktop.domain.errors import StorageProblem

    log_problem = folder_problem = None
    try:
        configure_logging(paths.logs, rotating=False)  # rotating after the paint
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
    problem = prepare_folders(paths)
    log.info("%s starting (practice=%s)", APP_NAME, practice)

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
                from PySide6.QtWidgets import QMessageBox

                QMessageBox.information(None, APP_NAME, text)
            return 3
    app = Application(
        paths,
        practice=practice,
        quit_after_ready=quit_after_ready,
        self_test=self_test,
        startup_problem=problem,
    )
    # The self-test has nobody to close an error dialog: an unhandled exception fails it.
    errors = ErrorReporter(lambda: app.window, fatal=app.fail if self_test else None)
    errors.install_hook()
    sentry = None
    if self_test:  # and nobody to close any other dialog: one that opens fails it too
        from tracker_desktop.app.self_test_tour import DialogSentry

        sentry = DialogSentry(app.fail)
    painted = app.show_window()
    gc.enable()  # cli.main held it off until the first paint
    start_rotating()
    from tracker_desktop.services.offload import favour_the_gui_thread

    favour_the_gui_thread()
    if not painted:  # closed before it painted: nothing was opened yet
        _release(instance_lock)
        if self_test and app.failure:
            raise StartupFailed(app.failure)
        return 0
    # After the first paint (app/first_paint): a tenth of a second the window does not wait for.
    import asyncio

    import qasync

    loop = qasync.QEventLoop(qt_app)
    asyncio.set_event_loop(loop)
    errors.install(loop)
    quit_event = asyncio.Event()
    qt_app.aboutToQuit.connect(quit_event.set)
    loop.call_soon(app.open_database)
    with loop:
        loop.run_until_complete(quit_event.wait())
        loop.run_until_complete(app.shutdown())
    errors.uninstall(loop)
    del sentry  # kept until here: its timer watches the whole run
    _release(instance_lock)
    if app.failure:
        if self_test:
            raise StartupFailed(app.failure)
        return 1
    return 0


def _release(instance_lock: QLockFile | None) -> None:
    if instance_lock is not None:
        instance_lock.unlock()
