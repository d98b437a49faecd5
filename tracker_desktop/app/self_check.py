"""`tracker-desktop --self-test` with TRACKER_HOME set: check that data folder, change nothing.

The folders and the database are checked read-only (os.access, the disk's free space,
SQLite's read-only mode: the same refusals start-up makes). Then the app starts offscreen
on a copy of the database and the settings in a temporary folder, so the window, the
migrations this version brings and every service run on the dealer's real data while the
real folder is never written: no log line, no -wal file, no migration.

A database that needs an upgrade is not a failure: a self-test after installing a new
version is exactly when one is due. The upgrade is tried on the copy, and the report says
that the app will upgrade the real file (keeping a copy in the backups folder) at its next
normal start. Checking a copy proves more than refusing would, and still writes nothing.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from tracker_desktop import APP_NAME, app_version
from tracker_desktop.config.paths import AppPaths, app_paths
from tracker_desktop.config.storage_text import read_only_folder, writable
from tracker_desktop.domain.errors import DiskFull, StorageFailure, TrackerError

if TYPE_CHECKING:
    from tracker_desktop.db.migrate import DatabaseState

# Room to save changes (the WAL grows to a few MB) plus, before an upgrade, a copy of the
# database and a rebuilt table or two: the database's size twice, and this much more.
SPARE_BYTES = 16 * 2**20


def check_home(home: Path) -> int:
    """0 when the app would start on `home` as it is; the reasons on stderr otherwise."""
    from tracker_desktop.app.cli import run_self_test_in
    from tracker_desktop.db.migrate import inspect_database

    started = time.monotonic()
    paths = app_paths(home)
    problems = _folder_problems(paths)
    free_problem = _free_space_problem(paths)
    if free_problem:
        problems.append(free_problem)
    state: DatabaseState | None = None
    server = bool(os.environ.get("TRACKER_DATABASE_URL"))
    if not server:
        try:
            state = inspect_database(paths.database_file, paths.backups)
        except TrackerError as exc:
            # The folder check above already named a read-only data folder.
            said = problems and str(exc).startswith("The folder ")
            if not said:
                problems.append(str(exc))
    if problems:
        for problem in problems:
            print(f"self-test FAILED: {problem}", file=sys.stderr)
        return 1

    with tempfile.TemporaryDirectory(prefix="tracker-self-test-") as temporary:
        copy = app_paths(Path(temporary)).ensure()
        try:
            _copy_data(paths, copy, database=not server)
        except (OSError, sqlite3.Error) as exc:
            reason = getattr(exc, "strerror", None) or exc
            print(
                f"self-test FAILED: the database at {paths.database_file} could not be read "
                f"to check a copy of it ({reason}). It has not been changed.",
                file=sys.stderr,
            )
            return 1
        code = run_self_test_in(Path(temporary))
    if code != 0:
        return code
    seconds = time.monotonic() - started
    print(
        f"self-test ok: {APP_NAME} {app_version()} checked {paths.data.parent} in {seconds:.1f}s."
        f" {_database_summary(paths, state, server)} Its folders can be "
        "written; nothing in them was changed."
    )
    return 0


def _folder_problems(paths: AppPaths) -> list[str]:
    """Without creating anything: an existing folder must be writable, a missing one
    creatable. One sentence per folder at fault, naming all it would hold."""
    at_fault: dict[Path, list[str]] = {}
    for folder, what in paths.folders():
        existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
        if existing is not None and (not existing.is_dir() or not writable(existing)):
            at_fault.setdefault(existing, []).append(what)
    problems = []
    for existing, whats in at_fault.items():
        what = ", ".join(whats[:-1]) + (" and " if len(whats) > 1 else "") + whats[-1]
        if existing.is_dir():
            problems.append(str(read_only_folder(existing, what)))
        else:
            problems.append(
                str(
                    StorageFailure(
                        f"{existing} is a file, where Tracker Desktop needs a folder for "
                        f"{what}. Move that file aside, then start Tracker Desktop again. "
                        "Nothing was changed."
                    )
                )
            )
    return problems


def _free_space_problem(paths: AppPaths) -> str | None:
    where = next((p for p in (paths.data, *paths.data.parents) if p.exists()), None)
    if where is None:
        return None
    size = paths.database_file.stat().st_size if paths.database_file.exists() else 0
    need = SPARE_BYTES + 2 * size
    free = shutil.disk_usage(where).free
    if free >= need:
        return None
    return str(
        DiskFull(
            f"The disk that holds {where} is full or nearly full ({_mb(free)} free), and "
            f"Tracker Desktop needs {_mb(need)} there to save changes and to keep a copy of "
            "its database before an upgrade. Free some space on that disk. Nothing was "
            "changed."
        )
    )


def _copy_data(source: AppPaths, copy: AppPaths, *, database: bool) -> None:
    """The database (SQLite's backup API, read-only source) and the settings file."""
    from tracker_desktop.db.file_copies import read_only_uri

    if database and source.database_file.exists() and source.database_file.stat().st_size:
        with (
            closing(sqlite3.connect(read_only_uri(source.database_file), uri=True)) as src,
            closing(sqlite3.connect(copy.database_file)) as dst,
        ):
            src.backup(dst)
    if source.settings_file.is_file():
        shutil.copyfile(source.settings_file, copy.settings_file)


def _database_summary(paths: AppPaths, state: DatabaseState | None, server: bool) -> str:
    if server or state is None:
        return (
            "TRACKER_DATABASE_URL names a database server, which the self-test does not "
            "open; the app was started on a new, empty database instead."
        )
    where = paths.database_file
    if state.action == "create":
        return f"There is no database at {where} yet: the app creates it at its first start."
    if state.action == "upgrade":
        return (
            f"The database at {where} is at revision {state.revision}; this version upgrades "
            f"it to {state.head} at its next start (keeping a copy in {paths.backups}), and "
            "that upgrade worked on a copy of it."
        )
    return f"The database at {where} is up to date (revision {state.revision})."


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB"
