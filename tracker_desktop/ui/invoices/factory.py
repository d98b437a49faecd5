"""Builds the Invoices page from what start-up made (the main window calls this lazily)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from tracker_desktop.services.app_services import AppServices
    from tracker_desktop.ui.bridge import QtEventBridge


def invoices_page(
    services: Callable[[], AppServices], bridge: Callable[[], QtEventBridge]
) -> QWidget:
    from tracker_desktop.services.invoicing.csv_export import InvoiceExporter
    from tracker_desktop.ui.invoices.page import InvoicesPage
    from tracker_desktop.ui.invoices.wiring import invoice_service_for, poll_fast
    from tracker_desktop.ui.watches.wiring import inventory_for, locale_of

    # Built only once the services exist: the navigation is disabled until then.
    app, events = services(), bridge()
    page = InvoicesPage(
        invoice_service_for(app),
        inventory_for(app),
        lambda: app.active_profile_id,
        locale_of(app),
        go_fast=lambda: poll_fast(app),
        exporter=InvoiceExporter(app.session_factory),
    )
    events.data_changed.connect(page.on_data_changed)
    events.profile_changed.connect(page.on_profile_changed)
    return page
