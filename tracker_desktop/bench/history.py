"""The Invoices window on a 100,000-invoice history (bench/history_seed), measured from the
dealer's action to the table repainted, in a process of its own (so its memory is its own):

- history_open_ms_100k: the window built and shown until its first page of rows is painted
  (the rows come from the database worker);
- history_filter_ms_100k: one keystroke in the text filter and one in the serial filter
  until the table has repainted with the narrower list, without the typing pause the
  window waits for (measured from the keystroke, less the time from the keystroke to the
  end of that pause): "lindq" and "k389" typed a key at a time, the median keystroke of
  each, the worse of the two; history_filter_slowest_key_ms_100k: the slowest keystroke
  (a two-letter word found in few invoices has no index to use);
- history_sort_ms_100k: a click on a column header until the table has repainted in the
  new order; every column both ways, the worst one;
- history_rss_mb_100k: resident memory with the window open, after the above;
- gui_block_max_ms_history: the longest gap of a 5 ms timer on the GUI thread while the
  filters are typed and the columns sorted with another process holding SQLite's write lock.

Medians over RUNS runs of each.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tracker_desktop.bench import Result, in_own_process
from tracker_desktop.bench.history_seed import SeededHistory, shared_history

RUNS = 5
TEXT_TYPED = "lindq"
SERIAL_TYPED = "k389"


def run() -> list[Result]:
    seeded = shared_history()
    return in_own_process(
        "tracker_desktop.bench.history",
        str(seeded.db_file),
        str(seeded.profile_id),
        what="history",
    )


def measure(seeded: SeededHistory) -> list[Result]:
    from tracker_desktop.bench.gui import StallMeter, qt_loop, resident_mb, write_lock_held
    from tracker_desktop.db.engine import make_engine, make_session_factory

    timings: dict[str, list[float]] = {
        "open": [], "filter": [], "slowest_key": [], "sort": [], "block": []
    }  # fmt: skip
    with qt_loop() as app:
        engine = make_engine(seeded.url)
        sessions = make_session_factory(engine)
        meter = StallMeter()
        rss = 0.0
        for _ in range(RUNS):
            page = _open(app, sessions, seeded.profile_id, timings)
            with write_lock_held(seeded.db_file):
                meter.start()
                keystroke, slowest = _keystrokes(app, page)
                timings["filter"].append(keystroke)
                timings["slowest_key"].append(slowest)
                timings["sort"].append(_worst_sort(app, page))
                timings["block"].append(meter.stop())
            rss = max(rss, resident_mb())
            page.close()
            page.deleteLater()
        engine.dispose()
    ms = {k: round(statistics.median(v) * 1000, 1) for k, v in timings.items()}
    return [
        Result("history_open_ms_100k", ms["open"], "ms", "<= 150"),
        Result("history_filter_ms_100k", ms["filter"], "ms", "<= 50"),
        Result("history_filter_slowest_key_ms_100k", ms["slowest_key"], "ms", "reported"),
        Result("history_sort_ms_100k", ms["sort"], "ms", "<= 100"),
        Result("history_rss_mb_100k", round(rss, 1), "MB", "<= 250"),
        Result("gui_block_max_ms_history", ms["block"], "ms", "<= 50"),
    ]


def _open(
    app: Any,
    sessions: Any,
    profile_id: int,
    timings: dict[str, list[float]],
    attachments: Path | None = None,
) -> Any:
    from tracker_desktop.bench.gui import wait_until
    from tracker_desktop.config.settings import AppSettings
    from tracker_desktop.services.inventory.watch_service import InventoryService
    from tracker_desktop.services.invoicing.invoice_service import InvoiceService
    from tracker_desktop.ui.invoices.page import InvoicesPage
    from tracker_desktop.ui.widgets.geometry import LayoutMemory

    started = time.perf_counter()
    # A Practice profile with no simulator running: the window opens without Stripe.
    page = InvoicesPage(
        InvoiceService(sessions, _no_gateway), InventoryService(sessions, attachments=attachments),
        lambda: profile_id,
        "en_US",
    )  # fmt: skip
    # As the main window does: kept column widths and splitters, columns fitted to new rows.
    LayoutMemory(AppSettings(), lambda _settings: None, autosave=False).attach("invoices", page)
    watch = _painted_after_rows(page)
    page.resize(1280, 800)
    page.show()
    wait_until(app, lambda: watch.done is not None)
    timings["open"].append(float(watch.done) - started)
    _stop_watching(page, watch)
    wait_until(app, lambda: not page.detail_reader.busy and not page.counting)
    return page


def _no_gateway(_profile_id: int) -> Any:
    raise RuntimeError("no Stripe in this benchmark")


def _keystroke(app: Any, page: Any, field: Any, key: Any) -> float:
    from PySide6.QtTest import QTest

    from tracker_desktop.bench.gui import wait_until

    paused: list[float] = []
    # Noted before the window's own handler runs, which starts the read.
    page.typing_pause.timeout.disconnect(page.reload)
    page.typing_pause.timeout.connect(lambda: paused.append(time.perf_counter()))
    page.typing_pause.timeout.connect(page.reload)
    watch = _painted_after_rows(page)
    try:
        pressed = time.perf_counter()
        QTest.keyClick(field, key)
        handled = time.perf_counter()
        wait_until(app, lambda: watch.done is not None)
    finally:
        _stop_watching(page, watch)
        page.typing_pause.timeout.disconnect()
        page.typing_pause.timeout.connect(page.reload)
    wait_until(app, lambda: not page.loading and not page.detail_reader.busy)
    return float((handled - pressed) + (watch.done - paused[0]))


def _painted_after_rows(page: Any) -> Any:
    """Watches for the table's first paint once new rows are in."""
    from tracker_desktop.bench.gui import NextPaint

    watch = NextPaint(page.table.viewport())
    page.rows_loaded.connect(watch.arm)
    return watch


def _stop_watching(page: Any, watch: Any) -> None:
    page.rows_loaded.disconnect(watch.arm)
    watch.remove()


def _keystrokes(app: Any, page: Any) -> tuple[float, float]:
    """(the worse field's median keystroke, the slowest keystroke of all)."""
    from PySide6.QtCore import Qt

    medians, slowest = [], 0.0
    for field, typed in ((page.filters.text, TEXT_TYPED), (page.filters.serial, SERIAL_TYPED)):
        field.setFocus()
        times = []
        for char in typed:
            key = getattr(Qt.Key, f"Key_{char.upper()}")
            times.append(_keystroke(app, page, field, key))
        medians.append(statistics.median(times))
        slowest = max(slowest, *times)
        field.clear()
        _settle(app, page)
    return max(medians), slowest


def _worst_sort(app: Any, page: Any) -> float:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    from tracker_desktop.bench.gui import wait_until

    header = page.table.horizontalHeader()
    worst = 0.0
    for column in range(page.model.columnCount()):
        for _ in range(2):  # the first click sorts one way, the second the other
            watch = _painted_after_rows(page)
            x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
            clicked = time.perf_counter()
            QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
            wait_until(app, lambda: watch.done is not None)  # noqa: B023 - waited for at once
            worst = max(worst, watch.done - clicked)
            _stop_watching(page, watch)
            wait_until(app, lambda: not page.loading and not page.detail_reader.busy)
    return worst


def _settle(app: Any, page: Any) -> None:
    from tracker_desktop.bench.gui import wait_until

    page.reload()
    wait_until(app, lambda: not page.loading and not page.detail_reader.busy)


def measure_on_server(url: str, profile_id: int) -> list[Result]:
    """The same keystrokes and column clicks in the window, on a shop's PostgreSQL server
    (bench/postgres): its figures carry the pg_ prefix. No write lock is held: a server has
    no whole-database lock for another workstation to hold."""
    from tracker_desktop.bench.gui import qt_loop
    from tracker_desktop.db.engine import make_engine, make_session_factory

    timings: dict[str, list[float]] = {"open": [], "filter": [], "sort": []}
    with qt_loop() as app:
        engine = make_engine(url)
        sessions = make_session_factory(engine)
        # On a server the attachments folder is the shop's to name; this window opens none.
        with tempfile.TemporaryDirectory(prefix="tracker-bench-") as attachments:
            for _ in range(RUNS):
                page = _open(app, sessions, profile_id, timings, Path(attachments))
                timings["filter"].append(_keystrokes(app, page)[0])
                timings["sort"].append(_worst_sort(app, page))
                page.close()
                page.deleteLater()
        engine.dispose()
    ms = {k: round(statistics.median(v) * 1000, 1) for k, v in timings.items()}
    return [
        Result("pg_history_filter_ms_100k", ms["filter"], "ms", "<= 50"),
        Result("pg_history_open_ms_100k", ms["open"], "ms", "reported"),
        Result("pg_history_sort_ms_100k", ms["sort"], "ms", "reported"),
    ]


def main(argv: list[str]) -> int:
    if argv[0] == "--server":  # the server's URL comes in the environment, not on argv
        results = measure_on_server(os.environ["TRACKER_BENCH_SERVER_HISTORY"], int(argv[1]))
    else:
        db_file, profile_id = Path(argv[0]), int(argv[1])
        results = measure(SeededHistory(f"sqlite:///{db_file}", db_file, profile_id, 0))
    for result in results:
        result.emit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
