"""What an upgrade of a shared PostgreSQL database needs beyond the SQLite path.

One workstation migrates at a time: the upgrade's transaction first takes a transaction-level
advisory lock, so a second workstation starting at the same moment waits, then finds the
database already at head. Before an upgrade the database is copied with pg_dump into the
backups folder; where pg_dump is not installed the upgrade says what to back up and goes on
only after the dealer's yes (`confirm`), otherwise it stops with nothing changed.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, make_url, text

from tracker_desktop.db.file_copies import backup_path
from tracker_desktop.domain.errors import DatabaseProblem

log = logging.getLogger(__name__)

# Any fixed 64-bit number; every Tracker Desktop upgrade of one database takes this one.
MIGRATION_LOCK = 0x7472_6163_6B65_7201
PG_DUMP_TIMEOUT_S = 600

# Asked when no pg_dump is at hand: the question's text; True means "upgrade anyway".
ConfirmWithoutBackup = Callable[[str], bool]


def lock_for_upgrade(conn: Connection) -> None:
    """Wait until no other workstation is upgrading; held until this transaction ends."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})


def describe(url: str) -> str:
    """The database's name and server, for the dealer (never the password)."""
    parsed = make_url(url)
    host = parsed.host or str(parsed.query.get("host", "")) or "this computer"
    return f'database "{parsed.database}" on {host}'


def backup_server(
    url: str, backups_dir: Path, revision: str, confirm: ConfirmWithoutBackup | None
) -> Path | None:
    """A pg_dump copy (custom format) in `backups_dir`, or None once the dealer said to go on
    without one. Raises DatabaseProblem when the copy failed or the dealer said no."""
    where = describe(url)
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        question = (
            f"This version of Tracker Desktop must upgrade the shared {where}, and pg_dump, "
            "which would copy it first, is not installed on this computer. Make a backup of "
            "that database with your server's own backup tool now. Upgrade it once the "
            "backup is made?"
        )
        if confirm is not None and confirm(question):
            log.info("upgrading %s without a copy, as the dealer confirmed", where)
            return None
        raise DatabaseProblem(
            f"The shared {where} was not upgraded and has not been changed: install pg_dump "
            "(PostgreSQL's client tools) so a copy is kept first, or back it up yourself "
            "and confirm the upgrade."
        )
    dest = backup_path(backups_dir, revision).with_suffix(".dump")
    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    args, env = _pg_dump_command(pg_dump, url, dest)
    try:
        done = subprocess.run(  # noqa: S603 - our own arguments, no shell
            args, env=env, capture_output=True, text=True, timeout=PG_DUMP_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        dest.unlink(missing_ok=True)
        raise _copy_failed(where, type(exc).__name__) from None
    if done.returncode != 0:
        dest.unlink(missing_ok=True)
        log.warning("pg_dump failed: %s", done.stderr.strip()[-500:])
        raise _copy_failed(where, f"pg_dump ended with code {done.returncode}")
    dest.chmod(0o600)
    return dest


def _copy_failed(where: str, why: str) -> DatabaseProblem:
    return DatabaseProblem(
        f"The copy of the shared {where} that is kept before an upgrade could not be made "
        f"({why}), so it was not upgraded and has not been changed."
    )


def _pg_dump_command(pg_dump: str, url: str, dest: Path) -> tuple[list[str], dict[str, str]]:
    """pg_dump's arguments for the URL; the password goes in its environment, never in argv."""
    parsed = make_url(url)
    args = [pg_dump, "--format=custom", "--no-owner", "--no-password", f"--file={dest}"]
    host = parsed.host or parsed.query.get("host")
    port = parsed.port or parsed.query.get("port")
    if host:
        args.append(f"--host={host}")
    if port:
        args.append(f"--port={port}")
    if parsed.username:
        args.append(f"--username={parsed.username}")
    args.append(f"--dbname={parsed.database}")
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    return args, env
