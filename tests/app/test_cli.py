"""The command line as a dealer or CI meets it: real processes, real files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tracker_desktop.app.cli import NO_DISPLAY_MESSAGE


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tracker_desktop", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "TRACKER_DATABASE_URL")
    }
    env["TRACKER_HOME"] = str(home)
    env.update(extra)
    return env


def test_no_display_gives_one_line_and_the_headless_alternative(tmp_path: Path) -> None:
    result = _run([], _env(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip() == NO_DISPLAY_MESSAGE
    assert "--self-test" in result.stderr
    assert not (tmp_path / "data").exists()  # nothing was started


def test_self_test_on_a_home_not_made_yet_exits_zero_and_creates_nothing(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    result = _run(["--self-test"], _env(home))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("self-test ok")
    assert not home.exists()  # checked read-only; the window ran on a temporary copy


def test_corrupt_database_is_named_and_left_untouched(tmp_path: Path) -> None:
    db = tmp_path / "data" / "tracker.sqlite3"
    db.parent.mkdir(parents=True)
    garbage = b"this is not a database, it is a shopping list\n" * 100
    db.write_bytes(garbage)
    result = _run(["--quit-after-ready"], _env(tmp_path, QT_QPA_PLATFORM="offscreen"))
    assert result.returncode == 1
    assert db.read_bytes() == garbage
    log = (tmp_path / "logs" / "tracker.log").read_text(encoding="utf-8")
    assert str(db) in log
    assert "has not been changed" in log


def test_database_from_a_newer_version_is_refused_not_downgraded(tmp_path: Path) -> None:
    ok = _run(["--quit-after-ready"], _env(tmp_path, QT_QPA_PLATFORM="offscreen"))
    assert ok.returncode == 0, ok.stderr
    db = tmp_path / "data" / "tracker.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    result = _run(["--quit-after-ready"], _env(tmp_path, QT_QPA_PLATFORM="offscreen"))
    assert result.returncode == 1
    with sqlite3.connect(db) as conn:
        (version,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    assert version == "9999_from_the_future"
    log = (tmp_path / "logs" / "tracker.log").read_text(encoding="utf-8")
    assert "newer version" in log


def test_the_app_icon_is_found_in_the_source_tree() -> None:
    from PySide6.QtGui import QImage

    from tracker_desktop.app.resources import resource

    found = resource("tracker.png")
    assert found is not None
    image = QImage(str(found))
    assert image.width() == image.height() >= 256
    assert resource("no-such-file.png") is None
