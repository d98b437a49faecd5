"""Which pages the main window shows. Each factory imports its page lazily: fast first paint."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from tracker_desktop.ui.main_window import PageSpec

if TYPE_CHECKING:  # imported for real only after the first paint
    from tracker_desktop.services.app_services import AppServices
    from tracker_desktop.ui.bridge import QtEventBridge

ServicesProvider = Callable[[], "AppServices"]
BridgeProvider = Callable[[], "QtEventBridge"]


def build_pages(services: ServicesProvider, bridge: BridgeProvider) -> list[PageSpec]:
    """Factories run only after the services exist (the nav is disabled until then)."""

    def dashboard() -> QWidget:
        from tracker_desktop.ui.dashboard.factory import dashboard_page

        return dashboard_page(services, bridge)

    def clients() -> QWidget:
        from tracker_desktop.ui.clients.factory import clients_page

        return clients_page(services, bridge)

    def watches() -> QWidget:
        from tracker_desktop.ui.watches.factory import watches_page

        return watches_page(services, bridge)

    def invoices() -> QWidget:
        from tracker_desktop.ui.invoices.factory import invoices_page

        return invoices_page(services, bridge)

    def settings() -> QWidget:
        from tracker_desktop.ui.settings import build_settings_page

        return build_settings_page(services(), bridge())

    return [  # Ctrl+1 ... Ctrl+5 in this order
        PageSpec("dashboard", "Dashboard", dashboard),
        PageSpec("invoices", "Invoices", invoices),
        PageSpec("clients", "Clients", clients),
        PageSpec("watches", "Watches", watches),
        PageSpec("settings", "Settings", settings),
    ]
