"""Invoice PDFs and CSV export on a real migrated SQLite file and the simulator over HTTP.

Each test gets its own simulator account (a fresh key) and its own PDF folder. Service
coroutines run with asyncio.run, one loop per call, with a gateway made inside that loop;
window tests (`desk`) run on the qasync loop. Self-contained on purpose: only the keychain and
the system's URL handlers are replaced.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from app_wiring import make_foundation, make_services
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.config.paths import app_paths
from tracker_desktop.db.engine import make_engine, make_session_factory, session_scope
from tracker_desktop.db.migrate import prepare_database
from tracker_desktop.db.models import Invoice
from tracker_desktop.db.repositories.profiles import create_profile
from tracker_desktop.db.repositories.watches import WatchFields, add_watch
from tracker_desktop.domain.money import Money
from tracker_desktop.sandbox import Sandbox
from tracker_desktop.services.app_services import AppServices
from tracker_desktop.services.events import EventHub
from tracker_desktop.services.invoicing.invoice_service import (
    DraftInput,
    DraftLineInput,
    InvoiceService,
)
from tracker_desktop.services.invoicing.pdf_cache import PdfCache
from tracker_desktop.stripe_gateway import StripeGateway
from tracker_desktop.ui.bridge import QtEventBridge
from tracker_desktop.ui.invoices.page import InvoicesPage

T = TypeVar("T")


@pytest.fixture(scope="package")
def sandbox() -> Iterator[Sandbox]:
    sb = Sandbox(port=0, account_name="Geneva Fine Watches")
    sb.start()
    try:
        yield sb
    finally:
        sb.stop()


@dataclass
class Shop:
    """One dealer's database, simulator account and PDF folder."""

    sb: Sandbox
    key: str
    sessions: sessionmaker[Session]
    profile_id: int
    pdf_dir: Path
    hub: EventHub
    clock_offset: dt.timedelta = dt.timedelta(0)
    current: StripeGateway | None = None

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.clock_offset

    def sync_clock(self) -> None:
        # The simulator's clock is real time moved on by whole seconds.
        ahead = self.sb.now() - dt.datetime.now(dt.UTC).timestamp()
        self.clock_offset = dt.timedelta(seconds=math.ceil(ahead))

    def gateway(self, sb: Sandbox | None = None) -> StripeGateway:
        return StripeGateway(self.key, api_base=(sb or self.sb).base_url, max_network_retries=0)

    def run(
        self,
        body: Callable[[InvoiceService, PdfCache], Awaitable[T]],
        *,
        sb: Sandbox | None = None,
        pdf_dir: Path | None = None,
    ) -> T:
        """Run `body` on a fresh loop with a service wired to a PdfCache, as the app does;
        waits for the background PDF downloads before the loop closes."""

        async def main() -> T:
            async with self.gateway(sb) as gw:
                self.current = gw
                pdfs = PdfCache(
                    self.sessions, pdf_dir or self.pdf_dir, lambda _pid: gw, self.hub,
                    clock=self.now,
                )  # fmt: skip
                service = InvoiceService(
                    self.sessions, lambda _pid: gw, self.hub, self.now, pdfs=pdfs
                )
                try:
                    return await body(service, pdfs)
                finally:
                    await pdfs.drain()

        return asyncio.run(main())

    def gateway_now(self, _profile_id: int) -> StripeGateway:
        """The gateway of the run in progress (for a Poller made inside `run`)."""
        assert self.current is not None
        return self.current

    def add_watch(self, serial: str, price_minor: int, currency: str = "USD") -> int:
        with self.sessions() as s, s.begin():
            return add_watch(
                s,
                self.profile_id,
                WatchFields(
                    brand="Patek Philippe",
                    model="Nautilus",
                    reference="5711/1A-010",
                    serial=serial,
                    currency=currency,
                    asking_price_minor=price_minor,
                ),
            ).id

    def invoice(self, invoice_id: int) -> Invoice:
        with self.sessions() as s:
            found = s.scalar(select(Invoice).where(Invoice.id == invoice_id))
            assert found is not None
            return found

    def api_requests(self) -> int:
        """Stripe API requests (under /v1/) this simulator has served (all accounts)."""
        counts: dict[str, int] = self.sb.stats()["requests"]
        return sum(n for k, n in counts.items() if k.split(" ", 1)[1].startswith("/v1/"))

    def pdf_gets(self) -> int:
        """GETs of invoice PDFs this simulator has served (all accounts)."""
        counts: dict[str, int] = self.sb.stats()["requests"]
        return sum(n for k, n in counts.items() if k.startswith("GET /pdf/"))


def draft(
    *lines: tuple[str, int, int | None],
    currency: str = "USD",
    name: str = "Amelia Hart",
    email: str = "amelia.hart@example.com",
) -> DraftInput:
    """lines: (description, unit price in minor units, watch id or None)."""
    return DraftInput(
        currency=currency,
        lines=[DraftLineInput(d, 1, Money(p, currency), w) for d, p, w in lines],
        customer_name=name,
        customer_email=email,
        days_until_due=14,
    )


@pytest.fixture
def shop(sandbox: Sandbox, tmp_path: Path) -> Iterator[Shop]:
    db_file = tmp_path / "data" / "tracker.sqlite3"
    db_file.parent.mkdir(parents=True)
    url = f"sqlite:///{db_file}"
    prepare_database(url, db_file, tmp_path / "backups")
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with sessions() as s, s.begin():
        profile_id = create_profile(s, "Geneva Fine Watches").id
    found = Shop(sandbox, Sandbox.new_key(), sessions, profile_id, tmp_path / "pdfs", EventHub())
    found.sync_clock()
    try:
        yield found
    finally:
        sandbox.clear_faults()
        engine.dispose()


@dataclass
class Desk:
    """The Invoices window as the app builds it (page factory, wiring, PDF cache under
    TRACKER_HOME), on the app's database file and a simulator key in the keychain."""

    services: AppServices
    profile_id: int
    invoices: InvoicesPage


@pytest.fixture
def desk(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    tracker_home: Path,
    memory_keyring: Any,
    sandbox: Sandbox,
) -> Iterator[Desk]:
    from tracker_desktop.ui.invoices.factory import invoices_page

    paths = app_paths().ensure()
    url = f"sqlite:///{paths.database_file}"
    prepare_database(url, paths.database_file, paths.backups)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with session_scope(factory, write=True) as session:
        profile_id = create_profile(session, "Geneva Fine Watches").id
    base = make_foundation(paths, factory, profile_id=profile_id)
    base.keystore.set(profile_id, sandbox.new_key(tag="files"))
    services = make_services(base, sandbox.base_url)
    bridge = QtEventBridge(base.hub)
    page = invoices_page(lambda: services, lambda: bridge)
    assert isinstance(page, InvoicesPage)
    qtbot.addWidget(page)
    page.resize(1280, 760)
    page.show()
    try:
        yield Desk(services, profile_id, page)
    finally:
        closing = asyncio.ensure_future(_close(services))
        qtbot.waitUntil(closing.done, timeout=5000)
        bridge.detach()
        engine.dispose()


async def _close(services: AppServices) -> None:
    for closer in reversed(services.base.closers):  # the poller, the PDF cache's downloads
        result = closer()
        if asyncio.iscoroutine(result):
            await result
    await services.gateways.close_all()
