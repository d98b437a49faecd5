"""A dark desktop's palette, as Windows and macOS give an app in dark mode."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#1f1f1f"),
        (QPalette.ColorRole.WindowText, "#f2f2f2"),
        (QPalette.ColorRole.Base, "#141414"),
        (QPalette.ColorRole.AlternateBase, "#262626"),
        (QPalette.ColorRole.Text, "#f2f2f2"),
        (QPalette.ColorRole.Button, "#2b2b2b"),
        (QPalette.ColorRole.ButtonText, "#f2f2f2"),
        (QPalette.ColorRole.Highlight, "#2f6feb"),
        (QPalette.ColorRole.HighlightedText, "#ffffff"),
    ):
        palette.setColor(role, QColor(colour))
    return palette
