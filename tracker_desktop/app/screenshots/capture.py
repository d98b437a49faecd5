"""Waiting for the app, and turning its windows into PNGs of one fixed size."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QWidget

WIDTH, HEIGHT = 1280, 800
TITLE_BAR = 30  # drawn above a dialog: offscreen there is no window manager to draw one


class ShotFailed(RuntimeError):
    """The app did not reach the state a screenshot needs."""


async def wait_until(ready: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Let the Qt/asyncio loop run until `ready()`; a shot of a half-loaded window is wrong."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not ready():
        if loop.time() > deadline:
            raise ShotFailed(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def settle() -> None:
    """Layouts, deferred reloads and repaints run before the grab. Only by yielding to the
    loop: processEvents() inside a task would run other tasks re-entrantly under qasync."""
    for _ in range(5):
        await asyncio.sleep(0.03)


def window_image(window: QWidget) -> QImage:
    image = window.grab().toImage()
    if (image.width(), image.height()) != (WIDTH, HEIGHT):  # a HiDPI screen: back to 1x
        image = image.scaled(
            WIDTH,
            HEIGHT,
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    return image


def with_dialog(window: QWidget, dialog: QWidget) -> QImage:
    """The window dimmed behind a modal dialog with a plain title bar, as a person sees it."""
    image = window_image(window)
    face = dialog.grab().toImage()
    width, height = face.width(), face.height() + TITLE_BAR
    x, y = (WIDTH - width) // 2, max((HEIGHT - height) // 2, 0)
    painter = QPainter(image)
    painter.fillRect(image.rect(), QColor(16, 24, 40, 110))
    painter.fillRect(QRect(x - 1, y - 1, width + 2, height + 2), QColor("#475467"))
    painter.fillRect(QRect(x, y, width, TITLE_BAR), QColor("#e4e7ec"))
    font = QFont(dialog.font())
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#101828"))
    painter.drawText(
        QRect(x + 12, y, width - 24, TITLE_BAR),
        Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
        dialog.windowTitle(),
    )
    painter.drawImage(x, y + TITLE_BAR, face)
    painter.end()
    return image


def save(image: QImage, outdir: Path, name: str) -> Path:
    path = outdir / f"{name}.png"
    if not image.save(str(path)):
        raise ShotFailed(f"could not write {path}")
    return path
