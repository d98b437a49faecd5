"""The README's Settings -> Shared database: the section as a dealer fills it in on the
back-office computer, before Test connection (no server is reached while screenshots run,
so no answer is shown that was not given)."""

from __future__ import annotations

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QScrollArea

from tracker_desktop.app.composition import Application
from tracker_desktop.app.screenshots.capture import ShotFailed, settle, wait_until, window_image
from tracker_desktop.ui.settings.shared_database_section import SharedDatabaseSection

FILLED_IN = {"host": "192.168.1.20", "port": "5432", "database": "tracker", "user": "frontdesk"}


async def shared_database_shot(app: Application) -> QImage:
    services = app.services
    assert services is not None
    # A business to bring along (the settings shot made them in a full run; Practice stays).
    if all(view.is_practice for view in services.profiles.list_profiles()):
        services.profiles.create_profile("Geneva Fine Watches", default_currency="CHF")
    app.window.show_page("settings")
    await wait_until(
        lambda: app.window.findChild(SharedDatabaseSection) is not None, "the Settings page"
    )
    section = app.window.findChild(SharedDatabaseSection)
    if not isinstance(section, SharedDatabaseSection):
        raise ShotFailed("Settings has no Shared database section")
    await wait_until(lambda: section.history.count() > 2, "this computer's profiles")
    for key, value in FILLED_IN.items():
        section.edits[key].setText(value)
    section.password.setText("not-a-real-password")  # shown as dots only
    section.history.setCurrentIndex(section.history.findData("all"))
    scroll = section.parent()
    while scroll is not None and not isinstance(scroll, QScrollArea):
        scroll = scroll.parent()
    if scroll is not None:
        scroll.ensureWidgetVisible(section, 0, 0)
    section.edits["host"].setFocus()
    await settle()
    return window_image(app.window)
