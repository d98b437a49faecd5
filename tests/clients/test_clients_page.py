"""The Clients window driven like a dealer would: keys and clicks on real widgets, a real
SQLite file and the simulator over HTTP. Assertions read what is on screen."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Contact, Invoice
from tracker_desktop.domain.stripe_types import CustomerDraft
from tracker_desktop.services.clients.client_service import ClientInput
from tracker_desktop.ui.bridge import QtEventBridge
from tracker_desktop.ui.clients.form import ClientDialog
from tracker_desktop.ui.clients.page import ClientsPage
from tracker_desktop.ui.clients.table_model import COL_NAME, COL_PHONE, COL_STRIPE

from .conftest import World, make_world, save_a_card

T = TypeVar("T")


@pytest.fixture
def page(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, world: World
) -> Iterator[ClientsPage]:
    yield build_page(qtbot, world)
    close = asyncio.ensure_future(world.gateways.close_all())
    qtbot.waitUntil(close.done, timeout=5000)


def build_page(qtbot: QtBot, world: World) -> ClientsPage:
    bridge = QtEventBridge(world.hub)
    made = ClientsPage(world.services, lambda: world.profile_id, bridge, retry_interval_ms=150)
    bridge.setParent(made)
    qtbot.addWidget(made)
    made.resize(1200, 640)
    made.show()
    made.activateWindow()  # shortcuts such as Ctrl+N go to the active window
    qtbot.waitUntil(made.isActiveWindow)
    qtbot.waitUntil(lambda: not made.loading)  # the rows are read off the GUI thread
    return made


def run_async(qtbot: QtBot, coro: Coroutine[Any, Any, T]) -> T:
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=10_000)
    return task.result()


def cell(page: ClientsPage, row: int, column: int) -> str:
    return str(page.model.index(row, column).data())


def stripe_customers(world: World) -> list[dict[str, Any]]:
    sim = world.sandbox.world
    with sim.lock:
        return [dict(c) for c in sim.account(world.key).customers.values()]


def open_new_form(qtbot: QtBot, page: ClientsPage) -> ClientDialog:
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = page.actions_.dialog
    assert dialog is not None
    assert dialog.windowTitle() == "New client"
    return dialog


def type_client(qtbot: QtBot, dialog: ClientDialog, **values: str) -> None:
    for key, text in values.items():
        if key == "country":
            dialog.country.setCurrentIndex(dialog.country.findData(text))
            continue
        edit = dialog.edits[key]
        edit.clear()
        qtbot.keyClicks(edit, text)


def press_save(qtbot: QtBot, dialog: ClientDialog) -> None:
    qtbot.keyClick(dialog.edits["name"], Qt.Key.Key_Return)


def add_linked_client(qtbot: QtBot, page: ClientsPage, name: str = "Ada Reinholt") -> None:
    dialog = open_new_form(qtbot, page)
    assert dialog.create_in_stripe.isChecked()
    type_client(
        qtbot,
        dialog,
        name=name,
        email="ada@reinholt.ch",
        line1="Rue du Rhone 48",
        city="Geneva",
        postal_code="1204",
        country="CH",
    )
    press_save(qtbot, dialog)
    qtbot.waitUntil(lambda: page.actions_.dialog is None, timeout=5000)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and cell(page, 0, COL_STRIPE) == "Linked")


def test_new_client_by_keyboard_is_created_in_stripe_and_opens_in_the_dashboard(
    qtbot: QtBot, page: ClientsPage, world: World, browser_urls: list[str]
) -> None:
    add_linked_client(qtbot, page)
    (customer,) = stripe_customers(world)
    assert customer["email"] == "ada@reinholt.ch"
    assert customer["address"]["city"] == "Geneva"
    assert customer["metadata"]["tracker_client_id"] == str(page.model.row_at(0).id)
    assert page.panel.customer_id.text() == f"Customer {customer['id']}"
    assert page.panel.payment_method.text() == "No saved payment method"
    qtbot.mouseClick(page.panel.dashboard_button, Qt.MouseButton.LeftButton)
    assert browser_urls == [f"https://dashboard.stripe.com/test/customers/{customer['id']}"]
    assert page.count_label.text() == "1 client"


def test_form_shows_each_error_beside_its_field_and_saves_nothing(
    qtbot: QtBot, page: ClientsPage
) -> None:
    dialog = open_new_form(qtbot, page)
    type_client(qtbot, dialog, email="ada@", line1="Rue du Rhone 48")
    press_save(qtbot, dialog)
    assert dialog.error_text("name") == "Enter the client's name"
    assert "name@example.com" in dialog.error_text("email")
    assert dialog.error_text("city") == "Enter the city"
    assert dialog.error_text("country") == "Choose a country"
    assert dialog.focusWidget() is dialog.edits["name"]
    assert page.model.total_count() == 0
    qtbot.keyClick(dialog.edits["email"], Qt.Key.Key_Escape)
    assert page.actions_.dialog is None
    assert page.count_label.text() == "0 clients"


def test_editing_a_linked_client_sends_the_change(
    qtbot: QtBot, page: ClientsPage, world: World
) -> None:
    add_linked_client(qtbot, page)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    dialog = page.actions_.dialog
    assert dialog is not None
    assert dialog.edits["email"].text() == "ada@reinholt.ch"
    type_client(qtbot, dialog, phone="+41 22 310 00 00")
    press_save(qtbot, dialog)
    qtbot.waitUntil(lambda: page.actions_.dialog is None, timeout=5000)
    qtbot.waitUntil(lambda: cell(page, 0, COL_PHONE) == "+41 22 310 00 00")
    assert stripe_customers(world)[0]["phone"] == "+41 22 310 00 00"
    qtbot.waitUntil(lambda: cell(page, 0, COL_STRIPE) == "Linked")
    assert "sent it to Stripe" in page.message.text()


def test_offline_edit_waits_as_needs_sync_then_syncs_by_itself(
    qtbot: QtBot, page: ClientsPage, world: World
) -> None:
    add_linked_client(qtbot, page)
    world.sandbox.inject_faults(next=1000, kinds=["drop"], phase="before")
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    dialog = page.actions_.dialog
    assert dialog is not None
    type_client(qtbot, dialog, city="Carouge")
    press_save(qtbot, dialog)
    qtbot.waitUntil(lambda: page.actions_.dialog is None, timeout=5000)
    assert "sent to Stripe automatically" in page.message.text()
    qtbot.waitUntil(lambda: cell(page, 0, COL_STRIPE) == "Needs sync")
    assert "Waiting to send to Stripe" in page.panel.state.text()
    world.sandbox.clear_faults()
    qtbot.waitUntil(lambda: cell(page, 0, COL_STRIPE) == "Linked", timeout=5000)
    assert stripe_customers(world)[0]["address"]["city"] == "Carouge"
    assert len(stripe_customers(world)) == 1


def test_stripe_refusal_is_shown_in_the_form_and_the_edit_is_kept(
    qtbot: QtBot, page: ClientsPage, world: World
) -> None:
    saved = world.services.clients.save(world.profile_id, None, ClientInput(name="Ben Okafor"))
    with session_scope(world.sessions, write=True) as session:
        session.get(Contact, saved.id).stripe_customer_id = "cus_MadeWithAnotherKey"  # type: ignore[union-attr]
    page.reload()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and cell(page, 0, COL_STRIPE) == "Linked")
    page.select_client(saved.id)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    dialog = page.actions_.dialog
    assert dialog is not None
    type_client(qtbot, dialog, phone="+44 20 7946 0000")
    press_save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.form_error.isHidden(), timeout=5000)
    assert "Stripe refused it" in dialog.form_error.text()
    assert "No such customer" in dialog.form_error.text()
    assert page.actions_.dialog is dialog  # still open, nothing typed is lost
    qtbot.waitUntil(lambda: cell(page, 0, COL_STRIPE) == "Stripe refused")
    assert cell(page, 0, COL_PHONE) == "+44 20 7946 0000"


def answer_prompt(qtbot: QtBot, page: ClientsPage, button_text: str) -> None:
    prompt = page.actions_.prompt
    assert prompt is not None
    (button,) = [b for b in prompt.buttons() if b.text() == button_text]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.actions_.prompt is None)


def test_delete_asks_first_and_is_refused_for_a_client_with_invoices(
    qtbot: QtBot, page: ClientsPage, world: World
) -> None:
    clients = world.services.clients
    ada = clients.save(world.profile_id, None, ClientInput(name="Ada Reinholt"))
    ben = clients.save(world.profile_id, None, ClientInput(name="Ben Okafor"))
    with session_scope(world.sessions, write=True) as session:
        session.add(
            Invoice(
                uuid=str(uuid.uuid4()),
                profile_id=world.profile_id,
                contact_id=ada.id,
                currency="CHF",
            )
        )
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    page.select_client(ada.id)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    answer_prompt(qtbot, page, "Delete")
    assert "Ada Reinholt has 1 invoice, so they cannot be deleted" in page.message.text()
    page.select_client(ben.id)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    answer_prompt(qtbot, page, "Cancel")
    assert page.model.rowCount() == 2
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    answer_prompt(qtbot, page, "Delete")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert cell(page, 0, COL_NAME) == "Ada Reinholt"


def test_unlink_removes_only_the_local_link(qtbot: QtBot, page: ClientsPage, world: World) -> None:
    add_linked_client(qtbot, page)
    qtbot.mouseClick(page.panel.unlink_button, Qt.MouseButton.LeftButton)
    prompt = page.actions_.prompt
    assert isinstance(prompt, QMessageBox)
    assert "not deleted in Stripe" in prompt.text()
    answer_prompt(qtbot, page, "Unlink")
    qtbot.waitUntil(lambda: cell(page, 0, COL_STRIPE) == "Not in Stripe")
    assert len(stripe_customers(world)) == 1
    assert page.panel.create_button.isVisible()


def test_saved_card_shows_in_words_after_a_refresh(
    qtbot: QtBot, page: ClientsPage, world: World
) -> None:
    add_linked_client(qtbot, page)
    customer_id = stripe_customers(world)[0]["id"]
    run_async(qtbot, save_a_card(world, customer_id))
    qtbot.mouseClick(page.panel.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.panel.payment_method.text() == "Payment method: Visa ending 4242")
    qtbot.waitUntil(lambda: cell(page, 0, COL_STRIPE) == "Linked · Visa ending 4242")


def test_import_shows_progress_and_reports_and_resumes_after_a_failure(
    qtbot: QtBot, page: ClientsPage, world: World
) -> None:
    world.services.clients.save(
        world.profile_id, None, ClientInput(name="Ada Reinholt", email="ada@reinholt.ch")
    )

    async def seed() -> None:
        gw = world.gateway()
        drafts = [CustomerDraft(name=f"Collector {i}", email=f"c{i}@example.com") for i in range(4)]
        drafts.append(CustomerDraft(name="A. Reinholt", email="Ada@Reinholt.ch"))
        for i, draft in enumerate(drafts):
            await gw.create_customer(draft, idempotency_key=f"seed-{world.key}-{i}")

    run_async(qtbot, seed())
    shown: list[bool] = []
    page.import_bar.progress.valueChanged.connect(lambda _v: shown.append(True))
    world.sandbox.inject_faults(
        next=1, kinds=["drop"], methods=["GET"], path_prefix="/v1/customers"
    )
    # The first page read fails at once: nothing imported, the dealer is told to try again.
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert page.import_bar.isVisible()
    qtbot.waitUntil(lambda: page.import_bar.isHidden(), timeout=5000)
    assert "Stopped: Stripe could not be reached" in page.message.text()
    world.sandbox.clear_faults()
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.import_bar.isHidden(), timeout=5000)
    assert page.message.text().startswith(
        "Read 5 Stripe customers: 1 linked by email, 4 new clients, 0 skipped."
    )
    qtbot.waitUntil(lambda: page.model.rowCount() == 5)
    assert page.count_label.text() == "5 clients"


def test_search_by_keyboard_filters_the_table(
    qtbot: QtBot, page: ClientsPage, world: World
) -> None:
    for name, city in (
        ("Ada Reinholt", "Geneva"),
        ("Ben Okafor", "London"),
        ("Chen Wei", "Hong Kong"),
    ):
        world.services.clients.save(
            world.profile_id,
            None,
            ClientInput(name=name, city=city, line1="1 Main St", country="CH"),
        )
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "lond")
    assert [cell(page, r, COL_NAME) for r in range(page.model.rowCount())] == ["Ben Okafor"]
    assert page.count_label.text() == "1 of 3 clients"
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert page.table.hasFocus()


def test_a_profile_without_a_key_says_so_and_points_to_settings(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, world: World
) -> None:
    keyless = make_world(world.sessions, world.sandbox, with_key=False)
    page = build_page(qtbot, keyless)
    assert page.key_banner.isVisible()
    assert "has no Stripe key yet. Add one in Settings." in page.key_message.text()
    assert page.settings_button.isVisible()
    assert not page.import_button.isEnabled()
    dialog = open_new_form(qtbot, page)
    assert not dialog.create_in_stripe.isVisible()
    type_client(qtbot, dialog, name="Dana Brooks")
    press_save(qtbot, dialog)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert cell(page, 0, COL_STRIPE) == "Not in Stripe"


def test_window_shows_at_once_says_loading_then_fills_the_table(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, world: World
) -> None:
    for name in ("Chen Wei", "Ada Reinholt", "Ben Okafor"):
        world.services.clients.save(world.profile_id, None, ClientInput(name=name))
    made = ClientsPage(world.services, lambda: world.profile_id)
    qtbot.addWidget(made)
    made.show()
    # Built and shown before any row was read: the read runs in a worker thread.
    assert made.count_label.text() == "Loading clients…"
    assert made.model.rowCount() == 0
    with qtbot.waitSignal(made.rows_loaded, timeout=5000) as loaded:
        pass
    assert loaded.args == [3]
    assert [cell(made, r, COL_NAME) for r in range(3)] == ["Ada Reinholt", "Ben Okafor", "Chen Wei"]
    assert made.count_label.text() == "3 clients"


def test_email_stripe_refuses_is_shown_beside_the_field_and_the_client_kept(
    qtbot: QtBot, page: ClientsPage, world: World
) -> None:
    dialog = open_new_form(qtbot, page)
    assert dialog.create_in_stripe.isChecked()
    # The local check lets a doubled dot through; Stripe refuses it.
    type_client(qtbot, dialog, name="Ada Reinholt", email="ada..reinholt@example.com")
    press_save(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.error_text("email") != "", timeout=5000)
    assert "Invalid email address: ada..reinholt@example.com" in dialog.error_text("email")
    assert dialog.form_error.text() == "Saved here, but Stripe refused it (see below)."
    assert page.actions_.dialog is dialog  # still open with what was typed
    assert dialog.edits["email"].text() == "ada..reinholt@example.com"
    qtbot.waitUntil(
        lambda: page.model.rowCount() == 1 and cell(page, 0, COL_STRIPE) == "Stripe refused"
    )
    assert cell(page, 0, COL_NAME) == "Ada Reinholt"
    assert stripe_customers(world) == []
    # Corrected in the same form, the client reaches Stripe.
    type_client(qtbot, dialog, email="ada.reinholt@example.com")
    press_save(qtbot, dialog)
    qtbot.waitUntil(lambda: page.actions_.dialog is None, timeout=5000)
    qtbot.waitUntil(lambda: cell(page, 0, COL_STRIPE) == "Linked")
    assert [c["email"] for c in stripe_customers(world)] == ["ada.reinholt@example.com"]


def test_a_client_saved_while_the_rows_are_read_still_shows(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, world: World
) -> None:
    bridge = QtEventBridge(world.hub)
    made = ClientsPage(world.services, lambda: world.profile_id, bridge)
    bridge.setParent(made)
    qtbot.addWidget(made)
    made.show()
    assert made.loading
    # Saved before the first read has landed: the page reads again once it does.
    world.services.clients.save(world.profile_id, None, ClientInput(name="Ada Reinholt"))
    qtbot.waitUntil(lambda: not made.loading, timeout=5000)
    assert made.count_label.text() == "1 client"
    assert cell(made, 0, COL_NAME) == "Ada Reinholt"
