"""The client services on the shared fixtures (a migrated SQLite file per test, the simulator
per module), with a profile whose key, a fresh simulator account per test, is in the
in-memory keychain."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from postgres_server import run_on_both_backends
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.config.secrets import KeyStore
from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.repositories.profiles import create_profile
from tracker_desktop.sandbox import Sandbox
from tracker_desktop.services.app_services import ClientServices
from tracker_desktop.services.clients.client_service import ClientService
from tracker_desktop.services.clients.customer_import import CustomerImport
from tracker_desktop.services.clients.stripe_customers import ClientSync
from tracker_desktop.services.events import EventHub
from tracker_desktop.services.profiles.stripe_access import GatewayProvider
from tracker_desktop.stripe_gateway import StripeGateway


@dataclass
class World:
    """What a test needs: the services, the profile and its simulator account."""

    services: ClientServices
    profile_id: int
    key: str
    sandbox: Sandbox
    sessions: sessionmaker[Session]
    gateways: GatewayProvider
    hub: EventHub

    def gateway(self) -> StripeGateway:
        return self.gateways.gateway(self.profile_id)


def _no_retries(key: str, api_base: str | None) -> StripeGateway:
    # The app's gateway, minus the SDK's own retries: faults reach the code under test at once.
    return StripeGateway(key, api_base=api_base, max_network_retries=0, timeout=5)


def make_world(
    sessions: sessionmaker[Session], sandbox: Sandbox, *, with_key: bool = True, page_size: int = 3
) -> World:
    with session_scope(sessions, write=True) as session:
        profile_id = create_profile(session, "Geneva Fine Watches").id
    key = sandbox.new_key()
    keystore = KeyStore()
    if with_key:
        keystore.set(profile_id, key)
    gateways = GatewayProvider(sessions, keystore, api_base=sandbox.base_url, factory=_no_retries)
    hub = EventHub()
    services = ClientServices(
        clients=ClientService(sessions, hub),
        sync=ClientSync(sessions, gateways, hub),
        importer=CustomerImport(sessions, gateways, hub, page_size=page_size),
    )
    return World(services, profile_id, key, sandbox, sessions, gateways, hub)


@pytest.fixture
def world(db: Any, sandbox: Sandbox, memory_keyring: Any) -> Iterator[World]:
    made = make_world(db.sessions, sandbox)
    try:
        yield made
    finally:
        sandbox.clear_faults()


async def save_a_card(world: World, customer_id: str) -> None:
    """The buyer pays an invoice by card on the hosted page, which saves the card (4242)."""
    from tracker_desktop.domain.money import Money
    from tracker_desktop.domain.stripe_types import LineDraft

    gw = world.gateway()
    local = str(uuid.uuid4())
    invoice = await gw.create_invoice(
        customer_id=customer_id,
        currency="CHF",
        days_until_due=7,
        tracker_invoice_id=local,
        idempotency_key=f"{local}:create",
    )
    line = LineDraft("Omega Speedmaster 310.30.42.50.01.001", Money(720_000, "CHF"))
    await gw.add_lines(invoice.id, [line], idempotency_key=f"{local}:lines")
    await gw.finalize_invoice(invoice.id, idempotency_key=f"{local}:finalize")
    world.sandbox.pay_as_buyer(invoice.id)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    run_on_both_backends(
        metafunc,
        ui_modules=("test_clients_page", "test_client_form_messages", "test_client_bad_input"),
    )
