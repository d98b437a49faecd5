"""A page a later release fills. It says so plainly rather than pretending to work."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class NotBuiltYetPage(QWidget):
    def __init__(self, title: str, what_it_will_do: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        heading = QLabel(f"<h2>{title}</h2>")
        body = QLabel(
            f"{what_it_will_do}<br><br><b>This window is not built yet</b> in this version of "
            "Tracker Desktop. Nothing here reads or changes your data."
        )
        body.setWordWrap(True)
        body.setObjectName("notBuiltYet")
        for label in (heading, body):
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            layout.addWidget(label)
        layout.addStretch(1)
