"""Purchase cost and margin are the dealer's alone: a sale of a watch with a known cost, sent,
paid, synced and shown on the Dashboard, puts neither in any request Stripe receives. Every
request the simulator is sent is recorded as it arrives (method, path, query and body)."""

from __future__ import annotations

import asyncio
import re
from typing import Any
from urllib.parse import unquote_plus

import httpx
import pytest
from pytestqt.qtbot import QtBot

from tracker_desktop.domain.money import Money
from tracker_desktop.sandbox import api
from tracker_desktop.services.inventory.watch_service import WatchForm
from tracker_desktop.services.invoicing.invoice_service import DraftInput, DraftLineInput
from tracker_desktop.ui.dashboard.page import DashboardPage

COST_TYPED = "4,321.09"  # nothing else in this sale has these digits
COST_FORMS = ("432109", "4321.09", "4,321.09")


@pytest.fixture
def received(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str, str]]:
    """Every API request the simulator handles, as it received it."""
    seen: list[tuple[str, str, str, str]] = []
    handle = api.handle

    def recording(world: Any, method: str, path: str, query: str, body: str, *rest: Any) -> Any:
        seen.append((method, path, unquote_plus(query), unquote_plus(body)))
        return handle(world, method, path, query, body, *rest)

    monkeypatch.setattr(api, "handle", recording)
    return seen


def test_no_purchase_cost_or_margin_reaches_stripe(
    qtbot: QtBot, start_app: Any, received: list[tuple[str, str, str, str]]
) -> None:
    app = start_app(practice=True)
    services, window = app.services, app.window
    qtbot.waitUntil(lambda: window.sync_label.text().startswith("Synced"), timeout=10_000)
    profile_id = services.base.active.id
    watch = services.inventory.add(
        profile_id,
        WatchForm(brand="Rolex", model="Daytona", reference="116500LN", serial="RDX-0001",
                  purchase_cost=COST_TYPED, asking_price="29,500"),
    )  # fmt: skip
    assert services.inventory.get(profile_id, watch.id).purchase_cost == Money(432_109, "USD")
    invoice_id = services.invoices.save_draft(
        profile_id,
        DraftInput(
            currency="USD",
            customer_name="Kenji Watanabe",
            customer_email="kenji@example.jp",
            lines=[DraftLineInput(watch.line_description, 1, Money(2_950_000, "USD"), watch.id)],
        ),
    )
    pushed = asyncio.ensure_future(services.invoices.push(profile_id, invoice_id))
    qtbot.waitUntil(pushed.done, timeout=10_000)
    stripe_id = pushed.result().stripe_invoice_id
    httpx.post(
        f"{services.gateways.practice_base_url}/_sandbox/invoices/{stripe_id}/pay_as_buyer",
        json={"card": "4242424242424242"},
        timeout=10,
    ).raise_for_status()
    page = window.show_page("dashboard")
    assert isinstance(page, DashboardPage)
    app._spawn(services.sync.poll_now())
    qtbot.waitUntil(
        lambda: services.invoices.get(profile_id, invoice_id).status.label == "Paid",
        timeout=10_000,
    )
    page.reload()
    qtbot.waitUntil(lambda: page.board is not None and bool(page.board.margins), timeout=10_000)
    margin = page.board.margins[0].total.minor
    assert margin == 2_950_000 - 432_109  # the dealer sees it...

    posts = [r for r in received if r[0] == "POST"]
    assert any(path == "/v1/invoices" for _m, path, _q, _b in posts)  # the sale was sent
    margin_forms = (str(margin), f"{margin / 100:.2f}")
    for method, path, query, body in received:  # ...and Stripe is sent neither
        text = f"{path}?{query}\n{body}"
        for form in (*COST_FORMS, *margin_forms):
            assert form not in text, (method, path)
        assert not re.search(r"cost|margin|purchase", text, re.IGNORECASE), (method, path)
