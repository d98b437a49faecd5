"""The running app keeps one poller on the active profile: a buyer's payment on the hosted
page reaches the Invoices and Watches windows through "Sync now"."""

from __future__ import annotations

from typing import Any

import httpx
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tracker_desktop.domain.money import Money
from tracker_desktop.services.inventory.watch_service import WatchForm
from tracker_desktop.services.invoicing.invoice_service import (
    DraftInput,
    DraftLineInput,
    InvoiceService,
)
from tracker_desktop.services.sync.supervisor import SyncSupervisor


def test_practice_app_polls_and_a_buyers_payment_arrives_on_sync_now(
    qtbot: QtBot, start_app: Any
) -> None:
    app = start_app(practice=True)
    services = app.services
    window = app.window
    supervisor = services.sync
    assert isinstance(supervisor, SyncSupervisor)
    qtbot.waitUntil(lambda: window.sync_label.text().startswith("Synced"), timeout=10_000)
    assert supervisor.poller is not None
    assert supervisor.poller.profile_id == services.base.active.id

    profile_id = services.base.active.id
    invoices: InvoiceService = services.invoices
    inventory = services.inventory
    watch = inventory.add(
        profile_id,
        WatchForm(brand="Omega", model="Speedmaster", serial="SYNC-0001", asking_price="6,900"),
    )
    invoice_id = invoices.save_draft(
        profile_id,
        DraftInput(
            currency="USD",
            customer_name="Hans Keller",
            customer_email="hans.keller@example.ch",
            lines=[DraftLineInput(watch.line_description, 1, Money(690_000, "USD"), watch.id)],
        ),
    )
    pushed: list[Any] = []
    app._spawn(_collect(invoices.push(profile_id, invoice_id), pushed))
    qtbot.waitUntil(lambda: bool(pushed), timeout=10_000)
    stripe_id = pushed[0].stripe_invoice_id
    assert invoices.get(profile_id, invoice_id).status.label == "Open"

    # The buyer pays on the hosted page (the simulator's control does what the page does).
    paid = httpx.post(
        f"{services.gateways.practice_base_url}/_sandbox/invoices/{stripe_id}/pay_as_buyer",
        json={"card": "4242424242424242"},
        timeout=10,
    )
    assert paid.status_code == 200
    assert invoices.get(profile_id, invoice_id).status.label == "Open"  # not known yet

    qtbot.keyClick(window, Qt.Key.Key_F5)  # Sync now
    qtbot.waitUntil(
        lambda: invoices.get(profile_id, invoice_id).status.label == "Paid", timeout=10_000
    )
    assert inventory.get(profile_id, watch.id).status_label == "Sold"


def test_a_profile_without_a_key_is_not_polled_and_says_why(qtbot: QtBot, start_app: Any) -> None:
    app = start_app()
    profiles = app.services.profiles
    view = profiles.create_profile("Lugano Vintage", default_currency="CHF")
    profiles.switch_to(view.id)
    qtbot.waitUntil(lambda: app.window.sync_label.text() == "Not syncing: not connected to Stripe")
    assert app.window.profile_label.text() == (
        "Profile: Lugano Vintage · No Stripe key: add one in Settings"
    )
    assert app.services.sync.poller is None


async def _collect(coro: Any, into: list[Any]) -> None:
    into.append(await coro)
