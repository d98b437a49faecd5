"""The composition root on a fresh TRACKER_HOME: the welcome dialog, Practice mode, and the
status bar following the active profile."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tracker_desktop.ui.settings import SettingsPage
from tracker_desktop.ui.settings.dialogs import AddProfileDialog
from tracker_desktop.ui.welcome import WelcomeDialog

CLICK = Qt.MouseButton.LeftButton


def test_first_start_offers_practice_and_the_status_bar_follows(
    qtbot: QtBot, start_app: Any
) -> None:
    app = start_app()
    qtbot.waitUntil(lambda: isinstance(app.welcome, WelcomeDialog) and app.welcome.isVisible())
    window = app.window
    assert window.mode_badge.text() == "NO PROFILE"
    assert isinstance(app.welcome, WelcomeDialog)
    qtbot.mouseClick(app.welcome.practise_button, CLICK)
    qtbot.waitUntil(lambda: window.mode_badge.text() == "PRACTICE: no real money")
    assert window.practice_banner.isVisible()
    assert window.profile_label.text() == "Profile: Practice · Practice: local simulator"
    services = app.services
    assert services is not None
    assert services.gateways.practice_base_url is not None
    assert services.base.settings.active_profile_id == services.base.active.id


def test_connect_a_key_opens_settings_with_add_profile(qtbot: QtBot, start_app: Any) -> None:
    app = start_app()
    qtbot.waitUntil(lambda: isinstance(app.welcome, WelcomeDialog) and app.welcome.isVisible())
    assert isinstance(app.welcome, WelcomeDialog)
    qtbot.mouseClick(app.welcome.connect_button, CLICK)
    page = app.window.page("settings")
    assert isinstance(page, SettingsPage)
    assert app.window.stack.currentWidget() is page
    dialog = page.dialog
    assert isinstance(dialog, AddProfileDialog)
    qtbot.keyClicks(dialog.name_edit, "Geneva Fine Watches")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: app.window.profile_label.text().startswith("Profile: Geneva Fine Watches · No")
    )
    assert app.window.mode_badge.text() == "NO STRIPE KEY"
    assert "Geneva Fine Watches" in app.window.windowTitle()


def test_practice_flag_and_restart_keep_the_practice_profile(qtbot: QtBot, start_app: Any) -> None:
    first = start_app(practice=True)
    qtbot.waitUntil(lambda: first.window.mode_badge.text() == "PRACTICE: no real money")
    assert first.welcome is None  # a profile exists: no welcome
    practice_id = first.services.base.active.id
    done = asyncio.ensure_future(first.shutdown())  # stops the simulator
    qtbot.waitUntil(done.done)
    # Next run without the flag: Practice was the active profile, so it starts again.
    second = start_app()
    qtbot.waitUntil(lambda: second.window.mode_badge.text() == "PRACTICE: no real money")
    assert second.services.base.active.id == practice_id
    assert [p.name for p in second.services.profiles.list_profiles()] == ["Practice"]
