"""The gateway's contract, run against every target (simulator; real Stripe test mode if a key
is given). Each test makes its own customer and invoices with fresh ids, so runs never collide."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tracker_desktop.domain.errors import (
    AuthenticationFailed,
    IdempotencyConflict,
    InvalidRequest,
    NotFound,
    PermissionDenied,
)
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.stripe_types import (
    CustomerDraft,
    LineDraft,
    StripeCustomer,
    StripeInvoice,
)
from tracker_desktop.stripe_gateway import StripeGateway, idempotency_key

from .conftest import Target

INVOICE_EVENTS = ["invoice.created", "invoice.finalized", "invoice.voided", "invoice.paid"]


def _draft(tag: str) -> CustomerDraft:
    return CustomerDraft(
        name=f"Buyer {tag}",
        email=f"buyer-{tag}@example.com",
        phone="+41 22 555 01 01",
        address={
            "line1": "Rue du Rhône 1",
            "city": "Genève",
            "postal_code": "1204",
            "country": "CH",
        },
        metadata={"tracker_contact_id": tag},
    )


async def _customer(gw: StripeGateway, tag: str | None = None) -> StripeCustomer:
    tag = tag or uuid.uuid4().hex[:12]
    return await gw.create_customer(_draft(tag), idempotency_key=idempotency_key(tag, "customer"))


async def _open_invoice(
    gw: StripeGateway,
    customer: StripeCustomer,
    lines: list[LineDraft],
    *,
    finalize: bool = True,
) -> StripeInvoice:
    local = str(uuid.uuid4())
    inv = await gw.create_invoice(
        customer_id=customer.id,
        currency=lines[0].unit_price.currency,
        days_until_due=14,
        tracker_invoice_id=local,
        memo="Thank you for your purchase.",
        footer="Tracker Watch Co. — Genève",
        idempotency_key=idempotency_key(local, "create-invoice"),
    )
    inv = await gw.add_lines(inv.id, lines, idempotency_key=idempotency_key(local, "add-lines"))
    if finalize:
        inv = await gw.finalize_invoice(inv.id, idempotency_key=idempotency_key(local, "finalize"))
    return inv


USD_LINES = [
    LineDraft("Rolex Submariner Date 126610LN, serial 7X21A9", Money(1_450_000, "USD")),
    LineDraft("Omega Speedmaster 310.30.42.50.01.001", Money(720_000, "USD")),
    LineDraft("Strap fitting", Money(4_500, "USD"), 2),
]


def test_verify_key(target: Target) -> None:
    account = target.run(lambda gw: gw.verify_key())
    assert account.livemode is False
    if account.account_id is not None:
        assert account.account_id.startswith("acct_")


# Stripe refuses any made-up key; the simulator accepts any test key but treats one naming
# "revoked" as revoked.
REVOKED_KEY = "sk_test_revoked" + "0" * 24


def test_bad_key_is_authentication_failed(target: Target) -> None:
    with pytest.raises(AuthenticationFailed) as info:
        target.run(lambda gw: gw.verify_key(), key=REVOKED_KEY)
    assert "Dashboard → Developers → API keys" in str(info.value)
    assert info.value.retryable is False


def test_restricted_key_without_invoices_names_the_permission(target: Target) -> None:
    if not target.is_simulator:
        pytest.skip("needs a restricted key made without invoice access (simulator convention)")
    key = "rk_test_noinvoices" + uuid.uuid4().hex

    async def body(gw: StripeGateway) -> None:
        await gw.list_invoices()

    with pytest.raises(PermissionDenied) as info:
        target.run(body, key=key)
    assert "Invoice: Read" in str(info.value)
    assert "rk_test" not in str(info.value)


def test_customer_crud(target: Target) -> None:
    tag = uuid.uuid4().hex[:12]

    async def body(gw: StripeGateway) -> None:
        made = await _customer(gw, tag)
        assert made.id.startswith("cus_")
        assert made.email == f"buyer-{tag}@example.com"
        assert made.address["city"] == "Genève"
        assert made.metadata == {"tracker_contact_id": tag}
        assert made.payment_method_summary is None

        again = await gw.retrieve_customer(made.id)
        assert again == made

        changed = CustomerDraft(name=f"Buyer {tag} SA", email=made.email, metadata={"v": "2"})
        updated = await gw.update_customer(
            made.id, changed, idempotency_key=idempotency_key(tag, "update-customer-1")
        )
        assert updated.name == f"Buyer {tag} SA"
        assert updated.phone in (None, "")
        assert updated.address == {}
        assert updated.metadata["v"] == "2"

        with pytest.raises(NotFound):
            await gw.retrieve_customer("cus_doesnotexist" + tag)

    target.run(body)


def test_customer_list_pages(target: Target) -> None:
    async def body(gw: StripeGateway) -> None:
        made = [await _customer(gw) for _ in range(3)]
        first = await gw.list_customers(limit=2)
        assert len(first.customers) == 2
        assert first.has_more
        second = await gw.list_customers(limit=2, starting_after=first.customers[-1].id)
        seen = [c.id for c in first.customers + second.customers]
        assert len(seen) == len(set(seen))
        # Newest first: the three just made lead the list.
        assert seen[:3] == [c.id for c in reversed(made)]

    target.run(body)


def test_invoice_create_lines_finalize_send_void(target: Target) -> None:
    async def body(gw: StripeGateway) -> None:
        customer = await _customer(gw)
        draft = await _open_invoice(gw, customer, USD_LINES, finalize=False)
        assert draft.status == "draft"
        assert draft.hosted_invoice_url is None
        assert draft.total == 1_450_000 + 720_000 + 2 * 4_500
        assert draft.currency == "USD"
        assert draft.customer_id == customer.id

        local = draft.tracker_invoice_id
        assert local is not None
        opened = await gw.finalize_invoice(
            draft.id, idempotency_key=idempotency_key(local, "finalize")
        )
        assert opened.status == "open"
        assert opened.number
        assert opened.hosted_invoice_url
        assert opened.invoice_pdf
        assert opened.finalized_at is not None
        assert opened.due_date is not None
        assert opened.due_date.tzinfo is UTC
        assert opened.amount_remaining == opened.total
        assert opened.amount_paid == 0

        sent = await gw.send_invoice(opened.id, idempotency_key=idempotency_key(local, "send"))
        assert sent.status == "open"

        voided = await gw.void_invoice(opened.id, idempotency_key=idempotency_key(local, "void"))
        assert voided.status == "void"
        assert voided.voided_at is not None

        fetched = await gw.retrieve_invoice(opened.id)
        assert fetched.status == "void"
        assert fetched.metadata["tracker_invoice_id"] == local

    target.run(body)


def test_lines_are_one_request(target: Target) -> None:
    if not target.is_simulator:
        pytest.skip("request counting needs the simulator")
    sb = target.sandbox

    async def body(gw: StripeGateway) -> None:
        customer = await _customer(gw)
        before = sb.stats()
        await _open_invoice(gw, customer, USD_LINES, finalize=False)
        after = sb.stats()
        assert _requests_to(after, "add_lines") - _requests_to(before, "add_lines") == 1
        assert _requests_to(after, "invoiceitems") == _requests_to(before, "invoiceitems")

    target.run(body)


def _requests_to(stats: dict[str, Any], fragment: str) -> int:
    """Requests counted by the simulator whose "METHOD path" contains `fragment`."""
    return sum(int(n) for path, n in stats["requests"].items() if fragment in path)


def test_pay_out_of_band(target: Target) -> None:
    async def body(gw: StripeGateway) -> None:
        customer = await _customer(gw)
        inv = await _open_invoice(gw, customer, USD_LINES[:1])
        local = inv.tracker_invoice_id or ""
        paid = await gw.pay_out_of_band(inv.id, idempotency_key=idempotency_key(local, "wire"))
        assert paid.status == "paid"
        assert paid.amount_paid == paid.total == 1_450_000
        assert paid.amount_remaining == 0
        assert paid.paid_at is not None
        payments = await gw.list_invoice_payments(inv.id)
        assert all(not p.processing for p in payments)

    target.run(body)


def test_uncollectible_then_paid(target: Target) -> None:
    async def body(gw: StripeGateway) -> None:
        customer = await _customer(gw)
        inv = await _open_invoice(gw, customer, USD_LINES[1:2])
        local = inv.tracker_invoice_id or ""
        bad = await gw.mark_uncollectible(
            inv.id, idempotency_key=idempotency_key(local, "uncollectible")
        )
        assert bad.status == "uncollectible"
        assert bad.marked_uncollectible_at is not None
        paid = await gw.pay_out_of_band(inv.id, idempotency_key=idempotency_key(local, "wire"))
        assert paid.status == "paid"
        assert paid.amount_paid == 720_000

    target.run(body)


def test_buyer_payment_shows_in_payments(target: Target) -> None:
    if not target.is_simulator:
        pytest.skip("paying as the buyer needs the simulator's helper")

    async def body(gw: StripeGateway) -> None:
        customer = await _customer(gw)
        inv = await _open_invoice(gw, customer, USD_LINES[2:])
        target.sandbox.pay_as_buyer(inv.id)
        paid = await gw.retrieve_invoice(inv.id)
        assert paid.status == "paid"
        assert paid.amount_paid == 9_000
        payments = await gw.list_invoice_payments(inv.id)
        assert [p.status for p in payments if p.status == "paid"] == ["paid"]
        assert sum(p.amount for p in payments if p.status == "paid") == 9_000

    target.run(body)


def test_events_page_newest_first(target: Target) -> None:
    async def body(gw: StripeGateway) -> None:
        start = datetime.now(UTC) - timedelta(seconds=5)
        customer = await _customer(gw)
        for _ in range(2):
            inv = await _open_invoice(gw, customer, USD_LINES[:1])
            await gw.void_invoice(
                inv.id, idempotency_key=idempotency_key(inv.tracker_invoice_id or "", "void")
            )
        first = await gw.list_events(types=INVOICE_EVENTS, limit=3, created_gte=start)
        assert len(first.events) == 3
        assert first.has_more
        assert all(e.type in INVOICE_EVENTS for e in first.events)
        assert all(e.object_type == "invoice" for e in first.events)
        assert first.events[0].created >= first.events[-1].created
        rest = await gw.list_events(
            types=INVOICE_EVENTS, starting_after=first.events[-1].id, created_gte=start
        )
        ids = [e.id for e in first.events + rest.events]
        assert len(ids) == len(set(ids))
        # 2 invoices x (created, finalized, voided) made after `start`.
        assert len(ids) >= 6
        newer = await gw.list_events(types=INVOICE_EVENTS, ending_before=first.events[-1].id)
        assert {e.id for e in newer.events} >= {e.id for e in first.events[:-1]}
        assert first.events[-1].id not in {e.id for e in newer.events}

    target.run(body)


def test_same_idempotency_key_gives_one_invoice(target: Target) -> None:
    async def body(gw: StripeGateway) -> None:
        customer = await _customer(gw)
        local = str(uuid.uuid4())
        key = idempotency_key(local, "create-invoice")

        async def create(days: int = 14) -> StripeInvoice:
            return await gw.create_invoice(
                customer_id=customer.id,
                currency="USD",
                days_until_due=days,
                tracker_invoice_id=local,
                idempotency_key=key,
            )

        first = await create()
        second = await create()
        assert first.id == second.id
        listed = await gw.list_invoices(customer_id=customer.id)
        assert [i.id for i in listed.invoices] == [first.id]
        with pytest.raises(IdempotencyConflict):
            await create(days=30)  # same key, different body: a bug, never a second invoice
        assert await gw.find_invoice_by_tracker_id(local, customer_id=customer.id) == second
        assert (
            await gw.find_invoice_by_tracker_id(str(uuid.uuid4()), customer_id=customer.id) is None
        )

    target.run(body)


def test_invoice_pdf_bytes(target: Target) -> None:
    async def body(gw: StripeGateway) -> None:
        customer = await _customer(gw)
        inv = await _open_invoice(gw, customer, USD_LINES)
        assert inv.invoice_pdf is not None
        pdf = await gw.download_invoice_pdf(inv.invoice_pdf)
        assert pdf.startswith(b"%PDF")
        assert len(pdf) > 500

    target.run(body)


def test_unknown_invoice_is_not_found(target: Target) -> None:
    with pytest.raises(NotFound) as info:
        target.run(lambda gw: gw.retrieve_invoice("in_" + "0" * 24))
    assert info.value.request_id


def test_amount_over_stripe_max_is_invalid_request_with_param(target: Target) -> None:
    async def body(gw: StripeGateway) -> None:
        customer = await _customer(gw)
        await _open_invoice(
            gw, customer, [LineDraft("Patek Philippe 5711/1A", Money(100_000_000, "USD"))]
        )

    with pytest.raises(InvalidRequest) as info:
        target.run(body)
    assert info.value.param is not None
    assert "unit_amount" in info.value.param


def test_zero_decimal_jpy_amounts(target: Target) -> None:
    async def body(gw: StripeGateway) -> None:
        customer = await _customer(gw)
        lines = [
            LineDraft("Grand Seiko SBGA211", Money(780_000, "JPY")),
            LineDraft("Overhaul", Money(55_000, "JPY"), 2),
        ]
        inv = await _open_invoice(gw, customer, lines)
        assert inv.currency == "JPY"
        assert inv.total == 780_000 + 2 * 55_000
        assert inv.amount_due == 890_000

    target.run(body)


def test_three_decimal_amount_must_end_in_zero(target: Target) -> None:
    async def body(gw: StripeGateway) -> StripeInvoice:
        customer = await _customer(gw)
        return await _open_invoice(gw, customer, [LineDraft("Service", Money(12_340, "KWD"))])

    inv = target.run(body)
    assert inv.currency == "KWD"
    assert inv.total == 12_340
