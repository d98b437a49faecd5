"""Add profile: the name's message goes as soon as a name is typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tracker_desktop.services.profiles.profile_service import ProfileService
from tracker_desktop.ui.settings.dialogs import AddProfileDialog


def test_the_name_message_goes_once_a_name_is_typed(qtbot: QtBot, profiles: ProfileService) -> None:
    dialog = AddProfileDialog(profiles)
    qtbot.addWidget(dialog)
    dialog.show()
    height = dialog.height()
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert dialog.name_error.isVisible()
    assert dialog.name_error.text() == "A profile needs a name."
    assert dialog.height() == height
    qtbot.keyClicks(dialog.name_edit, "   ")
    assert dialog.name_error.isVisible()  # spaces are no name
    qtbot.keyClicks(dialog.name_edit, "Geneva")
    assert not dialog.name_error.isVisible()
    assert dialog.height() == height
