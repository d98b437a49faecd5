"""Builds the Clients window from the app's services (called by pages_registry, lazily)."""

from __future__ import annotations

from collections.abc import Callable

from tracker_desktop.services.app_services import AppServices
from tracker_desktop.ui.bridge import QtEventBridge
from tracker_desktop.ui.clients.page import ClientsPage


def clients_page(
    services: Callable[[], AppServices], bridge: Callable[[], QtEventBridge]
) -> ClientsPage:
    app = services()
    active = app.base.active
    return ClientsPage(app.clients, lambda: active.id, bridge())
