"""cold_start_ratio: process start to the main window's first paint, with 100,000 invoices in
the database (bench/history_seed), divided by the same for a minimal PySide6 window
measured in the same run."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tracker_desktop.app.first_paint import ENV_VAR, MARKER
from tracker_desktop.bench import Result
from tracker_desktop.bench.history_seed import copy_database, shared_history

RUNS = 9

MINIMAL_WINDOW = f"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
w = QLabel("minimal")
w.resize(1180, 760)
class F(QObject):
    done = False
    def eventFilter(self, o, e):
        if not self.done and e.type() == QEvent.Type.Paint:
            self.done = True
            QTimer.singleShot(0, lambda: (print("{MARKER}", f"{{time.time():.6f}}", flush=True),
                                          app.quit()))
        return False
f = F()
w.installEventFilter(f)
w.show()
app.exec()
"""


def time_to_first_paint(cmd: list[str], env: dict[str, str]) -> float:
    started = time.time()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603 - our own interpreter
    for line in out.stdout.splitlines():
        if line.startswith(MARKER):
            return float(line.split()[1]) - started
    raise RuntimeError(f"no first paint reported by {cmd[-1]!r}: {out.stderr[-2000:]}")


def run() -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as tmp:
        home = Path(tmp)
        copy_database(shared_history(), home)
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "TRACKER_HOME": str(home),
            ENV_VAR: "quit",
        }
        # An installed app runs from compiled bytecode (pip and PyInstaller write it); a
        # machine that forbids writing it would time the compiler, not the start-up.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        app_cmd = [sys.executable, "-m", "tracker_desktop"]
        min_cmd = [sys.executable, "-c", MINIMAL_WINDOW]
        # Warm the OS file cache once for both, then alternate so drift hits both alike.
        time_to_first_paint(app_cmd, env)
        time_to_first_paint(min_cmd, env)
        app_times, min_times = [], []
        for _ in range(RUNS):
            app_times.append(time_to_first_paint(app_cmd, env))
            min_times.append(time_to_first_paint(min_cmd, env))
    app_ms = statistics.median(app_times) * 1000
    min_ms = statistics.median(min_times) * 1000
    return [
        Result("cold_start_ratio", round(app_ms / min_ms, 3), "ratio", "<= 1.3"),
        Result("cold_start_ms", round(app_ms, 1), "ms", "informational"),
        Result("minimal_window_ms", round(min_ms, 1), "ms", "baseline"),
    ]
