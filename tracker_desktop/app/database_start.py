"""The start-up task: the database prepared in a worker thread, and an unexpected failure
after it said on the window (and to the self-test) instead of kept inside the task."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio

log = logging.getLogger("tracker.app")


def prepare_and_connect(url: str, db_file: Path | None, backups: Path) -> object:
    from tracker_desktop.db.engine import make_engine, make_session_factory
    from tracker_desktop.db.migrate import prepare_database

    report = prepare_database(url, db_file, backups)
    log.info("database ready: %s", report)
    return make_session_factory(make_engine(url))


def say_when_it_fails(task: asyncio.Future[None], fail: Callable[[str], None], logs: Path) -> None:
    """`task`'s done callback. A task keeps its exception to itself: without this, a failure
    while the services were built left the window at "Opening the database…" for good (and
    the self-test waiting for it)."""
    exc = None if task.cancelled() else task.exception()
    if exc is None:
        return
    log.error("start-up failed", exc_info=exc)
    fail(
        "Tracker Desktop could not finish starting because of an unexpected problem "
        f"({type(exc).__name__}: {exc}). The details are in the log file in {logs}."
    )
