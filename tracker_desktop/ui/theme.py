"""Colours that follow the platform palette: readable on a light and on a dark desktop.

Nothing here is a fixed light colour. Text tones (errors, warnings, notes) come in a light-
desktop and a dark-desktop shade, picked from the application palette when a widget is
built; banners tint the window colour instead of painting their own; status pills are
solid, with white text that stays readable on either desktop (WCAG contrast of at least
4.5:1, checked by the tests).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from PySide6.QtGui import QColor, QGuiApplication, QPalette

if TYPE_CHECKING:
    from tracker_desktop.domain.invoice_state import DisplayKind

Tone = Literal["error", "warning", "success", "info", "accent"]

# (shade on a light window, shade on a dark window)
_TONES: dict[str, tuple[str, str]] = {
    "error": ("#b42318", "#f97066"),
    "warning": ("#b54708", "#fdb022"),
    "success": ("#027a48", "#32d583"),
    "info": ("#1570ef", "#53b1fd"),
    "accent": ("#6941c6", "#9b8afb"),
}

# Pill backgrounds: mid-tone colours that carry white text on any desktop.
PILL_TEXT = QColor("#ffffff")
# Keyed by DisplayKind's values (a StrEnum, so its members find them): importing the
# invoice states here would load them before the window's first paint.
PILL_SHADES: dict[str, str] = {
    "draft": "#475467",
    "sending": "#1570ef",
    "push_failed": "#b42318",
    "open": "#1570ef",
    "overdue": "#b54708",
    "processing": "#6941c6",
    "payment_failed": "#b42318",
    "paid": "#027a48",
    "void": "#667085",
    "uncollectible": "#667085",
}


def palette() -> QPalette:
    return QGuiApplication.palette()


def is_dark(pal: QPalette | None = None) -> bool:
    return (pal or palette()).color(QPalette.ColorRole.Window).lightness() < 128


def tone(name: Tone, pal: QPalette | None = None) -> QColor:
    light, dark = _TONES[name]
    return QColor(dark if is_dark(pal) else light)


def muted(pal: QPalette | None = None) -> QColor:
    """Secondary text: the window text moved a third of the way towards the window."""
    p = pal or palette()
    return mix(p.color(QPalette.ColorRole.WindowText), p.color(QPalette.ColorRole.Window), 0.35)


def mix(a: QColor, b: QColor, share_of_b: float) -> QColor:
    keep = 1.0 - share_of_b
    return QColor(
        round(a.red() * keep + b.red() * share_of_b),
        round(a.green() * keep + b.green() * share_of_b),
        round(a.blue() * keep + b.blue() * share_of_b),
    )


def tone_style(name: Tone) -> str:
    return f"color: {tone(name).name()};"


def error_style() -> str:
    return tone_style("error")


def note_style() -> str:
    return f"color: {muted().name()};"


def banner_style(name: Tone, selector: str = "") -> str:
    """A tinted band with a coloured edge; its text keeps the palette's own colour."""
    colour = tone(name)
    body = (
        f"background: rgba({colour.red()}, {colour.green()}, {colour.blue()}, 40);"
        f" border-left: 4px solid {colour.name()}; padding: 6px 10px;"
    )
    return f"{selector} {{ {body} }}" if selector else body


def pill_colours(kind: DisplayKind) -> tuple[QColor, QColor]:
    """(background, text) of a status pill."""
    return QColor(PILL_SHADES.get(kind, "#475467")), PILL_TEXT


def pill_html(kind: DisplayKind, label: str) -> str:
    background, text = pill_colours(kind)
    return (
        f"<span style='background-color:{background.name()}; color:{text.name()};'>"
        f"&nbsp;{label}&nbsp;</span>"
    )


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio between two colours (1 to 21)."""

    def luminance(c: QColor) -> float:
        def channel(v: int) -> float:
            s = v / 255
            return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
