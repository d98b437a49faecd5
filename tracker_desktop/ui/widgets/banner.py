"""A one-line announcement over a window: green for what went well, amber for what did not.

The tone is also the widget's `tone` property ("success", "warning", "error", "info"), so
tests and style sheets can tell a failure from a success without reading colours.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from tracker_desktop.ui.theme import Tone, banner_style


class Banner(QLabel):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAccessibleName("Announcement")
        self.tone: Tone = "success"
        self.setVisible(False)

    def say(self, text: str, tone: Tone = "success") -> None:
        self.tone = tone
        self.setProperty("tone", tone)
        self.setStyleSheet(banner_style(tone, f"QLabel#{self.objectName()}"))
        self.setText(text)
        self.setAccessibleDescription(text)
        self.setVisible(bool(text))
