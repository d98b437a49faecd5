"""The windows on real services: a migrated SQLite file under TRACKER_HOME, the in-memory
keychain holding a simulator key, and the simulator over real HTTP."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tracker_desktop.config.paths import app_paths
from tracker_desktop.config.secrets import KeyStore
from tracker_desktop.config.settings import AppSettings
from tracker_desktop.db.engine import make_engine, make_session_factory, session_scope
from tracker_desktop.db.migrate import prepare_database
from tracker_desktop.db.repositories.profiles import create_profile, update_profile_settings
from tracker_desktop.sandbox import Sandbox
from tracker_desktop.services.app_services import AppServices
from tracker_desktop.services.events import EventHub
from tracker_desktop.services.inventory import WatchForm, WatchRow
from tracker_desktop.services.stripe_access import GatewayProvider
from tracker_desktop.ui.bridge import QtEventBridge
from tracker_desktop.ui.invoices.page import InvoicesPage
from tracker_desktop.ui.watches.page import WatchesPage
from tracker_desktop.ui.watches.wiring import inventory_for


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    sb = Sandbox(port=0, account_name="Geneva Fine Watches")
    sb.start()
    try:
        yield sb
    finally:
        sb.stop()


@pytest.fixture
def closed_port_url() -> str:
    """A local address nobody listens on: connecting fails at once, as when offline."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@dataclass
class Desk:
    """The dealer's desk: services, both windows, and the simulator account's key."""

    services: AppServices
    gateways: GatewayProvider
    bridge: QtEventBridge
    profile_id: int
    watches: WatchesPage
    invoices: InvoicesPage

    def add_watch(self, brand: str, model: str, ref: str, serial: str, price: str) -> WatchRow:
        form = WatchForm(brand=brand, model=model, reference=ref, serial=serial, asking_price=price)
        return inventory_for(self.services).add(self.profile_id, form)


def make_desk(qtbot: QtBot, api_base: str, key: str, currency: str = "USD") -> Iterator[Desk]:
    from tracker_desktop.ui.invoices.factory import invoices_page
    from tracker_desktop.ui.watches.factory import watches_page

    paths = app_paths().ensure()
    url = f"sqlite:///{paths.database_file}"
    prepare_database(url, paths.database_file, paths.backups)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with session_scope(factory, write=True) as session:
        profile = create_profile(session, "Geneva Fine Watches", default_currency=currency)
        update_profile_settings(session, profile.id, invoice_footer="Thank you for your trust.")
        profile_id = profile.id
    services = AppServices(
        paths=paths,
        settings=AppSettings(active_profile_id=profile_id, locale="en_US"),
        hub=EventHub(),
        session_factory=factory,
        keystore=KeyStore(),
        active_profile_id=profile_id,
    )
    services.keystore.set(profile_id, key)
    gateways = GatewayProvider(factory, services.keystore, api_base=api_base)
    services.extras["gateways"] = gateways
    bridge = QtEventBridge(services.hub)
    watches = watches_page(lambda: services, lambda: bridge)
    invoices = invoices_page(lambda: services, lambda: bridge)
    assert isinstance(watches, WatchesPage)
    assert isinstance(invoices, InvoicesPage)
    for page in (watches, invoices):
        qtbot.addWidget(page)
        page.resize(1200, 700)
        page.show()
    try:
        yield Desk(services, gateways, bridge, profile_id, watches, invoices)
    finally:
        closing = asyncio.ensure_future(gateways.close_all())
        qtbot.waitUntil(closing.done, timeout=5000)
        bridge.detach()
        engine.dispose()


@pytest.fixture
def desk(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    tracker_home: Path,
    memory_keyring: Any,
    sandbox: Sandbox,
) -> Iterator[Desk]:
    yield from make_desk(qtbot, sandbox.base_url, sandbox.new_key(tag="desk"))


@pytest.fixture
def offline_desk(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    tracker_home: Path,
    memory_keyring: Any,
    closed_port_url: str,
) -> Iterator[Desk]:
    yield from make_desk(qtbot, closed_port_url, Sandbox.new_key(tag="offline"))
