"""The Dashboard on the 100,000-invoice history (bench/history_seed, its watches given a
purchase cost so the margin has work to do), in a process of its own:

- dashboard_open_ms_100k: the page built and shown until both charts have painted the
  figures read on the database worker (paid sales by month, two years; margin by month
  and per sale; what is owed; best clients and brands);
- dashboard_gui_block_max_ms_100k: the longest gap of a 5 ms timer on the GUI thread
  meanwhile (the queries run off it; what is left is building and painting the page).

Medians over RUNS opens, each of a new page.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tracker_desktop.bench import Result, in_own_process
from tracker_desktop.bench.history_seed import SeededHistory, copy_database, shared_history

RUNS = 5


def run() -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="tracker-bench-dashboard-") as folder:
        seeded = with_costs(copy_database(shared_history(), Path(folder)))
        return in_own_process(
            "tracker_desktop.bench.dashboard",
            str(seeded.db_file),
            str(seeded.profile_id),
            what="dashboard",
        )


def with_costs(seeded: SeededHistory) -> SeededHistory:
    """Every watch bought at 70 % of its asking price (the shared history has no costs)."""
    from sqlalchemy import update

    from tracker_desktop.db import models
    from tracker_desktop.db.engine import make_engine, make_session_factory, session_scope

    engine = make_engine(seeded.url)
    with session_scope(make_session_factory(engine), write=True) as session:
        session.execute(
            update(models.Watch)
            .where(models.Watch.profile_id == seeded.profile_id)
            .values(purchase_cost_minor=models.Watch.asking_price_minor * 7 // 10)
        )
    engine.dispose()
    return seeded


def measure(seeded: SeededHistory) -> list[Result]:
    from tracker_desktop.bench.gui import StallMeter, qt_loop
    from tracker_desktop.db.engine import make_engine, make_session_factory
    from tracker_desktop.services.dashboard import DashboardService

    opens: list[float] = []
    blocks: list[float] = []
    with qt_loop() as app:
        engine = make_engine(seeded.url)
        service = DashboardService(make_session_factory(engine))
        meter = StallMeter()
        for _ in range(RUNS):
            meter.start()
            opens.append(_open(app, service, seeded.profile_id))
            blocks.append(meter.stop())
        engine.dispose()
    return [
        Result("dashboard_open_ms_100k", round(statistics.median(opens) * 1000, 1), "ms",
               "<= 200"),
        Result("dashboard_gui_block_max_ms_100k", round(statistics.median(blocks) * 1000, 1),
               "ms", "reported"),
    ]  # fmt: skip


def _open(app: Any, service: Any, profile_id: int) -> float:
    from tracker_desktop.bench.gui import NextPaint, wait_until
    from tracker_desktop.ui.dashboard.page import DashboardPage

    started = time.perf_counter()
    page = DashboardPage(service, lambda: profile_id, "en_US")
    watches = [NextPaint(chart.viewport()) for chart in (page.sales_chart, page.margin_chart)]
    for watch in watches:
        page.figures_shown.connect(watch.arm)
    page.resize(1280, 800)
    page.show()
    wait_until(app, lambda: all(w.done is not None for w in watches))
    took = max(float(w.done or 0.0) for w in watches) - started
    if page.board is None or not page.board.margins:
        raise RuntimeError("the dashboard read no figures")
    for watch in watches:
        watch.remove()
    page.close()
    page.deleteLater()
    return took


def main(argv: list[str]) -> int:
    db_file, profile_id = Path(argv[0]), int(argv[1])
    for result in measure(SeededHistory(f"sqlite:///{db_file}", db_file, profile_id, 0)):
        result.emit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
