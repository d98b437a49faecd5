"""Ctrl+N means "new" on whichever page is shown, and only there: pages built earlier and
now hidden must not answer it."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from tracker_desktop.ui.clients.form import ClientDialog
from tracker_desktop.ui.invoices.composer import ComposerDialog
from tracker_desktop.ui.settings.dialogs import AddProfileDialog
from tracker_desktop.ui.watches.watch_dialog import WatchDialog

EXPECTED = {
    "invoices": ComposerDialog,
    "clients": ClientDialog,
    "watches": WatchDialog,
    "settings": AddProfileDialog,
}


@pytest.mark.parametrize("order", [list(EXPECTED), list(reversed(EXPECTED))])
def test_ctrl_n_opens_the_shown_pages_new_item(
    qtbot: QtBot, start_app: Any, order: list[str]
) -> None:
    app = start_app(practice=True)
    window = app.window
    window.activateWindow()
    for key in order:  # every page built, then each one shown in turn
        window.show_page(key)
    for key in order:
        window.nav.setFocus()  # as after clicking the page's name in the navigation
        window.show_page(key)
        qtbot.keyClick(
            window.focusWidget() or window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier
        )
        qtbot.waitUntil(lambda: _open_dialogs() != [], timeout=5_000)
        dialogs = _open_dialogs()
        assert [type(d) for d in dialogs] == [EXPECTED[key]], key
        for dialog in dialogs:
            dialog.reject()
        qtbot.waitUntil(lambda: _open_dialogs() == [])


def _open_dialogs() -> list[QDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]
