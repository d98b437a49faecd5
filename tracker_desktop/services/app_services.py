"""What the composition root builds, once, and hands to the windows.

`Foundation` is what start-up makes before any service (folders, settings, the database, the
keychain, the event hub, the active profile); `AppServices` adds every service, each built
once in `app/service_graph.py`. Each window's factory takes from it only what its page uses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.config.paths import AppPaths
from tracker_desktop.config.settings import AppSettings
from tracker_desktop.services.events import EventHub

if TYPE_CHECKING:
    from tracker_desktop.config.secrets import KeyStore
    from tracker_desktop.services.clients.client_service import ClientService
    from tracker_desktop.services.clients.customer_import import CustomerImport
    from tracker_desktop.services.clients.stripe_customers import ClientSync
    from tracker_desktop.services.credit.credit_note_service import CreditNoteService
    from tracker_desktop.services.dashboard import DashboardService
    from tracker_desktop.services.front_desk import FrontDesk
    from tracker_desktop.services.inventory.watch_service import InventoryService
    from tracker_desktop.services.invoicing.invoice_service import InvoiceService
    from tracker_desktop.services.invoicing.pdf_cache import PdfCache
    from tracker_desktop.services.invoicing.sales import SaleService
    from tracker_desktop.services.notifications import PaymentNotices
    from tracker_desktop.services.profiles.profile_service import ProfileService
    from tracker_desktop.services.profiles.stripe_access import GatewayProvider
    from tracker_desktop.services.sync.supervisor import SyncSupervisor


class ActiveProfile:
    """The profile every list, search and total is scoped to (None: no profile yet).

    Only ProfileService changes it (switching, deleting, the first start); the rest read `id`.
    """

    def __init__(self, profile_id: int | None = None) -> None:
        self._id = profile_id

    @property
    def id(self) -> int | None:
        return self._id

    def set(self, profile_id: int | None) -> None:
        self._id = profile_id


@dataclass(frozen=True)
class Foundation:
    paths: AppPaths
    settings: AppSettings
    hub: EventHub
    session_factory: sessionmaker[Session]
    keystore: KeyStore
    active: ActiveProfile
    # The locale money is typed and shown in (the setting, else the system's).
    locale: Callable[[], str]
    # Called on shutdown, newest first: stop pollers, close HTTP clients, stop the simulator.
    closers: list[Callable[[], Any]] = field(default_factory=list)


@dataclass(frozen=True)
class ClientServices:
    """The three client services the Clients window uses."""

    clients: ClientService
    sync: ClientSync
    importer: CustomerImport


@dataclass(frozen=True)
class AppServices:
    base: Foundation
    gateways: GatewayProvider
    profiles: ProfileService
    clients: ClientServices
    inventory: InventoryService
    invoices: InvoiceService
    credit_notes: CreditNoteService  # credit notes and refunds on open and paid invoices
    pdfs: PdfCache  # fetches missing PDFs after every successful sync
    sync: SyncSupervisor  # the one poller on the active profile, and "Sync now"
    dashboard: DashboardService
    notices: PaymentNotices  # paid, payment failed, overdue: told after each poll
    sales: SaleService  # sales over several invoices: deposit and balance, parts
    front_desk: FrontDesk  # this workstation hides cost and margin for these profiles
