"""A real Chromium plays the buyer on the hosted invoice page."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
import stripe

from tracker_desktop.sandbox import Sandbox

from .conftest import open_invoice

CHROMIUM = os.environ.get("TRACKER_CHROMIUM", "/usr/bin/chromium")  # override to test the skip
ARGS = [
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        reason = f"Chromium not installed: {CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("TRACKER_REQUIRE_CHROMIUM") == "1":
            pytest.fail(reason + " and TRACKER_REQUIRE_CHROMIUM=1")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    try:
        yield pg
    finally:
        context.close()


def _event_types(client: stripe.StripeClient, inv_id: str) -> list[str]:
    events = client.v1.events.list(params={"limit": 100}).data
    return [e.type for e in events if e.data.object.to_dict().get("id") == inv_id]


def test_buyer_pays_with_card(page: Any, client: stripe.StripeClient) -> None:
    inv = open_invoice(client)
    page.goto(inv.hosted_invoice_url)
    assert page.locator("#invoice-number").inner_text() == inv.number
    assert page.locator("#amount-due").inner_text() == "$12,500.00"
    page.fill("#card-number", "4242 4242 4242 4242")
    page.click("#pay-card")
    assert "Payment succeeded" in page.locator("#result").inner_text()
    assert page.locator("#invoice-status").inner_text() == "Paid"
    inv = client.v1.invoices.retrieve(inv.id)
    assert inv.status == "paid"
    assert inv.amount_remaining == 0
    assert "invoice.paid" in _event_types(client, inv.id)


def test_buyer_card_declined(page: Any, client: stripe.StripeClient) -> None:
    inv = open_invoice(client)
    page.goto(inv.hosted_invoice_url)
    page.fill("#card-number", "4000 0000 0000 0002")
    page.click("#pay-card")
    assert page.locator("#result").inner_text() == "Your card was declined."
    inv = client.v1.invoices.retrieve(inv.id)
    assert inv.status == "open"
    assert inv.attempt_count == 1
    assert "invoice.payment_failed" in _event_types(client, inv.id)
    assert page.locator("#pay-card").is_visible()  # the buyer may try another card


def test_buyer_bank_debit_processing_then_released(
    page: Any, sb: Sandbox, client: stripe.StripeClient
) -> None:
    inv = open_invoice(client)
    page.goto(inv.hosted_invoice_url)
    page.click("#pay-bank-debit")
    assert "processing" in page.locator("#result").inner_text()
    assert client.v1.invoices.retrieve(inv.id).status == "open"
    pay = client.v1.invoice_payments.list(
        params={"invoice": inv.id, "expand": ["data.payment.payment_intent"]}
    ).data[0]
    assert pay.status == "open"
    assert pay.payment.payment_intent is not None
    assert not isinstance(pay.payment.payment_intent, str)
    assert pay.payment.payment_intent.status == "processing"
    page.reload()
    assert page.locator("#pay-card").count() == 0  # no second payment while one is pending
    sb.release_debit(inv.id)
    assert client.v1.invoices.retrieve(inv.id).status == "paid"
    assert "invoice.paid" in _event_types(client, inv.id)
    page.reload()
    assert page.locator("#invoice-status").inner_text() == "Paid"
