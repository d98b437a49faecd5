"""Find (or make once) the services the inventory windows use, from what start-up built."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker_desktop.services.inventory.watch_service import InventoryService
from tracker_desktop.ui.widgets.locale_and_fields import dealer_locale

if TYPE_CHECKING:
    from tracker_desktop.services.app_services import AppServices


def locale_of(services: AppServices) -> str:
    return dealer_locale(services.settings.locale)


def inventory_for(services: AppServices) -> InventoryService:
    """One InventoryService per run, kept in services.extras["inventory"]."""
    found = services.extras.get("inventory")
    if isinstance(found, InventoryService):
        return found
    made = InventoryService(
        services.session_factory, services.hub, locale=lambda: locale_of(services)
    )
    services.extras["inventory"] = made
    return made
