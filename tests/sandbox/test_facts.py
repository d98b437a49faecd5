"""The simulator's Stripe facts (from Stripe's documentation) against the app's own.

The simulator keeps its facts in tracker_desktop/sandbox/facts.py, read from Stripe's pages,
so that it catches the app's mistakes instead of sharing them. Where the two disagree,
Stripe's documentation is right: each test names the page and the case.
"""

from __future__ import annotations

import pytest
import stripe

from tracker_desktop.domain.currencies import KNOWN, THREE_DECIMAL, ZERO_DECIMAL, currency
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import stripe_max
from tracker_desktop.sandbox import facts

from .conftest import open_invoice


def test_currency_lists_agree() -> None:
    # https://docs.stripe.com/currencies: presentment, zero-decimal and three-decimal lists
    assert {c.lower() for c in KNOWN} == facts.SUPPORTED_CURRENCIES
    assert {c.lower() for c in ZERO_DECIMAL} == facts.ZERO_DECIMAL
    assert {c.lower() for c in THREE_DECIMAL} == facts.THREE_DECIMAL
    for code in KNOWN:
        assert currency(code).exponent == facts.exponent(code), code


@pytest.mark.parametrize("code", sorted(KNOWN))
def test_amount_steps_agree(code: str) -> None:
    # ISK is the case the app had wrong: "the amount value must be evenly divisible by 100"
    # (https://docs.stripe.com/currencies#special-cases); three-decimal amounts end in 0.
    assert currency(code).minor_step == facts.amount_step(code)


@pytest.mark.parametrize("code", sorted(KNOWN))
def test_amount_caps_agree(code: str) -> None:
    # IDR is the case the app had wrong: "up to twelve digits for IDR ... and up to eight digits
    # for all other currencies" (https://docs.stripe.com/currencies#minimum-and-maximum-...).
    # The app's cap is the largest amount Stripe takes: under the digits, on the step.
    cap, step = stripe_max(code), facts.amount_step(code)
    assert cap.minor <= facts.max_amount(code) < cap.minor + step
    assert cap.minor % step == 0
    assert cap.minor == currency(code).max_minor


def test_app_and_simulator_take_a_twelve_digit_rupiah_invoice(client: stripe.StripeClient) -> None:
    assert Money(999_999_999_900, "IDR") <= stripe_max("IDR")
    inv = open_invoice(client, currency="idr", amount=999_999_999_900)
    assert inv.total == 999_999_999_900


def test_simulator_refuses_fractions_of_a_krona(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as err:
        open_invoice(client, currency="isk", amount=12_345)
    assert err.value.param == "lines[0][price_data][unit_amount]"
    assert open_invoice(client, currency="isk", amount=12_300).total == 12_300
