"""The windows on real services, from the shared fixtures: the app's migrated SQLite file under
TRACKER_HOME (`db`), a profile whose simulator key is in the in-memory keychain
(`sim_profile`), and the simulator over real HTTP (`sandbox`, or a closed port when offline)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from app_wiring import make_foundation, make_services
from pytestqt.qtbot import QtBot

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.repositories.profiles import update_profile_settings
from tracker_desktop.sandbox import Sandbox
from tracker_desktop.services.app_services import AppServices
from tracker_desktop.services.inventory.watch_service import WatchForm, WatchRow
from tracker_desktop.services.profiles.stripe_access import GatewayProvider
from tracker_desktop.ui.bridge import QtEventBridge
from tracker_desktop.ui.invoices.page import InvoicesPage
from tracker_desktop.ui.watches.page import WatchesPage


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
        return self.services.inventory.add(self.profile_id, form)


def make_desk(qtbot: QtBot, db: Any, profile_id: int, api_base: str) -> Iterator[Desk]:
    from tracker_desktop.ui.invoices.factory import invoices_page
    from tracker_desktop.ui.watches.factory import watches_page

    with session_scope(db.sessions, write=True) as session:
        update_profile_settings(session, profile_id, invoice_footer="Thank you for your trust.")
    # The keychain holds sim_profile's key.
    services = make_services(
        make_foundation(db.paths, db.sessions, profile_id=profile_id), api_base
    )
    gateways = services.gateways
    bridge = QtEventBridge(services.base.hub)
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


@pytest.fixture
def desk(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    db: Any,
    sim_profile: Any,
    sandbox: Sandbox,
) -> Iterator[Desk]:
    yield from make_desk(qtbot, db, sim_profile.id, sandbox.base_url)


@pytest.fixture
def offline_desk(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    db: Any,
    sim_profile: Any,
    closed_port_url: str,
) -> Iterator[Desk]:
    yield from make_desk(qtbot, db, sim_profile.id, closed_port_url)
