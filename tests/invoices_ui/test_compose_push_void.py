"""A sale from end to end on real widgets: compose for a one-off buyer with two watches and a
free-text line, create it in the simulator, see the payment page asked for, the invoice open
with its number and the watches reserved; then void it and see the watches back in stock."""

from __future__ import annotations

from invoice_window import settled
from modal_dialogs import answer_question
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tracker_desktop.domain.invoice_state import Action
from tracker_desktop.sandbox import Sandbox
from tracker_desktop.ui.invoices.composer import ComposerDialog
from tracker_desktop.ui.invoices.push_steps import DONE, STEPS
from tracker_desktop.ui.invoices.table_model import COL_NUMBER, COL_STATUS, COL_TOTAL
from tracker_desktop.ui.invoices.watch_picker import WatchPicker
from tracker_desktop.ui.watches.table_model import COL_INVOICE, COL_SERIAL
from tracker_desktop.ui.watches.table_model import COL_STATUS as WATCH_STATUS

from .conftest import Desk


def open_composer(qtbot: QtBot, desk: Desk) -> ComposerDialog:
    with qtbot.waitSignal(desk.invoices.composer_opened) as opened:
        qtbot.mouseClick(desk.invoices.new_button, Qt.MouseButton.LeftButton)
    composer = opened.args[0]
    assert isinstance(composer, ComposerDialog)
    return composer


def pick_watch(qtbot: QtBot, composer: ComposerDialog, serial: str) -> None:
    with qtbot.waitSignal(composer.picker_opened) as opened:
        qtbot.mouseClick(composer.add_watch_button, Qt.MouseButton.LeftButton)
    picker = opened.args[0]
    assert isinstance(picker, WatchPicker)
    qtbot.keyClicks(picker.search, serial)
    item = picker.item_for_serial(serial)
    assert item is not None
    picker.list.setCurrentItem(item)
    qtbot.mouseClick(picker.ok_button, Qt.MouseButton.LeftButton)


def watch_cells(desk: Desk, col: int) -> dict[str, str]:
    model = desk.watches.model
    return {
        str(model.index(r, COL_SERIAL).data()): str(model.index(r, col).data())
        for r in range(model.rowCount())
    }


def test_compose_push_then_void(
    qtbot: QtBot,
    desk: Desk,
    browser_urls: list[str],
    sandbox: Sandbox,
) -> None:
    desk.add_watch("Rolex", "Submariner Date", "126610LN", "7S2A9XXX", "14,250")
    desk.add_watch("Patek Philippe", "Nautilus", "5711/1A-010", "5711X42", "128,500")
    composer = open_composer(qtbot, desk)
    customer = composer.customer
    assert customer.one_off_radio.isChecked()  # no clients yet
    qtbot.keyClicks(customer.name, "Amelia Hart")
    qtbot.keyClicks(customer.email, "amelia.hart@example.com")
    qtbot.keyClicks(customer.line1, "12 Quai du Mont-Blanc")
    qtbot.keyClicks(customer.city, "Geneva")
    qtbot.keyClicks(customer.postal_code, "1204")
    customer.country.setCurrentIndex(customer.country.findData("CH"))

    pick_watch(qtbot, composer, "7S2A9XXX")
    pick_watch(qtbot, composer, "5711X42")
    rows = composer.lines.rows
    assert rows[0].description.text() == "Rolex Submariner Date 126610LN, serial 7S2A9XXX"
    assert rows[0].price.text() == "14,250.00"
    qtbot.mouseClick(composer.add_line_button, Qt.MouseButton.LeftButton)
    strap = composer.lines.rows[2]
    qtbot.keyClicks(strap.description, "Alligator strap, fitted")
    strap.quantity.clear()
    qtbot.keyClicks(strap.quantity, "2")
    qtbot.keyClicks(strap.price, "175")
    assert strap.amount.text() == "$350.00"
    assert composer.total_label.text() == "Total  $143,100.00"

    composer.activateWindow()
    qtbot.waitUntil(composer.isActiveWindow)
    qtbot.keyClick(strap.price, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(browser_urls), timeout=15000)
    assert browser_urls[0].startswith(sandbox.base_url)
    assert all(composer.steps.mark(step) == DONE for step, _ in STEPS)
    assert not composer.isVisible()

    table = desk.invoices.model
    qtbot.waitUntil(lambda: "open in Stripe" in desk.invoices.banner.text(), timeout=15000)
    qtbot.waitUntil(lambda: settled(desk.invoices) and table.rowCount() == 1)
    number = str(table.index(0, COL_NUMBER).data())
    assert number
    assert not number.startswith("Draft")
    assert table.index(0, COL_STATUS).data() == "Open"
    assert table.index(0, COL_TOTAL).data() == "$143,100.00"
    assert number in desk.invoices.banner.text()
    detail = desk.invoices.detail
    assert detail.lines.rowCount() == 3
    assert detail.buttons[Action.VOID].isEnabled()
    # Draft-only actions no longer apply once Stripe has the invoice: not shown at all,
    # though they still say why if asked.
    assert detail.buttons[Action.DELETE_DRAFT].isHidden()
    assert not detail.buttons[Action.DELETE_DRAFT].isEnabled()
    assert detail.buttons[Action.DELETE_DRAFT].toolTip() == (
        "Only a draft can be deleted; this one is open"
    )

    qtbot.waitUntil(lambda: watch_cells(desk, WATCH_STATUS)["7S2A9XXX"] == "Reserved")
    assert watch_cells(desk, WATCH_STATUS)["5711X42"] == "Reserved"
    assert watch_cells(desk, COL_INVOICE)["5711X42"] == number

    qtbot.mouseClick(detail.buttons[Action.VOID], Qt.MouseButton.LeftButton)
    answer_question(qtbot)
    qtbot.waitUntil(lambda: table.index(0, COL_STATUS).data() == "Void", timeout=15000)
    qtbot.waitUntil(lambda: set(watch_cells(desk, WATCH_STATUS).values()) == {"In stock"})
    assert watch_cells(desk, COL_INVOICE) == {"7S2A9XXX": "", "5711X42": ""}
    qtbot.waitUntil(lambda: settled(desk.invoices))
    assert not detail.buttons[Action.VOID].isEnabled()
    assert not detail.buttons[Action.VOID].isHidden()  # still relevant: it says why not
    assert "void" in detail.buttons[Action.VOID].toolTip()
    assert detail.why.text() == (
        "The greyed actions do not apply while the invoice is void; point at one."
    )


def test_the_banner_follows_the_invoice_it_announced(
    qtbot: QtBot, desk: Desk, browser_urls: list[str], sandbox: Sandbox
) -> None:
    """After "Create and open payment page", the buyer pays; the next sync changes the
    banner to say so instead of leaving "open in Stripe" standing."""
    import asyncio

    desk.add_watch("Omega", "Speedmaster Moonwatch", "310.30.42", "OM3861A", "6,900")
    composer = open_composer(qtbot, desk)
    qtbot.keyClicks(composer.customer.name, "Kenji Watanabe")
    qtbot.keyClicks(composer.customer.email, "k.watanabe@example.jp")
    pick_watch(qtbot, composer, "OM3861A")
    qtbot.mouseClick(composer.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(browser_urls))
    page = desk.invoices
    qtbot.waitUntil(lambda: "open in Stripe" in page.banner.text())
    detail = page.detail.detail
    assert detail is not None
    assert detail.stripe_invoice_id is not None
    sandbox.pay_as_buyer(detail.stripe_invoice_id)
    profile_id = desk.profile_id
    refreshed = asyncio.ensure_future(page._invoices.refresh(profile_id, detail.id))
    qtbot.waitUntil(refreshed.done)
    qtbot.waitUntil(lambda: page.banner.text() == f"Invoice {detail.number} is now Paid.")
