"""What workstations sharing one PostgreSQL database tell each other through it.

`PollerLock`: one poller per profile for the whole shop. The leader holds a session-level
advisory lock (this key, the profile id) on a connection of its own; the lock goes with the
connection, so a workstation that is closed, killed or cut off frees it at once and the next
one to try takes over. On SQLite (one computer's file) every poller may poll, as before.

`ChangeChannel`: NOTIFY on a change, LISTEN on a thread of its own, so the other
workstations reload within a moment without reading anything while nothing changes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

log = logging.getLogger(__name__)

POLLER_LOCK_CLASS = 0x7472_6B01  # first half of the advisory key; the profile id is the second
CHANNEL = "tracker_changes"


def shared(engine: Engine) -> bool:
    """Whether other workstations may share this database (a server, not a file)."""
    return engine.dialect.name == "postgresql"


class PollerLock:
    """Whether this workstation is the one that polls `profile_id` for the shop."""

    def __init__(self, engine: Engine, profile_id: int) -> None:
        self._engine = engine
        self._profile_id = profile_id
        self._conn: Connection | None = None

    @property
    def leading(self) -> bool:
        return self._conn is not None or not shared(self._engine)

    def try_lead(self) -> bool:
        """Take the lead if it is free, or check that it is still held. Never waits."""
        if not shared(self._engine):
            return True
        try:
            if self._conn is None:
                conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                if not conn.execute(
                    text("SELECT pg_try_advisory_lock(:c, :p)"), self._key
                ).scalar():
                    conn.close()
                    return False
                self._conn = conn
                return True
            held = text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND pid = pg_backend_pid() AND classid = :c AND objid = :p AND objsubid = 2"
            )
            if self._conn.execute(held, self._key).scalar():
                return True
        except (DBAPIError, SQLAlchemyError):
            log.info("the poller lock of profile %s could not be checked", self._profile_id)
        self._drop()
        return False

    def resign(self) -> None:
        if self._conn is None:
            return
        with contextlib.suppress(DBAPIError, SQLAlchemyError):
            self._conn.execute(text("SELECT pg_advisory_unlock(:c, :p)"), self._key)
        self._drop()

    @property
    def _key(self) -> dict[str, int]:
        # pg_locks shows the two int4 halves as classid/objid (as oids, so kept positive).
        return {"c": POLLER_LOCK_CLASS, "p": self._profile_id}

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(DBAPIError, SQLAlchemyError):
                conn.invalidate()  # a connection whose lock is in doubt is not reused
                conn.close()


# (kind, profile id): what changed, as the other workstations hear it.
Heard = Callable[[str, int], None]


class ChangeChannel:
    """NOTIFY what this workstation changed; hear what the others changed."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._origin = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def notify(self, kind: str, profile_id: int) -> None:
        if not shared(self._engine):
            return
        payload = f"{self._origin}:{kind}:{profile_id}"
        try:
            with self._engine.connect() as conn:
                conn.execute(text("SELECT pg_notify(:ch, :p)"), {"ch": CHANNEL, "p": payload})
                conn.commit()
        except (DBAPIError, SQLAlchemyError):
            log.info("could not tell the other workstations about a change", exc_info=True)

    def listen(self, heard: Heard) -> None:
        """Call `heard` (on the listening thread) for each change another workstation made."""
        if not shared(self._engine) or self._thread is not None:
            return
        self._thread = threading.Thread(
            target=self._listen, args=(heard,), name="shop-changes", daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _listen(self, heard: Heard) -> None:
        while not self._stop.is_set():
            try:
                with self._engine.connect() as conn:
                    raw: Any = conn.connection.driver_connection
                    try:
                        raw.autocommit = True
                        raw.execute(f"LISTEN {CHANNEL}")
                        while not self._stop.is_set():
                            for note in raw.notifies(timeout=0.5, stop_after=1):
                                self._deliver(note.payload, heard)
                    finally:
                        conn.invalidate()  # never hand a listening connection back to the pool
            except Exception:  # the server went away: listen again once it is back
                log.info("listening for other workstations' changes stopped; retrying")
                self._stop.wait(2.0)

    def _deliver(self, payload: str, heard: Heard) -> None:
        origin, _, rest = payload.partition(":")
        kind, _, profile = rest.partition(":")
        if origin != self._origin and profile.isdigit():
            heard(kind, int(profile))
