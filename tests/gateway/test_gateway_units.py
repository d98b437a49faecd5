"""Gateway pieces that need no server: keys, request bodies, error mapping, object mapping.

The SDK's own exception and object classes are built directly from Stripe-shaped JSON; nothing
of stripe is patched.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
import stripe

from tracker_desktop.domain.errors import (
    AuthenticationFailed,
    CardDeclined,
    GatewayError,
    IdempotencyConflict,
    InvalidRequest,
    NotFound,
    Offline,
    PermissionDenied,
    RateLimited,
    StripeUnavailable,
)
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.stripe_types import CustomerDraft, LineDraft
from tracker_desktop.stripe_gateway import (
    StripeGateway,
    idempotency_key,
    key_kind,
    mapping,
    requests,
    scrub,
)
from tracker_desktop.stripe_gateway.core import livemode_of
from tracker_desktop.stripe_gateway.errors import (
    AUTH_MESSAGE,
    MODE_MISMATCH_MESSAGE,
    OFFLINE_MESSAGE,
    map_error,
)


def live_key(kind: str, body: str) -> str:
    """A live-mode key shape for the test, assembled so no literal in the source looks like
    a real live secret to a scanner."""
    return f"{kind}_live_{body}"


KEY = "sk_test_51UnitKeyMiddlePartXyZ0123456789abcdef"


# -- keys ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "restricted", "live"),
    [
        ("sk_test_abc", False, False),
        (live_key("sk", "abc"), False, True),
        ("rk_test_abc", True, False),
        (live_key("rk", "abc"), True, True),
        ("  sk_test_abc\n", False, False),
    ],
)
def test_key_kind_from_prefix(key: str, restricted: bool, live: bool) -> None:
    kind = key_kind(key)
    assert (kind.restricted, kind.livemode) == (restricted, live)


@pytest.mark.parametrize("key", ["pk_test_abc", "sk_test_", "hello", "", "whsec_abc"])
def test_other_keys_refused_before_sending(key: str) -> None:
    with pytest.raises(AuthenticationFailed) as info:
        StripeGateway(key, api_base="http://127.0.0.1:9")  # nothing listens: nothing is sent
    if key:
        assert key not in str(info.value)


def test_scrub_removes_keys_and_bearer_tokens() -> None:
    text = f"Invalid API Key provided: {KEY}; {live_key('rk', 'abc')}*****1234 header Bearer {KEY}"
    cleaned = scrub(text)
    assert "sk_test_" not in cleaned
    assert "rk_live_" not in cleaned
    assert "MiddlePart" not in cleaned


def test_idempotency_key_is_deterministic_per_operation_and_step() -> None:
    local = uuid.UUID("8f0e2a3c-1111-4222-8333-944455556666")
    assert idempotency_key(local, "create-invoice") == f"{local}:create-invoice"
    assert idempotency_key(str(local), "create-invoice") == idempotency_key(local, "create-invoice")
    assert idempotency_key(local, "add-lines") != idempotency_key(local, "create-invoice")
    with pytest.raises(ValueError, match="step"):
        idempotency_key(local, " ")
    with pytest.raises(ValueError, match="longer"):
        idempotency_key(local, "x" * 300)


def test_gateway_repr_shows_no_key() -> None:
    gw = StripeGateway(KEY, api_base="http://127.0.0.1:9")
    assert "sk_" not in repr(gw)
    assert "MiddlePart" not in repr(gw)
    assert gw.livemode is False


# -- request bodies -----------------------------------------------------------------------


def test_add_lines_one_request_in_minor_units_any_exponent() -> None:
    jpy = requests.add_lines([LineDraft("Rolex Submariner 126610LN", Money(1_850_000, "JPY"), 1)])[
        "lines"
    ]
    assert jpy[0]["price_data"] == {
        "currency": "jpy",
        "unit_amount": 1_850_000,
        "product_data": {"name": "Rolex Submariner 126610LN"},
    }
    kwd = requests.add_lines([LineDraft("Strap", Money(12_340, "KWD"), 2)])["lines"]
    assert kwd[0]["price_data"]["unit_amount"] == 12_340
    assert kwd[0]["quantity"] == 2


def test_add_lines_refuses_mixed_currency_empty_and_zero_quantity() -> None:
    with pytest.raises(ValueError, match="same currency"):
        requests.add_lines([LineDraft("a", Money(1, "USD")), LineDraft("b", Money(1, "EUR"))])
    with pytest.raises(ValueError, match="at least one"):
        requests.add_lines([])
    with pytest.raises(ValueError, match="quantity"):
        requests.add_lines([LineDraft("a", Money(1, "USD"), 0)])


def test_invoice_create_is_send_invoice_without_auto_advance() -> None:
    params = requests.invoice_create(
        customer_id="cus_1",
        currency="CHF",
        days_until_due=14,
        tracker_invoice_id="loc-1",
        memo="Thank you",
        footer=None,
    )
    assert params["collection_method"] == "send_invoice"
    assert params["auto_advance"] is False
    assert params["currency"] == "chf"
    assert params["metadata"] == {"tracker_invoice_id": "loc-1"}
    assert params["description"] == "Thank you"
    assert "footer" not in params


def test_customer_update_clears_what_was_removed() -> None:
    params = requests.customer_update(CustomerDraft(name="A. Buyer"))
    assert params["email"] == ""
    assert params["phone"] == ""
    assert params["address"] == ""


def test_mutating_methods_require_a_key() -> None:
    import asyncio

    async def go() -> None:
        async with StripeGateway(KEY, api_base="http://127.0.0.1:9") as gw:
            with pytest.raises(ValueError, match="idempotency"):
                await gw.finalize_invoice("in_1", idempotency_key="  ")

    asyncio.run(go())


# -- error mapping ------------------------------------------------------------------------


def _error(cls: type[stripe.StripeError], status: int, **err: Any) -> stripe.StripeError:
    body = {"error": err}
    headers = {"request-id": "req_unit"}
    raw = json.dumps(body)
    if cls in (stripe.InvalidRequestError, stripe.CardError):
        return cls(
            err.get("message"), err.get("param"), err.get("code"), raw, status, body, headers
        )  # type: ignore[call-arg]
    return cls(err.get("message"), raw, status, body, headers)


def test_authentication_error_mapped_with_fixed_message() -> None:
    exc = _error(stripe.AuthenticationError, 401, message=f"Invalid API Key provided: {KEY}")
    mapped = map_error(exc)
    assert isinstance(mapped, AuthenticationFailed)
    assert str(mapped) == AUTH_MESSAGE
    assert mapped.request_id == "req_unit"


def test_permission_error_names_the_permission() -> None:
    exc = _error(
        stripe.PermissionError,
        403,
        message="The provided key 'rk_test_****abcd' does not have the required permissions "
        "for this endpoint on account 'acct_1'. Having the 'rak_invoice_write' permission "
        "would allow this request to continue.",
    )
    mapped = map_error(exc)
    assert isinstance(mapped, PermissionDenied)
    assert "Invoice: Write" in str(mapped)
    assert "rk_test" not in str(mapped)


@pytest.mark.parametrize(
    ("exc", "expected", "param"),
    [
        (
            _error(stripe.CardError, 402, message="Your card was declined.", code="card_declined"),
            CardDeclined,
            None,
        ),
        (_error(stripe.RateLimitError, 429, message="Too many"), RateLimited, None),
        (stripe.APIConnectionError("boom"), Offline, None),
        (_error(stripe.APIError, 503, message="down"), StripeUnavailable, None),
        (_error(stripe.APIError, 500, message="oops"), StripeUnavailable, None),
        (
            _error(
                stripe.InvalidRequestError,
                400,
                message="Amount must be no more than $999,999.99",
                param="lines[0][price_data][unit_amount]",
                code="amount_too_large",
            ),
            InvalidRequest,
            "lines[0][price_data][unit_amount]",
        ),
        (
            _error(
                stripe.InvalidRequestError,
                404,
                message="No such invoice: 'in_x'",
                param="id",
                code="resource_missing",
            ),
            NotFound,
            "id",
        ),
        (
            _error(
                stripe.IdempotencyError,
                400,
                message="Keys for idempotent requests...",
                type="idempotency_error",
            ),
            IdempotencyConflict,
            None,
        ),
        (
            # the same key still in flight: Stripe's documented `idempotency_key_in_use`
            _error(
                stripe.APIError,
                409,
                message="There is currently another in-progress request using this key.",
                code="idempotency_key_in_use",
                type="invalid_request_error",
            ),
            StripeUnavailable,
            None,
        ),
    ],
)
def test_error_mapping(
    exc: stripe.StripeError, expected: type[GatewayError], param: str | None
) -> None:
    mapped = map_error(exc)
    assert type(mapped) is expected
    assert mapped.param == param
    if expected is Offline:
        assert str(mapped) == OFFLINE_MESSAGE
    assert mapped.__cause__ is None


def test_retryable_flags() -> None:
    assert map_error(stripe.APIConnectionError("x")).retryable
    assert not map_error(_error(stripe.AuthenticationError, 401, message="x")).retryable


# -- object mapping -----------------------------------------------------------------------


def test_invoice_mapping_times_are_aware_utc() -> None:
    inv = stripe.Invoice.construct_from(
        {
            "id": "in_1",
            "object": "invoice",
            "number": "ABC-0001",
            "status": "paid",
            "currency": "jpy",
            "total": 1_850_000,
            "amount_due": 1_850_000,
            "amount_paid": 1_850_000,
            "amount_remaining": 0,
            "customer": "cus_1",
            "due_date": 1_800_000_000,
            "created": 1_799_000_000,
            "status_transitions": {
                "finalized_at": 1_799_000_100,
                "paid_at": 1_799_000_200,
                "voided_at": None,
                "marked_uncollectible_at": None,
            },
            "hosted_invoice_url": "https://invoice.stripe.com/i/x",
            "invoice_pdf": "https://pay.stripe.com/invoice/x/pdf",
            "metadata": {"tracker_invoice_id": "loc-1"},
            "last_finalization_error": None,
            "livemode": False,
        },
        None,
    )
    mapped = mapping.invoice(inv)
    assert mapped.currency == "JPY"
    assert mapped.total == 1_850_000
    assert mapped.paid_at == datetime.fromtimestamp(1_799_000_200, tz=UTC)
    assert mapped.due_date is not None
    assert mapped.due_date.tzinfo is UTC
    assert mapped.voided_at is None
    assert mapped.tracker_invoice_id == "loc-1"


def test_customer_payment_method_summary_when_expanded() -> None:
    cust = stripe.Customer.construct_from(
        {
            "id": "cus_1",
            "object": "customer",
            "name": "A. Buyer",
            "email": "a@example.com",
            "phone": None,
            "address": {"line1": "1 Rue", "city": "Genève", "country": "CH", "line2": None},
            "metadata": {},
            "created": 1_799_000_000,
            "invoice_settings": {
                "default_payment_method": {
                    "id": "pm_1",
                    "object": "payment_method",
                    "type": "card",
                    "card": {"brand": "visa", "last4": "4242"},
                }
            },
        },
        None,
    )
    mapped = mapping.customer(cust)
    assert mapped.payment_method_summary == "Visa ending 4242"
    assert mapped.address == {"line1": "1 Rue", "city": "Genève", "country": "CH"}


def test_invoice_payment_processing_bank_debit() -> None:
    payment = stripe.InvoicePayment.construct_from(
        {
            "id": "inpay_1",
            "object": "invoice_payment",
            "status": "open",
            "amount_paid": None,
            "amount_requested": 500_000,
            "currency": "usd",
            "created": 1_799_000_000,
            "payment": {
                "type": "payment_intent",
                "payment_intent": {
                    "id": "pi_1",
                    "object": "payment_intent",
                    "status": "processing",
                    "payment_method_types": ["card", "us_bank_account"],
                    "payment_method": {"id": "pm_1", "type": "us_bank_account"},
                    "last_payment_error": None,
                },
            },
        },
        None,
    )
    mapped = mapping.invoice_payment(payment)
    assert mapped.processing is True
    assert mapped.method_type == "us_bank_account"
    assert mapped.amount == 500_000


# -- test or live mode ----------------------------------------------------------------------


def _invoice(livemode: bool) -> stripe.Invoice:
    return stripe.Invoice.construct_from(
        {"id": "in_1", "object": "invoice", "livemode": livemode}, None
    )


def test_mode_is_read_from_objects_livemode_not_the_account() -> None:
    assert livemode_of(_invoice(True)) is True
    page = stripe.ListObject.construct_from(
        {"object": "list", "data": [_invoice(False).to_dict()], "has_more": False, "url": "/"},
        None,
    )
    assert livemode_of(page) is False
    empty = stripe.ListObject.construct_from(
        {"object": "list", "data": [], "has_more": False, "url": "/"}, None
    )
    assert livemode_of(empty) is None
    # Stripe's Account has no `livemode`: whatever an answer adds there is not read
    account = stripe.Account.construct_from({"id": "acct_1", "object": "account"}, None)
    assert livemode_of(account) is None


def test_answer_in_the_other_mode_is_refused() -> None:
    import asyncio

    async def go() -> None:
        async with StripeGateway(KEY, api_base="http://127.0.0.1:9") as gw:
            same = await gw._call("GET", "/v1/invoices/in_1", _answer(_invoice(False)))
            assert same.id == "in_1"
            with pytest.raises(InvalidRequest) as info:
                await gw._call("GET", "/v1/invoices/in_1", _answer(_invoice(True)))
            assert str(info.value) == MODE_MISMATCH_MESSAGE
        async with StripeGateway(live_key("sk", "abc"), api_base="http://127.0.0.1:9") as live:
            with pytest.raises(InvalidRequest):
                await live._call("GET", "/v1/invoices/in_1", _answer(_invoice(False)))

    asyncio.run(go())


def _answer(obj: stripe.Invoice) -> Any:
    async def op() -> stripe.Invoice:
        return obj

    return op
