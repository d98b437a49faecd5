"""The split above Stripe's cap and the deposit's amount: exact integer arithmetic."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tracker_desktop.domain.currencies import currency
from tracker_desktop.domain.errors import ValidationError
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.sale_math import (
    DepositRule,
    check_deposit,
    deposit_by_rule,
    parts_needed,
    percent_of,
    split_total,
)

SPLIT_CURRENCIES = st.sampled_from(["USD", "JPY", "KWD", "BHD", "ISK", "IDR"])


@st.composite
def totals(draw: st.DrawFn) -> Money:
    code = draw(SPLIT_CURRENCIES)
    cur = currency(code)
    steps = draw(st.integers(1, cur.max_minor * 7 // cur.minor_step))
    return Money(steps * cur.minor_step, code)


@given(total=totals())
@example(total=Money(99_999_999 * 2 + 1, "USD"))
@example(total=Money(99_999_999 * 3, "JPY"))
@example(total=Money(99_999_990 + 10, "KWD"))
def test_split_parts_add_up_each_within_the_cap(total: Money) -> None:
    cur = currency(total.currency)
    parts = split_total(total)
    assert sum(p.minor for p in parts) == total.minor
    assert all(0 < p.minor <= cur.max_minor for p in parts)
    assert all(p.minor % cur.minor_step == 0 for p in parts)
    assert all(p.currency == total.currency for p in parts)
    # The fewest parts: one fewer could not hold the total under the cap.
    assert len(parts) == parts_needed(total)
    assert (len(parts) - 1) * cur.max_minor < total.minor
    # As equal as the step allows, the larger parts first: the same total, the same split.
    assert max(parts, key=lambda p: p.minor).minor - min(parts, key=lambda p: p.minor).minor in (
        0,
        cur.minor_step,
    )
    assert [p.minor for p in parts] == sorted((p.minor for p in parts), reverse=True)
    assert split_total(total) == parts


def test_split_examples_in_three_currencies() -> None:
    assert [p.minor for p in split_total(Money(150_000_001, "USD"))] == [75_000_001, 75_000_000]
    assert [p.minor for p in split_total(Money(250_000_000, "JPY"))] == [
        83_333_334,
        83_333_333,
        83_333_333,
    ]
    # KWD 150,000.010: 15,000,001 steps of 10 fils; the extra step goes to the first part.
    assert [p.minor for p in split_total(Money(150_000_010, "KWD"))] == [75_000_010, 75_000_000]
    assert len(split_total(Money(99_999_999, "USD"))) == 1


def test_split_refuses_amounts_stripe_cannot_take() -> None:
    with pytest.raises(ValidationError):
        split_total(Money(150_000_005, "KWD"))  # not a multiple of 10 fils
    with pytest.raises(ValidationError):
        split_total(Money(0, "USD"))
    assert len(split_total(Money(99_999_999 * 20, "USD"))) == 20
    with pytest.raises(ValidationError, match="wire transfer"):
        split_total(Money(99_999_999 * 20 + 1, "USD"))


@given(
    total=st.integers(2, 10**12),
    bp=st.integers(1, 9_999),
    code=st.sampled_from(["USD", "JPY", "KWD"]),
)
def test_percent_never_exceeds_the_share_and_keeps_the_step(total: int, bp: int, code: str) -> None:
    amount = percent_of(Money(total, code), bp)
    step = currency(code).minor_step
    assert amount.minor % step == 0
    assert amount.minor * 10_000 <= total * bp
    assert (amount.minor + step) * 10_000 > total * bp


def test_rule_fixed_below_threshold_percentage_from_it() -> None:
    rule = DepositRule(
        threshold=Money(2_000_000, "USD"), fixed=Money(100_000, "USD"), percent_bp=3_000
    )
    assert deposit_by_rule(Money(1_999_999, "USD"), rule) == Money(100_000, "USD")
    assert deposit_by_rule(Money(5_000_000, "USD"), rule) == Money(1_500_000, "USD")
    with pytest.raises(ValidationError, match="EUR"):
        deposit_by_rule(Money(5_000_000, "EUR"), rule)


def test_rule_refuses_nonsense() -> None:
    with pytest.raises(ValidationError):
        DepositRule(Money(100, "USD"), Money(10, "USD"), percent_bp=10_000)
    with pytest.raises(ValidationError):
        DepositRule(Money(100, "USD"), Money(0, "USD"), percent_bp=1_000)


def test_deposit_must_leave_a_balance_within_the_cap() -> None:
    total = Money(1_000_000, "USD")
    check_deposit(total, Money(200_000, "USD"))
    for bad in (Money(0, "USD"), Money(1_000_000, "USD"), Money(5, "EUR")):
        with pytest.raises(ValidationError):
            check_deposit(total, bad)
    with pytest.raises(ValidationError, match="split"):
        check_deposit(Money(150_000_000, "USD"), Money(10_000, "USD"))
    with pytest.raises(ValidationError):
        check_deposit(Money(100_000, "KWD"), Money(15, "KWD"))
