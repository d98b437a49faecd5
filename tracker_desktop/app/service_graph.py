"""Every service of a run, built once from what start-up made (the composition root calls
this; the tests that build windows as the app does call it too)."""

from __future__ import annotations

from tracker_desktop.services.app_services import AppServices, ClientServices, Foundation
from tracker_desktop.services.clients.client_service import ClientService
from tracker_desktop.services.clients.customer_import import CustomerImport
from tracker_desktop.services.clients.stripe_customers import ClientSync
from tracker_desktop.services.credit.credit_note_service import CreditNoteService
from tracker_desktop.services.credit.credit_pdfs import CreditNotePdfs
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
from tracker_desktop.ui.tasks import database_worker


def build_services(
    base: Foundation, gateways: GatewayProvider, profiles: ProfileService
) -> AppServices:
    """The profiles come ready (the first start picked the active one and started Practice);
    the poller's supervisor is made here but started by the caller, which knows whether this
    run may reach the network."""
    sessions, hub = base.session_factory, base.hub
    pdfs = PdfCache(sessions, base.paths.pdfs, gateways.gateway, hub)
    pdfs.follow_syncs()
    base.closers.append(pdfs.close)
    invoices = InvoiceService(sessions, gateways.gateway, hub, pdfs=pdfs)
    credit_pdfs = CreditNotePdfs(sessions, base.paths.pdfs, gateways.gateway, hub)
    credit_pdfs.follow_syncs()
    base.closers.append(credit_pdfs.close)
    credit_notes = CreditNoteService(
        sessions, gateways.gateway, hub, pdfs=credit_pdfs, locale=base.locale
    )

    def active() -> tuple[int | None, bool]:
        view = profiles.active()
        if view is None:
            return None, False
        reachable = profiles.practice_running if view.is_practice else view.has_key
        return view.id, reachable

    # The poller's statements run on the windows' database worker, one at a time with theirs.
    sync = SyncSupervisor(sessions, gateways.gateway, hub, active, offload=database_worker().run)
    base.closers.append(sync.stop)
    # Made before the poller starts: its first look is queued on the worker ahead of a poll.
    notices = PaymentNotices(sessions, hub, offload=database_worker().run)
    base.closers.append(notices.close)
    # A paid deposit sends its balance after the poll that learned it.
    sales = SaleService(
        sessions, invoices, hub, offload=database_worker().run, credit_notes=credit_notes
    )
    base.closers.append(sales.listen())
    # Which figures this screen shows is the workstation's, so it is kept in settings.json.
    front_desk = FrontDesk(base.settings, base.paths.settings_file)
    return AppServices(
        base=base,
        gateways=gateways,
        profiles=profiles,
        clients=ClientServices(
            clients=ClientService(sessions, hub),
            sync=ClientSync(sessions, gateways, hub),
            importer=CustomerImport(sessions, gateways, hub),
        ),
        inventory=InventoryService(
            sessions,
            hub,
            locale=base.locale,
            attachments=base.paths.attachments,
            check_max_age_days=lambda: base.settings.provenance_check_max_age_days,
            front_desk=front_desk,
        ),
        invoices=invoices,
        credit_notes=credit_notes,
        pdfs=pdfs,
        sync=sync,
        dashboard=DashboardService(sessions, front_desk=front_desk),
        notices=notices,
        sales=sales,
        front_desk=front_desk,
    )
