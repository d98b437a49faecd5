"""The composer refuses what Stripe would refuse, before anything is sent, and says so beside
the field or line; a draft saved offline keeps everything, and a push that cannot reach Stripe
says why and offers a Retry that continues where it stopped."""

from __future__ import annotations

from invoice_window import settled
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.repositories import watches as watches_repo
from tracker_desktop.domain.invoice_state import Action
from tracker_desktop.domain.validation import PostalAddress
from tracker_desktop.services.clients.client_service import ClientService, check_client
from tracker_desktop.services.inventory.watch_service import WatchRow
from tracker_desktop.ui.invoices.composer import ComposerDialog
from tracker_desktop.ui.invoices.composer_sections import client_input, customer_errors
from tracker_desktop.ui.invoices.customer_panel import CustomerValues
from tracker_desktop.ui.invoices.push_steps import FAILED, WAITING
from tracker_desktop.ui.invoices.table_model import COL_NUMBER, COL_STATUS
from tracker_desktop.ui.invoices.watch_picker import WatchPicker

from .conftest import Desk


def composer_by_shortcut(qtbot: QtBot, desk: Desk) -> ComposerDialog:
    desk.invoices.activateWindow()
    qtbot.waitUntil(desk.invoices.isActiveWindow)
    with qtbot.waitSignal(desk.invoices.composer_opened) as opened:
        qtbot.keyClick(desk.invoices.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    composer = opened.args[0]
    assert isinstance(composer, ComposerDialog)
    return composer


def one_off(qtbot: QtBot, composer: ComposerDialog) -> None:
    qtbot.keyClicks(composer.customer.name, "Kenji Watanabe")
    qtbot.keyClicks(composer.customer.email, "kenji@example.jp")


def free_line(qtbot: QtBot, composer: ComposerDialog, text: str, qty: str, price: str) -> None:
    qtbot.mouseClick(composer.add_line_button, Qt.MouseButton.LeftButton)
    row = composer.lines.rows[-1]
    qtbot.keyClicks(row.description, text)
    row.quantity.clear()
    qtbot.keyClicks(row.quantity, qty)
    qtbot.keyClicks(row.price, price)


def create(qtbot: QtBot, composer: ComposerDialog) -> None:
    qtbot.mouseClick(composer.create_button, Qt.MouseButton.LeftButton)


def test_no_lines_bad_quantity_and_jpy_decimals_are_refused(
    qtbot: QtBot, desk: Desk, browser_urls: list[str]
) -> None:
    composer = composer_by_shortcut(qtbot, desk)
    one_off(qtbot, composer)
    create(qtbot, composer)
    assert composer.lines.lines_error.isVisible()
    assert composer.lines.lines_error.text() == "Add at least one line"

    composer.currency.setCurrentText("JPY")
    free_line(qtbot, composer, "Overhaul, Grand Seiko 9S", "1.5", "85000.5")
    create(qtbot, composer)
    error = composer.lines.rows[0].error
    assert error.isVisible()
    assert "Enter a whole number for the quantity" in error.text()
    assert "JPY has no decimals: enter whole yen" in error.text()
    assert not composer.lines.lines_error.isVisible()
    assert composer.isVisible()
    assert desk.invoices.model.rowCount() == 0
    assert browser_urls == []


def test_over_stripes_cap_says_so_and_offers_the_ways_out(qtbot: QtBot, desk: Desk) -> None:
    desk.add_watch("Patek Philippe", "Grand Complications", "5270P-001", "PP5270A", "")
    composer = composer_by_shortcut(qtbot, desk)
    one_off(qtbot, composer)
    free_line(qtbot, composer, "Patek Philippe 5270P-001, serial PP5270A", "1", "985,000")
    free_line(qtbot, composer, "Audemars Piguet Royal Oak 15510ST", "1", "42,000")
    assert composer.total_label.text() == "Total  $1,027,000.00"
    create(qtbot, composer)
    message = composer.total_error.text()
    assert composer.total_error.isVisible()
    assert "Stripe accepts at most $999,999.99 on one invoice" in message
    assert "deposit invoice and a balance invoice" in message
    assert "record a wire transfer" in message
    assert desk.invoices.model.rowCount() == 0


def test_reserved_and_sold_watches_cannot_be_picked(qtbot: QtBot, desk: Desk) -> None:
    free = desk.add_watch(
        "Omega", "Speedmaster Moonwatch", "310.30.42.50.01.001", "OM3861", "6,900"
    )
    held = desk.add_watch("Rolex", "Daytona", "126500LN", "DAY001", "29,500")
    with session_scope(desk.services.base.session_factory, write=True) as session:
        sold = watches_repo.get_watch(session, desk.profile_id, held.id)
        assert sold is not None
        sold.status = "sold"
    composer = composer_by_shortcut(qtbot, desk)
    with qtbot.waitSignal(composer.picker_opened) as opened:
        qtbot.mouseClick(composer.add_watch_button, Qt.MouseButton.LeftButton)
    picker = opened.args[0]
    assert isinstance(picker, WatchPicker)
    sold_item = picker.item_for_serial("DAY001")
    assert sold_item is not None
    assert not sold_item.flags() & Qt.ItemFlag.ItemIsEnabled
    assert "Sold on a paid invoice" in sold_item.text()
    free_item = picker.item_for_serial("OM3861")
    assert free_item is not None
    assert picker.list.currentItem() is free_item
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert [r.watch_id for r in composer.lines.rows] == [free.id]
    assert isinstance(held, WatchRow)


def test_save_draft_offline_keeps_everything_and_push_offers_retry(
    qtbot: QtBot, offline_desk: Desk
) -> None:
    desk = offline_desk
    watch = desk.add_watch("A. Lange & Söhne", "Lange 1", "191.032", "L1-191032", "39,800")
    composer = composer_by_shortcut(qtbot, desk)
    customer = composer.customer
    qtbot.keyClicks(customer.name, "Hans Keller")
    qtbot.keyClicks(customer.email, "hans.keller@example.ch")
    qtbot.keyClicks(customer.line1, "Bahnhofstrasse 21")
    qtbot.keyClicks(customer.city, "Zurich")
    customer.country.setCurrentIndex(customer.country.findData("CH"))
    customer.save_as_client.setChecked(True)
    composer.add_watch_line(watch.id)
    free_line(qtbot, composer, "Insured shipping", "1", "250")
    qtbot.keyClicks(composer.memo, "Collected in person")
    composer.activateWindow()
    qtbot.waitUntil(composer.isActiveWindow)
    qtbot.keyClick(composer.memo, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not composer.isVisible()

    table = desk.invoices.model
    qtbot.waitUntil(lambda: "Draft saved" in desk.invoices.banner.text())
    qtbot.waitUntil(lambda: settled(desk.invoices))
    assert table.rowCount() == 1
    assert str(table.index(0, COL_NUMBER).data()).startswith("Draft #")
    assert table.index(0, COL_STATUS).data() == "Draft"
    assert [c.name for c in desk.services.inventory.clients(desk.profile_id)] == ["Hans Keller"]
    detail = desk.invoices.detail
    assert detail.lines.rowCount() == 2
    assert detail.lines.item(0, 0).text() == "A. Lange & Söhne Lange 1 191.032, serial L1-191032"
    assert "Collected in person" in detail.summary.text()

    with qtbot.waitSignal(desk.invoices.composer_opened) as opened:
        qtbot.mouseClick(detail.buttons[Action.EDIT_DRAFT], Qt.MouseButton.LeftButton)
    again = opened.args[0]
    assert isinstance(again, ComposerDialog)
    assert again.customer.selected_client() is not None
    assert [r.price.text() for r in again.lines.rows] == ["39,800.00", "250.00"]
    assert again.memo.toPlainText() == "Collected in person"

    create(qtbot, again)
    qtbot.waitUntil(lambda: again.retry_button.isVisible(), timeout=15000)
    assert again.push_error.isVisible()
    assert "Retry continues from this step" in again.push_error.text()
    assert again.steps.mark(again.steps.current) == FAILED  # type: ignore[arg-type]
    assert WAITING in {again.steps.mark(s) for s in again.steps.labels}
    assert again.isVisible()
    qtbot.mouseClick(again.cancel_button, Qt.MouseButton.LeftButton)
    desk.invoices.reload()
    qtbot.waitUntil(lambda: settled(desk.invoices))
    assert table.index(0, COL_STATUS).data() == "Not sent"
    assert detail.lines.rowCount() == 2
    assert detail.buttons[Action.RETRY_PUSH].isEnabled()
    # Stripe holds nothing yet: its actions are not offered at all.
    assert detail.buttons[Action.VOID].isHidden()
    assert detail.buttons[Action.OPEN_PAYMENT_PAGE].isHidden()


def test_an_empty_inventory_says_what_to_do(qtbot: QtBot, desk: Desk) -> None:
    composer = composer_by_shortcut(qtbot, desk)
    with qtbot.waitSignal(composer.picker_opened) as opened:
        qtbot.mouseClick(composer.add_watch_button, Qt.MouseButton.LeftButton)
    picker = opened.args[0]
    assert isinstance(picker, WatchPicker)
    assert picker.list.count() == 0
    assert "No watches in inventory yet" in picker.why.text()
    assert "free-text line" in picker.why.text()
    assert not picker.ok_button.isEnabled()
    qtbot.keyClicks(picker.search, "Lange")
    assert picker.why.text() == "No watch matches “Lange”."
    picker.reject()


def test_also_save_as_client_keeps_them_as_the_clients_window_would(
    qtbot: QtBot, offline_desk: Desk
) -> None:
    desk = offline_desk
    composer = composer_by_shortcut(qtbot, desk)
    customer = composer.customer
    qtbot.keyClicks(customer.name, "Amelia   Hart")
    qtbot.keyClicks(customer.email, "amelia@example.com")
    qtbot.keyClicks(customer.line1, "1  Bond Street")
    qtbot.keyClicks(customer.city, "London")
    customer.country.setCurrentIndex(customer.country.findData("GB"))
    customer.save_as_client.setChecked(True)
    free_line(qtbot, composer, "Strap", "1", "250")
    qtbot.mouseClick(composer.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not composer.isVisible())

    (client,) = desk.services.inventory.clients(desk.profile_id)
    kept = ClientService(desk.services.base.session_factory).get(desk.profile_id, client.id).form
    assert (kept.name, kept.line1, kept.city, kept.country) == (
        "Amelia Hart",
        "1 Bond Street",
        "London",
        "GB",
    )


def test_the_clients_checks_speak_beside_the_composers_fields() -> None:
    values = CustomerValues(
        contact_id=None,
        name="Amelia Hart",
        email="amelia@",
        address=PostalAddress(line1="1 Bond Street", country="GB"),
        save_as_client=True,
    )
    assert customer_errors(check_client(client_input(values))) == {
        "customer_email": "Enter an email address like name@example.com",
        "customer_address.city": "Enter the city",
    }
