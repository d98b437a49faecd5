"""Find (or make once) the invoice service and the poller from what start-up built."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from tracker_desktop.services.invoices import InvoiceService

if TYPE_CHECKING:
    from tracker_desktop.services.app_services import AppServices

log = logging.getLogger(__name__)

INVOICES_KEY = "invoices"
POLLER_KEY = "poller"


def invoice_service_for(services: AppServices) -> InvoiceService:
    """The run's InvoiceService in services.extras["invoices"], made on first use."""
    found = services.extras.get(INVOICES_KEY)
    if isinstance(found, InvoiceService):
        return found
    gateways = services.extras["gateways"]
    made = InvoiceService(services.session_factory, gateways.gateway, services.hub)
    services.extras[INVOICES_KEY] = made
    return made


def poll_fast(services: AppServices) -> None:
    """After a payment page was opened: the poller (if one runs) checks every few seconds."""
    poller = services.extras.get(POLLER_KEY)
    go_fast = getattr(poller, "go_fast", None)
    if callable(go_fast):
        go_fast()
    else:
        log.info("no poller running; the invoice's status updates on the next sync")
