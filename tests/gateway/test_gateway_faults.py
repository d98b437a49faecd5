"""What only the simulator can stage: failures on the wire and the buyer's side of payment.

Real HTTP throughout; the simulator injects 429/500/timeouts and plays the buyer.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import pytest

from tracker_desktop.domain.errors import Offline, RateLimited, StripeUnavailable
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.stripe_types import CustomerDraft, LineDraft, StripeInvoice
from tracker_desktop.stripe_gateway import StripeGateway, idempotency_key

T = TypeVar("T")
WATCH = [LineDraft("Tudor Black Bay 58 M79030N", Money(395_000, "USD"))]


@pytest.fixture
def sb(sandbox: Any) -> Iterator[Any]:
    sandbox.clear_faults()
    yield sandbox
    sandbox.clear_faults()


def _run(sb: Any, body: Callable[[StripeGateway], Awaitable[T]], **kw: Any) -> T:
    async def main() -> T:
        async with StripeGateway(sb.secret_key, api_base=sb.base_url, **kw) as gw:
            return await body(gw)

    return asyncio.run(main())


async def _invoice(gw: StripeGateway, local: str, finalize: bool = True) -> StripeInvoice:
    cus = await gw.create_customer(
        CustomerDraft(name="Fault Buyer"), idempotency_key=idempotency_key(local, "customer")
    )
    inv = await gw.create_invoice(
        customer_id=cus.id,
        currency="USD",
        days_until_due=7,
        tracker_invoice_id=local,
        idempotency_key=idempotency_key(local, "create-invoice"),
    )
    inv = await gw.add_lines(inv.id, WATCH, idempotency_key=idempotency_key(local, "add-lines"))
    if finalize:
        inv = await gw.finalize_invoice(inv.id, idempotency_key=idempotency_key(local, "finalize"))
    return inv


def test_bank_debit_is_processing_not_paid(sb: Any) -> None:
    local = str(uuid.uuid4())
    inv = _run(sb, lambda gw: _invoice(gw, local))
    sb.start_bank_debit(inv.id)

    async def check(gw: StripeGateway) -> tuple[StripeInvoice, list[Any]]:
        return await gw.retrieve_invoice(inv.id), await gw.list_invoice_payments(inv.id)

    now, payments = _run(sb, check)
    assert now.status == "open"
    assert now.amount_paid == 0
    assert any(p.processing and p.method_type == "us_bank_account" for p in payments)

    sb.release_debit(inv.id, succeed=True)
    now, payments = _run(sb, check)
    assert now.status == "paid"
    assert not any(p.processing for p in payments)


def test_declined_card_leaves_stripes_message(sb: Any) -> None:
    local = str(uuid.uuid4())
    inv = _run(sb, lambda gw: _invoice(gw, local))
    shown = sb.pay_as_buyer(inv.id, card="4000000000000002")
    payments = _run(sb, lambda gw: gw.list_invoice_payments(inv.id))
    assert _run(sb, lambda gw: gw.retrieve_invoice(inv.id)).status == "open"
    messages = [p.error_message for p in payments if p.error_message]
    assert messages
    assert "declined" in messages[0].lower()
    assert "declined" in shown.lower()


def test_server_error_after_apply_is_retried_into_one_invoice(sb: Any) -> None:
    """Stripe made the invoice but the answer was lost: the SDK's retry with our key replays."""
    local = str(uuid.uuid4())
    sb.inject_faults(next=1, kinds=["500"], phase="after", methods=["POST"])
    inv = _run(sb, lambda gw: _invoice(gw, local, finalize=False))
    found = _run(sb, lambda gw: gw.list_invoices(customer_id=inv.customer_id))
    assert [i.id for i in found.invoices] == [inv.id]


def test_timeout_then_app_retry_with_same_key_gives_same_invoice(sb: Any) -> None:
    local = str(uuid.uuid4())
    cus = _run(
        sb,
        lambda gw: gw.create_customer(
            CustomerDraft(name="Timeout Buyer"), idempotency_key=idempotency_key(local, "cus")
        ),
    )

    async def create(gw: StripeGateway) -> StripeInvoice:
        return await gw.create_invoice(
            customer_id=cus.id,
            currency="USD",
            days_until_due=7,
            tracker_invoice_id=local,
            idempotency_key=idempotency_key(local, "create-invoice"),
        )

    sb.inject_faults(
        next=1, kinds=["timeout"], phase="after", timeout_seconds=2.5, methods=["POST"]
    )
    with pytest.raises(Offline) as info:
        _run(sb, create, timeout=1.0, max_network_retries=0)
    assert info.value.retryable
    assert "nothing was sent twice" in str(info.value)
    sb.clear_faults()
    again = _run(sb, create)  # e.g. after a restart: same local id, same step, same key
    listed = _run(sb, lambda gw: gw.list_invoices(customer_id=cus.id))
    assert [i.id for i in listed.invoices] == [again.id]
    assert _run(sb, lambda gw: gw.find_invoice_by_tracker_id(local)) == again


@pytest.mark.parametrize(
    ("kind", "error"), [("429", RateLimited), ("500", StripeUnavailable), ("drop", Offline)]
)
def test_faults_without_retries_map_to_retryable_errors(
    sb: Any, kind: str, error: type[Exception]
) -> None:
    sb.inject_faults(next=1, kinds=[kind], methods=["GET"])
    with pytest.raises(error) as info:
        _run(sb, lambda gw: gw.list_events(limit=1), max_network_retries=0)
    assert getattr(info.value, "retryable", False)


def test_faults_are_absorbed_by_sdk_retries(sb: Any) -> None:
    sb.inject_faults(next=2, kinds=["429", "500"], methods=["GET"])
    page = _run(sb, lambda gw: gw.list_events(limit=1), max_network_retries=2)
    assert page.events is not None
    assert sb.stats()["faults_injected"] >= 2
