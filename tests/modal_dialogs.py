"""Answer the app's questions the way a dealer does: find the dialog that is open on screen
and click its button, type into it, or pick a file in it. The app opens every dialog with
`open()` (no nested event loop), so a test finds it after the click that asked."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

D = TypeVar("D", bound=QDialog)


def shown_dialog(qtbot: QtBot, kind: type[D]) -> D:
    """The one visible modal dialog of this kind (waits for it to appear)."""
    found: list[D] = []

    def visible() -> bool:
        found[:] = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, kind) and w.isVisible() and w.isModal()
        ]
        return len(found) == 1

    qtbot.waitUntil(visible)
    return found[0]


def answer_question(
    qtbot: QtBot, button: QMessageBox.StandardButton = QMessageBox.StandardButton.Yes
) -> str:
    """Click `button` of the open question; returns the question's text."""
    box = shown_dialog(qtbot, QMessageBox)
    text = box.text()
    clicked = box.button(button)
    assert clicked is not None, f"no {button} on {text!r}"
    clicked.click()
    qtbot.waitUntil(lambda: not box.isVisible())
    return text


def answer_text(qtbot: QtBot, text: str) -> str:
    """Type `text` into the open one-line question and press OK; returns its label."""
    dialog = shown_dialog(qtbot, QInputDialog)
    label = dialog.labelText()
    dialog.setTextValue(text)
    dialog.accept()
    return label


def save_as(qtbot: QtBot, path: str) -> str:
    """Type `path` into the open save dialog and accept it; returns the name it offered."""
    dialog = shown_dialog(qtbot, QFileDialog)
    offered = dialog.selectedFiles()[0]
    dialog.selectFile(path)
    dialog.accept()
    return offered
