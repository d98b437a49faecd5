"""A payment link is never lost: what the dealer sees when the browser does not open (the
Linux launcher run for real, as a script that exits non-zero), Copy link by button, menu
and Ctrl+Shift+C, the link selectable in the detail pane, and the banner's tone when the
buyer's card is declined."""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path

from invoice_window import show_invoice
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from tracker_desktop.domain.invoice_state import Action
from tracker_desktop.domain.money import Money
from tracker_desktop.sandbox import Sandbox
from tracker_desktop.services.invoicing.invoice_service import (
    DraftInput,
    DraftLineInput,
    InvoiceDetail,
)
from tracker_desktop.ui import browser
from tracker_desktop.ui.invoices.detail import NO_LINK_YET
from tracker_desktop.ui.invoices.table_model import COL_NUMBER

from .conftest import Desk
from .test_compose_push_void import open_composer, pick_watch


def clipboard_text() -> str:
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None
    return clipboard.text()


def sent(qtbot: QtBot, desk: Desk, name: str = "Amelia Hart") -> InvoiceDetail:
    service = desk.services.invoices
    draft = DraftInput(
        "USD",
        [DraftLineInput("Omega Speedmaster 310.30.42", 1, Money(690_000, "USD"))],
        customer_name=name,
        customer_email="amelia@example.com",
    )
    invoice_id = service.save_draft(desk.profile_id, draft)
    task = asyncio.ensure_future(service.push(desk.profile_id, invoice_id))
    qtbot.waitUntil(task.done, timeout=15000)
    assert task.exception() is None
    desk.invoices.reload()
    show_invoice(qtbot, desk.invoices, invoice_id)
    detail = desk.invoices.detail.detail
    assert detail is not None
    assert detail.id == invoice_id
    assert detail.hosted_invoice_url
    return detail


def test_when_the_launcher_fails_the_banner_says_so_and_the_link_is_offered(
    qtbot: QtBot, desk: Desk, tmp_path: Path
) -> None:
    failing = tmp_path / "xdg-open"
    failing.write_text("#!/bin/sh\nexit 3\n")
    failing.chmod(failing.stat().st_mode | stat.S_IXUSR)
    browser.set_launcher([str(failing)])

    desk.add_watch("Omega", "Speedmaster Moonwatch", "310.30.42", "OM3861A", "6,900")
    composer = open_composer(qtbot, desk)
    qtbot.keyClicks(composer.customer.name, "Kenji Watanabe")
    qtbot.keyClicks(composer.customer.email, "k.watanabe@example.jp")
    pick_watch(qtbot, composer, "OM3861A")
    page = desk.invoices
    with qtbot.waitSignal(page.links.opened, timeout=20000) as answer:
        qtbot.mouseClick(composer.create_button, Qt.MouseButton.LeftButton)
    assert answer.args == [False]
    detail = page.detail.detail
    assert detail is not None
    assert page.banner.property("tone") == "warning"
    assert page.banner.text() == (
        f"Invoice {detail.number} is open in Stripe, but your browser did not open the payment "
        f"page of {detail.number}. Copy the link (Ctrl+Shift+C) and open it yourself, or send "
        "it to the buyer."
    )
    fallback = page.findChild(QMessageBox, "browserFallback")
    assert isinstance(fallback, QMessageBox)
    assert fallback.isVisible()
    assert fallback.informativeText() == detail.hosted_invoice_url
    fallback.done(0)

    # Open payment page again, still no browser: the same plain warning, never "Opened".
    with qtbot.waitSignal(page.links.opened, timeout=20000) as again:
        qtbot.mouseClick(page.detail.buttons[Action.OPEN_PAYMENT_PAGE], Qt.MouseButton.LeftButton)
    assert again.args == [False]
    assert page.banner.text().startswith("Your browser did not open the payment page")
    assert "Opened" not in page.banner.text()
    for box in page.findChildren(QMessageBox, "browserFallback"):
        box.done(0)  # the link offered again; closed, the window takes keys again

    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    qtbot.keyClick(
        page.table,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert clipboard_text() == detail.hosted_invoice_url
    assert page.banner.property("tone") == "success"
    copied = f"Copied the payment link of {detail.number}. Paste it to the buyer."
    assert page.banner.text() == copied


def test_the_link_is_selectable_and_copied_by_button(qtbot: QtBot, desk: Desk) -> None:
    detail = sent(qtbot, desk)
    panel = desk.invoices.detail
    assert panel.link.isVisible()
    assert panel.link.isReadOnly()
    assert panel.link.text() == detail.hosted_invoice_url
    panel.link.selectAll()
    assert panel.link.selectedText() == detail.hosted_invoice_url
    assert panel.copy_link_button.isEnabled()
    qtbot.mouseClick(panel.copy_link_button, Qt.MouseButton.LeftButton)
    assert clipboard_text() == detail.hosted_invoice_url


def test_a_draft_has_no_link_to_copy(qtbot: QtBot, desk: Desk) -> None:
    service = desk.services.invoices
    draft = DraftInput(
        "USD",
        [DraftLineInput("Service", 1, Money(25_000, "USD"))],
        customer_name="Ada",
        customer_email="ada@example.com",
    )
    draft_id = service.save_draft(desk.profile_id, draft)
    desk.invoices.reload()
    show_invoice(qtbot, desk.invoices, draft_id)
    panel = desk.invoices.detail
    assert panel.link.isHidden()
    assert panel.copy_link_button.isHidden()
    panel.copy_link_requested.emit()  # Ctrl+Shift+C on a draft
    assert desk.invoices.banner.property("tone") == "warning"
    assert "has no payment link yet" in desk.invoices.banner.text()
    assert NO_LINK_YET.startswith("Stripe gives")


def test_the_table_menu_copies_and_opens_the_link(
    qtbot: QtBot, desk: Desk, browser_urls: list[str]
) -> None:
    detail = sent(qtbot, desk)
    page = desk.invoices
    row = page.model.row_of(detail.id)
    rect = page.table.visualRect(page.model.index(row, COL_NUMBER))
    with qtbot.waitSignal(page.links.menu_shown) as shown:
        page.table.customContextMenuRequested.emit(QPoint(rect.center()))
    menu = shown.args[0]
    assert isinstance(menu, QMenu)
    actions = {a.text(): a for a in menu.actions()}
    assert list(actions) == ["Open payment page", "Copy link", "Open PDF", "Issue credit note…"]
    assert actions["Issue credit note…"].shortcut().toString() == "Ctrl+Shift+R"
    assert actions["Copy link"].isEnabled()
    assert actions["Copy link"].shortcut().toString() == "Ctrl+Shift+C"
    actions["Copy link"].trigger()
    assert clipboard_text() == detail.hosted_invoice_url
    actions["Open payment page"].trigger()
    assert browser_urls == [detail.hosted_invoice_url]
    assert page.banner.text() == f"Opened the payment page of {detail.number} in your browser."
    menu.close()


def test_a_declined_card_is_announced_as_a_warning_with_stripes_reason(
    qtbot: QtBot, desk: Desk, browser_urls: list[str], sandbox: Sandbox
) -> None:
    desk.add_watch("Omega", "Speedmaster Moonwatch", "310.30.42", "OM3861B", "6,900")
    composer = open_composer(qtbot, desk)
    qtbot.keyClicks(composer.customer.name, "Kenji Watanabe")
    qtbot.keyClicks(composer.customer.email, "k.watanabe@example.jp")
    pick_watch(qtbot, composer, "OM3861B")
    page = desk.invoices
    qtbot.mouseClick(composer.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "open in Stripe" in page.banner.text())
    assert page.banner.property("tone") == "success"
    detail = page.detail.detail
    assert detail is not None
    assert detail.stripe_invoice_id is not None
    sandbox.pay_as_buyer(detail.stripe_invoice_id, card="4000000000000002")
    refreshed = asyncio.ensure_future(page._invoices.refresh(desk.profile_id, detail.id))
    qtbot.waitUntil(refreshed.done)
    qtbot.waitUntil(lambda: "failed" in page.banner.text())
    assert page.banner.property("tone") == "warning"
    assert page.banner.text() == (
        f"The buyer's payment for {detail.number} failed: Your card was declined. The invoice "
        "stays open; the buyer can try again on the same payment page."
    )
    sandbox.pay_as_buyer(detail.stripe_invoice_id)
    refreshed = asyncio.ensure_future(page._invoices.refresh(desk.profile_id, detail.id))
    qtbot.waitUntil(refreshed.done)
    qtbot.waitUntil(lambda: page.banner.text() == f"Invoice {detail.number} is now Paid.")
    assert page.banner.property("tone") == "success"
