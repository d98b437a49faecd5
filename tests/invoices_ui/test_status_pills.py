"""The Invoices window on a dark desktop: the status is a solid pill of its colour with white
text (painted, not coloured text that would vanish on dark), the detail's heading shows the
same pill, and the one reason line sums up why the greyed actions are greyed."""

from __future__ import annotations

import asyncio

from invoice_window import show_invoice
from palettes import dark_palette
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tracker_desktop.domain.invoice_state import Action, DisplayKind
from tracker_desktop.domain.money import Money
from tracker_desktop.sandbox import Sandbox
from tracker_desktop.services.invoicing.invoice_service import DraftInput, DraftLineInput
from tracker_desktop.ui import theme
from tracker_desktop.ui.invoices.table_model import COL_STATUS

from .conftest import Desk


def test_pills_on_a_dark_desktop_and_one_reason_line(
    qtbot: QtBot, qapp: QApplication, desk: Desk, sandbox: Sandbox
) -> None:
    before = qapp.palette()
    qapp.setPalette(dark_palette())
    try:
        service = desk.services.invoices
        draft = DraftInput(
            "USD",
            [DraftLineInput("Patek Philippe Calatrava 5196", 1, Money(2_450_000, "USD"))],
            customer_name="Amelia Hart",
            customer_email="amelia@example.com",
        )
        invoice_id = service.save_draft(desk.profile_id, draft)
        pushed = asyncio.ensure_future(service.push(desk.profile_id, invoice_id))
        qtbot.waitUntil(pushed.done, timeout=15_000)
        detail = pushed.result()
        assert detail.stripe_invoice_id is not None
        sandbox.pay_as_buyer(detail.stripe_invoice_id)
        refreshed = asyncio.ensure_future(service.refresh(desk.profile_id, invoice_id))
        qtbot.waitUntil(refreshed.done)
        page = desk.invoices
        page.reload()
        show_invoice(qtbot, page, invoice_id)
        shown = page.detail.detail
        assert shown is not None
        assert shown.status.kind is DisplayKind.PAID

        green, white = theme.pill_colours(DisplayKind.PAID)
        assert page.detail.heading.text().count(green.name()) == 1
        assert white.name() in page.detail.heading.text()

        row = page.model.row_of(invoice_id)
        cell = page.table.visualRect(page.model.index(row, COL_STATUS))
        image = page.table.viewport().grab(cell).toImage()
        painted = [
            QColor(image.pixel(x, y)) for x in range(image.width()) for y in range(image.height())
        ]
        assert green in painted  # the pill itself
        assert any(min(c.red(), c.green(), c.blue()) > 200 for c in painted)  # its white text

        panel = page.detail
        greyed = [a for a, b in panel.buttons.items() if not b.isHidden() and not b.isEnabled()]
        assert Action.VOID in greyed
        assert panel.buttons[Action.VOID].toolTip() == (
            "Only an open or uncollectible invoice can be voided; this one is paid"
        )
        assert panel.why.text() == (
            "The greyed actions do not apply while the invoice is paid; point at one."
        )
        assert panel.findChildren(type(panel.why), "why_void") == []  # no line per button
    finally:
        qapp.setPalette(before)
