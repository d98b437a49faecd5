"""Engine and sessions. SQLite gets WAL, foreign keys, a busy timeout and a private file.

Transactions are real on SQLite: Python's sqlite3 module would otherwise skip BEGIN before
SELECT and SAVEPOINT, so we switch its own handling off and emit BEGIN ourselves. A session
opened with `session_scope(factory, write=True)` begins with BEGIN IMMEDIATE, taking the
write lock up front; a read that later writes could otherwise fail at once with
"database is locked" when another writer got in between (WAL cannot upgrade a stale read).

Storage faults (disk full, read-only, locked past the busy timeout, I/O error) are turned
into the project's StorageProblem family here, in the engine's `handle_error` hook, so
every session and connection of the app raises a dealer's sentence, never SQLAlchemy's text.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import Connection, ExceptionContext
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db import storage_errors

DEFAULT_BUSY_TIMEOUT_MS = 5000
# Execution option read by the BEGIN hook: "" (deferred) or "IMMEDIATE".
SQLITE_BEGIN_OPTION = "tracker_sqlite_begin"

log = logging.getLogger(__name__)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_file(url: str) -> Path | None:
    """The database file a SQLite URL names; None for memory databases and other backends."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def ensure_private_file(path: Path) -> None:
    """Create the database file 0600 before SQLite does (SQLite would use the umask).

    SQLite gives its -wal and -shm files the main file's mode, so they stay private too.
    An existing file loses only the group's and others' access, and only if this user owns
    it: a shared file set up by an administrator keeps its mode, and so does the owner's.
    Call it on an existing file only once the file is accepted (see db.migrate).
    """
    if os.name != "posix":
        path.touch(exist_ok=True)  # Windows: the per-user data folder's ACL protects it
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        info = path.stat()
        mode = stat.S_IMODE(info.st_mode)
        if info.st_uid == os.getuid() and mode & 0o077:
            path.chmod(mode & ~0o077)
    else:
        os.close(fd)


def make_engine(
    url: str,
    *,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    foreign_keys: bool = True,
    private_file: bool = True,
) -> Engine:
    """An engine for `url`. SQLite files are created private and opened in WAL mode.

    `foreign_keys=False` is for migrations only: SQLite batch migrations rebuild tables,
    and dropping a parent table with foreign keys on would cascade-delete its children.
    `private_file=False` leaves the file's existence and mode to the caller: the start-up
    check creates or tightens it only after it has accepted the file and holds its lock.
    """
    if not is_sqlite(url):
        return _server_engine(url)

    path = sqlite_file(url)
    if path is not None and private_file:
        try:
            ensure_private_file(path)
        except OSError as exc:
            raise storage_errors.from_os_error(exc, path) from None
    # The driver's own timeout is in seconds; busy_timeout below is what SQLite obeys.
    engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> BaseException | None:
        problem = storage_errors.from_sqlite(context.original_exception, path, busy_timeout_ms)
        if problem is not None:
            # The dealer reads the sentence; the log keeps SQLite's own words for support.
            log.warning("storage fault: %s", context.original_exception)
        return problem

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, see module doc
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
            if path is not None:
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")  # safe with WAL, much faster
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(SQLITE_BEGIN_OPTION, "")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if mode == "IMMEDIATE" else "BEGIN")

    return engine


# The key of the shop-wide write lock on PostgreSQL (see _server_engine).
SERVER_WRITE_LOCK = 0x7472_6163_6B65_7202


def _server_engine(url: str) -> Engine:
    """On PostgreSQL a write transaction (session_scope(write=True)) first takes one
    transaction-level advisory lock, as SQLite's BEGIN IMMEDIATE takes its write lock: the
    services' read-compare-write steps then run one at a time across every workstation,
    each seeing what the one before committed, while reads never wait."""
    engine = create_engine(url, pool_pre_ping=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(SQLITE_BEGIN_OPTION) == "IMMEDIATE":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SERVER_WRITE_LOCK})")

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit (the UI shows them afterwards)."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session], *, write: bool = False) -> Iterator[Session]:
    """One short transaction: commit on success, roll back on error, always close.

    Pass `write=True` for anything that changes rows, so SQLite takes its write lock at
    BEGIN (waiting up to the busy timeout) rather than failing halfway through; on
    PostgreSQL the shop-wide write lock of _server_engine.
    """
    with factory() as session, session.begin():
        if write:
            # The connection is procured here, so the option reaches the BEGIN hook.
            session.connection(execution_options={SQLITE_BEGIN_OPTION: "IMMEDIATE"})
        yield session
