"""Credit notes and credit lines through the gateway, over real HTTP against the simulator.

Each test uses a fresh simulator account (its own key), so counts and lists are its own.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import pytest

from tracker_desktop.domain.errors import IdempotencyConflict, InvalidRequest, NotFound, Offline
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.stripe_types import (
    CREDIT_NOTE_ISSUED,
    CREDIT_NOTE_VOID,
    CREDIT_ORDER_CHANGE,
    CREDIT_PRODUCT_UNSATISFACTORY,
    CreditLineDraft,
    CreditNoteDraft,
    CustomerDraft,
    LineDraft,
    StripeInvoice,
)
from tracker_desktop.stripe_gateway import StripeGateway, idempotency_key
from tracker_desktop.stripe_gateway.requests import add_lines, credit_note_create

T = TypeVar("T")
WATCH = LineDraft("Patek Philippe 5167A", Money(3_450_000, "USD"))
TRADE_IN = LineDraft("Trade-in: Rolex 16610, serial Z123456", Money(-900_000, "USD"))


@pytest.fixture
def sb(sandbox: Any) -> Iterator[Any]:
    sandbox.clear_faults()
    yield sandbox
    sandbox.clear_faults()


@pytest.fixture
def key(sandbox: Any) -> str:
    return str(sandbox.new_key(tag="credit"))


def _run(sb: Any, key: str, body: Callable[[StripeGateway], Awaitable[T]], **kw: Any) -> T:
    async def main() -> T:
        async with StripeGateway(key, api_base=sb.base_url, **kw) as gw:
            return await body(gw)

    return asyncio.run(main())


async def _invoice(
    gw: StripeGateway, lines: list[LineDraft], currency: str = "USD"
) -> StripeInvoice:
    local = str(uuid.uuid4())
    cus = await gw.create_customer(
        CustomerDraft(name="Credit Buyer", email="buyer@example.com"),
        idempotency_key=idempotency_key(local, "customer"),
    )
    inv = await gw.create_invoice(
        customer_id=cus.id,
        currency=currency,
        days_until_due=7,
        tracker_invoice_id=local,
        idempotency_key=idempotency_key(local, "create-invoice"),
    )
    await gw.add_lines(inv.id, lines, idempotency_key=idempotency_key(local, "add-lines"))
    return await gw.finalize_invoice(inv.id, idempotency_key=idempotency_key(local, "finalize"))


def _usd(minor: int) -> Money:
    return Money(minor, "USD")


# -- credit lines -----------------------------------------------------------------------------


def test_a_trade_in_line_lowers_the_invoice_total(sb: Any, key: str) -> None:
    inv = _run(sb, key, lambda gw: _invoice(gw, [WATCH, TRADE_IN]))
    assert inv.total == inv.amount_due == 3_450_000 - 900_000
    lines = _run(sb, key, lambda gw: gw.list_invoice_lines(inv.id))
    assert [(li.description, li.amount) for li in lines] == [
        ("Patek Philippe 5167A", 3_450_000),
        ("Trade-in: Rolex 16610, serial Z123456", -900_000),
    ]


def test_credit_line_request_is_a_negative_amount_of_one() -> None:
    params = add_lines([WATCH, TRADE_IN])
    assert params["lines"][1] == {
        "description": "Trade-in: Rolex 16610, serial Z123456",
        "amount": -900_000,
    }
    with pytest.raises(ValueError, match="quantity of 1"):
        add_lines([LineDraft("Two trade-ins", Money(-100, "USD"), quantity=2)])


def test_an_allowance_above_the_price_is_refused_with_stripes_reason(sb: Any, key: str) -> None:
    too_much = LineDraft("Trade-in worth more", Money(-3_500_000, "USD"))
    with pytest.raises(InvalidRequest) as err:
        _run(sb, key, lambda gw: _invoice(gw, [WATCH, too_much]))
    assert err.value.code == "amount_too_small"
    assert err.value.param == "lines"
    assert "below 0" in str(err.value)


# -- credit notes -----------------------------------------------------------------------------


def test_credit_note_on_an_open_invoice_per_line(sb: Any, key: str) -> None:
    inv = _run(sb, key, lambda gw: _invoice(gw, [WATCH]))
    line = _run(sb, key, lambda gw: gw.list_invoice_lines(inv.id))[0]
    draft = CreditNoteDraft(
        invoice_id=inv.id,
        currency="USD",
        lines=(CreditLineDraft(invoice_line_id=line.id, amount=_usd(150_000)),),
        reason=CREDIT_ORDER_CHANGE,
        memo="Bracelet shortened, links kept",
        metadata={"tracker_credit_id": "credit-1"},
    )
    note = _run(sb, key, lambda gw: gw.create_credit_note(draft, idempotency_key="c1:credit"))
    assert note.number == f"{inv.number}-CN-01"
    assert (note.invoice_id, note.currency, note.total) == (inv.id, "USD", 150_000)
    assert (note.pre_payment_amount, note.post_payment_amount) == (150_000, 0)
    assert note.status == CREDIT_NOTE_ISSUED
    assert note.reason == CREDIT_ORDER_CHANGE
    assert note.memo == "Bracelet shortened, links kept"
    assert note.metadata == {"tracker_credit_id": "credit-1"}
    assert [(li.type, li.invoice_line_id, li.amount) for li in note.lines] == [
        ("invoice_line_item", line.id, 150_000)
    ]
    assert note.pdf.startswith(sb.base_url)
    after = _run(sb, key, lambda gw: gw.retrieve_invoice(inv.id))
    assert after.amount_remaining == 3_450_000 - 150_000
    assert after.pre_payment_credit_notes_amount == 150_000
    assert after.post_payment_credit_notes_amount == 0
    assert _run(sb, key, lambda gw: gw.retrieve_credit_note(note.id)) == note


def test_refund_and_wire_on_a_paid_invoice(sb: Any, key: str) -> None:
    inv = _run(sb, key, lambda gw: _invoice(gw, [WATCH]))
    sb.pay_as_buyer(inv.id)
    draft = CreditNoteDraft(
        invoice_id=inv.id,
        currency="USD",
        amount=_usd(1_000_000),
        reason=CREDIT_PRODUCT_UNSATISFACTORY,
        refund=_usd(600_000),
        out_of_band=_usd(400_000),
    )
    note = _run(sb, key, lambda gw: gw.create_credit_note(draft, idempotency_key="c2:credit"))
    assert (note.pre_payment_amount, note.post_payment_amount) == (0, 1_000_000)
    assert (note.refund_amount, note.out_of_band_amount, note.balance_credit_amount) == (
        600_000,
        400_000,
        0,
    )
    assert len(note.refund_ids) == 1
    after = _run(sb, key, lambda gw: gw.retrieve_invoice(inv.id))
    assert after.status == "paid"
    assert after.post_payment_credit_notes_amount == 1_000_000


def test_stripes_refusal_reaches_the_caller_with_its_reason(sb: Any, key: str) -> None:
    inv = _run(sb, key, lambda gw: _invoice(gw, [WATCH]))
    sb.pay_as_buyer(inv.id)
    short = CreditNoteDraft(
        invoice_id=inv.id, currency="USD", amount=_usd(10_000), refund=_usd(9_000)
    )
    with pytest.raises(InvalidRequest) as err:
        _run(sb, key, lambda gw: gw.create_credit_note(short, idempotency_key="c3:credit"))
    assert err.value.param == "refund_amount"
    assert "must equal the credit note's post-payment amount (10000)" in str(err.value)
    assert _run(sb, key, lambda gw: gw.list_credit_notes(inv.id)) == []
    with pytest.raises(NotFound):
        _run(sb, key, lambda gw: gw.retrieve_credit_note("cn_missing"))


def test_list_and_void(sb: Any, key: str) -> None:
    inv = _run(sb, key, lambda gw: _invoice(gw, [WATCH]))

    async def two(gw: StripeGateway) -> list[str]:
        made = []
        for n in (1, 2):
            draft = CreditNoteDraft(invoice_id=inv.id, currency="USD", amount=_usd(n * 1000))
            made.append((await gw.create_credit_note(draft, idempotency_key=f"c4:{n}")).id)
        return made

    first, second = _run(sb, key, two)
    assert [n.id for n in _run(sb, key, lambda gw: gw.list_credit_notes(inv.id))] == [
        second,
        first,
    ]
    voided = _run(sb, key, lambda gw: gw.void_credit_note(first, idempotency_key="c4:void-1"))
    assert voided.status == CREDIT_NOTE_VOID
    assert voided.voided_at is not None
    again = _run(sb, key, lambda gw: gw.void_credit_note(first, idempotency_key="c4:void-1"))
    assert again == voided  # the same key replays the same answer
    assert _run(sb, key, lambda gw: gw.retrieve_invoice(inv.id)).amount_remaining == (
        3_450_000 - 2000
    )


def test_the_same_key_returns_the_same_credit_note_and_other_data_is_refused(
    sb: Any, key: str
) -> None:
    inv = _run(sb, key, lambda gw: _invoice(gw, [WATCH]))
    draft = CreditNoteDraft(invoice_id=inv.id, currency="USD", amount=_usd(5000))
    first = _run(sb, key, lambda gw: gw.create_credit_note(draft, idempotency_key="c5:credit"))
    again = _run(sb, key, lambda gw: gw.create_credit_note(draft, idempotency_key="c5:credit"))
    assert again.id == first.id
    other = CreditNoteDraft(invoice_id=inv.id, currency="USD", amount=_usd(6000))
    with pytest.raises(IdempotencyConflict):
        _run(sb, key, lambda gw: gw.create_credit_note(other, idempotency_key="c5:credit"))
    assert len(_run(sb, key, lambda gw: gw.list_credit_notes(inv.id))) == 1


@pytest.mark.parametrize("with_refund", [False, True])
def test_answer_lost_after_stripe_applied_then_retried_with_the_same_key(
    sb: Any, key: str, with_refund: bool
) -> None:
    inv = _run(sb, key, lambda gw: _invoice(gw, [WATCH]))
    if with_refund:
        sb.pay_as_buyer(inv.id)
    draft = CreditNoteDraft(
        invoice_id=inv.id,
        currency="USD",
        amount=_usd(250_000),
        refund=_usd(250_000) if with_refund else None,
    )
    credit_key = idempotency_key(str(uuid.uuid4()), "credit-note")
    sb.inject_faults(kinds=["drop"], next=1, phase="after", methods=["POST"])
    with pytest.raises(Offline):
        _run(
            sb,
            key,
            lambda gw: gw.create_credit_note(draft, idempotency_key=credit_key),
            max_network_retries=0,
        )
    note = _run(sb, key, lambda gw: gw.create_credit_note(draft, idempotency_key=credit_key))
    notes = _run(sb, key, lambda gw: gw.list_credit_notes(inv.id))
    assert [n.id for n in notes] == [note.id]  # made once, found again
    after = _run(sb, key, lambda gw: gw.retrieve_invoice(inv.id))
    if with_refund:
        assert len(note.refund_ids) == 1
        assert after.post_payment_credit_notes_amount == 250_000
    else:
        assert after.amount_remaining == 3_450_000 - 250_000


def test_the_gateways_own_retries_survive_a_lost_answer(sb: Any, key: str) -> None:
    inv = _run(sb, key, lambda gw: _invoice(gw, [WATCH]))
    draft = CreditNoteDraft(invoice_id=inv.id, currency="USD", amount=_usd(1000))
    sb.inject_faults(kinds=["500"], next=1, phase="after", methods=["POST"])
    note = _run(sb, key, lambda gw: gw.create_credit_note(draft, idempotency_key="c6:credit"))
    assert [n.id for n in _run(sb, key, lambda gw: gw.list_credit_notes(inv.id))] == [note.id]


# -- the request --------------------------------------------------------------------------------


def test_credit_note_request_in_minor_units_with_stripes_names() -> None:
    draft = CreditNoteDraft(
        invoice_id="in_1",
        currency="JPY",
        lines=(
            CreditLineDraft(invoice_line_id="il_1", quantity=1),
            CreditLineDraft(description="Goodwill", amount=Money(5000, "JPY")),
        ),
        reason=CREDIT_ORDER_CHANGE,
        refund=Money(3000, "JPY"),
        balance_credit=Money(2000, "JPY"),
    )
    assert credit_note_create(draft) == {
        "invoice": "in_1",
        "lines": [
            {"type": "invoice_line_item", "invoice_line_item": "il_1", "quantity": 1},
            {"type": "custom_line_item", "description": "Goodwill", "unit_amount": 5000},
        ],
        "refund_amount": 3000,
        "credit_amount": 2000,
        "reason": "order_change",
    }


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        (CreditNoteDraft(invoice_id="in_1", currency="USD"), "lines, an amount"),
        (
            CreditNoteDraft(invoice_id="in_1", currency="USD", amount=Money(100, "EUR")),
            "in EUR",
        ),
        (
            CreditNoteDraft(invoice_id="in_1", currency="USD", amount=Money(-100, "USD")),
            "negative",
        ),
        (
            CreditNoteDraft(
                invoice_id="in_1", currency="USD", amount=Money(100, "USD"), reason="whim"
            ),
            "reason",
        ),
        (
            CreditNoteDraft(
                invoice_id="in_1",
                currency="USD",
                lines=(CreditLineDraft(invoice_line_id="il_1"),),
            ),
            "amount or by a quantity",
        ),
    ],
)
def test_credit_note_request_refuses_what_stripe_would(
    draft: CreditNoteDraft, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        credit_note_create(draft)


def test_credit_note_posts_require_a_key(sb: Any, key: str) -> None:
    draft = CreditNoteDraft(invoice_id="in_1", currency="USD", amount=_usd(100))
    with pytest.raises(ValueError, match="idempotency"):
        _run(sb, key, lambda gw: gw.create_credit_note(draft, idempotency_key=" "))
    with pytest.raises(ValueError, match="idempotency"):
        _run(sb, key, lambda gw: gw.void_credit_note("cn_1", idempotency_key=""))
