"""The log file is private like the database: 0600, its rotated files too, its folder 0700."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tracker_desktop.config.log_rotation import PrivateRotatingFileHandler
from tracker_desktop.config.log_setup import (
    configure_logging,
    configure_stderr_logging,
    start_rotating,
)

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


@pytest.fixture
def root_handlers_restored() -> Iterator[None]:
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()
    for handler in before:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)


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


def test_the_start_up_log_becomes_the_rotating_one_on_the_same_file(
    tmp_path: Path, loose_umask: None, root_handlers_restored: None
) -> None:
    # Before the first paint the file is written without logging.handlers; after it the
    # rotating handler takes over the same file, masked and private, nothing lost between.
    path = configure_logging(tmp_path / "logs", level=logging.DEBUG, rotating=False)
    (plain,) = [h for h in logging.getLogger().handlers if getattr(h, "_tracker", False)]
    assert not isinstance(plain, PrivateRotatingFileHandler)
    logging.getLogger("tracker.test").info("before the paint, key sk_test_%s", "a" * 24)
    start_rotating()
    handler = _our_handler()
    assert Path(handler.baseFilename) == path
    assert logging.getLogger().level == logging.DEBUG
    logging.getLogger("tracker.test").debug("after the paint")
    handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "before the paint" in text
    assert "after the paint" in text
    assert "sk_test_" + "a" * 24 not in text
    if os.name == "posix":
        assert mode(path) == 0o600
    start_rotating()  # once rotating, again is a no-op
    assert _our_handler() is handler


def test_logging_to_stderr_stays_when_no_file_could_be_written(
    root_handlers_restored: None,
) -> None:
    configure_stderr_logging()
    start_rotating()
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_tracker", False)]
    assert [type(h) for h in ours] == [logging.StreamHandler]
