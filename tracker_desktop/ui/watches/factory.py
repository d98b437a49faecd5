"""Builds the Watches page from what start-up made (the main window calls this lazily)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from tracker_desktop.services.app_services import AppServices
    from tracker_desktop.ui.bridge import QtEventBridge


def watches_page(
    services: Callable[[], AppServices], bridge: Callable[[], QtEventBridge]
) -> QWidget:
    from tracker_desktop.ui.watches.page import WatchesPage

    # Built only once the services exist: the navigation is disabled until then.
    app, events = services(), bridge()
    active = app.base.active
    page = WatchesPage(app.inventory, lambda: active.id, app.base.locale())
    events.data_changed.connect(page.on_data_changed)
    events.profile_changed.connect(page.on_profile_changed)
    return page
