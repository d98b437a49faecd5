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

    # Built only once the services exist: the navigation is disabled until then.
    app, events = services(), bridge()
    active = app.base.active
    page = InvoicesPage(
        app.invoices,
        app.inventory,
        lambda: active.id,
        app.base.locale(),
        # After a payment page was opened: the poller (if one runs) checks every few seconds.
        go_fast=app.sync.go_fast,
        exporter=InvoiceExporter(app.base.session_factory),
        credit_notes=app.credit_notes,
        sales=app.sales,
    )
    events.data_changed.connect(page.on_data_changed)
    events.profile_changed.connect(page.on_profile_changed)
    return page
