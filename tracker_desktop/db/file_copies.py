"""Reading and copying the database file without changing it: a read-only URI that leaves no
trace beside the file, and the copy kept in the backups folder before an upgrade (SQLite's
backup API, consistent under WAL)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

from tracker_desktop.db import storage_errors
from tracker_desktop.db.engine import DEFAULT_BUSY_TIMEOUT_MS, ensure_private_file

_COPY = "the copy of the database it keeps before an upgrade"


def backup_path(backups_dir: Path, revision: str, now: dt.datetime | None = None) -> Path:
    """tracker-<revision>-<UTC timestamp>.sqlite3, never an existing file's name."""
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    candidate = backups_dir / f"tracker-{revision}-{stamp}.sqlite3"
    n = 1
    while candidate.exists():
        candidate = backups_dir / f"tracker-{revision}-{stamp}-{n}.sqlite3"
        n += 1
    return candidate


def backup_sqlite(db_file: Path, dest: Path) -> Path:
    """Copy a live SQLite database (WAL included) to `dest`, a new private file.

    A copy that could not be finished (full disk, read-only backups folder) is removed
    and the reason raised as a StorageProblem naming the backups folder.
    """
    try:
        dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        ensure_private_file(dest)
    except OSError as exc:
        raise storage_errors.from_os_error(exc, dest, _COPY) from None
    try:
        with (
            closing(sqlite3.connect(read_only_uri(db_file), uri=True)) as src,
            closing(sqlite3.connect(dest)) as dst,
        ):
            src.backup(dst)
    except sqlite3.Error as exc:
        dest.unlink(missing_ok=True)
        problem = storage_errors.from_sqlite(exc, dest, DEFAULT_BUSY_TIMEOUT_MS, _COPY)
        if problem is None:
            raise
        raise problem from None
    return dest


def read_only_uri(db_file: Path) -> str:
    """A URI that opens `db_file` read-only and leaves no trace beside it.

    A WAL database with no -wal file is open nowhere, so it is read as immutable: a plain
    read-only WAL reader would otherwise create the -wal and -shm companions.
    """
    immutable = False
    try:
        with db_file.open("rb") as fh:
            header = fh.read(20)
        immutable = len(header) == 20 and header[18] == 2 and not _wal_of(db_file).exists()
    except OSError:
        pass  # sqlite3 says why when it opens the file
    return db_file.resolve().as_uri() + "?mode=ro" + ("&immutable=1" if immutable else "")


def _wal_of(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + "-wal")
