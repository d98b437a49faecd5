"""`tracker-desktop --self-test` checks the data folder it is given (TRACKER_HOME) and
changes nothing in it; without TRACKER_HOME it runs on a throwaway folder (`make bundle`)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from tracker_desktop.db.migrate import MIGRATIONS_DIR

from .conftest import child_env, run_app, tree_fingerprint


def _dealer_home(tmp_path: Path) -> Path:
    """A data folder the app has really used: database, settings, a profile, a watch."""
    home = tmp_path / "dealer"
    made = run_app(["--quit-after-ready"], child_env(home))
    assert made.returncode == 0, made.stderr
    with sqlite3.connect(home / "data" / "tracker.sqlite3") as conn:
        conn.execute(
            "INSERT INTO profiles (name, kind, default_currency, default_due_days,"
            " invoice_footer, live_confirmed, created_at)"
            " VALUES ('Geneva Fine Watches', 'stripe', 'CHF', 14, '', 0, '2026-01-01')"
        )
        conn.execute(
            "INSERT INTO watches (profile_id, brand, model, reference, serial,"
            " condition, has_box, has_papers, currency, notes, status, created_at,"
            " updated_at) VALUES (1, 'Rolex', 'Submariner', '126610LN', 'S1', '',"
            " 1, 1, 'CHF', '', 'in_stock', '2026-01-01', '2026-01-01')"
        )
    conn.close()
    (home / "settings.json").write_text('{"active_profile_id": 1}', encoding="utf-8")
    return home


def test_self_test_checks_the_given_home_and_changes_nothing(tmp_path: Path) -> None:
    home = _dealer_home(tmp_path)
    before = tree_fingerprint(home)
    checked = run_app(["--self-test"], child_env(home))
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("self-test ok: Tracker Desktop ")
    assert f"checked {home} in " in checked.stdout
    assert f"The database at {home / 'data' / 'tracker.sqlite3'} is up to date" in checked.stdout
    assert "nothing in them was changed" in checked.stdout
    assert tree_fingerprint(home) == before  # no log line, no -wal, no settings rewrite


def test_self_test_on_a_home_not_made_yet_creates_nothing(tmp_path: Path) -> None:
    home = tmp_path / "new-shop"
    checked = run_app(["--self-test"], child_env(home))
    assert checked.returncode == 0, checked.stderr
    assert "There is no database at" in checked.stdout
    assert "the app creates it at its first start" in checked.stdout
    assert not home.exists()


def _next_release_migrations(tmp_path: Path) -> Path:
    """The app's migrations plus one more, as the next release would ship them."""
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0099_next.py").write_text(
        '"""Next release."""\n'
        "import sqlalchemy as sa\n"
        "from alembic import op\n\n"
        'revision = "0099"\n'
        f"down_revision = {_head()!r}\n"
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


def _head() -> str:
    from alembic.script import ScriptDirectory

    from tracker_desktop.db.migrate import make_alembic_config

    head = ScriptDirectory.from_config(make_alembic_config()).get_current_head()
    assert head is not None
    return head


def test_a_pending_upgrade_is_tried_on_a_copy_never_on_the_dealers_file(tmp_path: Path) -> None:
    """A new version's self-test, run by the real command line with one more migration."""
    home = _dealer_home(tmp_path)
    scripts = _next_release_migrations(tmp_path)
    before = tree_fingerprint(home)
    driver = (
        "import sys, pathlib\n"
        "import tracker_desktop.db.migrate as migrate\n"
        "migrate.MIGRATIONS_DIR = pathlib.Path(sys.argv[1])\n"
        "from tracker_desktop.app.cli import main\n"
        "sys.exit(main(['--self-test']))\n"
    )
    checked = subprocess.run(
        [sys.executable, "-c", driver, str(scripts)],
        env=child_env(home),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert f"is at revision {_head()}; this version upgrades it to 0099" in checked.stdout
    assert "that upgrade worked on a copy of it" in checked.stdout
    assert tree_fingerprint(home) == before
    with sqlite3.connect(home / "data" / "tracker.sqlite3") as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(_head(),)]
    conn.close()
    assert list((home / "backups").iterdir()) == []


def test_without_tracker_home_a_throwaway_folder_is_used(tmp_path: Path) -> None:
    """What `make bundle` runs: the user's real folders are not even looked at."""
    user = tmp_path / "user"
    user.mkdir()
    env = child_env(
        None,
        HOME=str(user),
        XDG_DATA_HOME=str(user / "data"),
        XDG_CONFIG_HOME=str(user / "config"),
        XDG_STATE_HOME=str(user / "state"),
        XDG_CACHE_HOME=str(user / "cache"),
    )
    checked = run_app(["--self-test"], env)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("self-test ok: Tracker Desktop ")
    assert "checked" not in checked.stdout
    assert list(user.iterdir()) == []


def test_a_database_server_in_the_environment_is_never_opened(tmp_path: Path) -> None:
    """psycopg is not installed: opening this URL would fail, so exit 0 proves it was not."""
    home = _dealer_home(tmp_path)
    before = tree_fingerprint(home)
    env = child_env(home, TRACKER_DATABASE_URL="postgresql+psycopg://shop@127.0.0.1:9/tracker")
    checked = run_app(["--self-test"], env)
    assert checked.returncode == 0, checked.stderr
    assert "the self-test does not open" in checked.stdout
    assert tree_fingerprint(home) == before
