"""No window starts a second event loop inside qasync's: every dialog in ui/ opens with
`open()` and answers through signals. The walk reads the code (AST), so a comment or a
string that mentions `exec()` does not count, and a call does however it is spelled."""

from __future__ import annotations

import ast
from pathlib import Path

import tracker_desktop.ui

UI = Path(tracker_desktop.ui.__file__).parent

# Methods that run a loop of their own until the dialog, menu or drag ends.
LOOP_METHODS = frozenset({"exec", "exec_"})
# Qt's static helpers: each builds a dialog and runs `exec()` on it.
STATIC_HELPERS = {
    "QMessageBox": {"question", "warning", "critical", "information", "about", "aboutQt"},
    "QInputDialog": {"getText", "getMultiLineText", "getInt", "getDouble", "getItem"},
    "QFileDialog": {
        "getSaveFileName",
        "getSaveFileUrl",
        "getOpenFileName",
        "getOpenFileNames",
        "getOpenFileUrl",
        "getOpenFileUrls",
        "getExistingDirectory",
        "getExistingDirectoryUrl",
    },
    "QColorDialog": {"getColor"},
    "QFontDialog": {"getFont"},
}


def nested_loops(source: str, filename: str) -> list[str]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        name, owner = node.func.attr, node.func.value
        if name in LOOP_METHODS:
            found.append((node.lineno, f".{name}()"))
        owner_name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
        if name in STATIC_HELPERS.get(owner_name, ()):
            found.append((node.lineno, f"{owner_name}.{name}()"))
    return [f"{filename}:{line} {call}" for line, call in sorted(found)]


def test_no_module_of_the_windows_runs_a_nested_event_loop() -> None:
    files = sorted(UI.rglob("*.py"))
    assert len(files) > 40  # the walk really reads the windows
    found = [
        hit
        for path in files
        for hit in nested_loops(path.read_text(encoding="utf-8"), str(path.relative_to(UI)))
    ]
    assert found == []


def test_the_walk_catches_every_spelling() -> None:
    planted = """
from PySide6 import QtWidgets
from PySide6.QtWidgets import QMessageBox, QFileDialog, QInputDialog
def ask(self, dialog, menu):
    dialog.exec()
    menu.exec_(point)
    QMessageBox.question(self, "t", "q")
    QtWidgets.QMessageBox.warning(self, "t", "w")
    QInputDialog.getText(self, "t", "label")
    QFileDialog.getSaveFileName(self)
    # dialog.exec() in a comment is not a call
    text = "QMessageBox.question"
    dialog.open()
"""
    assert nested_loops(planted, "planted.py") == [
        "planted.py:5 .exec()",
        "planted.py:6 .exec_()",
        "planted.py:7 QMessageBox.question()",
        "planted.py:8 QMessageBox.warning()",
        "planted.py:9 QInputDialog.getText()",
        "planted.py:10 QFileDialog.getSaveFileName()",
    ]
