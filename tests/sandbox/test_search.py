"""Invoice and customer search: Stripe's query language and its freshness lag.

Search sees a write SEARCH_LAG_SECONDS after it happened (Stripe: "under 1 minute"), so each
test moves the simulated clock on before it expects a hit.
"""

from __future__ import annotations

import httpx
import pytest
import stripe

from tracker_desktop.sandbox import Sandbox
from tracker_desktop.sandbox.facts import SEARCH_LAG_SECONDS

from .conftest import customer, open_invoice

LAG = SEARCH_LAG_SECONDS


def _ids(result: stripe.SearchResultObject[stripe.Invoice]) -> list[str]:
    return [i.id for i in result.data]


def _search(client: stripe.StripeClient, query: str) -> list[str]:
    return _ids(client.v1.invoices.search(params={"query": query}))


def test_search_is_not_retrieve(sb: Sandbox, client: stripe.StripeClient) -> None:
    inv = open_invoice(client)
    sb.advance_clock(LAG)
    found = client.v1.invoices.search(params={"query": "metadata['tracker_invoice_id']:'local-1'"})
    assert isinstance(found, stripe.SearchResultObject)
    assert [i.id for i in found.data] == [inv.id]
    assert isinstance(found.data[0], stripe.Invoice)
    assert found.data[0].lines.data[0].amount == 1_250_000


def test_writes_become_searchable_after_the_lag(sb: Sandbox, client: stripe.StripeClient) -> None:
    inv = open_invoice(client)
    query = "metadata['tracker_invoice_id']:'local-1'"
    assert _search(client, query) == []
    sb.advance_clock(LAG - 5)
    assert _search(client, query) == []
    sb.advance_clock(5)
    assert _search(client, query) == [inv.id]
    # a change is seen late too: the index still holds the old metadata for a while
    client.v1.invoices.update(inv.id, params={"metadata": {"tracker_invoice_id": "local-2"}})
    assert _search(client, query) == [inv.id]
    assert _search(client, "metadata['tracker_invoice_id']:'local-2'") == []
    sb.advance_clock(LAG)
    assert _search(client, query) == []
    assert _search(client, "metadata['tracker_invoice_id']:'local-2'") == [inv.id]


def test_fields_the_gateway_uses_and_and(sb: Sandbox, client: stripe.StripeClient) -> None:
    first = open_invoice(client)
    created = first.created
    sb.advance_clock(10)
    second = open_invoice(client)
    sb.advance_clock(LAG)
    mine = f"metadata['tracker_invoice_id']:'local-1' AND customer:'{first.customer}'"
    assert _search(client, mine) == [first.id]
    assert _search(client, f"customer:'{second.customer}'") == [second.id]
    assert _search(client, f"created>{created}") == [second.id]
    assert _search(client, f"created>={created}") == [second.id, first.id]  # newest first
    assert _search(client, f"created<{created + 10} and status:'open'") == [first.id]
    assert _search(client, f"customer:'{first.customer}' OR customer:'{second.customer}'") == [
        second.id,
        first.id,
    ]
    assert _search(client, f"-customer:'{first.customer}' created>='{created}'") == [second.id]
    assert _search(client, "total>1000000 currency:'USD'") == [second.id, first.id]  # any case
    assert _search(client, "metadata['missing']:null") == [second.id, first.id]


def test_quotes_escape_and_double_quotes(sb: Sandbox, client: stripe.StripeClient) -> None:
    cus = customer(client)
    inv = client.v1.invoices.create(
        params={
            "customer": cus.id,
            "collection_method": "send_invoice",
            "days_until_due": 3,
            "metadata": {"note": "O'Brien's \"Daytona\""},
        }
    )
    sb.advance_clock(LAG)
    assert _search(client, r"metadata['note']:'O\'Brien\'s \"Daytona\"'") == [inv.id]
    assert _search(client, 'metadata["note"]:"O\'Brien\'s \\"Daytona\\""') == [inv.id]


def test_pages_follow_next_page(sb: Sandbox, client: stripe.StripeClient) -> None:
    made = [open_invoice(client).id for _ in range(3)]
    sb.advance_clock(LAG)
    query = "status:'open'"
    first = client.v1.invoices.search(params={"query": query, "limit": 2})
    assert first.has_more is True
    assert first.next_page
    rest = client.v1.invoices.search(params={"query": query, "limit": 2, "page": first.next_page})
    assert rest.has_more is False
    assert rest.next_page is None
    assert [i.id for i in first.data + rest.data] == list(reversed(made))
    with pytest.raises(stripe.InvalidRequestError) as err:
        client.v1.invoices.search(params={"query": "status:'paid'", "page": first.next_page})
    assert err.value.param == "page"


@pytest.mark.parametrize(
    "query",
    [
        "paid:'true'",  # not a search field of invoices
        "status:open",  # strings must be quoted
        "status:'open' AND total>1 OR total<5",  # AND and OR never mix
        "number~'AB'",  # no substring matching on number
        "total>'abc'",
        "metadata['k']",
        "",
    ],
)
def test_bad_queries_are_refused(sb: Sandbox, query: str) -> None:
    resp = httpx.get(
        f"{sb.base_url}/v1/invoices/search",
        params={"query": query},
        headers={"Authorization": f"Bearer {sb.secret_key}"},
    )
    assert resp.status_code == 400
    assert resp.json()["error"]["param"] == "query"


def test_customer_search_substring_needs_three_characters(
    sb: Sandbox, client: stripe.StripeClient
) -> None:
    ada = customer(client, "ada@lovelace.example")
    customer(client, "bob@example.com")
    sb.advance_clock(LAG)
    found = client.v1.customers.search(params={"query": "email~'lovelace'"})
    assert [c.id for c in found.data] == [ada.id]
    with pytest.raises(stripe.InvalidRequestError, match="at least 3"):
        client.v1.customers.search(params={"query": "email~'lo'"})
