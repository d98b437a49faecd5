"""The `tracker-desktop` command line: run the app, its self-test, or Practice mode."""

from __future__ import annotations

import gc
import logging
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tracker_desktop import APP_NAME, app_version

if TYPE_CHECKING:
    import argparse

log = logging.getLogger("tracker.app")

NO_DISPLAY_MESSAGE = (
    "Tracker Desktop needs a display, and none was found (DISPLAY and WAYLAND_DISPLAY are "
    "unset). To check the install without one, run: tracker-desktop --self-test"
)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    import argparse

    class _VersionAction(argparse.Action):
        """Reads the version only when asked: reading it costs start-up time."""

        def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kw: object) -> None:
            print(f"{parser.prog} {app_version()}")
            parser.exit()

    parser = argparse.ArgumentParser(prog="tracker-desktop", description=APP_NAME)
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="print the version")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="open the main window offscreen, run the migrations, close and exit 0 "
        "(non-zero with the reason on any failure); with TRACKER_HOME set, check that data "
        "folder read-only and run on a temporary copy of it, else on a temporary folder",
    )
    parser.add_argument(
        "--self-test-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="with --self-test: fail (exit 1, printing where it stood) if it has not finished "
        "after this many seconds (default 120)",
    )
    parser.add_argument(
        "--practice",
        action="store_true",
        help="start the local Stripe simulator and open the Practice profile: no real money",
    )
    parser.add_argument(
        "--quit-after-ready",
        action="store_true",
        help=argparse.SUPPRESS,  # used by `make bench` to time a cold start
    )
    return parser.parse_args(argv)


def display_available() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    practice = quit_after_ready = False
    # A double-click passes nothing: argparse (with the gettext and locale it loads) is
    # built only when there is something to parse.
    if given:
        args = parse_args(given)
        if args.self_test:
            from tracker_desktop.app.self_test_guard import DEFAULT_SECONDS, start_watchdog

            start_watchdog(args.self_test_timeout or DEFAULT_SECONDS)
            return run_self_test()
        practice, quit_after_ready = args.practice, args.quit_after_ready
    if not display_available():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 2
    # The collector would walk the start-up's new modules again and again before the first
    # paint, and find nothing to free; run_gui turns it back on once the window has painted.
    gc.disable()
    try:
        load_plain_modules_first()
        from tracker_desktop.app.launch import run_gui

        return run_gui(practice=practice, quit_after_ready=quit_after_ready)
    finally:
        gc.enable()


def load_plain_modules_first() -> None:
    """Imports the window's pure-Python modules before PySide6.

    Once PySide6 is loaded it wraps every later import and reads each new module's source
    (to look for its opt-in `from __feature__ import ...` switches, which this app does not
    use). What is imported before it skips that: about 80 ms of a cold start here.
    """
    import tracker_desktop.config.log_setup
    import tracker_desktop.config.paths
    import tracker_desktop.config.settings
    import tracker_desktop.domain.errors  # noqa: F401


def run_self_test() -> int:
    """Offscreen, the same start-up path a dealer runs.

    With TRACKER_HOME set, that data folder is checked without changing anything in it
    (app.self_check); without it, a throwaway folder is used, as `make bundle` does.
    """
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    home = os.environ.get("TRACKER_HOME")
    if home:
        from tracker_desktop.app.self_check import check_home

        return check_home(Path(home))
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tracker-self-test-") as temporary:
        code = run_self_test_in(Path(temporary))
    if code == 0:
        print(f"self-test ok: {APP_NAME} {app_version()} in {time.monotonic() - started:.1f}s")
    return code


def run_self_test_in(home: Path) -> int:
    """Start the app on `home` (offscreen, no network), build every service, open every
    page and the PDF viewer (app.self_test_tour), quit.

    0 when all of that worked; the reason on stderr otherwise: an unhandled exception or a
    dialog fails it at once, and the watchdog (app.self_test_guard) fails it if it hangs.
    """
    os.environ["TRACKER_HOME"] = str(home)
    os.environ.pop("TRACKER_DATABASE_URL", None)  # the self-test never opens a server's data
    try:
        from tracker_desktop.app.launch import run_gui

        code = run_gui(practice=False, quit_after_ready=True, self_test=True)
    except Exception as exc:  # the reason is the whole point of a self-test
        expected = isinstance(exc, _expected_errors())
        reason = str(exc) if expected else f"{type(exc).__name__}: {exc}"
        print(f"self-test FAILED: {reason}", file=sys.stderr)
        return 1
    if code != 0:
        print(f"self-test FAILED (exit {code})", file=sys.stderr)
        return code
    db = home / "data" / "tracker.sqlite3"
    if not db.exists():
        print("self-test FAILED: the database was not created", file=sys.stderr)
        return 1
    return 0


def _expected_errors() -> tuple[type[Exception], ...]:
    from tracker_desktop.app.launch import StartupFailed
    from tracker_desktop.domain.errors import TrackerError

    return (StartupFailed, TrackerError)
