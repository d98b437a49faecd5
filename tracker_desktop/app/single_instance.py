"""One running copy per data folder.

A second copy would open the same SQLite file, and its writes could hold the database's lock
and freeze the first window for the busy timeout. Qt's QLockFile is the lock: it records the
process id and host, and takes over a lock whose process died (a crash leaves no stale
lock behind).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile

ALREADY_RUNNING = (
    "Tracker Desktop is already open on this computer (with the data in {folder}). "
    "Switch to that window; a second copy could freeze it while both write the database."
)


def lock_path(data_folder: Path) -> Path:
    return data_folder / "tracker.lock"


def take_instance_lock(data_folder: Path) -> QLockFile | None:
    """The lock, held until it is unlocked or the process ends; None if another running
    copy holds it."""
    lock = QLockFile(str(lock_path(data_folder)))
    lock.setStaleLockTime(0)  # only a dead process's lock is stale, however old
    if lock.tryLock(200):
        return lock
    return None
