"""bundle_size_mb and bundle_cold_start_ratio: the PyInstaller bundle `make bundle` built.

The ratio is the bundle's start to its main window's first paint (on the 100,000-invoice
history, as cold_start), divided by the same for a minimal PySide6 window bundled by the same
PyInstaller in onedir mode, built here once and kept in build/bench-minimal.
Without dist/tracker-desktop the benchmark prints one line saying so and how to build it.
"""

from __future__ import annotations

import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from tracker_desktop.app.first_paint import ENV_VAR
from tracker_desktop.bench import Result
from tracker_desktop.bench.cold_start import MINIMAL_WINDOW, time_to_first_paint
from tracker_desktop.bench.history_seed import copy_database, shared_history

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "tracker-desktop"
MINIMAL = ROOT / "build" / "bench-minimal"
RUNS = 9
GOAL_MB = 150


def folder_mb(folder: Path) -> float:
    """Bytes on disk of every file under `folder` (symlinks not followed), in MiB."""
    total = sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return total / 2**20


def executable(bundle: Path, name: str) -> Path:
    return bundle / (f"{name}.exe" if sys.platform == "win32" else name)


def minimal_bundle() -> Path:
    """A onedir bundle of MINIMAL_WINDOW, rebuilt only when that script changes."""
    script = MINIMAL / "minimal_window.py"
    stamp = MINIMAL / "source.sha256"
    digest = hashlib.sha256(MINIMAL_WINDOW.encode()).hexdigest()
    exe = executable(MINIMAL / "dist" / "minimal-window", "minimal-window")
    if exe.exists() and stamp.exists() and stamp.read_text() == digest:
        return exe
    MINIMAL.mkdir(parents=True, exist_ok=True)
    script.write_text(MINIMAL_WINDOW)
    pyinstaller = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--onedir", "--log-level",
                   "WARN", "--name", "minimal-window", "--distpath", str(MINIMAL / "dist"),
                   "--workpath", str(MINIMAL / "work"), "--specpath", str(MINIMAL),
                   str(script)]  # fmt: skip
    subprocess.run(pyinstaller, check=True, capture_output=True)  # noqa: S603 - our interpreter
    stamp.write_text(digest)
    return exe


def run() -> list[Result]:
    app_exe = executable(BUNDLE, "tracker-desktop")
    if not app_exe.exists():
        print(f"benchmark bundle skipped: no bundle at {BUNDLE}; build it with `make bundle`",
              file=sys.stderr)  # fmt: skip
        return []
    size = Result("bundle_size_mb", round(folder_mb(BUNDLE), 1), "MB", f"<= {GOAL_MB}")
    min_exe = minimal_bundle()
    with tempfile.TemporaryDirectory(prefix="tracker-bench-bundle-") as tmp:
        home = Path(tmp)
        copy_database(shared_history(), home)
        # The bundles get nothing of the venv: a dealer's machine has none.
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("PYTHON", "VIRTUAL_ENV"))}  # fmt: skip
        env.update(QT_QPA_PLATFORM="offscreen", TRACKER_HOME=str(home), **{ENV_VAR: "quit"})
        app_cmd, min_cmd = [str(app_exe)], [str(min_exe)]
        time_to_first_paint(app_cmd, env)  # warm the OS file cache for both
        time_to_first_paint(min_cmd, env)
        app_times, min_times = [], []
        for _ in range(RUNS):
            app_times.append(time_to_first_paint(app_cmd, env))
            min_times.append(time_to_first_paint(min_cmd, env))
    app_ms = statistics.median(app_times) * 1000
    min_ms = statistics.median(min_times) * 1000
    return [
        size,
        Result("bundle_cold_start_ratio", round(app_ms / min_ms, 3), "ratio", "<= 1.3"),
        Result("bundle_cold_start_ms", round(app_ms, 1), "ms", "informational"),
        Result("bundle_minimal_window_ms", round(min_ms, 1), "ms", "baseline"),
    ]
