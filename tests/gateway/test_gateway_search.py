"""The gateway's search-first recovery (`find_invoice_by_tracker_id`) against the simulator over
HTTP, with Stripe's search lag: a fresh invoice is found by the list scan, an indexed one by
search alone. Every endpoint the gateway calls exists in the simulator, and a customer
deleted in Stripe reads as not found."""

from __future__ import annotations

import ast
import asyncio
import uuid
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from tracker_desktop.domain.errors import NotFound
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.stripe_types import CustomerDraft, LineDraft, StripeInvoice
from tracker_desktop.sandbox import observers
from tracker_desktop.sandbox.facts import SEARCH_LAG_SECONDS
from tracker_desktop.sandbox.routes import ROUTES
from tracker_desktop.stripe_gateway import StripeGateway, idempotency_key

T = TypeVar("T")
GATEWAY = Path(__file__).resolve().parents[2] / "tracker_desktop" / "stripe_gateway"
SEARCH, LIST = "/v1/invoices/search", "/v1/invoices"
LAG = SEARCH_LAG_SECONDS


@pytest.fixture
def search_answers() -> Iterator[list[observers.Sent]]:
    """The simulator's answers to invoice searches, as they went out."""
    seen: list[observers.Sent] = []

    def keep(sent: observers.Sent) -> None:
        if sent.path == SEARCH:
            seen.append(sent)

    observers.add(keep)
    yield seen
    observers.remove(keep)


def _run(sb: Any, body: Callable[[StripeGateway], Awaitable[T]]) -> T:
    async def main() -> T:
        async with StripeGateway(sb.secret_key, api_base=sb.base_url) as gw:
            return await body(gw)

    return asyncio.run(main())


async def _invoice(gw: StripeGateway, local: str) -> StripeInvoice:
    cus = await gw.create_customer(
        CustomerDraft(name="Search Buyer"), idempotency_key=idempotency_key(local, "customer")
    )
    inv = await gw.create_invoice(
        customer_id=cus.id,
        currency="USD",
        days_until_due=7,
        tracker_invoice_id=local,
        idempotency_key=idempotency_key(local, "create-invoice"),
    )
    return await gw.add_lines(
        inv.id,
        [LineDraft("Cartier Santos WSSA0018", Money(745_000, "USD"))],
        idempotency_key=idempotency_key(local, "add-lines"),
    )


def _counts(sb: Any) -> tuple[int, int]:
    return sb.request_count("GET", SEARCH), sb.request_count("GET", LIST)


def test_fresh_invoice_is_found_by_the_list_while_search_lags(
    sandbox: Any, search_answers: list[observers.Sent]
) -> None:
    local = str(uuid.uuid4())
    made = _run(sandbox, lambda gw: _invoice(gw, local))
    searched, listed = _counts(sandbox)
    found = _run(
        sandbox, lambda gw: gw.find_invoice_by_tracker_id(local, customer_id=made.customer_id)
    )
    assert found == made
    assert _counts(sandbox) == (searched + 1, listed + 1)  # search asked first, then the list
    assert [(a.status, a.returns) for a in search_answers] == [(200, "search_result:invoice")]


def test_indexed_invoice_is_found_by_search_alone(
    sandbox: Any, search_answers: list[observers.Sent]
) -> None:
    local = str(uuid.uuid4())
    made = _run(sandbox, lambda gw: _invoice(gw, local))
    sandbox.advance_clock(LAG)
    searched, listed = _counts(sandbox)
    found = _run(sandbox, lambda gw: gw.find_invoice_by_tracker_id(local))
    assert found == made
    assert _counts(sandbox) == (searched + 1, listed)  # no list scan was needed
    assert [a.status for a in search_answers] == [200]


def test_unknown_tracker_id_is_none_after_search_and_list(sandbox: Any) -> None:
    sandbox.advance_clock(LAG)
    searched, listed = _counts(sandbox)
    assert _run(sandbox, lambda gw: gw.find_invoice_by_tracker_id(str(uuid.uuid4()))) is None
    after = _counts(sandbox)
    assert after[0] == searched + 1
    assert after[1] > listed


def _gateway_calls() -> list[tuple[str, str]]:
    """(method, path) of every `self._call(...)` in the gateway, ids filled in."""
    calls = []
    for source in sorted(GATEWAY.glob("*.py")):
        for node in ast.walk(ast.parse(source.read_text())):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "_call"
                and len(node.args) >= 2
                and isinstance(node.args[0], ast.Constant)
            ):
                continue
            path = node.args[1]
            if isinstance(path, ast.Constant):
                text = str(path.value)
            elif isinstance(path, ast.JoinedStr):
                text = "".join(
                    str(v.value) if isinstance(v, ast.Constant) else "obj_1" for v in path.values
                )
            else:
                raise AssertionError(f"{source.name}: a _call path that is not a literal")
            calls.append((str(node.args[0].value), text))
    return calls


def test_every_endpoint_the_gateway_calls_exists_in_the_simulator() -> None:
    calls = _gateway_calls()
    assert ("GET", SEARCH) in calls
    assert len(calls) >= 15
    for method, path in calls:
        route = next((r for r in ROUTES if r.method == method and r.pattern.match(path)), None)
        assert route is not None, f"the simulator has no {method} {path}"
    search = next(r for r in ROUTES if r.method == "GET" and r.pattern.match(SEARCH))
    assert search.returns == "search_result:invoice"  # not "retrieve the invoice `search`"


def test_customer_deleted_in_stripe_is_not_found(sandbox: Any) -> None:
    async def body(gw: StripeGateway) -> None:
        made = await gw.create_customer(
            CustomerDraft(name="Gone Buyer"),
            idempotency_key=idempotency_key(str(uuid.uuid4()), "customer"),
        )
        # as the dealer might in the Dashboard
        gone = httpx.delete(
            f"{sandbox.base_url}/v1/customers/{made.id}",
            headers={"Authorization": f"Bearer {sandbox.secret_key}"},
        )
        assert gone.json()["deleted"] is True
        with pytest.raises(NotFound, match="deleted in Stripe"):
            await gw.retrieve_customer(made.id)

    _run(sandbox, body)
