"""A sale over several invoices on real widgets: a deposit taken in the composer and paid by
card in headless Chromium, the balance sent by the paid deposit and paid: the sale is paid in
full and the watch sold. Then the split above Stripe's cap and the trade-in's messages."""

from __future__ import annotations

import asyncio
import os
import shutil
from concurrent.futures import Future, ThreadPoolExecutor

import pytest
from invoice_window import settled
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.sandbox import Sandbox
from tracker_desktop.services.sync.poller import Poller
from tracker_desktop.ui.invoices.composer import ComposerDialog
from tracker_desktop.ui.invoices.sale_panel import SalePanel
from tracker_desktop.ui.watches.table_model import COL_STATUS as WATCH_STATUS

from .conftest import Desk
from .test_compose_push_void import open_composer, pick_watch, watch_cells

CHROMIUM = os.environ.get("TRACKER_CHROMIUM", "/usr/bin/chromium")


def pay_by_card_in_chromium(url: str) -> str:
    """The buyer pays the hosted page in headless Chromium; the page's result text."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--disable-gpu"])
        try:
            page = browser.new_page()
            page.set_default_timeout(10_000)
            page.goto(url)
            page.fill("#card-number", "4242 4242 4242 4242")
            page.click("#pay-card")
            return str(page.locator("#result").inner_text())
        finally:
            browser.close()


def buyer_pays(qtbot: QtBot, url: str) -> None:
    # Playwright's sync API refuses a thread with a running asyncio loop: its own thread.
    with ThreadPoolExecutor(1) as pool:
        paying: Future[str] = pool.submit(pay_by_card_in_chromium, url)
        qtbot.waitUntil(paying.done, timeout=30_000)
        assert "Payment succeeded" in paying.result()


def poll_once(qtbot: QtBot, desk: Desk) -> None:
    poller = Poller(
        desk.services.base.session_factory,
        desk.gateways.gateway,
        desk.profile_id,
        desk.services.base.hub,
    )
    polling = asyncio.ensure_future(poller.poll_now())
    qtbot.waitUntil(polling.done, timeout=15_000)
    polling.result()


def fill_buyer(qtbot: QtBot, composer: ComposerDialog) -> None:
    qtbot.keyClicks(composer.customer.name, "Amelia Hart")
    qtbot.keyClicks(composer.customer.email, "amelia.hart@example.com")


def sale_panel(desk: Desk) -> SalePanel:
    panel = desk.invoices.sale_panel
    assert panel is not None
    return panel


@pytest.mark.chromium
def test_deposit_paid_by_card_then_balance_paid_sells_the_watch(
    qtbot: QtBot, desk: Desk, browser_urls: list[str], sandbox: Sandbox
) -> None:
    if not shutil.which(CHROMIUM):
        pytest.skip(f"Chromium not installed: {CHROMIUM} is missing")
    desk.add_watch("Rolex", "Daytona", "126500LN", "DAY-777", "32,000")
    composer = open_composer(qtbot, desk)
    fill_buyer(qtbot, composer)
    pick_watch(qtbot, composer, "DAY-777")
    box = composer.sale_box
    box.take_deposit.setChecked(True)
    box.deposit_mode.setCurrentIndex(1)  # Percentage
    qtbot.keyClicks(box.deposit_value, "25")
    qtbot.mouseClick(composer.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(browser_urls), timeout=15_000)
    assert not composer.isVisible()

    panel = sale_panel(desk)
    qtbot.waitUntil(lambda: panel.view is not None and panel.isVisible(), timeout=15_000)
    assert panel.view is not None
    assert [(inv.label, inv.total.minor) for inv in panel.view.invoices] == [
        ("Deposit", 800_000),
        ("Balance", 2_400_000),
    ]
    assert "remaining $32,000.00" in panel.summary.text()
    qtbot.waitUntil(lambda: watch_cells(desk, WATCH_STATUS)["DAY-777"] == "Reserved")

    buyer_pays(qtbot, browser_urls[0])
    poll_once(qtbot, desk)  # the paid deposit sends the balance (SaleService after the poll)
    sales, pid = desk.services.sales, desk.profile_id
    sale_id = panel.view.sale_id

    def balance_open() -> bool:
        return sales.get(pid, sale_id).invoices[1].state == InvoiceState.OPEN

    qtbot.waitUntil(balance_open, timeout=15_000)
    balance = desk.services.invoices.get(pid, sales.get(pid, sale_id).invoices[1].invoice_id)
    assert balance.hosted_invoice_url is not None
    assert watch_cells(desk, WATCH_STATUS)["DAY-777"] == "Reserved"

    buyer_pays(qtbot, balance.hosted_invoice_url)
    poll_once(qtbot, desk)
    assert sales.get(pid, sale_id).paid_in_full
    qtbot.waitUntil(lambda: watch_cells(desk, WATCH_STATUS)["DAY-777"] == "Sold", timeout=10_000)
    qtbot.waitUntil(lambda: "Paid in full" in panel.summary.text(), timeout=10_000)


def test_a_sale_above_the_cap_offers_the_split(
    qtbot: QtBot, desk: Desk, browser_urls: list[str]
) -> None:
    composer = open_composer(qtbot, desk)
    fill_buyer(qtbot, composer)
    qtbot.mouseClick(composer.add_line_button, Qt.MouseButton.LeftButton)
    line = composer.lines.rows[0]
    qtbot.keyClicks(line.description, "Patek Philippe 5270P perpetual calendar")
    qtbot.keyClicks(line.price, "2,500,000.01")
    box = composer.sale_box
    assert box.split_button.isVisible()
    assert box.split_button.text() == "Split into 3 linked invoices"
    qtbot.mouseClick(box.split_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(browser_urls), timeout=20_000)
    panel = sale_panel(desk)

    def all_open() -> bool:
        view = panel.view
        return view is not None and {inv.state for inv in view.invoices} == {InvoiceState.OPEN}

    qtbot.waitUntil(lambda: all_open() and settled(desk.invoices), timeout=15_000)
    assert panel.view is not None
    assert [inv.total.minor for inv in panel.view.invoices] == [
        83_333_334,
        83_333_334,
        83_333_333,
    ]
    assert "Part 3 of 3" in panel.rows.text()


def test_a_trade_in_beyond_the_total_is_refused_beside_the_total(qtbot: QtBot, desk: Desk) -> None:
    composer = open_composer(qtbot, desk)
    fill_buyer(qtbot, composer)
    qtbot.mouseClick(composer.add_line_button, Qt.MouseButton.LeftButton)
    line = composer.lines.rows[0]
    qtbot.keyClicks(line.description, "Tudor Black Bay 58")
    qtbot.keyClicks(line.price, "4,000")
    box = composer.sale_box
    box.trade_in.setChecked(True)
    qtbot.keyClicks(box.trade_edits["brand"], "Omega")
    qtbot.keyClicks(box.trade_edits["model"], "Seamaster")
    qtbot.keyClicks(box.trade_allowance, "4,500")
    assert composer.total_label.text() == "Total  -$500.00"
    qtbot.mouseClick(composer.save_button, Qt.MouseButton.LeftButton)
    assert "below zero" in composer.total_error.text()
    assert box.trade_errors["serial"].text() == "Enter the traded watch's serial"
    assert composer.isVisible()  # nothing saved
    assert desk.services.invoices.count(desk.profile_id) == 0
