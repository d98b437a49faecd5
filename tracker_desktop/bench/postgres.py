"""A shop on PostgreSQL, on the server named by TRACKER_BENCH_POSTGRES_URL (or the tests'
TRACKER_TEST_POSTGRES_URL: `source .ci/postgres.sh && start_test_postgres` starts the same
throwaway server CI uses). Without one these figures are left out, and it says so.

- pg_history_filter_ms_100k: a keystroke in the Invoices window's text and serial filters
  until the table has repainted, measured as history_filter_ms_100k is on SQLite
  (bench/history), on the 100,000-invoice history (bench/history_seed) with its statistics
  brought up to date as after a move (db/history_move); beside it the window's open and its
  worst column sort;
- pg_history_page_ms_100k and pg_history_page_and_count_ms_100k: the service's page
  statement alone (what a keystroke waits for: the window counts after the page is shown)
  and with its exact count, median of five words;
- pg_change_visible_s: a draft saved on workstation A until workstation B has heard of it
  (LISTEN/NOTIFY) and re-read its list, median of five changes;
- pg_poll_requests_idle_3_workstations: Stripe requests per poll interval for the whole shop
  while three workstations' supervisors run and nothing changes (the simulator's count).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from tracker_desktop.bench import Result, in_own_process
from tracker_desktop.bench.sync import simulator
from tracker_desktop.stripe_gateway import StripeGateway

WORDS = ("lindqvist", "söhne", "daytona", "k3", "nothing like it")
CHANGES = 5
IDLE_INTERVALS = 5
INTERVAL_S = 1.0


def _server() -> str | None:
    return os.environ.get("TRACKER_BENCH_POSTGRES_URL") or os.environ.get(
        "TRACKER_TEST_POSTGRES_URL"
    )


def _new_database(server: str) -> str:
    from sqlalchemy import make_url, text

    from tracker_desktop.db.engine import make_engine

    name = f"tracker_bench_{uuid.uuid4().hex[:12]}"
    engine = make_engine(server)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def _drop_database(server: str, url: str) -> None:
    from sqlalchemy import make_url, text

    from tracker_desktop.db.engine import make_engine

    engine = make_engine(server)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    engine.dispose()


def run() -> list[Result]:
    server = _server()
    if not server:
        print("bench postgres: no server (TRACKER_BENCH_POSTGRES_URL): skipped", file=sys.stderr)
        return []
    results = []
    for measure in (_history_filter, _change_visible, _idle_requests):
        url = _new_database(server)
        try:
            results.extend(measure(url))
        finally:
            _drop_database(server, url)
    return results


def _history_filter(url: str) -> list[Result]:
    from tracker_desktop.bench.history_seed import seed_history
    from tracker_desktop.db.engine import make_engine, make_session_factory
    from tracker_desktop.db.history_move import refresh_statistics
    from tracker_desktop.services.invoicing.invoice_service import InvoiceFilters, InvoiceService

    with tempfile.TemporaryDirectory(prefix="tracker-bench-pg-") as tmp:
        os.environ["TRACKER_DATABASE_URL"] = url
        try:
            seeded = seed_history(Path(tmp))
        finally:
            del os.environ["TRACKER_DATABASE_URL"]
    engine = make_engine(url)
    refresh_statistics(engine, ["invoices", "invoice_lines", "watches", "contacts"])
    service = InvoiceService(make_session_factory(engine), _no_stripe)
    with_count: list[float] = []
    page_only: list[float] = []
    for word in WORDS:
        filters = InvoiceFilters(text=word)
        service.list(seeded.profile_id, filters)  # warm the cache once
        for total, timings in ((True, with_count), (False, page_only)):
            started = time.perf_counter()
            service.list(seeded.profile_id, filters, with_total=total)
            timings.append((time.perf_counter() - started) * 1000)
    engine.dispose()
    return [
        *_in_the_window(url, seeded.profile_id),
        Result("pg_history_page_ms_100k", round(statistics.median(page_only), 1), "ms", "reported"),
        Result(
            "pg_history_page_and_count_ms_100k",
            round(statistics.median(with_count), 1),
            "ms",
            "reported",
        ),
    ]


def _in_the_window(url: str, profile_id: int) -> list[Result]:
    """The Invoices window on the server, typed into and sorted as on SQLite (bench/history),
    in a process of its own: the window shows a page as soon as it is read, its count after."""
    return in_own_process(
        "tracker_desktop.bench.history",
        "--server",
        str(profile_id),
        what="history (on the server)",
        env={**os.environ, "TRACKER_BENCH_SERVER_HISTORY": url},
    )


def _no_stripe(_profile_id: int) -> StripeGateway:
    raise AssertionError("the benchmark's queries never reach Stripe")


def _change_visible(url: str) -> list[Result]:
    seconds = asyncio.run(_two_workstations(url))
    return [Result("pg_change_visible_s", round(seconds, 3), "s", "<= 2")]


async def _two_workstations(url: str) -> float:
    from tracker_desktop.db.engine import make_engine, make_session_factory, session_scope
    from tracker_desktop.db.migrate import prepare_database
    from tracker_desktop.db.repositories.profiles import create_profile
    from tracker_desktop.domain.money import Money
    from tracker_desktop.services.events import EventHub, InvoicesChanged
    from tracker_desktop.services.invoicing.invoice_service import (
        DraftInput,
        DraftLineInput,
        InvoiceFilters,
        InvoiceService,
    )
    from tracker_desktop.services.offload import in_thread
    from tracker_desktop.services.sync.shop_changes import ShopChanges

    with tempfile.TemporaryDirectory(prefix="tracker-bench-pg-") as tmp:
        prepare_database(url, None, Path(tmp))
    engines = [make_engine(url), make_engine(url)]
    sessions = [make_session_factory(e) for e in engines]
    with session_scope(sessions[0], write=True) as session:
        profile_id = create_profile(session, "Bench Watches").id
    hubs = [EventHub(), EventHub()]
    shops = [ShopChanges(e, h, in_thread) for e, h in zip(engines, hubs, strict=True)]
    for shop in shops:
        shop.start()
    desk = InvoiceService(sessions[0], _no_stripe, hubs[0])
    office = InvoiceService(sessions[1], _no_stripe, hubs[1])
    seen: asyncio.Queue[None] = asyncio.Queue()
    hubs[1].subscribe(InvoicesChanged, lambda _e: seen.put_nowait(None))
    line = DraftLineInput("Omega Speedmaster", 1, Money(720_000, "USD"), None)
    timings = []
    try:
        await asyncio.sleep(0.5)  # B's listener is connected
        for n in range(CHANGES):
            draft = DraftInput(
                currency="USD",
                lines=[line],
                customer_name=f"Buyer {n}",
                customer_email=f"buyer{n}@example.com",
            )
            started = time.perf_counter()
            await in_thread(lambda d=draft: desk.save_draft(profile_id, d))  # type: ignore[misc]
            await asyncio.wait_for(seen.get(), timeout=30)
            await in_thread(lambda: office.list(profile_id, InvoiceFilters()))
            timings.append(time.perf_counter() - started)
    finally:
        for shop in shops:
            await shop.stop()
        for engine in engines:
            engine.dispose()
    return statistics.median(timings)


def _idle_requests(url: str) -> list[Result]:
    per_interval = asyncio.run(_three_supervisors(url))
    return [
        Result(
            "pg_poll_requests_idle_3_workstations",
            round(per_interval, 2),
            "requests per interval",
            "1",
        )
    ]


async def _three_supervisors(url: str) -> float:
    from tracker_desktop.db.engine import make_engine, make_session_factory, session_scope
    from tracker_desktop.db.migrate import prepare_database
    from tracker_desktop.db.repositories.profiles import create_profile
    from tracker_desktop.services.events import EventHub
    from tracker_desktop.services.sync.poller import PollIntervals
    from tracker_desktop.services.sync.supervisor import SyncSupervisor

    with tempfile.TemporaryDirectory(prefix="tracker-bench-pg-") as tmp:
        prepare_database(url, None, Path(tmp))
    engines = [make_engine(url) for _ in range(3)]
    with session_scope(make_session_factory(engines[0]), write=True) as session:
        profile_id = create_profile(session, "Bench Watches").id
    intervals = PollIntervals(fast=INTERVAL_S, slow=INTERVAL_S)
    with simulator() as sim:
        async with StripeGateway(sim.key, api_base=sim.base_url) as gw:
            stations = [
                SyncSupervisor(
                    make_session_factory(e),
                    lambda _pid: gw,
                    EventHub(),
                    lambda: (profile_id, True),
                    intervals=intervals,
                )
                for e in engines
            ]
            for station in stations:
                station.start()
            await asyncio.sleep(3 * INTERVAL_S)  # the first catch-up poll is done
            before = _requests(sim.base_url)
            await asyncio.sleep(IDLE_INTERVALS * INTERVAL_S)
            made = _requests(sim.base_url) - before
            for station in stations:
                await station.stop()
    for engine in engines:
        engine.dispose()
    return made / IDLE_INTERVALS


def _requests(base_url: str) -> int:
    stats = httpx.get(f"{base_url}/_sandbox/stats", timeout=10).json()
    return sum(int(n) for n in stats["requests"].values())
