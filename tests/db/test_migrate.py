"""Start-up migration: create, upgrade with a backup, and refuse what must not be touched."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from tracker_desktop.db.engine import make_engine
from tracker_desktop.db.file_copies import backup_path, backup_sqlite
from tracker_desktop.db.migrate import MIGRATIONS_DIR, prepare_database
from tracker_desktop.db.models import Base
from tracker_desktop.db.search_text import is_search_index
from tracker_desktop.domain.errors import DatabaseProblem

# The newest revision the app ships; a test's "next release" builds on it.
APP_HEAD = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def test_fresh_database_is_created_at_head(db_url: str, db_file: Path, backups_dir: Path) -> None:
    report = prepare_database(db_url, db_file, backups_dir)
    assert report.outcome == "created"
    assert report.backup is None
    assert not backups_dir.exists() or not any(backups_dir.iterdir())
    again = prepare_database(db_url, db_file, backups_dir)
    assert again.outcome == "up_to_date"
    assert again.revision == report.revision


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    return not (type_ in ("table", "index") and is_search_index(name))  # as migrations/env.py does


def test_models_and_migrations_agree(db_url: str, db_file: Path, backups_dir: Path) -> None:
    prepare_database(db_url, db_file, backups_dir)
    engine = make_engine(db_url)
    with engine.connect() as conn:
        opts = {"compare_type": True, "include_name": include_name}
        context = MigrationContext.configure(conn, opts=opts)
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_garbage_file_is_refused_and_left_alone(
    db_url: str, db_file: Path, backups_dir: Path
) -> None:
    db_file.write_bytes(b"this is a spreadsheet, not a database" * 100)
    before = db_file.read_bytes()
    with pytest.raises(DatabaseProblem, match="could not read") as err:
        prepare_database(db_url, db_file, backups_dir)
    assert str(db_file) in str(err.value)
    assert str(backups_dir) in str(err.value)
    assert db_file.read_bytes() == before


def test_damaged_database_is_refused_and_left_alone(
    db_url: str, db_file: Path, backups_dir: Path
) -> None:
    prepare_database(db_url, db_file, backups_dir)
    data = bytearray(db_file.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    data[page_size + 8 : page_size * 3] = b"\xff" * (page_size * 2 - 8)  # smash pages 2-3
    db_file.write_bytes(bytes(data))
    with pytest.raises(DatabaseProblem, match="could not read"):
        prepare_database(db_url, db_file, backups_dir)
    assert db_file.read_bytes() == bytes(data)


def test_database_from_a_newer_version_is_refused(
    db_url: str, db_file: Path, backups_dir: Path
) -> None:
    prepare_database(db_url, db_file, backups_dir)
    with sqlite3.connect(db_file) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    sqlite3.connect(db_file).close()
    before = db_file.read_bytes()
    with pytest.raises(DatabaseProblem, match="newer version"):
        prepare_database(db_url, db_file, backups_dir)
    assert db_file.read_bytes() == before
    with sqlite3.connect(db_file) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
            "9999_from_the_future",
        )


def test_foreign_database_is_refused(db_url: str, db_file: Path, backups_dir: Path) -> None:
    with sqlite3.connect(db_file) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(DatabaseProblem, match="another program"):
        prepare_database(db_url, db_file, backups_dir)
    with sqlite3.connect(db_file) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"recipes"}


def test_locked_rollback_journal_database_is_reported_in_use(
    db_url: str, db_file: Path, backups_dir: Path
) -> None:
    holder = sqlite3.connect(db_file, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")  # blocks even readers outside WAL
    try:
        start = time.monotonic()
        with pytest.raises(DatabaseProblem, match="in use by another program"):
            prepare_database(db_url, db_file, backups_dir, busy_timeout_ms=100)
        assert time.monotonic() - start < 3
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_locked_wal_database_is_reported_in_use(
    db_url: str, db_file: Path, backups_dir: Path
) -> None:
    prepare_database(db_url, db_file, backups_dir)
    holder = sqlite3.connect(db_file, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # under WAL, readers pass; writers wait
    try:
        with pytest.raises(DatabaseProblem, match="nothing was lost"):
            prepare_database(db_url, db_file, backups_dir, busy_timeout_ms=100)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def _scripts_with_a_second_revision(tmp_path: Path) -> Path:
    """A copy of the app's migrations plus one more, as the next release would ship."""
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_next.py").write_text(
        '"""Next release."""\n'
        "import sqlalchemy as sa\n"
        "from alembic import op\n\n"
        'revision = "9999"\n'
        f"down_revision = {APP_HEAD!r}\n"
        "branch_labels = None\n"
        "depends_on = None\n\n\n"
        "def upgrade() -> None:\n"
        '    with op.batch_alter_table("watches") as batch:\n'
        '        batch.add_column(sa.Column("caliber", sa.String(80), nullable=True))\n\n\n'
        "def downgrade() -> None:\n"
        '    with op.batch_alter_table("watches") as batch:\n'
        '        batch.drop_column("caliber")\n'
    )
    return scripts


def test_upgrade_copies_the_database_aside_first(
    tmp_path: Path, db_url: str, db_file: Path, backups_dir: Path
) -> None:
    prepare_database(db_url, db_file, backups_dir)
    with sqlite3.connect(db_file) as conn:
        conn.execute(
            "INSERT INTO profiles (name, kind, default_currency, default_due_days,"
            " invoice_footer, live_confirmed, created_at)"
            " VALUES ('Shop', 'stripe', 'USD', 14, '', 0, '2026-01-01 00:00:00')"
        )
        conn.execute(
            "INSERT INTO watches (profile_id, brand, model, reference, serial,"
            " condition, has_box, has_papers, currency, notes, status, created_at,"
            " updated_at) VALUES (1, 'Rolex', 'Submariner', '126610LN', 'S1', '',"
            " 1, 1, 'USD', '', 'in_stock', '2026-01-01', '2026-01-01')"
        )
    scripts = _scripts_with_a_second_revision(tmp_path)

    report = prepare_database(db_url, db_file, backups_dir, script_location=scripts)

    assert report.outcome == "upgraded"
    assert (report.previous_revision, report.revision) == (APP_HEAD, "9999")
    assert report.backup is not None
    assert report.backup.parent == backups_dir
    assert report.backup.name.startswith(f"tracker-{APP_HEAD}-")
    with sqlite3.connect(report.backup) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == (APP_HEAD,)
        assert old.execute("SELECT serial FROM watches").fetchall() == [("S1",)]
    with sqlite3.connect(db_file) as new:
        assert new.execute("SELECT serial, caliber FROM watches").fetchall() == [("S1", None)]
        assert new.execute("PRAGMA foreign_keys").fetchone() == (0,)  # plain connection
        assert new.execute("PRAGMA foreign_key_check").fetchall() == []
    # the rebuilt table must not have cascaded away anyone's rows
    with sqlite3.connect(db_file) as new:
        assert new.execute("SELECT count(*) FROM profiles").fetchone() == (1,)


def test_backup_includes_data_still_in_the_wal(tmp_path: Path) -> None:
    db = tmp_path / "live.sqlite3"
    engine = make_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA wal_autocheckpoint = 0")
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        conn.exec_driver_sql("INSERT INTO t VALUES (7)")
    with engine.connect():  # keep a connection open so the WAL is not checkpointed away
        assert Path(f"{db}-wal").stat().st_size > 0
        dest = backup_sqlite(db, backup_path(tmp_path / "backups", "0001"))
    engine.dispose()
    with sqlite3.connect(dest) as copy:
        assert copy.execute("SELECT x FROM t").fetchall() == [(7,)]


def test_backup_names_never_collide(tmp_path: Path) -> None:
    first = backup_path(tmp_path, "0001")
    first.touch()
    assert backup_path(tmp_path, "0001") != first
