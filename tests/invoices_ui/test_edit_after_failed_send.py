"""In the Invoices window: a send whose create-invoice answer was lost, then Edit. Stripe's
unfinished draft is removed before the composer opens, and sending the edit leaves one live
invoice in Stripe with the edited memo. Delete does the same cleanup."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from invoice_window import settled, show_invoice
from modal_dialogs import answer_question
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tracker_desktop.domain.invoice_state import Action
from tracker_desktop.domain.money import Money
from tracker_desktop.sandbox import Sandbox
from tracker_desktop.services.invoicing.invoice_service import DraftInput, DraftLineInput, PushStep
from tracker_desktop.ui.invoices.composer import ComposerDialog
from tracker_desktop.ui.invoices.table_model import COL_STATUS

from .conftest import Desk


def _failed_send(qtbot: QtBot, desk: Desk, sandbox: Sandbox) -> int:
    service = desk.invoices._invoices
    draft = DraftInput(
        currency="USD",
        lines=[DraftLineInput("Grand Seiko SBGA211", 1, Money(590_000, "USD"), None)],
        customer_name="Mina Park",
        customer_email="mina@example.com",
        memo="Deposit received",
    )
    invoice_id = service.save_draft(desk.profile_id, draft)

    def strike(step: PushStep) -> None:
        if step is PushStep.CREATE_INVOICE:
            # The app retries twice itself: all three answers are lost.
            sandbox.inject_faults(next=3, kinds=["drop"], phase="after", methods=["POST"])

    push = asyncio.ensure_future(service.push(desk.profile_id, invoice_id, strike))
    qtbot.waitUntil(push.done, timeout=15000)
    sandbox.clear_faults()
    assert push.exception() is not None
    desk.invoices.reload()
    qtbot.waitUntil(lambda: settled(desk.invoices) and desk.invoices.model.rowCount() == 1)
    assert desk.invoices.model.index(0, COL_STATUS).data() == "Not sent"
    show_invoice(qtbot, desk.invoices, invoice_id)
    return invoice_id


def _stripe_invoices(sandbox: Sandbox, key: str) -> list[dict[str, object]]:
    resp = httpx.get(
        f"{sandbox.base_url}/v1/invoices", headers={"Authorization": f"Bearer {key}"}, timeout=10
    )
    data: list[dict[str, object]] = resp.json()["data"]
    return data


def test_edit_after_a_lost_answer_sends_one_edited_invoice(
    qtbot: QtBot, desk: Desk, sandbox: Sandbox, sim_profile: object, browser_urls: list[str]
) -> None:
    key = sim_profile.key  # type: ignore[attr-defined]
    _failed_send(qtbot, desk, sandbox)
    assert len(_stripe_invoices(sandbox, key)) == 1  # Stripe holds a draft the app never saw
    detail = desk.invoices.detail
    assert detail.buttons[Action.EDIT_DRAFT].isEnabled()

    with qtbot.waitSignal(desk.invoices.composer_opened, timeout=15000) as opened:
        qtbot.mouseClick(detail.buttons[Action.EDIT_DRAFT], Qt.MouseButton.LeftButton)
    composer = opened.args[0]
    assert isinstance(composer, ComposerDialog)
    assert _stripe_invoices(sandbox, key) == []  # removed before the edit began
    composer.memo.clear()
    qtbot.keyClicks(composer.memo, "Paid in full, thank you")
    qtbot.mouseClick(composer.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(browser_urls), timeout=15000)

    live = _stripe_invoices(sandbox, key)
    assert [(i["status"], i["description"]) for i in live] == [("open", "Paid in full, thank you")]
    qtbot.waitUntil(lambda: desk.invoices.model.index(0, COL_STATUS).data() == "Open")


def test_delete_after_a_lost_answer_removes_stripes_draft_too(
    qtbot: QtBot,
    desk: Desk,
    sandbox: Sandbox,
    sim_profile: object,
) -> None:
    key = sim_profile.key  # type: ignore[attr-defined]
    _failed_send(qtbot, desk, sandbox)
    qtbot.mouseClick(desk.invoices.detail.buttons[Action.DELETE_DRAFT], Qt.MouseButton.LeftButton)
    asked = answer_question(qtbot)

    qtbot.waitUntil(lambda: desk.invoices.model.rowCount() == 0, timeout=15000)
    assert "unfinished copy in Stripe is deleted too" in asked
    assert _stripe_invoices(sandbox, key) == []


@pytest.mark.parametrize("change_memo", [False, True])
def test_composer_after_a_lost_answer_retries_or_takes_back(
    qtbot: QtBot,
    desk: Desk,
    sandbox: Sandbox,
    sim_profile: object,
    browser_urls: list[str],
    change_memo: bool,
) -> None:
    """The composer stays open after a failed send. Sending it unchanged is a retry (same
    identity); changing it first removes Stripe's unfinished copy. Either way: one invoice."""
    key = sim_profile.key  # type: ignore[attr-defined]
    with qtbot.waitSignal(desk.invoices.composer_opened) as opened:
        qtbot.mouseClick(desk.invoices.new_button, Qt.MouseButton.LeftButton)
    composer = opened.args[0]
    assert isinstance(composer, ComposerDialog)
    qtbot.keyClicks(composer.customer.name, "Luis Ortega")
    qtbot.keyClicks(composer.customer.email, "luis@example.com")
    qtbot.keyClicks(composer.memo, "Thank you")
    qtbot.mouseClick(composer.add_line_button, Qt.MouseButton.LeftButton)
    line = composer.lines.rows[0]
    qtbot.keyClicks(line.description, "Oris Aquis Date")
    qtbot.keyClicks(line.price, "2100")
    sandbox.inject_faults(
        next=3, kinds=["drop"], phase="after", methods=["POST"], path_prefix="/v1/invoices"
    )
    qtbot.mouseClick(composer.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(composer.retry_button.isVisible, timeout=15000)
    sandbox.clear_faults()
    assert composer.invoice_id is not None
    uuid_before = _uuid(desk, composer.invoice_id)

    if change_memo:
        composer.memo.clear()
        qtbot.keyClicks(composer.memo, "Thank you, collected in store")
    qtbot.mouseClick(composer.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(browser_urls), timeout=15000)

    memo = "Thank you, collected in store" if change_memo else "Thank you"
    live = _stripe_invoices(sandbox, key)
    assert [(i["status"], i["description"]) for i in live] == [("open", memo)]
    assert (_uuid(desk, composer.invoice_id) != uuid_before) is change_memo


def _uuid(desk: Desk, invoice_id: int) -> str:
    from tracker_desktop.db.models import Invoice

    with desk.services.base.session_factory() as session:
        invoice = session.get(Invoice, invoice_id)
        assert invoice is not None
        return invoice.uuid
