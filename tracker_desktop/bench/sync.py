"""Pushing and polling with the Invoices window open on the 100,000-invoice history, against
the Stripe simulator in a process of its own (as Stripe is elsewhere), 1,000 invoices open:

- gui_block_max_ms_push: the longest gap of a 5 ms GUI timer while one invoice is pushed,
  until the window has shown it (median of PUSHES pushes);
- poll_requests_idle_1000_open: Stripe requests of one poll when nothing changed;
- poll_requests_10_changed_1000_open: of one poll after 10 buyers paid;
- gui_block_max_ms_poll: the longest gap of the GUI timer while a poll applies 50 paid
  invoices, until the window has shown them (median of POLLS polls, 50 other buyers each);
- paid_to_ui_seconds: a buyer pays on the simulator's hosted page (the form a browser
  posts) until the window's row says Paid, the poller running in fast mode as after "Create
  and open payment page"; median of PAID_RUNS payments spread evenly over a poll interval.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from tracker_desktop.bench import Result
from tracker_desktop.bench.history_seed import copy_database, shared_history
from tracker_desktop.bench.open_invoices import open_many
from tracker_desktop.domain.invoice_state import InvoiceState

OPEN = 1_000
PUSHES = 5
PAID_RUNS = 5
POLLS = 3
T = TypeVar("T")


@dataclass(frozen=True)
class Simulator:
    base_url: str
    key: str


@contextmanager
def simulator() -> Iterator[Simulator]:
    """The simulator in its own process, as `make sandbox` runs it."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker_desktop.sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        base = proc.stdout.readline().rsplit(" ", 1)[-1].strip()
        key = proc.stdout.readline().rsplit(" ", 1)[-1].strip()
        yield Simulator(base, key)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def run() -> list[Result]:
    from tracker_desktop.bench.gui import qt_loop

    seeded = shared_history()
    with tempfile.TemporaryDirectory(prefix="tracker-bench-sync-") as tmp, simulator() as sim:
        copy = copy_database(seeded, Path(tmp))
        with qt_loop() as app:
            return _Desk(app, copy.url, copy.profile_id, sim).measure()


class _Desk:
    """The Invoices window, the invoice service and a poller, as the app wires them."""

    def __init__(self, app: Any, url: str, profile_id: int, sim: Simulator) -> None:
        from sqlalchemy import update

        from tracker_desktop.db.engine import make_engine, make_session_factory, session_scope
        from tracker_desktop.db.models import Invoice
        from tracker_desktop.services.events import EventHub

        self.app, self.sim, self.profile_id = app, sim, profile_id
        self.engine = make_engine(url)
        self.sessions = make_session_factory(self.engine)
        with session_scope(self.sessions, write=True) as session:
            # The seeded history's open invoices were never in this simulator: settled.
            unpaid = Invoice.state.in_((InvoiceState.OPEN, InvoiceState.UNCOLLECTIBLE))
            session.execute(update(Invoice).where(unpaid).values(state=InvoiceState.PAID))
        self.hub = EventHub()
        self.hosted: dict[int, str | None] = {}  # invoice id -> its payment page
        self.page: Any = None
        self.offset = dt.timedelta(0)  # the simulator's clock runs ahead by this much

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.offset

    def wait(self, done: Callable[[], bool], timeout: float = 120.0) -> None:
        from tracker_desktop.bench.gui import wait_until

        wait_until(self.app, done, timeout)

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 600.0) -> T:
        task = asyncio.ensure_future(coro)
        self.wait(task.done, timeout)
        return task.result()

    def measure(self) -> list[Result]:
        import httpx

        from tracker_desktop.services.invoicing.invoice_service import InvoiceService
        from tracker_desktop.services.sync.poller import Poller
        from tracker_desktop.stripe_gateway import StripeGateway

        gateway = StripeGateway(self.sim.key, api_base=self.sim.base_url)
        self.buyer = httpx.Client(timeout=30)  # the buyers' browser
        try:
            self.service = InvoiceService(
                self.sessions, lambda _pid: gateway, self.hub, clock=self.now
            )
            self.poller = Poller(
                self.sessions, lambda _pid: gateway, self.profile_id, self.hub, clock=self.now
            )
            self.open_ids, self.hosted = open_many(self, gateway, OPEN)
            page = self.page = self._open_window()
            # As the app does once its services are built (app.composition): what start-up
            # made stays out of the collector's full passes.
            gc.freeze()
            push_block = statistics.median(self._push_stall(page) for _ in range(PUSHES))
            self.run(self.poller.poll_now())  # learns what those pushes did
            idle = self.run(self.poller.poll_now()).requests
            ten = self._poll_after_paying(self.open_ids[:10]).requests
            poll_block = statistics.median(
                self._poll_stall(page, self.open_ids[10 + 50 * n : 60 + 50 * n])
                for n in range(POLLS)
            )
            self._later(600)  # the burst above is past the poller's overlap window
            paid = statistics.median(
                self._paid_to_ui(page, invoice_id, run / PAID_RUNS)
                for run, invoice_id in enumerate(self.open_ids[-PAID_RUNS:])
            )
        finally:
            if self.page is not None:
                self.page.close()  # nothing more is read for it
                self.bridge.detach()
            self.run(self.poller.stop())
            self.run(gateway.close())
            self.buyer.close()
            self.engine.dispose()
        return [
            Result("gui_block_max_ms_push", round(push_block * 1000, 1), "ms", "<= 50"),
            Result("poll_requests_idle_1000_open", idle, "requests", "1"),
            Result("poll_requests_10_changed_1000_open", ten, "requests", "<= 11"),
            Result("gui_block_max_ms_poll", round(poll_block * 1000, 1), "ms", "<= 50"),
            Result("paid_to_ui_seconds", round(paid, 2), "s", "<= 1.5"),
        ]

    # -- setting up ---------------------------------------------------------------------

    def _draft(self, n: int) -> int:
        from tracker_desktop.domain.money import Money
        from tracker_desktop.services.invoicing.invoice_service import DraftInput, DraftLineInput

        return self.service.save_draft(
            self.profile_id,
            DraftInput(
                currency="USD",
                lines=[DraftLineInput(f"Omega Speedmaster service {n}", 1, Money(65_000, "USD"))],
                customer_name=f"Bench Buyer {n}",
                customer_email=f"buyer{n}@example.com",
            ),
        )

    def _open_window(self) -> Any:
        from tracker_desktop.services.inventory.watch_service import InventoryService
        from tracker_desktop.ui.bridge import QtEventBridge
        from tracker_desktop.ui.invoices.page import InvoicesPage

        self.bridge = QtEventBridge(self.hub)
        page = InvoicesPage(
            self.service, InventoryService(self.sessions), lambda: self.profile_id, "en_US"
        )
        self.bridge.data_changed.connect(page.on_data_changed)
        page.resize(1280, 800)
        page.show()
        self._settled(page)
        return page

    def _settled(self, page: Any) -> None:
        self.wait(lambda: not page.loading and not page.detail_reader.busy)

    # -- measuring ----------------------------------------------------------------------

    def _push_stall(self, page: Any) -> float:
        from tracker_desktop.bench.gui import StallMeter

        invoice_id = self._draft(0)
        self._settled(page)
        meter = StallMeter()
        meter.start()
        self.run(self.service.push(self.profile_id, invoice_id))
        self.wait(lambda: _status(page, invoice_id) == "Open")
        self._settled(page)
        return meter.stop()

    def _later(self, seconds: int) -> None:
        """Ten minutes pass, on the simulator's clock and the app's."""
        self.buyer.post(f"{self.sim.base_url}/_sandbox/clock", json={"advance_seconds": seconds})
        self.offset += dt.timedelta(seconds=seconds)
        self.run(self.poller.poll_now())

    def _pay(self, invoice_ids: list[int]) -> None:
        """Each buyer pays by card on the invoice's hosted page (the form a browser posts)."""
        for invoice_id in invoice_ids:
            url = self.hosted.get(invoice_id)
            assert url is not None
            form = {"method": "card", "card_number": "4242 4242 4242 4242"}
            self.buyer.post(f"{url}/pay", data=form).raise_for_status()

    def _poll_after_paying(self, invoice_ids: list[int]) -> Any:
        self._pay(invoice_ids)
        return self.run(self.poller.poll_now())

    def _poll_stall(self, page: Any, invoice_ids: list[int]) -> float:
        from tracker_desktop.bench.gui import StallMeter

        self._pay(invoice_ids)
        self._settled(page)
        meter = StallMeter()
        meter.start()
        result = self.run(self.poller.poll_now())
        self.wait(lambda: page.loading)  # the change notice asked for a reload
        self._settled(page)
        stall = meter.stop()
        if result.invoices_changed < len(invoice_ids):
            raise RuntimeError(f"the poll applied {result.invoices_changed} changes")
        return stall

    def _paid_to_ui(self, page: Any, invoice_id: int, phase: float) -> float:
        """The buyer pays `phase` of a fast-poll interval after a poll ended: buyers do not
        wait for the poller, so the runs spread over the interval."""
        from tracker_desktop.services.events import PollFinished

        polled: list[float] = []
        unsubscribe = self.hub.subscribe(
            PollFinished, lambda _finished: polled.append(time.perf_counter())
        )
        try:
            self.poller.start()
            self.poller.go_fast()
            self.wait(lambda: bool(polled))
            pay_at = polled[0] + phase * self.poller.intervals.fast
            self.wait(lambda: time.perf_counter() >= pay_at)
            paid_at = time.perf_counter()
            self._pay([invoice_id])
            self.wait(lambda: _status(page, invoice_id) == "Paid", timeout=60)
            page.table.viewport().repaint()
            elapsed = time.perf_counter() - paid_at
        finally:
            unsubscribe()
            self.run(self.poller.stop())
        return elapsed


def _status(page: Any, invoice_id: int) -> str | None:
    from tracker_desktop.ui.invoices.table_model import COL_STATUS

    row = page.model.row_of(invoice_id)
    return None if row < 0 else str(page.model.index(row, COL_STATUS).data())


if __name__ == "__main__":
    for r in run():
        r.emit()
