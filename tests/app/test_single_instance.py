"""A second copy of the app on the same data folder is refused with a sentence."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tracker_desktop.app.single_instance import take_instance_lock

HOLD = """
import sys, time
from tracker_desktop.app.single_instance import take_instance_lock
from pathlib import Path
lock = take_instance_lock(Path(sys.argv[1]))
print("held" if lock else "refused", flush=True)
time.sleep(30)
"""


def test_the_lock_is_refused_while_another_process_holds_it(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        assert take_instance_lock(tmp_path) is None
    finally:
        holder.kill()
        holder.wait()
    # A dead holder's lock is taken over: a crash never locks the dealer out.
    lock = take_instance_lock(tmp_path)
    assert lock is not None
    lock.unlock()


def test_the_app_refuses_a_second_copy(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    env = {**os.environ, "TRACKER_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    from tracker_desktop.config.paths import app_paths

    data = app_paths(home).data
    data.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(data)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        second = subprocess.run(
            [sys.executable, "-c",
             "import sys; from tracker_desktop.app.launch import run_gui;"
             " sys.exit(run_gui(practice=False, quit_after_ready=True))"],
            capture_output=True, text=True, env=env, timeout=60,
        )  # fmt: skip
    finally:
        holder.kill()
        holder.wait()
    assert second.returncode == 3, second.stderr
    assert "Tracker Desktop is already open on this computer" in second.stderr
    assert str(data) in second.stderr
