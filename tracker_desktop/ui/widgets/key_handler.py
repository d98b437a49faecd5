"""Plain keys (no modifier but the keypad's) on given widgets, caught before the widget.

Not QShortcuts: a shortcut would steal Enter or Delete from a form or a search box; an event
filter acts only on the widget it is installed on.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)


class KeyHandler(QObject):
    """Runs handlers[(widget, key)] for that key pressed on that widget, and eats the key."""

    def __init__(
        self, handlers: dict[tuple[QObject, Qt.Key], Callable[[], object]], parent: QObject
    ) -> None:
        super().__init__(parent)
        self._handlers = handlers
        for widget in dict.fromkeys(watched for watched, _key in handlers):
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            handler = self._handlers.get((watched, Qt.Key(event.key())))
            if handler is not None and event.modifiers() in _PLAIN:
                handler()
                return True
        return False
