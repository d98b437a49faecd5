"""A rotating log file in the log folder, private to this user (0600), with every Stripe
secret masked before it is written.

Until the window's first paint the file is written by a plain FileHandler: the rotating one
lives in logging.handlers, whose imports (socket, pickle, queue, threading) would come
before the paint. `start_rotating` swaps it in on the same file just after (app.launch).
"""

from __future__ import annotations

import io
import logging
import os
import stat
import sys
from pathlib import Path
from typing import cast

from tracker_desktop.config.storage_text import file_problem, folder_problem
from tracker_desktop.domain.secret_text import mask_secrets

LOG_FILE_NAME = "tracker.log"
# The app's own loggers: "tracker_desktop.<module>", and the few named "tracker.<part>".
APP_LOGGERS = ("tracker_desktop", "tracker")
# Libraries that log every request at INFO, the SDK with whole response bodies at DEBUG
# (buyers' names and emails): only their warnings are kept, even in the detailed log.
QUIET_LIBRARIES = ("stripe", "httpx", "httpcore", "alembic.runtime.plugins")


class SecretMaskFilter(logging.Filter):
    """Rewrites each record's message (args and traceback included) with secrets masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = mask_secrets(message)
        record.args = None
        if record.exc_text:
            record.exc_text = mask_secrets(record.exc_text)
        # The traceback text is cached above and masked; drop the live objects.
        record.exc_info = None
        if record.stack_info:
            record.stack_info = mask_secrets(record.stack_info)
        return True


class PrivateFileHandler(logging.FileHandler):
    """Log files readable by this user only (0600), the rotated ones too, like the database.
    Used as it is until the first paint, then as the base of the rotating one.

    A write that fails (full disk, folder made read-only) is reported once, in one line on
    stderr, instead of a traceback for every record; logging goes on when the disk does.
    """

    def _open(self) -> io.TextIOWrapper:
        path = Path(self.baseFilename)
        # The handler owns the stream and closes it; the mode is "a", so text.
        handle = cast(
            io.TextIOWrapper,
            open(path, self.mode, encoding=self.encoding, errors=self.errors, opener=_private),  # noqa: SIM115
        )
        tighten(path)  # a file made 0644 by an older version
        return handle

    def handleError(self, record: logging.LogRecord) -> None:
        if getattr(self, "_reported", False):
            return
        self._reported = True
        problem = sys.exc_info()[1]
        reason = problem.strerror if isinstance(problem, OSError) else problem
        sys.stderr.write(
            f"Tracker Desktop could not write its log file {self.baseFilename} ({reason}); "
            "log lines are dropped until that is fixed.\n"
        )


def _private(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)


def tighten(path: Path) -> None:
    """Take group and other access away from a file of ours (a no-op on Windows)."""
    if os.name != "posix":
        return
    info = path.stat()
    mode = stat.S_IMODE(info.st_mode)
    if stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid() and mode & 0o077:
        path.chmod(mode & ~0o077)


def configure_logging(log_dir: Path, level: int = logging.INFO, *, rotating: bool = True) -> Path:
    """Idempotent: calling it twice keeps one file handler. A log folder or file the app
    may not write raises a StorageProblem naming it. `rotating=False`: a plain file handler,
    for the start-up before the first paint."""
    path = log_dir / LOG_FILE_NAME
    try:
        log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise folder_problem(log_dir, "its log file", exc) from None
    try:
        handler: logging.FileHandler
        if rotating:
            from tracker_desktop.config.log_rotation import PrivateRotatingFileHandler

            handler = PrivateRotatingFileHandler(
                path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
            )
        else:
            handler = PrivateFileHandler(path, encoding="utf-8")
    except OSError as exc:
        raise file_problem(path, "its log file", exc) from None
    root = logging.getLogger()
    root.setLevel(level)
    # Only once the new file is open: a failure above leaves the old handler writing.
    for old in list(root.handlers):
        if getattr(old, "_tracker", False):
            root.removeHandler(old)
            old.close()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretMaskFilter())
    handler._tracker = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    logging.captureWarnings(True)
    _quiet_libraries(level)
    return path


def start_rotating() -> None:
    """After the first paint: the start-up's plain file handler becomes the rotating one,
    on the same file at the same level. Logging to stderr (no file could be written) stays;
    a file that has become unwritable since keeps its plain handler, with a warning."""
    from tracker_desktop.domain.errors import StorageProblem

    root = logging.getLogger()
    plain = [h for h in root.handlers if type(h) is PrivateFileHandler]
    if not plain:
        return
    try:
        configure_logging(Path(plain[0].baseFilename).parent, root.level)
    except StorageProblem as exc:
        logging.getLogger("tracker.app").warning("the log stays unrotated: %s", exc)


def set_detailed(detailed: bool) -> None:
    """Settings' "detailed log for support": the app's DEBUG lines (each request to Stripe,
    its request id and time) on top of INFO's line or two per dealer action. Secrets are
    masked either way; the libraries stay at WARNING."""
    for name in APP_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if detailed else logging.NOTSET)


def _quiet_libraries(level: int) -> None:
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))


def configure_stderr_logging(level: int = logging.INFO) -> None:
    """When no log file can be written: the same masked records, on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretMaskFilter())
    handler._tracker = True  # type: ignore[attr-defined]
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_tracker", False)]:
        root.removeHandler(old)
        old.close()
    root.setLevel(level)
    root.addHandler(handler)
    _quiet_libraries(level)
