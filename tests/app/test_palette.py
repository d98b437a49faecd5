"""Colours follow the platform palette: on a dark desktop (a dark QPalette, as Windows and
macOS give in dark mode) errors, notes and tones take their dark-desktop shades and stay
readable; banners tint the window instead of painting a light band; status pills keep
white text readable on either desktop."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from palettes import dark_palette
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tracker_desktop.domain.invoice_state import DisplayKind
from tracker_desktop.ui import theme
from tracker_desktop.ui.widgets.banner import Banner
from tracker_desktop.ui.widgets.locale_and_fields import FieldError

AA = 4.5  # WCAG AA for normal text


@pytest.fixture(params=["light", "dark"])
def desktop(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    before = qapp.palette()
    if request.param == "dark":
        qapp.setPalette(dark_palette())
    else:
        light = QPalette()
        light.setColor(QPalette.ColorRole.Window, QColor("#f5f5f5"))
        light.setColor(QPalette.ColorRole.WindowText, QColor("#111111"))
        qapp.setPalette(light)
    yield request.param
    qapp.setPalette(before)


def colour_in(style: str) -> QColor:
    found = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", style)
    assert found, style
    return QColor(found.group(1))


def test_text_tones_are_readable_on_either_desktop(qtbot: QtBot, desktop: str) -> None:
    window = theme.palette().color(QPalette.ColorRole.Window)
    assert theme.is_dark() == (desktop == "dark")
    for name in ("error", "warning", "success", "info", "accent"):
        assert theme.contrast(theme.tone(name), window) >= AA - 1.0, name  # large/bold use
    assert theme.contrast(theme.muted(), window) >= AA
    error = FieldError("brand")
    qtbot.addWidget(error)
    red = colour_in(error.styleSheet())
    assert red == QColor("#f97066" if desktop == "dark" else "#b42318")
    assert theme.contrast(red, window) >= AA


def test_banners_tint_the_window_and_keep_its_text_colour(qtbot: QtBot, desktop: str) -> None:
    banner = Banner("testBanner")
    qtbot.addWidget(banner)
    banner.say("Payment failed: Your card was declined.", "warning")
    style = banner.styleSheet()
    assert banner.property("tone") == "warning"
    assert "rgba(" in style  # a tint over the window's own colour
    assert not re.search(r"(?<![-\w])color:", style)  # the text keeps the palette's colour
    assert "#fff" not in style.lower()
    assert "#ecfdf3" not in style.lower()


@pytest.mark.parametrize("kind", list(DisplayKind))
def test_status_pills_carry_readable_white_text(kind: DisplayKind) -> None:
    assert kind in theme.PILL_SHADES  # its own shade, not the fallback grey
    background, text = theme.pill_colours(kind)
    assert text == QColor("#ffffff")
    assert theme.contrast(background, text) >= AA, kind
