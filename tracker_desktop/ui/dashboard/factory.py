"""Builds the Dashboard page from what start-up made (the main window calls this lazily), and
turns its clicks into the Invoices window: filtered, or showing one invoice."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from tracker_desktop.services.app_services import AppServices
    from tracker_desktop.services.invoicing.views import InvoiceFilters
    from tracker_desktop.ui.bridge import QtEventBridge


def dashboard_page(
    services: Callable[[], AppServices], bridge: Callable[[], QtEventBridge]
) -> QWidget:
    from tracker_desktop.ui.dashboard.page import DashboardPage

    app, events = services(), bridge()
    active = app.base.active
    page = DashboardPage(app.dashboard, lambda: active.id, app.base.locale())
    events.data_changed.connect(page.on_data_changed)
    events.profile_changed.connect(page.on_profile_changed)
    events.profiles_edited.connect(page.on_profile_changed)  # the goal's default currency
    page.filters_wanted.connect(lambda filters, client: open_filtered(page, filters, client))
    page.invoice_wanted.connect(lambda invoice_id: open_invoice(page, invoice_id))
    return page


def _invoices_page(page: QWidget) -> QWidget | None:
    from tracker_desktop.ui.main_window import MainWindow

    window = page.window()
    return window.show_page("invoices") if isinstance(window, MainWindow) else None


def open_filtered(page: QWidget, filters: InvoiceFilters, client: str) -> None:
    from tracker_desktop.ui.invoices.page import InvoicesPage

    invoices = _invoices_page(page)
    if isinstance(invoices, InvoicesPage):
        invoices.filters.apply(filters, client)


def open_invoice(page: QWidget, invoice_id: int) -> None:
    from tracker_desktop.ui.invoices.page import InvoicesPage

    invoices = _invoices_page(page)
    if isinstance(invoices, InvoicesPage):
        invoices.select_invoice(invoice_id)
