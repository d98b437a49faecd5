"""The window paints before the heavy libraries load: a real start of the app, asked to list
the modules it had loaded at its first paint. A library imported at the top of a module the
window needs would show up here, and the cold start would pay for it on a blank screen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tracker_desktop.app.first_paint import ENV_VAR, MODULES_MARKER

# Each costs tens of milliseconds or more; all of them are needed only once the window shows.
AFTER_THE_FIRST_PAINT = (
    "asyncio",
    "qasync",
    "stripe",
    "httpx",
    "ssl",
    "sqlalchemy",
    "alembic",
    "keyring",
    "babel",
    "logging.handlers",  # socket, pickle, queue: the rotating log starts after the paint
    "tracker_desktop.domain.invoice_state",  # its enums: the pills' shades are keyed by value
    "tracker_desktop.services",
    "tracker_desktop.db",
    "tracker_desktop.stripe_gateway",
    "tracker_desktop.sandbox",
    "PySide6.QtCore.Qt",  # the namespace's enums, made on first use: the pages need them
)


def modules_at_first_paint(home: Path) -> set[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TRACKER_HOME": str(home)}
    env[ENV_VAR] = "modules"
    done = subprocess.run(
        [sys.executable, "-m", "tracker_desktop"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    for line in done.stdout.splitlines():
        if line.startswith(MODULES_MARKER):
            return set(line.split()[1:])
    raise AssertionError(f"the app reported no first paint: {done.stderr[-2000:]}")


def test_the_window_paints_before_the_heavy_libraries_load(tmp_path: Path) -> None:
    loaded = modules_at_first_paint(tmp_path)
    assert "PySide6.QtWidgets" in loaded  # the report is real: the window's own modules
    assert "tracker_desktop.ui.main_window" in loaded
    early = sorted(name for name in AFTER_THE_FIRST_PAINT if name in loaded)
    assert early == [], f"loaded before the first paint: {early}"


def test_the_window_closed_before_it_painted_ends_the_app_cleanly(tmp_path: Path) -> None:
    # "quit" ends Qt's loop at the first paint, as closing the window at once would: the app
    # then exits 0 without opening its database.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TRACKER_HOME": str(tmp_path)}
    env[ENV_VAR] = "quit"
    done = subprocess.run(
        [sys.executable, "-m", "tracker_desktop"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert not (tmp_path / "data" / "tracker.sqlite3").exists()
