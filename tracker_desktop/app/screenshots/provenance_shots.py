"""The README's PDF viewer and provenance shots: a watch's register check with its
certificate, box and papers and photos (files made here, then attached through the app's
own service, which copies them in), one watch on memo, and a kept invoice PDF in the viewer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QLinearGradient, QPageSize, QPainter, QPdfWriter

from tracker_desktop.app.composition import Application
from tracker_desktop.app.screenshots.capture import (
    HEIGHT,
    WIDTH,
    ShotFailed,
    settle,
    wait_until,
    window_image,
    with_dialog,
)
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import format_amount
from tracker_desktop.domain.watch_status import WatchStatus
from tracker_desktop.services.app_services import AppServices
from tracker_desktop.services.inventory.provenance import CheckForm
from tracker_desktop.services.inventory.watch_service import WatchForm
from tracker_desktop.ui.invoices.page import InvoicesPage
from tracker_desktop.ui.watches.page import WatchesPage
from tracker_desktop.ui.watches.watch_dialog import WatchDialog

PROVENANCE_SERIAL = "OM3861A"  # the Speedmaster: in stock, papers to show
MEMO_SERIAL = "CSA40771"  # the Santos (its sale was voided): lent to a dealer on approval


def _pdf(path: Path, lines: list[str]) -> Path:
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(150)
    painter = QPainter(writer)
    y = 200
    for index, line in enumerate(lines):
        painter.setFont(QFont("Sans", 18 if index == 0 else 11, 700 if index == 0 else 400))
        painter.drawText(QPointF(150, y), line)
        y += 90 if index == 0 else 55
    painter.end()
    return path


def _photo(path: Path, caption: str) -> Path:
    image = QImage(800, 600, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    gradient = QLinearGradient(0, 0, 800, 600)
    gradient.setColorAt(0, QColor("#1d2939"))
    gradient.setColorAt(1, QColor("#667085"))
    painter.fillRect(image.rect(), gradient)
    painter.setPen(QColor("#f2f4f7"))
    painter.drawEllipse(QRectF(250, 150, 300, 300))
    painter.setFont(QFont("Sans", 28))
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, caption)
    painter.end()
    if not image.save(str(path)):  # the format follows the name
        raise ShotFailed(f"could not write {path}")
    return path


def seed_provenance(services: AppServices, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    inventory = services.inventory
    pid = services.base.active.id
    assert pid is not None
    watch = inventory.find_by_serial(pid, PROVENANCE_SERIAL)
    if watch is None:
        raise ShotFailed(f"the watch {PROVENANCE_SERIAL} was not seeded")
    title = watch.line_description
    certificate = _pdf(
        folder / "TWR certificate 118842.pdf",
        [
            "The Watch Register — Certificate of Search",
            "Certificate number TWR-2026-118842",
            f"Item searched: {title}",
            "Result: no match on the register of lost and stolen watches.",
        ],
    )
    today = dt.date.today()
    provenance = inventory.provenance
    provenance.add_check(
        pid,
        watch.id,
        CheckForm(
            "The Watch Register", today - dt.timedelta(days=12), "TWR-2026-118842", str(certificate)
        ),
    )
    provenance.add_check(
        pid, watch.id, CheckForm("Art Loss Register", today - dt.timedelta(days=420), "ALR-77120")
    )
    card = _pdf(folder / "Warranty card.pdf", ["OMEGA International Warranty", title])
    provenance.add_document(pid, watch.id, "document", str(card))
    for name in ("Dial", "Caseback", "Box and papers"):
        photo = _photo(folder / f"{name}.jpg", f"{watch.brand} {watch.model} · {name}")
        provenance.add_document(pid, watch.id, "photo", str(photo))
    santos = inventory.find_by_serial(pid, MEMO_SERIAL)
    if santos is not None and santos.invoice_id is None:
        inventory.update(
            pid,
            santos.id,
            WatchForm(
                brand=santos.brand,
                model=santos.model,
                serial=santos.serial,
                currency=santos.currency,
                reference=santos.reference,
                year="" if santos.year is None else str(santos.year),
                condition=santos.condition,
                has_box=santos.has_box,
                has_papers=santos.has_papers,
                notes=santos.notes,
                purchase_cost=_amount(santos.purchase_cost),
                asking_price=_amount(santos.asking_price),
                status=WatchStatus.ON_MEMO,
                away_with="Galerie Koch, Zürich",
                away_since=today - dt.timedelta(days=6),
            ),
        )


def _amount(money: Money | None) -> str:
    return "" if money is None else format_amount(money, "en_US")  # the shots' locale


async def pdf_viewer_shot(app: Application, invoice_id: int) -> QImage:
    page = app.window.show_page("invoices")
    assert isinstance(page, InvoicesPage)
    page.select_invoice(invoice_id)

    def shown() -> bool:
        detail = page.detail.detail
        return not page.loading and detail is not None and detail.id == invoice_id

    await wait_until(shown, f"invoice {invoice_id}")
    detail = page.detail.detail
    assert detail is not None
    await wait_until(lambda: page.detail.pdf_button.isEnabled(), "the kept PDF")
    page.actions_.open_pdf_of(detail)
    viewer = page.actions_.pdf_viewer
    if viewer is None or not viewer.loaded:
        raise ShotFailed("the PDF viewer did not open the kept PDF")
    try:
        viewer.resize(WIDTH, HEIGHT)
        await settle()
        await wait_until(lambda: _inked(viewer.view.grab().toImage()), "the PDF's pages")
        await settle()
        return window_image(viewer)
    finally:
        viewer.close()


def _inked(image: QImage) -> bool:
    small = image.scaled(160, 100)
    return (
        sum(
            1
            for x in range(small.width())
            for y in range(small.height())
            if small.pixelColor(x, y).lightness() < 110
        )
        > 40
    )


async def provenance_shot(app: Application) -> QImage:
    page = app.window.show_page("watches")
    assert isinstance(page, WatchesPage)
    await wait_until(lambda: page.model.rowCount() > 0, "the watches")
    page.search.setText(PROVENANCE_SERIAL)
    await wait_until(lambda: page.selected() is not None, "the Speedmaster")
    page.edit_selected()
    dialog = page.dialog
    if not isinstance(dialog, WatchDialog) or dialog.provenance is None:
        raise ShotFailed("the watch dialog did not open with its Provenance tab")
    try:
        dialog.resize(760, 680)
        dialog.tabs.setCurrentWidget(dialog.provenance)
        dialog.provenance.checks.setCurrentRow(0)
        await settle()
        return with_dialog(app.window, dialog)
    finally:
        dialog.reject()
        page.search.clear()
