"""The yearly goal is set in Settings for the active profile: kept in the database, shown on
the Dashboard; a goal that is not an amount is refused beside the field, nothing saved."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from tracker_desktop.config.settings import load_settings
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import format_amount, format_money
from tracker_desktop.services.dashboard import DashboardService
from tracker_desktop.ui.dashboard.page import DashboardPage
from tracker_desktop.ui.settings import SettingsPage
from tracker_desktop.ui.settings.dashboard_section import DashboardSection


def goal_section(qtbot: QtBot, app: Any) -> DashboardSection:
    page = app.window.show_page("settings")
    assert isinstance(page, SettingsPage)
    section = page.dashboard
    assert isinstance(section, DashboardSection)
    qtbot.waitUntil(lambda: section.goal is not None)
    return section


def test_the_goal_is_kept_and_shown_and_bad_input_is_refused_beside_it(
    qtbot: QtBot, start_app: Any
) -> None:
    app = start_app(practice=True)
    profile_id = app.services.base.active.id
    section = goal_section(qtbot, app)
    assert section.goal == Money(10_000_000, "USD")  # 100,000 in the profile's currency
    assert section.goal_currency.text() == "USD"

    section.goal_edit.setText("a quarter million")
    section.save_goal.click()
    qtbot.waitUntil(lambda: section.goal_error.isVisible())
    assert section.goal_error.text()
    assert not section.runner.busy
    fresh = DashboardService(app.services.base.session_factory)
    assert fresh.goal(profile_id) == (Money(10_000_000, "USD"), True)  # nothing saved

    locale = app.services.base.locale()
    section.goal_edit.setText(format_amount(Money(25_000_000, "USD"), locale))  # "250,000.00"
    section.save_goal.click()
    qtbot.waitUntil(lambda: section.goal_note.text().startswith("Saved"))
    assert not section.goal_error.isVisible()
    assert fresh.goal(profile_id) == (Money(25_000_000, "USD"), False)  # in the file

    dashboard = app.window.show_page("dashboard")
    assert isinstance(dashboard, DashboardPage)
    qtbot.waitUntil(lambda: dashboard.board is not None and not dashboard.loading)
    assert dashboard.board is not None
    assert dashboard.board.goal == Money(25_000_000, "USD")
    assert f"of {format_money(Money(25_000_000, 'USD'), locale)}" in dashboard.goal.figure.text()


def test_the_notifications_switch_is_kept_in_the_settings_file(
    qtbot: QtBot, start_app: Any
) -> None:
    app = start_app(practice=True)
    section = goal_section(qtbot, app)
    assert section.notifications.isChecked()  # on unless the dealer turns it off
    section.notifications.click()
    assert app.services.base.settings.notifications is False
    assert load_settings(app.services.base.paths.settings_file).notifications is False
