"""Migration 0004_provenance on a database the previous version (0003) made: its watches keep
their status and gain empty memo fields; checks and documents can be kept at once, and the
FTS triggers of 0003 are still in place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.old_versions import PROFILE, database_at, watch_row
from tracker_desktop.db.engine import make_engine, make_session_factory
from tracker_desktop.db.migrate import prepare_database
from tracker_desktop.domain.watch_status import WatchStatus
from tracker_desktop.services.inventory.provenance import CheckForm
from tracker_desktop.services.inventory.watch_service import InventoryService

PREVIOUS_VERSION_ROWS = PROFILE + watch_row("reserved")


def test_watches_of_the_previous_version_gain_provenance(tmp_path: Path) -> None:
    url, db_file = database_at(tmp_path, "0003", PREVIOUS_VERSION_ROWS)

    report = prepare_database(url, db_file, tmp_path / "backups")
    assert (report.outcome, report.previous_revision) == ("upgraded", "0003")
    engine = make_engine(url)
    try:
        inventory = InventoryService(make_session_factory(engine))
        watch = inventory.get(1, 1)
        assert (watch.status, watch.away_with, watch.away_since) == (
            WatchStatus.RESERVED,
            "",
            None,
        )
        inventory.provenance.add_check(1, 1, CheckForm("The Watch Register", dt.date(2026, 1, 5)))
        assert [c.register for c in inventory.provenance.checks(1, 1)] == ["The Watch Register"]
        with engine.connect() as conn:
            triggers = conn.exec_driver_sql(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
            ).scalar_one()
        assert triggers == 3
    finally:
        engine.dispose()
