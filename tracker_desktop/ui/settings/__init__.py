"""Settings: profiles (one per business / Stripe account), their details and Stripe keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker_desktop.services.profiles.profile_service import profile_service
from tracker_desktop.ui.settings.page import SettingsPage
from tracker_desktop.ui.settings.support_section import SupportSection

if TYPE_CHECKING:
    from tracker_desktop.services.app_services import AppServices
    from tracker_desktop.ui.bridge import QtEventBridge

__all__ = ["SettingsPage", "build_settings_page"]


def build_settings_page(services: AppServices, bridge: QtEventBridge | None) -> SettingsPage:
    support = SupportSection(services.settings, services.paths.settings_file, services.paths.logs)
    return SettingsPage(profile_service(services), bridge, support=support)
