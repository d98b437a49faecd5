import contextlib
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker_desktop.domain.currencies import KNOWN, currency
from tracker_desktop.domain.errors import ValidationError
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import (
    format_amount,
    format_money,
    parse_money,
    stripe_max,
)

LOCALES = ["en_US", "de_DE", "de_CH", "fr_FR", "ja_JP", "en_GB"]
CURRENCIES = ["USD", "EUR", "CHF", "GBP", "ISK", "JPY", "KRW", "KWD", "BHD"]


@pytest.mark.parametrize(
    ("text", "code", "locale", "minor"),
    [
        ("1,250.50", "USD", "en_US", 125050),
        ("1.250,50", "EUR", "de_DE", 125050),
        ("1'250.50", "CHF", "de_CH", 125050),
        ("1’250.50", "CHF", "de_CH", 125050),
        ("¥150000", "JPY", "ja_JP", 150000),
        ("￥150,000", "JPY", "ja_JP", 150000),
        ("１５０，０００", "JPY", "ja_JP", 150000),
        ("150,000", "JPY", "en_US", 150000),
        ("$1,250", "USD", "en_US", 125000),
        ("US$1,250", "USD", "en_GB", 125000),
        ("CHF 1'250.00", "CHF", "de_CH", 125000),
        ("  1 250,50 € ", "EUR", "fr_FR", 125050),
        ("1\u00a0250,50", "EUR", "fr_FR", 125050),
        ("1\u202f250,50\u00a0€", "EUR", "fr_FR", 125050),
        ("1 250.50", "USD", "en_US", 125050),
        ("1250.5", "USD", "en_US", 125050),
        ("usd 12", "USD", "en_US", 1200),
        ("1.250", "KWD", "en_US", 1250),
        ("0", "USD", "en_US", 0),
        ("999,999.99", "USD", "en_US", 99999999),
    ],
)
def test_parses_what_people_type(text: str, code: str, locale: str, minor: int) -> None:
    assert parse_money(text, code, locale) == Money(minor, code)


@pytest.mark.parametrize(
    ("text", "code", "locale", "message"),
    [
        ("150.000", "JPY", "en_US", "JPY has no decimals: enter whole yen"),
        ("1.250", "USD", "en_US", "USD has 2 decimals at most"),
        ("1.001", "EUR", "de_CH", "EUR has 2 decimals at most"),
        ("1.255", "KWD", "en_US", "KWD amounts must end in 0 (e.g. 1.250)"),
        ("1,25", "USD", "en_US", "Enter an amount like 1,250.50"),
        ("1,250.50", "EUR", "de_DE", "Enter an amount like 1.250,50"),
        ("", "USD", "en_US", "Enter an amount like"),
        ("   ", "USD", "en_US", "Enter an amount like"),
        ("abc", "USD", "en_US", "Enter an amount like"),
        ("1E5", "USD", "en_US", "Enter an amount like"),
        ("NaN", "USD", "en_US", "Enter an amount like"),
        ("-5", "USD", "en_US", "cannot be negative"),
        ("$-5", "USD", "en_US", "cannot be negative"),
        ("(5.00)", "USD", "en_US", "cannot be negative"),
        ("€5", "USD", "en_US", "This invoice is in USD"),
        ("EUR 5", "USD", "en_US", "This invoice is in USD"),
        ("1,000,000", "USD", "en_US", "Stripe accepts at most $999,999.99"),
        ("100000000", "JPY", "en_US", "Stripe accepts at most ¥99,999,999"),
        ("1.250.", "EUR", "de_DE", "Enter an amount like"),
    ],
)
def test_refuses_with_a_message_for_the_dealer(
    text: str, code: str, locale: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)) as e:
        parse_money(text, code, locale, field="price")
    assert e.value.field == "price"


def test_unknown_currency_is_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        parse_money("1", "XYZ", "en_US")


def test_formats_with_stripe_decimals_not_cldr() -> None:
    assert format_money(Money(125050, "USD"), "en_US") == "$1,250.50"
    assert format_money(Money(125050, "EUR"), "de_DE") == "1.250,50\u00a0€"
    assert format_money(Money(150000, "JPY"), "ja_JP") == "￥150,000"
    assert format_money(Money(1250, "KWD"), "en_US") == "KWD1.250"
    # CLDR gives ISK no decimals; Stripe counts two.
    assert format_money(Money(100, "ISK"), "en_US") == "ISK1.00"
    assert format_amount(Money(125050, "CHF"), "de_CH") == "1’250.50"
    assert format_amount(Money(125050, "CHF"), "de_CH", grouping=False) == "1250.50"


def test_stripe_max_per_currency() -> None:
    # Eight digits of the smallest unit, on the currency's step; twelve digits for IDR.
    assert stripe_max("USD").to_major() == Decimal("999999.99")
    assert stripe_max("JPY").to_major() == Decimal(99_999_999)
    assert stripe_max("KWD").to_major() == Decimal("99999.990")
    assert stripe_max("ISK").to_major() == Decimal("999999.00")
    assert stripe_max("IDR").to_major() == Decimal("9999999999.99")


def _money_in_range(code: str) -> st.SearchStrategy[Money]:
    step = currency(code).minor_step
    return st.integers(0, stripe_max(code).minor // step).map(lambda n: Money(n * step, code))


money_in_range = st.sampled_from(CURRENCIES).flatmap(_money_in_range)


@given(money=money_in_range, locale=st.sampled_from(LOCALES))
def test_format_then_parse_round_trips(money: Money, locale: str) -> None:
    assert parse_money(format_money(money, locale), money.currency, locale) == money
    assert parse_money(format_amount(money, locale), money.currency, locale) == money
    plain = format_amount(money, locale, grouping=False)
    assert parse_money(plain, money.currency, locale) == money


@given(
    text=st.text(alphabet="0123456789.,'’ $€¥-\u00a0\u202fUSDabc()", max_size=14),
    code=st.sampled_from(CURRENCIES),
    locale=st.sampled_from(LOCALES),
)
def test_parse_returns_money_or_refuses(text: str, code: str, locale: str) -> None:
    try:
        result = parse_money(text, code, locale)
    except ValidationError:
        return
    assert isinstance(result, Money)
    assert isinstance(result.minor, int)
    assert not isinstance(result.minor, float)
    assert 0 <= result.minor <= stripe_max(code).minor


@given(text=st.text(max_size=20), locale=st.sampled_from(LOCALES))
def test_parse_never_crashes_on_any_text(text: str, locale: str) -> None:
    with contextlib.suppress(ValidationError):
        parse_money(text, "USD", locale)


WIDER_LOCALES = ["ar_EG", "hi_IN", "it_CH", "sv_SE", "pl_PL", "he_IL", "zh_CN", "ko_KR"]


@given(
    code=st.sampled_from(sorted(KNOWN)),
    n=st.integers(0, 10**12),
    locale=st.sampled_from(LOCALES + WIDER_LOCALES),
)
def test_round_trip_every_stripe_currency(code: str, n: int, locale: str) -> None:
    # Direction marks (ar_EG), lakh grouping (hi_IN), symbols in other scripts all come back.
    step = currency(code).minor_step
    money = Money(n % (stripe_max(code).minor // step + 1) * step, code)
    assert parse_money(format_money(money, locale), code, locale) == money
