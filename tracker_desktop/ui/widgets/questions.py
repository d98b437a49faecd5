"""Questions to the dealer that never start a second event loop.

Qt's static helpers (QMessageBox.question, QInputDialog.getText, QFileDialog.getSaveFileName)
and `exec()` run a nested loop inside qasync's, where asyncio callbacks and task results run
in the middle of the caller. These open the dialog with `open()` (window-modal) and return at
once; the answer arrives as a call when the dealer clicks. Escape always cancels, and the
default button is the one that changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

Yes = QMessageBox.StandardButton.Yes
No = QMessageBox.StandardButton.No


def ask_yes_no(
    parent: QWidget | None, title: str, text: str, on_yes: Callable[[], object]
) -> QMessageBox:
    """A Yes/No question, No the default and Escape's answer; `on_yes` runs on Yes only."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, Yes | No, parent)
    box.setObjectName("yesNoQuestion")
    box.setDefaultButton(No)
    box.setEscapeButton(No)

    def finished() -> None:
        if box.clickedButton() is box.button(Yes):
            on_yes()
        box.deleteLater()

    box.finished.connect(finished)
    box.open()
    return box


def ask_choice(
    parent: QWidget | None,
    title: str,
    text: str,
    choices: list[tuple[str, Callable[[], object]]],
    keep: str,
) -> QMessageBox:
    """Several answers that act, and `keep` that changes nothing (the default, and Escape's
    answer); the chosen answer's call runs once the box closes."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton,
                      parent)  # fmt: skip
    box.setObjectName("choiceQuestion")
    actions = {box.addButton(label, QMessageBox.ButtonRole.AcceptRole): act
               for label, act in choices}  # fmt: skip
    nothing = box.addButton(keep, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(nothing)
    box.setEscapeButton(nothing)

    def finished() -> None:
        act = actions.get(box.clickedButton())  # type: ignore[call-overload]
        if act is not None:
            act()
        box.deleteLater()

    box.finished.connect(finished)
    box.open()
    return box


def ask_text(
    parent: QWidget | None, title: str, label: str, on_text: Callable[[str], object]
) -> QInputDialog:
    """One line of text; `on_text(text)` runs on OK (the default), not on Cancel or Escape."""
    dialog = QInputDialog(parent)
    dialog.setObjectName("textQuestion")
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.textValueSelected.connect(on_text)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def ask_save_path(
    parent: QWidget | None,
    title: str,
    start: str,
    name_filter: str,
    on_path: Callable[[str], object],
    *,
    suffix: str,
) -> QFileDialog:
    """Where to save a new file. The name gets `suffix` (".csv") when it lacks it; a file of
    that name is replaced only after a Yes to "already exists" (No the default).
    `on_path(path)` runs once the place is settled, not on Cancel or Escape."""
    dialog = QFileDialog(parent, title, start, name_filter)
    dialog.setObjectName("saveFileDialog")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    # Qt's own overwrite question is a nested loop: ours is asked after the suffix is added.
    dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, True)
    dialog.selectFile(start)

    def chosen(path: str) -> None:
        if not path:
            return
        if not path.lower().endswith(suffix):
            path += suffix
        target = Path(path)
        if target.exists():
            ask_yes_no(
                parent,
                title,
                f"{target.name} already exists.\nDo you want to replace it?",
                lambda: on_path(path),
            )
        else:
            on_path(path)

    dialog.fileSelected.connect(chosen)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
