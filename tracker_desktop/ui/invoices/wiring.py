"""Find (or make once) the invoice service, its PDF cache and the poller from what start-up
built."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from tracker_desktop.services.invoicing.invoice_service import InvoiceService
from tracker_desktop.services.invoicing.pdf_cache import PdfCache

if TYPE_CHECKING:
    from tracker_desktop.services.app_services import AppServices

log = logging.getLogger(__name__)

INVOICES_KEY = "invoices"
PDFS_KEY = "pdfs"
POLLER_KEY = "poller"


def invoice_service_for(services: AppServices) -> InvoiceService:
    """The run's InvoiceService in services.extras["invoices"], made on first use."""
    found = services.extras.get(INVOICES_KEY)
    if isinstance(found, InvoiceService):
        return found
    gateways = services.extras["gateways"]
    made = InvoiceService(
        services.session_factory, gateways.gateway, services.hub, pdfs=pdf_cache_for(services)
    )
    services.extras[INVOICES_KEY] = made
    return made


def pdf_cache_for(services: AppServices) -> PdfCache:
    """The run's PdfCache in services.extras["pdfs"], made on first use: it fetches missing
    PDFs after every successful sync and stops with the app."""
    found = services.extras.get(PDFS_KEY)
    if isinstance(found, PdfCache):
        return found
    gateways = services.extras["gateways"]
    made = PdfCache(services.session_factory, services.paths.pdfs, gateways.gateway, services.hub)
    made.follow_syncs()
    services.extras[PDFS_KEY] = made
    services.closers.append(made.close)
    return made


def poll_fast(services: AppServices) -> None:
    """After a payment page was opened: the poller (if one runs) checks every few seconds."""
    poller = services.extras.get(POLLER_KEY)
    go_fast = getattr(poller, "go_fast", None)
    if callable(go_fast):
        go_fast()
    else:
        log.info("no poller running; the invoice's status updates on the next sync")
