"""clients_open_ms_10k and clients_search_ms_10k: the Clients window with 10,000 clients.

Open: building the page (one query for every row) until it has painted. Search: one
keystroke in the search box until the table has repainted with the narrower list.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from tracker_desktop.bench import Result

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
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from tracker_desktop.config.secrets import KeyStore
    from tracker_desktop.db.engine import make_engine, make_session_factory
    from tracker_desktop.services.client_sync import ClientSync
    from tracker_desktop.services.clients import ClientService
    from tracker_desktop.services.clients_access import ClientServices
    from tracker_desktop.services.customer_import import CustomerImport
    from tracker_desktop.services.stripe_access import GatewayProvider
    from tracker_desktop.ui.clients.page import ClientsPage

    app = QApplication.instance() or QApplication([])
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
        opens, searches = [], []
        for _ in range(RUNS):
            started = time.perf_counter()
            page = ClientsPage(services, lambda: profile_id)
            page.resize(1200, 700)
            page.show()
            page.repaint()
            app.processEvents()
            opens.append(time.perf_counter() - started)
            page.search.setFocus()
            for key in (Qt.Key.Key_C, Qt.Key.Key_O, Qt.Key.Key_L):  # "col": all 10,000 match
                QTest.keyClick(page.search, key)
            for key in (Qt.Key.Key_1, Qt.Key.Key_2):  # "col12": narrows to a few hundred
                started = time.perf_counter()
                QTest.keyClick(page.search, key)
                page.table.viewport().repaint()
                searches.append(time.perf_counter() - started)
            page.close()
            page.deleteLater()
            app.processEvents()
        engine.dispose()
    open_ms = statistics.median(opens) * 1000
    search_ms = statistics.median(searches) * 1000
    return [
        Result("clients_open_ms_10k", round(open_ms, 1), "ms", "<= 50"),
        Result("clients_search_ms_10k", round(search_ms, 1), "ms", "<= 50"),
    ]
