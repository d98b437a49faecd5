"""The Clients window with 10,000 clients: open, rows ready, longest GUI stall, search.

clients_open_ms_10k: building the page until it has painted and the GUI thread is free
(the rows are still being read in a worker thread). clients_rows_ready_ms_10k: from the
same start until the table is filled with every row and repainted.
clients_gui_block_max_ms_10k: the longest gap between ticks of a 5 ms timer from the start
until the rows are ready, i.e. the longest single stall of the GUI thread during the open
(building the page counts). clients_search_ms_10k: one keystroke in the search box until
the table has repainted with the narrower list. Medians over RUNS opens.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tracker_desktop.bench import Result
from tracker_desktop.bench.gui import StallMeter

CLIENTS = 10_000
RUNS = 7
_CITIES = [("Geneva", "CH"), ("London", "GB"), ("Hong Kong", "HK"), ("New York", "US"),
           ("Dubai", "AE"), ("Tokyo", "JP"), ("Paris", "FR"), ("Milan", "IT")]  # fmt: skip


def _seed(home: Path) -> tuple[str, int]:
    from sqlalchemy import insert

    from tracker_desktop.config.paths import app_paths, database_url
    from tracker_desktop.db import models
    from tracker_desktop.db.engine import make_engine
    from tracker_desktop.db.migrate import prepare_database

    paths = app_paths(home).ensure()
    url = database_url(paths)
    prepare_database(url, paths.database_file, paths.backups)
    engine = make_engine(url)
    with engine.begin() as conn:
        profile_id = conn.execute(
            insert(models.Profile).values(name="Bench Watches", kind="practice")
        ).inserted_primary_key[0]  # type: ignore[index]
        conn.execute(
            insert(models.Contact),
            [
                {
                    "profile_id": profile_id,
                    "name": f"Collector {i:05d}",
                    "company": f"Maison {i % 700}",
                    "email": f"collector{i}@example.com",
                    "phone": f"+41 22 {i:07d}",
                    "city": _CITIES[i % len(_CITIES)][0],
                    "country": _CITIES[i % len(_CITIES)][1],
                    "stripe_customer_id": f"cus_bench{i:08d}" if i % 3 == 0 else None,
                }
                for i in range(CLIENTS)
            ],
        )
    engine.dispose()
    return url, int(profile_id)


def run() -> list[Result]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtWidgets import QApplication

    from tracker_desktop.config.secrets import KeyStore
    from tracker_desktop.db.engine import make_engine, make_session_factory
    from tracker_desktop.services.app_services import ClientServices
    from tracker_desktop.services.clients.client_service import ClientService
    from tracker_desktop.services.clients.customer_import import CustomerImport
    from tracker_desktop.services.clients.stripe_customers import ClientSync
    from tracker_desktop.services.profiles.stripe_access import GatewayProvider

    app = QApplication.instance() or QApplication([])
    # The app's own arrangement: asyncio on qasync inside Qt's loop, reads on a worker.
    loop = qasync.QEventLoop(app, already_running=True)
    asyncio.set_event_loop(loop)
    pool = ThreadPoolExecutor(2, thread_name_prefix="bench-loop")
    loop.set_default_executor(pool)
    meter = StallMeter()
    timings: dict[str, list[float]] = {"open": [], "ready": [], "block": [], "search": []}
    try:
        with tempfile.TemporaryDirectory(prefix="tracker-bench-clients-") as tmp:
            url, profile_id = _seed(Path(tmp))
            engine = make_engine(url)
            sessions = make_session_factory(engine)
            # A Practice profile with no simulator running: the page opens without Stripe.
            gateways = GatewayProvider(sessions, KeyStore())
            services = ClientServices(
                ClientService(sessions),
                ClientSync(sessions, gateways),
                CustomerImport(sessions, gateways),
            )
            for _ in range(RUNS):
                _open_once(app, services, profile_id, meter, timings)
            engine.dispose()
    finally:
        asyncio.events._set_running_loop(None)
        asyncio.set_event_loop(None)
        pool.shutdown(wait=True)
    median = {k: round(statistics.median(v) * 1000, 1) for k, v in timings.items()}
    return [
        Result("clients_open_ms_10k", median["open"], "ms", "<= 50"),
        Result(
            "clients_rows_ready_ms_10k", median["ready"], "ms", "reported (read off the GUI thread)"
        ),
        Result("clients_gui_block_max_ms_10k", median["block"], "ms", "<= 50"),
        Result("clients_search_ms_10k", median["search"], "ms", "<= 50"),
    ]


def _open_once(
    app: Any, services: Any, profile_id: int, meter: StallMeter, timings: dict[str, list[float]]
) -> None:
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtTest import QTest

    from tracker_desktop.ui.clients.page import ClientsPage

    ready: list[float] = []
    meter.start()
    started = time.perf_counter()
    page = ClientsPage(services, lambda: profile_id)
    page.rows_loaded.connect(lambda _n: ready.append(0.0))
    page.resize(1200, 700)
    page.show()
    page.repaint()
    app.processEvents()
    timings["open"].append(time.perf_counter() - started)
    while not ready:  # the Qt loop runs on; the rows arrive from the worker thread
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    page.table.viewport().repaint()
    timings["ready"].append(time.perf_counter() - started)
    timings["block"].append(meter.stop())
    assert page.model.rowCount() == CLIENTS
    page.search.setFocus()
    for key in (Qt.Key.Key_C, Qt.Key.Key_O, Qt.Key.Key_L):  # "col": all 10,000 match
        QTest.keyClick(page.search, key)
    for key in (Qt.Key.Key_1, Qt.Key.Key_2):  # "col12": narrows to a few hundred
        begun = time.perf_counter()
        QTest.keyClick(page.search, key)
        page.table.viewport().repaint()
        timings["search"].append(time.perf_counter() - begun)
    page.close()
    page.deleteLater()
    app.processEvents()
