"""Fixtures for the simulator's own tests: a fresh server per test and stripe-python clients
pointed at it over real HTTP (no retries, so every fault is seen)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import stripe

from tracker_desktop.sandbox import Sandbox


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox(port=0) as server:
        yield server


def make_client(sb: Sandbox, key: str | None = None, **kwargs: Any) -> stripe.StripeClient:
    http = stripe.HTTPXClient(allow_sync_methods=True, timeout=kwargs.pop("timeout", 10))
    return stripe.StripeClient(
        key or sb.secret_key, base_addresses={"api": sb.base_url}, http_client=http, **kwargs
    )


@pytest.fixture
def client(sb: Sandbox) -> stripe.StripeClient:
    return make_client(sb)


def customer(client: stripe.StripeClient, email: str = "buyer@example.com") -> stripe.Customer:
    return client.v1.customers.create(params={"email": email, "name": "Ada Buyer"})


def open_invoice(
    client: stripe.StripeClient,
    amount: int = 1_250_000,
    currency: str = "usd",
    finalize: bool = True,
    days: int = 14,
) -> stripe.Invoice:
    cus = customer(client)
    inv = client.v1.invoices.create(
        params={
            "customer": cus.id,
            "collection_method": "send_invoice",
            "days_until_due": days,
            "currency": currency,
            "metadata": {"tracker_invoice_id": "local-1"},
        }
    )
    inv = client.v1.invoices.add_lines(
        inv.id,
        params={
            "lines": [
                {
                    "price_data": {
                        "currency": currency,
                        "product_data": {"name": "Rolex Submariner 126610LN"},
                        "unit_amount": amount,
                    },
                    "quantity": 1,
                }
            ]
        },
    )
    if finalize:
        inv = client.v1.invoices.finalize_invoice(inv.id)
    return inv
