"""Small pieces the Watches and Invoices windows share: money text, field errors."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QWidget

from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import format_money
from tracker_desktop.ui.theme import error_style
from tracker_desktop.ui.widgets.field_messages import reserve_line

log = logging.getLogger(__name__)

# Window-level message lines, not beside a field: they take no room while empty.
_NOT_BESIDE_A_FIELD = frozenset({"page", "action", "form", "push"})


def money_text(amount: Money | None, locale: str) -> str:
    return "" if amount is None else format_money(amount, locale)


class FieldError(QLabel):
    """A red line under a field; hidden while there is nothing to say, its line kept so the
    form does not jump."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"error_{name}")
        self.setStyleSheet(error_style())
        self.setWordWrap(True)
        if name not in _NOT_BESIDE_A_FIELD:
            reserve_line(self)
        self.setVisible(False)

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))

    def clear_message(self) -> None:
        self.show_message("")


def shortcut(
    keys: str | QKeySequence.StandardKey | Qt.Key,
    parent: QWidget,
    slot: Callable[[], object],
    context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut,
) -> QShortcut:
    return QShortcut(QKeySequence(keys), parent, slot, context)
