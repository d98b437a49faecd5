"""A sale cancelled after its deposit, on real widgets: the deposit taken in the composer and
paid by card in headless Chromium, then "Cancel the sale…" and "Cancel and refund": the
balance is voided or dropped, the deposit refunded by credit note, the watch back in stock."""

from __future__ import annotations

import shutil

import pytest
from modal_dialogs import shown_dialog
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.sandbox import Sandbox
from tracker_desktop.ui.watches.table_model import COL_STATUS as WATCH_STATUS

from .conftest import Desk
from .test_compose_push_void import open_composer, pick_watch, watch_cells
from .test_sale_window import CHROMIUM, buyer_pays, fill_buyer, poll_once, sale_panel


def click_answer(qtbot: QtBot, starting: str) -> str:
    """Click the open question's button whose text starts with `starting`; its text."""
    box = shown_dialog(qtbot, QMessageBox)
    text = box.text()
    [button] = [b for b in box.buttons() if b.text().startswith(starting)]
    button.click()
    qtbot.waitUntil(lambda: not box.isVisible())
    return text


@pytest.mark.chromium
def test_a_sale_cancelled_after_its_deposit_refunds_it_and_restocks_the_watch(
    qtbot: QtBot, desk: Desk, browser_urls: list[str], sandbox: Sandbox
) -> None:
    if not shutil.which(CHROMIUM):
        pytest.skip(f"Chromium not installed: {CHROMIUM} is missing")
    desk.add_watch("Patek Philippe", "Calatrava", "5227G", "CAL-5227", "28,000")
    composer = open_composer(qtbot, desk)
    fill_buyer(qtbot, composer)
    pick_watch(qtbot, composer, "CAL-5227")
    box = composer.sale_box
    box.take_deposit.setChecked(True)
    qtbot.keyClicks(box.deposit_value, "4,000")  # an amount (the first mode)
    qtbot.mouseClick(composer.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(browser_urls), timeout=15_000)
    panel = sale_panel(desk)
    qtbot.waitUntil(lambda: panel.view is not None and panel.isVisible(), timeout=15_000)
    assert panel.view is not None
    sale_id, pid, sales = panel.view.sale_id, desk.profile_id, desk.services.sales
    deposit_id = panel.view.invoices[0].invoice_id

    buyer_pays(qtbot, browser_urls[0])
    poll_once(qtbot, desk)
    assert sales.get(pid, sale_id).invoices[0].state == InvoiceState.PAID
    qtbot.waitUntil(lambda: "Paid $4,000.00" in panel.summary.text(), timeout=10_000)

    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    asked = click_answer(qtbot, "Cancel and refund")
    assert "$4,000.00 was paid already" in asked
    qtbot.waitUntil(lambda: sales.get(pid, sale_id).cancelled, timeout=15_000)
    qtbot.waitUntil(lambda: not panel.runner.busy, timeout=15_000)
    assert not panel.error.isVisible(), panel.error.text()

    notes = desk.services.credit_notes.for_invoice(pid, deposit_id)
    assert [(n.total.minor, n.refunded.minor) for n in notes] == [(400_000, 400_000)]
    states = [inv.state for inv in sales.get(pid, sale_id).invoices]
    assert InvoiceState.OPEN not in states
    assert InvoiceState.LOCAL_DRAFT not in states
    qtbot.waitUntil(
        lambda: watch_cells(desk, WATCH_STATUS)["CAL-5227"] == "In stock", timeout=10_000
    )
