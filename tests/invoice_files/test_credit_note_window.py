"""Issuing a credit note from the Invoices window, on the real dialog, the app's services and
the simulator over HTTP: per line on an open invoice, whole with a refund and the watch
back on a paid one, a wire-paid invoice settled outside Stripe, bad input beside its field,
Stripe's refusal in its own words, and a lost answer finished by Retry (one credit note)."""

from __future__ import annotations

import asyncio

from invoice_window import settled, show_invoice
from modal_dialogs import shown_dialog
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from tracker_desktop.db.repositories.watches import WatchFields, add_watch
from tracker_desktop.domain.invoice_state import Action, InvoiceState
from tracker_desktop.domain.money import Money
from tracker_desktop.sandbox import Sandbox
from tracker_desktop.services.credit.values import CreditNoteState
from tracker_desktop.services.invoicing.invoice_service import DraftInput, DraftLineInput
from tracker_desktop.ui.invoices.credit_dialog import CreditNoteDialog

from .conftest import Desk
from .test_invoices_window_files import pushed

PRICE, STRAP = 2_450_000, 35_000


def _watch_sale(desk: Desk, serial: str) -> tuple[DraftInput, int]:
    with desk.services.base.session_factory() as s, s.begin():
        watch_id = add_watch(
            s,
            desk.profile_id,
            WatchFields(brand="Omega", model="Speedmaster", serial=serial, currency="USD"),
        ).id
    draft = DraftInput(
        currency="USD",
        lines=[
            DraftLineInput("Omega Speedmaster 310.30", 1, Money(PRICE, "USD"), watch_id),
            DraftLineInput("Leather strap", 1, Money(STRAP, "USD")),
        ],
        customer_name="Amelia Hart",
        customer_email="amelia@example.com",
    )
    return draft, watch_id


def _open_dialog(qtbot: QtBot, desk: Desk, invoice_id: int) -> CreditNoteDialog:
    page = desk.invoices
    show_invoice(qtbot, page, invoice_id)
    button = page.detail.credit_button
    assert button.isVisible()
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return shown_dialog(qtbot, CreditNoteDialog)


def _issue(qtbot: QtBot, desk: Desk, dialog: CreditNoteDialog) -> None:
    closed: list[int] = []
    dialog.finished.connect(closed.append)  # then deleted: Qt owns it no more
    qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed == [1], timeout=15_000)
    qtbot.waitUntil(lambda: settled(desk.invoices) and not desk.invoices.runner.busy)


def _pay_by_card(qtbot: QtBot, desk: Desk, sandbox: Sandbox, invoice_id: int) -> None:
    service = desk.services.invoices
    sandbox.pay_as_buyer(service.get(desk.profile_id, invoice_id).stripe_invoice_id or "")
    task = asyncio.ensure_future(service.refresh(desk.profile_id, invoice_id))
    qtbot.waitUntil(task.done, timeout=15_000)
    assert service.get(desk.profile_id, invoice_id).state is InvoiceState.PAID


def _stripe_notes(qtbot: QtBot, desk: Desk, invoice_id: int) -> list[object]:
    stripe_id = desk.services.invoices.get(desk.profile_id, invoice_id).stripe_invoice_id
    gateway = desk.services.gateways.gateway(desk.profile_id)
    task = asyncio.ensure_future(gateway.list_credit_notes(stripe_id or ""))
    qtbot.waitUntil(task.done, timeout=15_000)
    return list(task.result())


def test_per_line_on_an_open_invoice_with_bad_input_beside_the_field(
    qtbot: QtBot, desk: Desk
) -> None:
    draft, _watch = _watch_sale(desk, "OM-LINE-1")
    invoice_id = pushed(qtbot, desk, draft)
    dialog = _open_dialog(qtbot, desk, invoice_id)
    assert not dialog.refund.isEnabled()  # nothing paid: it lowers what is owed

    strap = dialog.rows[1]
    strap.pick.setChecked(True)
    assert dialog.per_line.isChecked()
    qtbot.keyClicks(strap.amount, "12,3x")
    qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    assert strap.error.isVisible()
    assert strap.error.text()
    assert desk.services.credit_notes.for_invoice(desk.profile_id, invoice_id) == ()

    strap.amount.setText("500.00")  # more than the line
    qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: strap.error.text().startswith("At most"), timeout=10_000)
    assert dialog.isVisible()

    strap.amount.setText("150.00")
    _issue(qtbot, desk, dialog)
    detail = desk.invoices.detail.detail
    assert detail is not None
    assert detail.amount_remaining == Money(PRICE + STRAP - 15_000, "USD")
    assert "Credited <b>$150.00</b>" in desk.invoices.detail.summary.text()
    assert "Credit note issued" in desk.invoices.detail.timeline.text()
    assert len(_stripe_notes(qtbot, desk, invoice_id)) == 1


def test_whole_paid_invoice_refunded_with_the_watch_back_by_shortcut(
    qtbot: QtBot, desk: Desk, sandbox: Sandbox
) -> None:
    draft, watch_id = _watch_sale(desk, "OM-WHOLE-1")
    invoice_id = pushed(qtbot, desk, draft)
    _pay_by_card(qtbot, desk, sandbox, invoice_id)
    page = desk.invoices
    show_invoice(qtbot, page, invoice_id)
    page.activateWindow()
    qtbot.keyClick(
        page, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    dialog = shown_dialog(qtbot, CreditNoteDialog)
    assert dialog.whole.isChecked()
    assert dialog.refund.isChecked()
    restock = dialog.rows[0].restock
    assert restock is not None
    assert dialog.rows[1].restock is None  # the strap is no watch
    restock.setChecked(True)
    _issue(qtbot, desk, dialog)

    [note] = desk.services.credit_notes.for_invoice(desk.profile_id, invoice_id)
    assert note.refunded == note.total == Money(PRICE + STRAP, "USD")
    assert desk.services.inventory.get(desk.profile_id, watch_id).status.value == "in_stock"
    summary = page.detail.summary.text()
    assert "refunded $24,850.00" in summary
    assert "net <b>$0.00</b>" in summary
    assert not page.detail.credit_button.isEnabled()  # nothing left to credit


def test_wire_paid_is_returned_outside_stripe(qtbot: QtBot, desk: Desk) -> None:
    draft, _watch = _watch_sale(desk, "OM-WIRE-1")
    invoice_id = pushed(qtbot, desk, draft)
    service = desk.services.invoices
    task = asyncio.ensure_future(service.record_wire(desk.profile_id, invoice_id, "UBS 77"))
    qtbot.waitUntil(task.done, timeout=15_000)
    dialog = _open_dialog(qtbot, desk, invoice_id)
    assert not dialog.refund.isEnabled()
    assert dialog.outside.isChecked()
    _issue(qtbot, desk, dialog)
    [note] = desk.services.credit_notes.for_invoice(desk.profile_id, invoice_id)
    assert note.out_of_band == note.total


def test_stripes_refusal_is_shown_in_the_dialog(qtbot: QtBot, desk: Desk, sandbox: Sandbox) -> None:
    draft, _watch = _watch_sale(desk, "OM-REFUSE-1")
    invoice_id = pushed(qtbot, desk, draft)
    dialog = _open_dialog(qtbot, desk, invoice_id)
    # Paid on the buyer's side a moment ago; the window still shows it open.
    sandbox.pay_as_buyer(
        desk.services.invoices.get(desk.profile_id, invoice_id).stripe_invoice_id or ""
    )
    qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.message.isVisible, timeout=15_000)
    [note] = desk.services.credit_notes.for_invoice(desk.profile_id, invoice_id)
    assert note.state is CreditNoteState.REFUSED
    assert dialog.message.text() == note.last_error  # Stripe's reason, as Stripe gave it
    assert dialog.isVisible()
    assert _stripe_notes(qtbot, desk, invoice_id) == []


def test_lost_answer_then_retry_from_the_window_makes_one(
    qtbot: QtBot, desk: Desk, sandbox: Sandbox
) -> None:
    draft, _watch = _watch_sale(desk, "OM-LOST-1")
    invoice_id = pushed(qtbot, desk, draft)
    _pay_by_card(qtbot, desk, sandbox, invoice_id)
    dialog = _open_dialog(qtbot, desk, invoice_id)
    # The app's gateway retries twice itself (same key): all three answers are lost.
    sandbox.inject_faults(
        next=3, kinds=["drop"], phase="after", methods=["POST"], path_prefix="/v1/credit_notes"
    )
    qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.message.isVisible, timeout=30_000)
    sandbox.clear_faults()
    assert "Retry credit note" in dialog.message.text()
    dialog.reject()

    page = desk.invoices
    qtbot.waitUntil(lambda: page.detail.credit_button.text() == "Retry credit note", timeout=10_000)
    qtbot.mouseClick(page.detail.credit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: page.detail.credit_button.text() == "Issue credit note…", timeout=15_000
    )
    [note] = desk.services.credit_notes.for_invoice(desk.profile_id, invoice_id)
    assert note.state is CreditNoteState.ISSUED
    assert [n.id for n in _stripe_notes(qtbot, desk, invoice_id)] == [note.stripe_credit_note_id]  # type: ignore[attr-defined]


def test_the_lists_menu_offers_a_credit_note(qtbot: QtBot, desk: Desk) -> None:
    draft, _watch = _watch_sale(desk, "OM-MENU-1")
    invoice_id = pushed(qtbot, desk, draft)
    page = desk.invoices
    show_invoice(qtbot, page, invoice_id)
    menus: list[QMenu] = []
    page.links.menu_shown.connect(menus.append)
    rect = page.table.visualRect(page.table.currentIndex())
    page.table.customContextMenuRequested.emit(rect.center())
    qtbot.waitUntil(lambda: bool(menus))
    entry = next(a for a in menus[0].actions() if a.text() == "Issue credit note…")
    assert entry.isEnabled()
    entry.trigger()
    dialog = shown_dialog(qtbot, CreditNoteDialog)
    menus[0].close()
    dialog.reject()
    _ = Action
