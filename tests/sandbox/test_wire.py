"""stripe-python 16 parses every answer into its typed objects, sync and async."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import stripe

from tracker_desktop.sandbox import Sandbox
from tracker_desktop.sandbox.facts import SEARCH_LAG_SECONDS

from .conftest import customer, make_client, open_invoice


def test_account_and_headers(sb: Sandbox, client: stripe.StripeClient) -> None:
    acct = client.v1.accounts.retrieve_current()
    assert isinstance(acct, stripe.Account)
    assert acct.id.startswith("acct_")
    assert acct.settings is not None
    assert acct.settings.dashboard.display_name == "Sandbox Watch Co."
    assert "livemode" not in acct  # not a field of Stripe's Account
    raw = httpx.get(
        f"{sb.base_url}/v1/account",
        headers={"Authorization": f"Bearer {sb.secret_key}", "Stripe-Version": "2099-01-01.x"},
    )
    assert raw.headers["Stripe-Version"] == "2099-01-01.x"
    assert raw.headers["Request-Id"].startswith("req_")


def test_customer_crud_list_search(sb: Sandbox, client: stripe.StripeClient) -> None:
    a = client.v1.customers.create(params={"email": "a@example.com", "metadata": {"k": "1"}})
    b = customer(client, "b@example.com")
    assert isinstance(a, stripe.Customer)
    assert a.metadata["k"] == "1"
    updated = client.v1.customers.update(a.id, params={"name": "Ann", "metadata": {"k": ""}})
    assert updated.name == "Ann"
    assert "k" not in updated.metadata.to_dict()
    assert client.v1.customers.retrieve(a.id).name == "Ann"
    listed = client.v1.customers.list(params={"email": "b@example.com"})
    assert [c.id for c in listed.data] == [b.id]
    everyone = client.v1.customers.list(params={"limit": 1})
    assert everyone.has_more is True
    assert everyone.data[0].id == b.id  # newest first
    query: stripe.params.CustomerSearchParams = {"query": "email:'a@example.com'"}
    assert client.v1.customers.search(params=query).data == []  # search trails writes
    sb.advance_clock(SEARCH_LAG_SECONDS)
    found = client.v1.customers.search(params=query)
    assert [c.id for c in found.data] == [a.id]


def test_invoice_typed_objects(client: stripe.StripeClient) -> None:
    inv = open_invoice(client)
    assert isinstance(inv, stripe.Invoice)
    assert inv.status == "open"
    assert isinstance(inv.lines.data[0], stripe.InvoiceLineItem)
    assert inv.lines.data[0].amount == 1_250_000
    assert inv.amount_due == inv.amount_remaining == inv.total == 1_250_000
    assert inv.number is not None
    assert inv.number.endswith("-0001")
    assert inv.hosted_invoice_url
    assert inv.invoice_pdf
    assert inv.status_transitions.finalized_at is not None
    assert inv.due_date == inv.status_transitions.finalized_at + 14 * 86400
    assert "payment_intent" not in inv
    assert "paid" not in inv
    assert inv.metadata["tracker_invoice_id"] == "local-1"


def test_draft_has_no_urls_and_numbers_increase(client: stripe.StripeClient) -> None:
    draft = open_invoice(client, finalize=False)
    assert draft.status == "draft"
    assert draft.hosted_invoice_url is None
    assert draft.invoice_pdf is None
    assert draft.number is None
    first = client.v1.invoices.finalize_invoice(draft.id)
    second = open_invoice(client)
    assert first.number is not None
    assert second.number is not None
    assert int(second.number[-4:]) == int(first.number[-4:]) + 1


def test_async_client(sb: Sandbox) -> None:
    async def main() -> None:
        http = stripe.HTTPXClient()
        c = stripe.StripeClient(
            sb.secret_key, base_addresses={"api": sb.base_url}, http_client=http
        )
        cus = await c.v1.customers.create_async(params={"email": "x@example.com"})
        inv = await c.v1.invoices.create_async(
            params={"customer": cus.id, "collection_method": "send_invoice", "days_until_due": 7}
        )
        inv = await c.v1.invoices.add_lines_async(
            inv.id, params={"lines": [{"amount": 5000, "description": "Strap"}]}
        )
        inv = await c.v1.invoices.finalize_invoice_async(inv.id)
        assert isinstance(inv, stripe.Invoice)
        assert inv.lines.data[0].description == "Strap"
        listed = await c.v1.invoices.list_async(params={"customer": cus.id, "status": "open"})
        assert [i.id for i in listed.data] == [inv.id]
        events = await c.v1.events.list_async(params={"types": ["invoice.finalized"]})
        assert isinstance(events.data[0], stripe.Event)
        assert events.data[0].data.object["id"] == inv.id
        await http.close_async()

    asyncio.run(main())


def test_keys_are_isolated_accounts(sb: Sandbox, client: stripe.StripeClient) -> None:
    cus = customer(client)
    other = make_client(sb, Sandbox.new_key())
    with pytest.raises(stripe.InvalidRequestError) as err:
        other.v1.customers.retrieve(cus.id)
    assert err.value.http_status == 404
    assert err.value.code == "resource_missing"
    assert other.v1.customers.list().data == []


def test_expand_default_payment_method_after_card(sb: Sandbox, client: stripe.StripeClient) -> None:
    inv = open_invoice(client)
    sb.pay_as_buyer(inv.id, "4242 4242 4242 4242")
    cus = client.v1.customers.retrieve(
        inv.customer, params={"expand": ["invoice_settings.default_payment_method"]}
    )
    pm = cus.invoice_settings.default_payment_method
    assert isinstance(pm, stripe.PaymentMethod)
    assert pm.card is not None
    assert (pm.card.brand, pm.card.last4) == ("visa", "4242")
