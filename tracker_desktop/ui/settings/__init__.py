"""Settings: profiles (one per business / Stripe account), their details and Stripe keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker_desktop.services.shared_database import SharedDatabaseSetup
from tracker_desktop.ui.settings.dashboard_section import DashboardSection
from tracker_desktop.ui.settings.deposit_rule import DepositRuleBox
from tracker_desktop.ui.settings.front_desk_section import FrontDeskSection
from tracker_desktop.ui.settings.page import SettingsPage
from tracker_desktop.ui.settings.shared_database_section import SharedDatabaseSection
from tracker_desktop.ui.settings.support_section import SupportSection
from tracker_desktop.ui.watches.provenance_setting import ProvenanceSetting

if TYPE_CHECKING:
    from tracker_desktop.services.app_services import AppServices
    from tracker_desktop.ui.bridge import QtEventBridge

__all__ = ["SettingsPage", "build_settings_page"]


def build_settings_page(services: AppServices, bridge: QtEventBridge | None) -> SettingsPage:
    base = services.base
    active = base.active
    goal = DashboardSection(
        services.dashboard,
        lambda: active.id,
        base.locale(),
        base.settings,
        base.paths.settings_file,
    )
    if bridge is not None:
        bridge.profile_changed.connect(lambda _pid: goal.refresh())
        bridge.profiles_edited.connect(lambda _pid: goal.refresh())  # its currency changed
    front_desk = FrontDeskSection(services.front_desk, lambda: active.id)
    if bridge is not None:
        bridge.profile_changed.connect(lambda _pid: front_desk.refresh())
    support = SupportSection(base.settings, base.paths.settings_file, base.paths.logs)
    provenance = ProvenanceSetting(base.settings, base.paths.settings_file)
    rule = DepositRuleBox(services.sales, base.locale())
    shared = SharedDatabaseSection(SharedDatabaseSetup(base.paths, base.settings))
    return SettingsPage(
        services.profiles,
        bridge,
        support=support,
        provenance=provenance,
        dashboard=goal,
        deposit_rule=rule,
        front_desk=front_desk,
        shared_database=shared,
    )
