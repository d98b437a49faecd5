"""Storage faults as a dealer's sentence: disk full, read-only, locked too long, I/O error.

Used by the engine's `handle_error` hook (so every session of the app, however it was
opened, raises a StorageProblem instead of SQLAlchemy's text) and by the start-up checks,
which talk to SQLite and the file system directly. Anything else (a constraint, a bug in
a query) is left alone: it is not the disk's fault and must not be disguised as such.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from tracker_desktop.domain.errors import (
    DiskFull,
    ReadOnlyStorage,
    StorageBusy,
    StorageFailure,
    StorageProblem,
)

# SQLite's primary result codes (the low byte of an extended code).
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 13, 14


def disk_full(path: Path, what: str = "its database") -> DiskFull:
    return DiskFull(
        f"The disk that holds {path.parent} is full, so Tracker Desktop could not write "
        f"{what} ({path.name}) there. Free some space on that disk, then try again; "
        "nothing was half-saved."
    )


def read_only_file(db_file: Path) -> ReadOnlyStorage:
    return ReadOnlyStorage(
        f"The database file {db_file} is read-only, so Tracker Desktop cannot save "
        "anything in it. Give your user account permission to write to that file (or copy "
        "it off read-only media), then start Tracker Desktop again. It has not been changed."
    )


def read_only_folder(folder: Path, what: str = "its database") -> ReadOnlyStorage:
    return ReadOnlyStorage(
        f"The folder {folder} is read-only, so Tracker Desktop cannot write {what} there. "
        "Give your user account permission to write to that folder, then start Tracker "
        "Desktop again. Nothing was changed."
    )


def busy(db_file: Path | None, timeout_ms: int) -> StorageBusy:
    where = str(db_file) if db_file is not None else "the database server"
    return StorageBusy(
        f"The database at {where} is in use by another program (perhaps another Tracker "
        f"Desktop window), which kept it locked for more than {timeout_ms / 1000:g} "
        "seconds. Close it, or wait a moment, and try again; nothing was lost."
    )


def io_failure(path: Path, what: str = "its database") -> StorageFailure:
    return StorageFailure(
        f"The disk reported an error while Tracker Desktop read or wrote {what} at {path}, "
        "so the last change was not saved. Check that the disk is still connected and "
        "healthy, copy the file somewhere safe, then start Tracker Desktop again."
    )


def from_sqlite(
    exc: BaseException, db_file: Path | None, timeout_ms: int, what: str = "its database"
) -> StorageProblem | None:
    """The sentence for a SQLite storage fault, or None when `exc` is not one."""
    if not isinstance(exc, sqlite3.Error):
        return None
    code = getattr(exc, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return None
    primary = code & 0xFF
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return busy(db_file, timeout_ms)
    if db_file is None:
        return None  # a memory database has no file to name; SQLAlchemy's text stays
    if primary == _SQLITE_FULL:
        return disk_full(db_file, what)
    if primary in (_SQLITE_READONLY, _SQLITE_PERM, _SQLITE_CANTOPEN):
        return read_only_problem(db_file, what)
    if primary == _SQLITE_IOERR:
        return io_failure(db_file, what)
    return None


def from_os_error(exc: OSError, path: Path, what: str = "its database") -> StorageProblem:
    """The sentence for a file-system refusal while creating or copying a database file."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return disk_full(path, what)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return read_only_problem(path, what)
    return io_failure(path, what)


def read_only_problem(path: Path, what: str = "its database") -> ReadOnlyStorage:
    """Which one is read-only: the file itself, or the folder it (or its journal) is in."""
    if path.exists() and not writable(path):
        return read_only_file(path)
    return read_only_folder(path.parent, what)


def writable(path: Path) -> bool:
    """Whether this process may write `path` (a file, or create files in a folder), asked
    without writing anything. access() also answers False on a read-only mount."""
    mode = os.W_OK | (os.X_OK if path.is_dir() else 0)
    effective = os.access in os.supports_effective_ids
    return os.access(path, mode, effective_ids=effective)
