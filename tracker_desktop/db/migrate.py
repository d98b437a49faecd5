"""Start-up check: look at the database read-only, refuse what we must not touch, then
open it for writing and upgrade it to head.

Never overwrites, deletes, downgrades or chmods a database it refuses: every refusal is
found with SQLite's read-only mode and os.access before anything is written. Before
upgrading a database that holds data, copies it to the backups folder with SQLite's backup
API (consistent under WAL). Alembic is imported inside functions: it is only needed here,
once, at start-up.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sqlalchemy import inspect

from tracker_desktop.db import server_upgrade, storage_errors
from tracker_desktop.db.engine import (
    DEFAULT_BUSY_TIMEOUT_MS,
    SQLITE_BEGIN_OPTION,
    ensure_private_file,
    is_sqlite,
    make_engine,
)
from tracker_desktop.db.file_copies import backup_path, backup_sqlite, read_only_uri
from tracker_desktop.db.server_upgrade import ConfirmWithoutBackup
from tracker_desktop.domain.errors import DatabaseProblem

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_HEADER = b"SQLite format 3\x00"

Outcome = Literal["created", "upgraded", "up_to_date"]


@dataclass(frozen=True, slots=True)
class MigrationReport:
    outcome: Outcome
    revision: str
    previous_revision: str | None = None
    backup: Path | None = None

    def __str__(self) -> str:
        if self.outcome == "created":
            return f"database created at revision {self.revision}"
        if self.outcome == "upgraded":
            kept = f"copy kept at {self.backup}" if self.backup else "no copy kept"
            return f"database upgraded from {self.previous_revision} to {self.revision}; {kept}"
        return f"database up to date at revision {self.revision}"


def make_alembic_config(
    *,
    connection: Connection | None = None,
    url: str | None = None,
    script_location: Path | None = None,
) -> Config:
    """An Alembic Config built in code: no alembic.ini is needed or shipped. A revision is made
    with `command.revision(make_alembic_config(url=...), "msg", autogenerate=True)`."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location or MIGRATIONS_DIR))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@dataclass(frozen=True, slots=True)
class DatabaseState:
    """What the read-only check found: the file's revision and what start-up would do."""

    revision: str | None
    head: str
    action: Literal["create", "upgrade", "none"]


def inspect_database(
    db_file: Path | None,
    backups_dir: Path,
    *,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    script_location: Path | None = None,
) -> DatabaseState:
    """Every refusal prepare_database makes, found without writing or chmod-ing anything:
    DatabaseProblem (a StorageProblem for a full, read-only or busy one) with the dealer's
    sentence. A server database (db_file None) is checked when prepare_database connects."""
    return _inspect(db_file, backups_dir, busy_timeout_ms, *_revisions(script_location))


def _inspect(
    db_file: Path | None, backups_dir: Path, busy_timeout_ms: int, head: str, known: set[str]
) -> DatabaseState:
    if db_file is None:
        return DatabaseState(None, head, "upgrade")
    found = _read_only_look(db_file, backups_dir, busy_timeout_ms)
    revision = found.revision if found else None
    _refuse_what_is_not_ours(found, known, str(db_file), backups_dir)
    _check_writable(db_file)
    if revision == head:
        return DatabaseState(revision, head, "none")
    return DatabaseState(revision, head, "create" if revision is None else "upgrade")


def prepare_database(
    url: str,
    db_file: Path | None,
    backups_dir: Path,
    *,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    script_location: Path | None = None,
    confirm_without_backup: ConfirmWithoutBackup | None = None,
) -> MigrationReport:
    """Bring the database at `url` (file `db_file` for SQLite) to this app's schema.

    On PostgreSQL (db/server_upgrade) one workstation upgrades at a time and a pg_dump copy
    is kept first; `confirm_without_backup` is asked where pg_dump is missing.

    The read-only check (inspect_database) comes first: a refused file is left exactly as
    it was, bytes and mode. Only then is the file created or opened for writing (WAL), its
    write lock taken, the check repeated under the lock, the file made private, a copy
    kept aside and the upgrade run.
    """
    from alembic import command

    head, known = _revisions(script_location)
    _inspect(db_file, backups_dir, busy_timeout_ms, head, known)
    where = str(db_file) if db_file is not None else "the configured database server"
    if db_file is not None and not db_file.exists():
        try:
            db_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            ensure_private_file(db_file)  # created 0600 before SQLite would create it
        except OSError as exc:
            raise storage_errors.from_os_error(exc, db_file) from None

    sqlite = is_sqlite(url)
    engine = make_engine(
        url, busy_timeout_ms=busy_timeout_ms, foreign_keys=False, private_file=False
    )
    try:
        with engine.connect() as raw:
            # BEGIN IMMEDIATE: no other program may write between our look and our upgrade.
            conn = raw.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})
            with conn.begin():
                if not sqlite:
                    server_upgrade.lock_for_upgrade(conn)
                current, tables = _look(conn)
                _refuse_what_is_not_ours(_Found(current, tables), known, where, backups_dir)
                if db_file is not None:
                    ensure_private_file(db_file)  # ours, and locked: now tighten its mode
                if current == head:
                    return MigrationReport("up_to_date", head)
                backup = None
                if current is not None and sqlite and db_file is not None:
                    backup = backup_sqlite(db_file, backup_path(backups_dir, current))
                elif current is not None and not sqlite:
                    backup = server_upgrade.backup_server(
                        url, backups_dir, current, confirm_without_backup
                    )
                command.upgrade(
                    make_alembic_config(connection=conn, script_location=script_location), "head"
                )
                if sqlite:
                    _check_foreign_keys(conn, where)
    finally:
        engine.dispose()
    if current is None:
        return MigrationReport("created", head)
    return MigrationReport("upgraded", head, previous_revision=current, backup=backup)


@dataclass(frozen=True, slots=True)
class _Found:
    revision: str | None
    tables: set[str]


def _revisions(script_location: Path | None) -> tuple[str, set[str]]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(make_alembic_config(script_location=script_location))
    head = script.get_current_head()
    assert head is not None, "the app ships at least one migration"
    return head, {rev.revision for rev in script.walk_revisions()}


def _look(conn: Connection) -> tuple[str | None, set[str]]:
    from alembic.runtime.migration import MigrationContext

    current = MigrationContext.configure(conn).get_current_revision()
    return current, set(inspect(conn).get_table_names()) - {"alembic_version"}


def _refuse_what_is_not_ours(
    found: _Found | None, known: set[str], where: str, backups_dir: Path
) -> None:
    if found is None:
        return  # no file yet, or an empty one: a new database
    if found.revision is not None and found.revision not in known:
        raise DatabaseProblem(
            f"The database at {where} was made by a newer version of Tracker "
            "Desktop. Install the newer version to open it; this version will "
            "not downgrade it, and it has not been changed."
        )
    if found.revision is None and found.tables:
        raise DatabaseProblem(
            f"The database at {where} holds tables but no Tracker Desktop version "
            "mark, so it may belong to another program. It has not been changed. "
            "Move it aside to start fresh, or restore a Tracker Desktop backup "
            f"from {backups_dir}."
        )


def _check_writable(db_file: Path) -> None:
    """SQLite writes the file and, beside it, its -wal/-shm or journal: both must be ours.
    A folder not made yet is judged by the nearest one that exists (it will be made there)."""
    if db_file.exists() and not storage_errors.writable(db_file):
        raise storage_errors.read_only_file(db_file)
    folder = next((p for p in db_file.parents if p.exists()), db_file.parent)
    if not storage_errors.writable(folder):
        raise storage_errors.read_only_folder(folder, "its database")


def _unreadable(db_file: Path, backups_dir: Path) -> DatabaseProblem:
    return DatabaseProblem(
        f"Tracker Desktop could not read its database at {db_file}: the file is damaged or "
        f"is not a database. It has not been changed. Restore it from a backup in "
        f"{backups_dir}, or move it aside to start fresh."
    )


def _read_only_look(db_file: Path, backups_dir: Path, busy_timeout_ms: int) -> _Found | None:
    """Header, integrity, revision and tables, read with SQLite's read-only mode.

    None for a missing or empty file (we create it empty, to set its mode).
    """
    try:
        with db_file.open("rb") as fh:
            header = fh.read(100)
    except FileNotFoundError:
        return None
    except PermissionError:
        raise DatabaseProblem(
            f"Tracker Desktop may not read its database at {db_file}: your user account "
            "has no permission to open it. Give your account permission to read and write "
            "that file, then start Tracker Desktop again. It has not been changed."
        ) from None
    except OSError as exc:
        raise storage_errors.from_os_error(exc, db_file) from None
    if not header:
        return None
    if not header.startswith(SQLITE_HEADER):
        raise _unreadable(db_file, backups_dir)
    try:
        with closing(
            sqlite3.connect(read_only_uri(db_file), uri=True, timeout=busy_timeout_ms / 1000)
        ) as conn:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            if conn.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
                raise _unreadable(db_file, backups_dir)
            tables = {
                name
                for (name,) in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            }
            revision = None
            if "alembic_version" in tables:
                rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
                # More than one mark is no history this app wrote: refused as unknown.
                revision = "+".join(sorted(str(r[0]) for r in rows)) or None
    except sqlite3.Error as exc:
        problem = storage_errors.from_sqlite(exc, db_file, busy_timeout_ms)
        if problem is None:  # not a database, or damaged
            raise _unreadable(db_file, backups_dir) from None
        raise problem from None
    return _Found(revision, tables - {"alembic_version"})


def _check_foreign_keys(conn: Connection, where: str) -> None:
    # Migrations run with foreign keys off (see make_engine); prove nothing dangles.
    problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise DatabaseProblem(
            f"Upgrading the database at {where} would leave {len(problems)} broken links "
            "between records, so it was not upgraded and has not been changed."
        )
