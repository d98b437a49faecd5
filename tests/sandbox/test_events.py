"""Events: newest first, exclusive cursors, types[] filter, 30-day retention, invoice.overdue."""

from __future__ import annotations

import httpx
import pytest
import stripe

from tracker_desktop.sandbox import Sandbox

from .conftest import customer, open_invoice

DAY = 86400


def _make_customers(client: stripe.StripeClient, n: int) -> list[str]:
    return [customer(client, f"c{i}@example.com").id for i in range(n)]


def test_event_shape(client: stripe.StripeClient) -> None:
    cus = customer(client)
    evt = client.v1.events.list().data[0]
    assert isinstance(evt, stripe.Event)
    assert evt.id.startswith("evt_")
    assert evt.type == "customer.created"
    assert evt.object == "event"
    assert evt.data.object["id"] == cus.id
    assert evt.api_version == "2026-10-28.endive"
    assert evt.livemode is False
    assert evt.pending_webhooks == 0
    assert evt.request is not None
    assert evt.request.id is not None
    assert evt.request.id.startswith("req_")
    assert client.v1.events.retrieve(evt.id).id == evt.id


def test_every_change_has_an_event(sb: Sandbox, client: stripe.StripeClient) -> None:
    inv = open_invoice(client)
    client.v1.invoices.update(inv.id, params={"metadata": {"a": "b"}})
    sb.pay_as_buyer(inv.id)
    types = [e.type for e in client.v1.events.list(params={"limit": 100}).data]
    assert types[::-1] == [
        "customer.created",
        "invoice.created",
        "invoice.updated",  # add_lines
        "invoice.finalized",
        "invoice.updated",  # metadata
        "customer.updated",  # the card becomes the default payment method
        "payment_intent.succeeded",
        "invoice.payment_succeeded",
        "invoice.paid",
        "invoice_payment.paid",
    ]
    updated = client.v1.events.list(params={"types": ["invoice.updated"], "limit": 1}).data[0]
    assert updated.data.previous_attributes is not None
    previous = updated.data.previous_attributes["metadata"].to_dict()
    assert previous == {"tracker_invoice_id": "local-1"}


def test_paging_starting_after_and_has_more(client: stripe.StripeClient) -> None:
    ids = _make_customers(client, 5)[::-1]  # newest first
    seen: list[str] = []
    page = client.v1.events.list(params={"limit": 2})
    while True:
        seen += [e.data.object["id"] for e in page.data]
        if not page.has_more:
            break
        page = client.v1.events.list(params={"limit": 2, "starting_after": page.data[-1].id})
    assert seen == ids


def test_paging_ending_before_walks_towards_newer(client: stripe.StripeClient) -> None:
    _make_customers(client, 2)
    cursor = client.v1.events.list(params={"limit": 1}).data[0].id
    assert client.v1.events.list(params={"ending_before": cursor}).data == []
    ids = _make_customers(client, 5)[::-1]
    page = client.v1.events.list(params={"ending_before": cursor, "limit": 2})
    # the two just newer than the cursor, still newest first; more exist beyond them
    assert [e.data.object["id"] for e in page.data] == ids[-2:]
    assert page.has_more is True
    collected = [e.data.object["id"] for e in page.data]
    while page.has_more:
        page = client.v1.events.list(params={"ending_before": page.data[0].id, "limit": 2})
        collected = [e.data.object["id"] for e in page.data] + collected
    assert collected == ids


def test_types_filter_and_limit_bounds(sb: Sandbox, client: stripe.StripeClient) -> None:
    open_invoice(client)
    only = client.v1.events.list(params={"types": ["invoice.created", "invoice.finalized"]})
    assert [e.type for e in only.data] == ["invoice.finalized", "invoice.created"]
    wildcard = client.v1.events.list(params={"type": "customer.*"})
    assert [e.type for e in wildcard.data] == ["customer.created"]
    raw = httpx.get(
        f"{sb.base_url}/v1/events?types[]=invoice.created",
        headers={"Authorization": f"Bearer {sb.secret_key}"},
    )
    assert [e["type"] for e in raw.json()["data"]] == ["invoice.created"]
    for bad in (0, 101):
        with pytest.raises(stripe.InvalidRequestError) as err:
            client.v1.events.list(params={"limit": bad})
        assert err.value.param == "limit"


def test_events_vanish_after_30_days(sb: Sandbox, client: stripe.StripeClient) -> None:
    customer(client)
    old = client.v1.events.list().data[0].id
    sb.advance_clock(29 * DAY)
    customer(client, "new@example.com")
    assert len(client.v1.events.list().data) == 2
    sb.advance_clock(2 * DAY)
    remaining = client.v1.events.list().data
    assert [e.data.object["email"] for e in remaining] == ["new@example.com"]
    with pytest.raises(stripe.InvalidRequestError) as err:
        client.v1.events.retrieve(old)
    assert err.value.http_status == 404
    with pytest.raises(stripe.InvalidRequestError) as err:
        client.v1.events.list(params={"ending_before": old})
    assert err.value.param == "ending_before"  # a stale cursor: reconcile without events


def test_overdue_once_after_due_date(sb: Sandbox, client: stripe.StripeClient) -> None:
    inv = open_invoice(client, days=7)
    paid = open_invoice(client, days=7)
    client.v1.invoices.pay(paid.id, params={"paid_out_of_band": True})
    sb.advance_clock(6 * DAY)
    assert client.v1.events.list(params={"types": ["invoice.overdue"]}).data == []
    sb.advance_clock(2 * DAY)
    overdue = client.v1.events.list(params={"types": ["invoice.overdue"]}).data
    assert [e.data.object["id"] for e in overdue] == [inv.id]
    sb.advance_clock(DAY)
    assert len(client.v1.events.list(params={"types": ["invoice.overdue"]}).data) == 1


def test_created_filter(sb: Sandbox, client: stripe.StripeClient) -> None:
    customer(client)
    sb.advance_clock(100)
    now = sb.now()
    customer(client, "later@example.com")
    later = client.v1.events.list(params={"created": {"gte": now}})
    assert [e.data.object["email"] for e in later.data] == ["later@example.com"]
    invoices = client.v1.customers.list(params={"created": {"lt": now}})
    assert len(invoices.data) == 1
