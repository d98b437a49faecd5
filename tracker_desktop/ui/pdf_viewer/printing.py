"""Printing a PDF document page by page: each page rendered at the printer's resolution on
white (QPdfDocument renders with a transparent background) and fitted to the paper."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter


def page_image(document: QPdfDocument, page: int, size: QSize) -> QImage:
    """Page `page` as an image of `size`, painted on white."""
    rendered = document.render(page, size)
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return image


def print_document(document: QPdfDocument, printer: QPrinter) -> int:
    """Print the pages the printer's settings ask for (all by default); returns how many."""
    count = document.pageCount()
    first, last = 0, count - 1
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(printer.fromPage() - 1, 0)
        last = min(printer.toPage() - 1, count - 1)
    painter = QPainter()
    if count == 0 or not painter.begin(printer):
        return 0
    printed = 0
    try:
        area = printer.pageLayout().paintRectPixels(printer.resolution())
        for page in range(first, last + 1):
            if printed:
                printer.newPage()
            points = document.pagePointSize(page)
            scale = min(area.width() / points.width(), area.height() / points.height())
            size = QSize(int(points.width() * scale), int(points.height() * scale))
            target = QRect(0, 0, size.width(), size.height())
            painter.drawImage(target, page_image(document, page, size))
            printed += 1
    finally:
        painter.end()
    return printed
