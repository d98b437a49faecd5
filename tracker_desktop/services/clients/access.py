"""The three client services the Clients window uses, made once per run."""

from __future__ import annotations

from dataclasses import dataclass

from tracker_desktop.services.app_services import AppServices
from tracker_desktop.services.clients.client_service import ClientService
from tracker_desktop.services.clients.customer_import import CustomerImport
from tracker_desktop.services.clients.stripe_customers import ClientSync
from tracker_desktop.services.profiles.stripe_access import GatewayProvider

EXTRAS_KEY = "clients"


@dataclass(frozen=True)
class ClientServices:
    clients: ClientService
    sync: ClientSync
    importer: CustomerImport


def client_services(services: AppServices) -> ClientServices:
    """Registered in services.extras on first use, so every window shares them."""
    found = services.extras.get(EXTRAS_KEY)
    if isinstance(found, ClientServices):
        return found
    gateways = services.extras["gateways"]
    assert isinstance(gateways, GatewayProvider)
    made = ClientServices(
        clients=ClientService(services.session_factory, services.hub),
        sync=ClientSync(services.session_factory, gateways, services.hub),
        importer=CustomerImport(services.session_factory, gateways, services.hub),
    )
    services.extras[EXTRAS_KEY] = made
    return made
