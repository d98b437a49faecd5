"""The `tracker-desktop` command line: run the app, its self-test, or Practice mode."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from tracker_desktop import APP_NAME, app_version

log = logging.getLogger("tracker.app")

NO_DISPLAY_MESSAGE = (
    "Tracker Desktop needs a display, and none was found (DISPLAY and WAYLAND_DISPLAY are "
    "unset). To check the install without one, run: tracker-desktop --self-test"
)


class _VersionAction(argparse.Action):
    """Reads the version only when asked: reading it costs start-up time."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kw: object) -> None:
        print(f"{parser.prog} {app_version()}")
        parser.exit()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="tracker-desktop", description=APP_NAME)
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="print the version")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="open the main window offscreen on a temporary data folder, run the migrations, "
        "close and exit 0 (non-zero with the reason on any failure)",
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
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.self_test:
        return run_self_test()
    if not display_available():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 2
    from tracker_desktop.app.composition import run_gui

    return run_gui(practice=args.practice, quit_after_ready=args.quit_after_ready)


def run_self_test() -> int:
    """Offscreen, on a throwaway TRACKER_HOME: the same start-up path a dealer runs."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tracker-self-test-") as home:
        os.environ["TRACKER_HOME"] = home
        try:
            from tracker_desktop.app.composition import run_gui

            code = run_gui(practice=False, quit_after_ready=True, self_test=True)
        except Exception as exc:  # the reason is the whole point of a self-test
            print(f"self-test FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
        if code != 0:
            print(
                f"self-test FAILED (exit {code}); see the log in {Path(home) / 'logs'}",
                file=sys.stderr,
            )
            return code
        db = Path(home) / "data" / "tracker.sqlite3"
        if not db.exists():
            print("self-test FAILED: the database was not created", file=sys.stderr)
            return 1
    print(f"self-test ok: {APP_NAME} {app_version()} in {time.monotonic() - started:.1f}s")
    return 0
