"""A database the first release wrote (first_release.db, schema revision 0001) opens in this
version: start-up keeps a copy of it first, upgrades it, and every row is still there with
every value it had; the app's own models read it."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.upgrade.make_first_release_db import FIXTURE, rows
from tracker_desktop.db.engine import make_engine, make_session_factory
from tracker_desktop.db.migrate import prepare_database
from tracker_desktop.db.models import Contact, Invoice, InvoiceLine, Watch
from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.watch_status import WatchStatus

Tables = dict[str, list[dict[str, Any]]]


def read_all(db_file: Path, columns: Tables | None = None) -> Tables:
    """Every row of every table, keyed by column, read-only; with `columns`, only the
    tables and columns that `columns` has (the first release's)."""
    with closing(sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)) as conn:
        conn.row_factory = sqlite3.Row
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        tables: Tables = {}
        for name in names if columns is None else list(columns):
            found = [dict(r) for r in conn.execute(f'SELECT * FROM "{name}"')]  # noqa: S608 - our names
            keep = None if columns is None or not columns[name] else set(columns[name][0])
            kept = [{k: v for k, v in r.items() if keep is None or k in keep} for r in found]
            tables[name] = sorted(kept, key=lambda r: [str(v) for v in r.values()])
        return tables


@pytest.fixture
def upgraded(tmp_path: Path) -> tuple[Path, Path, Tables]:
    """The fixture copied into a data folder and opened the way start-up opens it."""
    before = read_all(FIXTURE)
    db_file = tmp_path / "data" / "tracker.sqlite3"
    db_file.parent.mkdir()
    shutil.copyfile(FIXTURE, db_file)
    report = prepare_database(f"sqlite:///{db_file}", db_file, tmp_path / "backups")
    assert report.outcome == "upgraded"
    assert report.previous_revision == "0001"
    assert report.backup is not None
    return db_file, report.backup, before


def test_the_fixture_is_the_first_release_with_every_table_filled() -> None:
    tables = read_all(FIXTURE)
    assert tables["alembic_version"] == [{"version_num": "0001"}]
    assert {name for name, found in tables.items() if not found} == set()
    assert list(FIXTURE.parent.glob(f"{FIXTURE.name}-*")) == []  # reading it wrote nothing
    assert {name: len(found) for name, found in rows().items()} == {
        name: len(tables[name]) for name in rows()
    }


def test_a_copy_is_kept_before_the_upgrade_and_it_is_the_old_file(
    upgraded: tuple[Path, Path, Tables],
) -> None:
    _db, backup, before = upgraded
    assert read_all(backup) == before


def test_every_row_and_value_survives_the_upgrade(upgraded: tuple[Path, Path, Tables]) -> None:
    db_file, _backup, before = upgraded
    old = {name: found for name, found in before.items() if name != "alembic_version"}
    after = read_all(db_file, columns=old)
    for name, found in old.items():
        assert after[name] == found, name
    assert read_all(db_file)["alembic_version"] != before["alembic_version"]


def test_this_version_reads_the_old_rows_through_its_models(
    upgraded: tuple[Path, Path, Tables],
) -> None:
    db_file, _backup, _before = upgraded
    engine = make_engine(f"sqlite:///{db_file}")
    try:
        with make_session_factory(engine)() as session:
            paid = session.scalars(select(Invoice).where(Invoice.id == 1)).one()
            assert (paid.state, paid.total_minor, paid.currency) == (
                InvoiceState.PAID,
                1250050,
                "CHF",
            )
            lines = session.scalars(select(InvoiceLine).order_by(InvoiceLine.id)).all()
            assert [line.unit_amount_minor for line in lines] == [1250050, 45000]
            names = session.scalars(select(Contact.name).order_by(Contact.id)).all()
            assert names == ["Jürgen Söhne", "Amélie Durand"]
            statuses = session.scalars(select(Watch.status).order_by(Watch.id)).all()
            assert statuses == [WatchStatus.SOLD, WatchStatus.IN_STOCK]
    finally:
        engine.dispose()
