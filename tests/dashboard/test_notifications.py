"""A buyer pays on the simulator's hosted page; the poller picks it up and the dealer is told,
by name and amount: in a tray message where the platform has a tray, else in a bar across
the window. Clicking it selects the invoice. A failed payment and an overdue invoice are
told too; with notifications off, nothing is."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from invoice_window import settled
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import format_money
from tracker_desktop.services.inventory.watch_service import WatchForm
from tracker_desktop.services.invoicing.invoice_service import DraftInput, DraftLineInput
from tracker_desktop.ui.invoices.page import InvoicesPage

DECLINED = "4000000000000002"


class StandInTray(QObject):
    """Where Qt has no tray (offscreen), what the app would hand QSystemTrayIcon."""

    messageClicked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[tuple[str, str]] = []

    def showMessage(
        self, title: str, msg: str, icon: QSystemTrayIcon.MessageIcon, msecs: int
    ) -> None:
        self.messages.append((title, msg))


def sent_invoice(qtbot: QtBot, app: Any, client: str, price_minor: int) -> tuple[int, str]:
    """An open invoice in Practice mode for one watch: (local id, Stripe id)."""
    services = app.services
    qtbot.waitUntil(lambda: app.window.sync_label.text().startswith("Synced"), timeout=10_000)
    profile_id = services.base.active.id
    watch = services.inventory.add(
        profile_id,
        WatchForm(brand="Omega", model="Speedmaster", serial=f"NOTE-{price_minor}",
                  asking_price="6,900", purchase_cost="4,100"),
    )  # fmt: skip
    invoice_id = services.invoices.save_draft(
        profile_id,
        DraftInput(
            currency="USD",
            customer_name=client,
            customer_email="buyer@example.ch",
            lines=[DraftLineInput(watch.line_description, 1, Money(price_minor, "USD"), watch.id)],
        ),
    )
    pushed = asyncio.ensure_future(services.invoices.push(profile_id, invoice_id))
    qtbot.waitUntil(pushed.done, timeout=10_000)
    return invoice_id, pushed.result().stripe_invoice_id


def buyer(app: Any, path: str, payload: dict[str, Any]) -> None:
    base = app.services.gateways.practice_base_url
    answer = httpx.post(f"{base}/_sandbox/{path}", json=payload, timeout=10)
    assert answer.status_code == 200, answer.text


def sync_now(qtbot: QtBot, app: Any) -> None:
    qtbot.keyClick(app.window, Qt.Key.Key_F5)


def test_a_paid_invoice_is_told_in_the_bar_and_its_click_selects_the_invoice(
    qtbot: QtBot, start_app: Any
) -> None:
    app = start_app(practice=True)
    center = app.notices
    assert center.tray is None  # offscreen: Qt has no tray, so the window's bar it is
    invoice_id, stripe_id = sent_invoice(qtbot, app, "Hans Keller", 690_000)
    assert center.shown == []  # sent, not paid: nothing to tell

    buyer(app, f"invoices/{stripe_id}/pay_as_buyer", {"card": "4242424242424242"})
    sync_now(qtbot, app)
    qtbot.waitUntil(lambda: center.shown != [], timeout=10_000)
    bar = center.bar
    assert bar.isVisible()
    amount = format_money(Money(690_000, "USD"), app.services.base.locale())
    assert "Hans Keller" in bar.banner.text()
    assert amount in bar.banner.text()
    assert bar.banner.text().startswith("Paid: Hans Keller")

    app.window.show_page("dashboard")
    bar.open_button.click()
    invoices = app.window.page("invoices")
    assert isinstance(invoices, InvoicesPage)
    assert app.window.stack.currentWidget() is invoices
    qtbot.waitUntil(lambda: settled(invoices) and invoices.selected_id() == invoice_id)
    assert not bar.isVisible()
    assert [n.invoice_id for n in center.shown] == [invoice_id]  # told once


def test_a_tray_message_names_client_and_amount_and_its_click_selects_the_invoice(
    qtbot: QtBot, start_app: Any
) -> None:
    app = start_app(practice=True)
    if QSystemTrayIcon.isSystemTrayAvailable():
        pytest.skip("a real tray exists here; the stand-in is only for where there is none")
    center = app.notices
    tray = StandInTray()
    center.set_tray(tray)
    invoice_id, stripe_id = sent_invoice(qtbot, app, "Ingrid Lindqvist", 1_250_000)
    buyer(app, f"invoices/{stripe_id}/pay_as_buyer", {"card": "4242424242424242"})
    sync_now(qtbot, app)
    qtbot.waitUntil(lambda: tray.messages != [], timeout=10_000)
    title, text = tray.messages[0]
    assert title == "Paid: Ingrid Lindqvist"
    assert format_money(Money(1_250_000, "USD"), app.services.base.locale()) in text
    assert not center.bar.isVisible()  # the tray says it; the window does not repeat it

    tray.messageClicked.emit()  # the dealer clicks the message
    invoices = app.window.page("invoices")
    assert isinstance(invoices, InvoicesPage)
    qtbot.waitUntil(lambda: settled(invoices) and invoices.selected_id() == invoice_id)


def test_a_failed_payment_and_an_overdue_invoice_are_told_and_off_means_silent(
    qtbot: QtBot, start_app: Any
) -> None:
    app = start_app(practice=True)
    center = app.notices
    invoice_id, stripe_id = sent_invoice(qtbot, app, "Björn Ødegaard", 480_000)
    buyer(app, f"invoices/{stripe_id}/pay_as_buyer", {"card": DECLINED})
    sync_now(qtbot, app)
    qtbot.waitUntil(lambda: center.shown != [], timeout=10_000)
    failed = center.shown[0]
    assert (failed.kind, failed.invoice_id, failed.client) == ("payment_failed", invoice_id,
                                                               "Björn Ødegaard")  # fmt: skip
    assert failed.amount == Money(480_000, "USD")
    assert "Payment failed: Björn Ødegaard" in center.bar.banner.text()

    buyer(app, "clock", {"advance_seconds": 20 * 86_400})  # past the due date
    sync_now(qtbot, app)
    qtbot.waitUntil(lambda: len(center.shown) == 2, timeout=10_000)
    assert center.shown[1].kind == "overdue"
    assert "Overdue: Björn Ødegaard" in center.bar.banner.text()

    heard: list[Any] = []  # every notice the service hands on, after the window's listener
    app.services.notices.listen(heard.append)
    app.services.base.settings.notifications = False  # as the Settings switch sets it
    _other_id, other_stripe = sent_invoice(qtbot, app, "Chloé Fontaine", 99_000)
    buyer(app, f"invoices/{other_stripe}/pay_as_buyer", {"card": "4242424242424242"})
    sync_now(qtbot, app)
    qtbot.waitUntil(lambda: any(n.client == "Chloé Fontaine" for n in heard), timeout=10_000)
    assert len(center.shown) == 2  # the window heard it too, and showed nothing
    assert "Chloé" not in center.bar.banner.text()
