"""README screenshots from the real app: `python -m tracker_desktop.app.screenshots OUTDIR`.

The composition root starts on a throwaway TRACKER_HOME in Practice mode (the simulator in
this process), the story in seed.py is entered through the app's own services, and each
window is saved at 1280×800. Offscreen unless `--x11` is given and DISPLAY is set. The
keychain is an in-memory one for the run: nothing reaches the dealer's real keychain.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tracker_desktop.config.memory_keychain import memory_keychain

NAMES = (
    "main-window",
    "dashboard",
    "invoices",
    "clients",
    "watches",
    "composer",
    "pdf-viewer",
    "provenance",
    "credit-note",
    "deposit",
    "settings",
    "shared-database",
    "welcome",
)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tracker_desktop.app.screenshots",
        description="Save the README screenshots of Tracker Desktop's windows as PNG files.",
    )
    parser.add_argument("outdir", type=Path, help="folder for the PNG files")
    parser.add_argument(
        "--only",
        action="append",
        choices=NAMES,
        metavar="NAME",
        help=f"only this shot (repeatable): {', '.join(NAMES)}",
    )
    parser.add_argument(
        "--x11", action="store_true", help="use the X display in DISPLAY instead of offscreen"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.x11 and not os.environ.get("DISPLAY"):
        print("--x11 needs DISPLAY (for example DISPLAY=:99 with Xvfb running)", file=sys.stderr)
        return 2
    os.environ["QT_QPA_PLATFORM"] = "xcb" if args.x11 else "offscreen"
    os.environ["QT_ENABLE_HIGHDPI_SCALING"] = "0"  # 1280×800 pixels on any screen
    os.environ.pop("TRACKER_DATABASE_URL", None)
    args.outdir.mkdir(parents=True, exist_ok=True)
    wanted = set(args.only or NAMES)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        # This run's keychain: the settings shot stores a simulator key, and only here.
        with memory_keychain(), tempfile.TemporaryDirectory(prefix="tracker-screenshots-") as home:
            os.environ["TRACKER_HOME"] = home
            saved = _run_qt(Path(home), args.outdir, wanted)
    except Exception as exc:  # the reason is what the person running this needs
        print(f"screenshots FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    for path in saved:
        print(path)
    return 0


def _run_qt(home: Path, outdir: Path, wanted: set[str]) -> list[Path]:
    import qasync
    from PySide6.QtWidgets import QApplication

    from tracker_desktop import APP_NAME
    from tracker_desktop.app.screenshots.shots import practice_shots, welcome_shot

    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    qt_app.setApplicationName(APP_NAME)
    loop = qasync.QEventLoop(qt_app)
    asyncio.set_event_loop(loop)
    # A plain pool, shut down below: qasync's QThread pool can abort the process at exit.
    pool = ThreadPoolExecutor(2, thread_name_prefix="screenshots")
    loop.set_default_executor(pool)

    async def everything() -> list[Path]:
        saved: list[Path] = []
        if wanted - {"welcome"}:
            saved += await practice_shots(home / "practice", outdir, wanted)
        if "welcome" in wanted:
            saved.append(await welcome_shot(home / "first-start", outdir))
        return saved

    try:
        with loop:
            saved: list[Path] = loop.run_until_complete(everything())
            return saved
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        asyncio.set_event_loop(None)
