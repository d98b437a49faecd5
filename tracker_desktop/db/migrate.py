"""Start-up check: open the database, refuse what we must not touch, upgrade to head.

Never overwrites, deletes or downgrades a database. Before upgrading a database that holds
data, copies it to the backups folder with SQLite's backup API (consistent under WAL).
Alembic is imported inside functions: it is only needed here, once, at start-up.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sqlalchemy import inspect
from sqlalchemy.exc import OperationalError as SAOperationalError

from tracker_desktop.db.engine import (
    DEFAULT_BUSY_TIMEOUT_MS,
    SQLITE_BEGIN_OPTION,
    ensure_private_file,
    is_sqlite,
    make_engine,
)
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
            return (
                f"database upgraded from {self.previous_revision} to {self.revision}; "
                f"copy kept at {self.backup}"
            )
        return f"database up to date at revision {self.revision}"


def make_alembic_config(
    *,
    connection: Connection | None = None,
    url: str | None = None,
    script_location: Path | None = None,
) -> Config:
    """An Alembic Config built in code: no alembic.ini is needed or shipped.

    Developers generate a revision with, for example:
    `command.revision(make_alembic_config(url="sqlite:///dev.sqlite3"), "msg", autogenerate=True)`
    after upgrading that scratch database to head.
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location or MIGRATIONS_DIR))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def prepare_database(
    url: str,
    db_file: Path | None,
    backups_dir: Path,
    *,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    script_location: Path | None = None,
) -> MigrationReport:
    """Bring the database at `url` (file `db_file` for SQLite) to this app's schema."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    where = str(db_file) if db_file is not None else "the configured database server"
    if db_file is not None and db_file.exists():
        _check_readable(db_file, backups_dir, busy_timeout_ms)

    script = ScriptDirectory.from_config(make_alembic_config(script_location=script_location))
    head = script.get_current_head()
    assert head is not None, "the app ships at least one migration"
    known = {rev.revision for rev in script.walk_revisions()}

    sqlite = is_sqlite(url)
    engine = make_engine(url, busy_timeout_ms=busy_timeout_ms, foreign_keys=False)
    try:
        with _locked_means_in_use(where), engine.connect() as raw:
            # BEGIN IMMEDIATE: no other program may write between our look and our upgrade.
            conn = raw.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})
            with conn.begin():
                current = MigrationContext.configure(conn).get_current_revision()
                tables = set(inspect(conn).get_table_names()) - {"alembic_version"}
                if current is not None and current not in known:
                    raise DatabaseProblem(
                        f"The database at {where} was made by a newer version of Tracker "
                        "Desktop. Install the newer version to open it; this version will "
                        "not downgrade it, and it has not been changed."
                    )
                if current == head:
                    return MigrationReport("up_to_date", head)
                if current is None and tables:
                    raise DatabaseProblem(
                        f"The database at {where} holds tables but no Tracker Desktop version "
                        "mark, so it may belong to another program. It has not been changed. "
                        "Move it aside to start fresh, or restore a Tracker Desktop backup "
                        f"from {backups_dir}."
                    )
                backup = None
                if current is not None and sqlite and db_file is not None:
                    backup = backup_sqlite(db_file, backup_path(backups_dir, current))
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
    """Copy a live SQLite database (WAL included) to `dest`, a new private file."""
    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    ensure_private_file(dest)
    with (
        closing(sqlite3.connect(_read_only_uri(db_file), uri=True)) as src,
        closing(sqlite3.connect(dest)) as dst,
    ):
        src.backup(dst)
    return dest


def _read_only_uri(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=ro"


def _check_readable(db_file: Path, backups_dir: Path, busy_timeout_ms: int) -> None:
    """Refuse a file SQLite cannot read, without writing to it."""
    unreadable = DatabaseProblem(
        f"Tracker Desktop could not read its database at {db_file}. It has not been changed. "
        f"Restore it from a backup in {backups_dir}, or move it aside to start fresh."
    )
    try:
        with db_file.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise unreadable from exc
    if not header:
        return  # an empty file is an empty database (we create it so, to set its mode)
    if header != SQLITE_HEADER:
        raise unreadable
    with _locked_means_in_use(str(db_file)):
        try:
            with closing(
                sqlite3.connect(_read_only_uri(db_file), uri=True, timeout=busy_timeout_ms / 1000)
            ) as conn:
                rows = conn.execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError as exc:
            if _is_locked(exc):
                raise
            raise unreadable from exc
    if rows != [("ok",)]:
        raise unreadable


def _check_foreign_keys(conn: Connection, where: str) -> None:
    # Migrations run with foreign keys off (see make_engine); prove nothing dangles.
    problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise DatabaseProblem(
            f"Upgrading the database at {where} would leave {len(problems)} broken links "
            "between records, so it was not upgraded and has not been changed."
        )


def _is_locked(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text


@contextmanager
def _locked_means_in_use(where: str) -> Iterator[None]:
    try:
        yield
    except (sqlite3.OperationalError, SAOperationalError) as exc:
        if not _is_locked(exc):
            raise
        raise DatabaseProblem(
            f"The database at {where} is in use by another program (perhaps another Tracker "
            "Desktop window). Close it and try again; nothing was lost."
        ) from exc
