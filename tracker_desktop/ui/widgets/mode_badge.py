"""The test/live/practice badge: coloured so the mode cannot be missed."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

# Mode names shared with the services layer's profile view.
MODE_LIVE = "live"
MODE_TEST = "test"
MODE_PRACTICE = "practice"
MODE_NO_KEY = "no_key"
MODE_NONE = "none"

_STYLES: dict[str, tuple[str, str, str]] = {
    # mode: (text, background, foreground)
    MODE_LIVE: ("LIVE: real money", "#b42318", "#ffffff"),
    MODE_TEST: ("TEST MODE", "#f79009", "#1d1d1d"),
    MODE_PRACTICE: ("PRACTICE: no real money", "#6941c6", "#ffffff"),
    MODE_NO_KEY: ("NO STRIPE KEY", "#667085", "#ffffff"),
    MODE_NONE: ("NO PROFILE", "#667085", "#ffffff"),
}


def mode_title(mode: str) -> str:
    return _STYLES.get(mode, _STYLES[MODE_NONE])[0]


class ModeBadge(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modeBadge")
        self.set_mode(MODE_NONE)

    def set_mode(self, mode: str) -> None:
        text, background, foreground = _STYLES.get(mode, _STYLES[MODE_NONE])
        self.mode = mode
        self.setText(text)
        self.setStyleSheet(
            f"QLabel#modeBadge {{ background: {background}; color: {foreground};"
            " font-weight: bold; padding: 2px 10px; border-radius: 8px; }"
        )
