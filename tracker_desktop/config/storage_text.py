"""A folder or file of the app's that the system refused, as a dealer's sentence.

The database file's own faults are worded in db.storage_errors (config and db do not
import each other); these are the folders, the settings file and the log file.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from tracker_desktop.domain.errors import (
    DiskFull,
    ReadOnlyStorage,
    StorageFailure,
    StorageProblem,
)

AGAIN = "then start Tracker Desktop again. Nothing was changed."


def writable(path: Path) -> bool:
    """Whether this process may write `path` (a file, or create files in a folder), asked
    without writing anything. access() also answers False on a read-only mount."""
    mode = os.W_OK | (os.X_OK if path.is_dir() else 0)
    effective = os.access in os.supports_effective_ids
    return os.access(path, mode, effective_ids=effective)


def read_only_folder(folder: Path, what: str) -> ReadOnlyStorage:
    return ReadOnlyStorage(
        f"The folder {folder} is read-only, so Tracker Desktop cannot write {what} there. "
        f"Give your user account permission to write to that folder, {AGAIN}"
    )


def folder_problem(folder: Path, what: str, exc: OSError) -> StorageProblem:
    """`folder` could not be created (or used) for `what`."""
    existing = _nearest_existing(folder)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(
            f"The disk that holds {existing} is full, so Tracker Desktop could not create "
            f"the folder {folder} for {what}. Free some space on that disk, {AGAIN}"
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return read_only_folder(existing, what)
    return StorageFailure(
        f"Tracker Desktop could not create the folder {folder} for {what} "
        f"({exc.strerror or type(exc).__name__}). Check that this path is a folder on a "
        f"connected disk, {AGAIN}"
    )


def file_problem(path: Path, what: str, exc: OSError) -> StorageProblem:
    """Writing `path` (`what`) failed: full disk, no permission, or the disk failing."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(
            f"The disk that holds {path.parent} is full, so Tracker Desktop could not save "
            f"{what} ({path.name}). Free some space on that disk, then try again."
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        target = path if path.exists() and not writable(path) else path.parent
        kind = "file" if target == path else "folder"
        return ReadOnlyStorage(
            f"The {kind} {target} is read-only, so Tracker Desktop could not save {what}. "
            f"Give your user account permission to write to that {kind}, then try again."
        )
    return StorageFailure(
        f"Tracker Desktop could not save {what} to {path} "
        f"({exc.strerror or type(exc).__name__}). Check that the disk is connected and "
        "healthy, then try again."
    )


def _nearest_existing(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return path
