"""The log file is private like the database: 0600, its rotated files too, its folder 0700."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tracker_desktop.config.log_setup import PrivateRotatingFileHandler, configure_logging

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    old = os.umask(0o022)  # what most desktops use: new files would be 0644
    try:
        yield
    finally:
        os.umask(old)


def _our_handler() -> PrivateRotatingFileHandler:
    (handler,) = [h for h in logging.getLogger().handlers if getattr(h, "_tracker", False)]
    assert isinstance(handler, PrivateRotatingFileHandler)
    return handler


@posix_only
def test_log_file_and_folder_are_private(tmp_path: Path, loose_umask: None) -> None:
    path = configure_logging(tmp_path / "logs")
    logging.getLogger("tracker.test").info("hello")
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700


@posix_only
def test_rotated_files_stay_private(tmp_path: Path, loose_umask: None) -> None:
    path = configure_logging(tmp_path / "logs")
    handler = _our_handler()
    for n in range(3):
        logging.getLogger("tracker.test").info("before rotation %s", n)
        handler.doRollover()
    rotated = sorted(path.parent.glob("tracker.log.*"))
    assert [p.name for p in rotated] == ["tracker.log.1", "tracker.log.2", "tracker.log.3"]
    assert {mode(p) for p in [path, *rotated]} == {0o600}


@posix_only
def test_a_log_left_0644_by_an_older_version_is_tightened(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    old = logs / "tracker.log"
    old.write_text("an older version's line\n", encoding="utf-8")
    old.chmod(0o644)
    configure_logging(logs)
    assert mode(old) == 0o600
    assert old.read_text(encoding="utf-8").startswith("an older version's line")
