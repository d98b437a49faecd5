"""Whatever is typed, every money and form parser of the domain answers with a value or a
ValidationError (the message shown beside the field), never another exception."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Context, Decimal, InvalidOperation, localcontext
from typing import Any, TypeVar

import pytest
from absurd_input import AMOUNT_TEXT, CURRENCIES, FIELD_TEXT, LOCALES, huge_digit_runs
from babel.numbers import format_decimal
from hypothesis import example, given
from hypothesis import strategies as st

from tracker_desktop.domain.currencies import currency
from tracker_desktop.domain.draft import DraftLine, InvoiceDraft, validate_draft
from tracker_desktop.domain.errors import ValidationError
from tracker_desktop.domain.money import Money, stripe_max
from tracker_desktop.domain.money_format import (
    check_amount_for_stripe,
    format_amount,
    format_money,
    parse_money,
)
from tracker_desktop.domain.secret_text import stripe_key_problem
from tracker_desktop.domain.validation import (
    PostalAddress,
    required_text,
    text_problem,
    validate_country,
    validate_days_until_due,
    validate_email,
    validate_quantity,
)

T = TypeVar("T")


def outcome(check: Callable[..., T], *args: Any, **kwargs: Any) -> T | ValidationError:
    """What the check gives: its value, or the ValidationError it raised (any other exception
    fails the test)."""
    try:
        return check(*args, **kwargs)
    except ValidationError as exc:
        return exc


def is_message(result: object, field: str | None = None) -> bool:
    """A ValidationError with words to show, beside `field` when one is named."""
    return (
        isinstance(result, ValidationError)
        and bool(str(result).strip())
        and (field is None or result.field == field)
    )


def parsed_or_message(text: str, code: str, locale: str) -> Money | ValidationError:
    result = outcome(parse_money, text, code, locale, field="asking_price")
    assert isinstance(result, Money) or is_message(result, "asking_price")
    return result


@given(text=AMOUNT_TEXT, code=CURRENCIES, locale=LOCALES)
@example(text="1,111,111,111,111,111,111,111,111,111.00", code="USD", locale="en_US")
@example(text="1.111.111.111.111.111.111.111.111.111,00", code="EUR", locale="de_DE")
@example(text="NaN", code="USD", locale="en_US")
@example(text="Infinity", code="CHF", locale="de_CH")
@example(text="1e999", code="JPY", locale="ja_JP")
def test_any_typed_amount_is_a_value_or_a_message(text: str, code: str, locale: str) -> None:
    result = parsed_or_message(text, code, locale)
    if isinstance(result, Money):
        # What is accepted is an amount Stripe takes, and it reads back as itself.
        assert result.currency == code
        assert 0 <= result.minor <= stripe_max(code).minor
        assert parse_money(format_amount(result, locale), code, locale) == result
        assert parse_money(format_money(result, locale), code, locale) == result


@given(number=st.integers(10**25, 10**400), code=CURRENCIES, locale=LOCALES)
def test_26_digits_and_more_in_the_locales_own_grouping_get_stripes_cap(
    number: int, code: str, locale: str
) -> None:
    with localcontext(Context(prec=500)):
        text = format_decimal(number, locale=locale)
    result = parsed_or_message(text, code, locale)
    assert isinstance(result, ValidationError)
    assert (
        str(result)
        == f"Stripe accepts at most {format_money(stripe_max(code), locale)} for one amount"
    )


@given(text=huge_digit_runs(), code=CURRENCIES, locale=LOCALES)
def test_huge_digit_runs_with_any_marks_are_never_accepted_as_large(
    text: str, code: str, locale: str
) -> None:
    result = parsed_or_message(text, code, locale)
    if isinstance(result, Money):
        # Only leading zeros can make so many digits an amount Stripe takes.
        digits = "".join(ch for ch in text if ch.isdigit())
        assert len(digits.lstrip("0")) <= 8 + 3
        assert result.minor <= stripe_max(code).minor


@pytest.mark.parametrize(
    ("text", "code", "locale", "cap"),
    [
        ("1,111,111,111,111,111,111,111,111,111.00", "USD", "en_US", "$999,999.99"),
        ("1" * 26, "USD", "en_US", "$999,999.99"),
        ("1 111 111 111 111 111 111 111 111 111,00", "EUR", "fr_FR", "999\u202f999,99\u00a0€"),
        ("1'111'111'111'111'111'111'111'111'111.00", "CHF", "de_CH", "CHF\u00a0999’999.99"),
        ("1.111.111.111.111.111.111.111.111.111", "JPY", "de_DE", "99.999.999\u00a0¥"),
        ("9" * 5000, "KWD", "en_US", "KWD99,999.990"),
    ],
)
def test_too_large_amounts_are_told_stripes_cap(
    text: str, code: str, locale: str, cap: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_money(text, code, locale)
    assert str(refused.value) == f"Stripe accepts at most {cap} for one amount"


@pytest.mark.parametrize(
    "text", ["NaN", "-NaN", "sNaN", "Infinity", "-Infinity", "inf", "∞", "1e999", "1E5", "0x10"]
)
def test_nan_infinity_and_exponents_are_refused_with_the_expected_shape(text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_money(text, "USD", "en_US")
    assert str(refused.value) in {
        "Enter an amount like 1,250.50",
        "Enter the amount without a minus sign: it cannot be negative",
    }


decimals = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        ["NaN", "-NaN", "sNaN", "Infinity", "-Infinity", "1e999999999", "1e-999999"]
    ).map(Decimal),
    st.integers(-(10**40), 10**40).flatmap(
        lambda n: st.integers(-40, 40).map(lambda e: Decimal(n).scaleb(e))
    ),
)


@given(amount=decimals, code=CURRENCIES)
def test_money_from_any_decimal_is_exact_or_a_message(amount: Decimal, code: str) -> None:
    money = outcome(Money.from_major, amount, code)
    if is_message(money, "amount"):
        return
    # Never rounded: the amount is exactly what was given.
    assert isinstance(money, Money)
    assert money.to_major() == amount


@given(minor=st.one_of(st.integers(), st.integers(10**20, 10**60)), code=CURRENCIES)
def test_any_amount_formats_with_every_digit_and_the_cap_check_answers(
    minor: int, code: str
) -> None:
    money = Money(minor, code)
    sign, digits, exponent = money.to_major().as_tuple()
    assert (sign, int("".join(map(str, digits))), exponent) == (
        int(minor < 0),
        abs(minor),
        -currency(code).exponent,
    )
    text = format_money(money, "de_CH")
    assert int("".join(ch for ch in text if ch.isdigit())) == abs(minor)
    refused = outcome(check_amount_for_stripe, money, "en_US")
    within = 0 <= minor <= stripe_max(code).minor and minor % currency(code).minor_step == 0
    assert refused is None if within else is_message(refused, "amount")


def test_large_amounts_keep_every_digit() -> None:
    money = Money(10**40 + 7, "USD")
    assert money.to_major() == Decimal("100000000000000000000000000000000000000.07")
    assert format_money(money, "en_US") == "$100,000,000,000,000,000,000,000,000,000,000,000,000.07"


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("NaN", "Enter the amount in digits"),
        ("Infinity", "Enter the amount in digits"),
        ("-Infinity", "Enter the amount in digits"),
        ("sNaN", "Enter the amount in digits"),
        ("1e999", "Stripe accepts at most 999999.99 USD for one amount"),
        ("1.005", "USD has 2 decimals at most"),
        ("1.0000000000000000000000000000000000000001", "USD has 2 decimals at most"),
        ("1e-999999", "USD has 2 decimals at most"),
    ],
)
def test_money_helpers_refuse_nan_infinity_and_inexact_amounts(amount: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Money.from_major(Decimal(amount), "USD")
    assert str(refused.value) == message
    with pytest.raises(ValidationError):
        Money.from_major(Decimal(amount), "XXX")  # an unknown currency is a message too


def test_trailing_zeros_are_not_decimals() -> None:
    assert Money.from_major(Decimal("5.000000000000000000000000000000"), "USD") == Money(500, "USD")
    assert Money.from_major(Decimal("-0"), "JPY") == Money(0, "JPY")


@given(text=FIELD_TEXT)
def test_whole_numbers_from_any_text(text: str) -> None:
    for check in (validate_quantity, validate_days_until_due):
        number = outcome(check, text)
        assert isinstance(number, int) or is_message(number)


def test_thousands_of_digits_are_a_message_not_a_conversion_error() -> None:
    with pytest.raises(ValidationError, match="at most 99,999,999"):
        validate_quantity("9" * 5000)
    with pytest.raises(ValidationError, match="at least 1"):
        validate_quantity("-" + "9" * 5000)
    with pytest.raises(ValidationError, match="from 0 to 365"):
        validate_days_until_due("9" * 5000)


@given(text=FIELD_TEXT, limit=st.integers(0, 300), multiline=st.booleans())
def test_text_fields_from_any_text(text: str, limit: int, multiline: bool) -> None:
    problem = text_problem(text, limit, multiline=multiline)
    assert isinstance(problem, str)
    if not problem:
        assert len(text) <= limit
    for check in (validate_email, validate_country):
        result = outcome(check, text)
        assert isinstance(result, str) or is_message(result)
    result = outcome(required_text, text, "brand", "brand", limit=limit)
    assert isinstance(result, str) or is_message(result, "brand")


@given(parts=st.lists(FIELD_TEXT, min_size=6, max_size=6))
def test_any_address_gives_messages_by_field(parts: list[str]) -> None:
    errors = PostalAddress(*parts).errors(prefix="customer_address.")
    assert all(k.startswith("customer_address.") and v for k, v in errors.items())


@st.composite
def drafts(draw: st.DrawFn) -> InvoiceDraft:
    code = draw(CURRENCIES)
    lines = draw(
        st.lists(
            st.builds(
                DraftLine,
                description=FIELD_TEXT,
                quantity=st.one_of(st.integers(), st.integers(10**8, 10**30)),
                unit_price=st.builds(Money, st.integers(), st.just(code)),
                watch_id=st.one_of(st.none(), st.sampled_from(["1", "2"])),
            ),
            max_size=4,
        )
    )
    address = draw(st.one_of(st.none(), st.lists(FIELD_TEXT, min_size=6, max_size=6)))
    return InvoiceDraft(
        currency=draw(st.one_of(st.just(code), FIELD_TEXT)),
        lines=lines,
        customer_name=draw(FIELD_TEXT),
        customer_email=draw(FIELD_TEXT),
        customer_address=None if address is None else PostalAddress(*address),
        days_until_due=draw(st.integers()),
        memo=draw(FIELD_TEXT),
        footer=draw(FIELD_TEXT),
    )


@given(draft=drafts(), locale=LOCALES)
def test_any_draft_gives_messages_by_field(draft: InvoiceDraft, locale: str) -> None:
    errors = validate_draft(draft, locale)
    assert all(isinstance(k, str) and isinstance(v, str) and v for k, v in errors.items())


@given(text=FIELD_TEXT)
def test_key_shape_answers_any_text_and_never_quotes_it(text: str) -> None:
    key = f"sk_test_{text}"
    problem = stripe_key_problem(key)
    assert isinstance(problem, str)
    if problem:
        assert problem.startswith("That does not look like a Stripe key: ")
        secret = key.strip().removeprefix("sk_test_")
        if len(secret) >= 4:
            assert secret not in problem


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("sk_test_abc def", "it has a space in it"),
        ("sk_test_abc\tdef", "it has a space in it"),
        ("sk_test_abc\u00a0def", "it has a space in it"),
        ("sk_test_abc\ndef", "it runs over more than one line"),
        ("sk_test_abc\r\ndef", "it runs over more than one line"),
        ("sk_test_abc\x00def", "it has an invisible control character in it"),
        ("sk_test_abc\u200bdef", "it has an invisible control character in it"),
        ("sk_test_abcé", "it has characters no Stripe key has"),
        ("sk_test_abc-def", "it has characters no Stripe key has"),
        ("sk_test_" + "a" * 300, "it is longer than any Stripe key"),
    ],
)
def test_keys_with_characters_no_key_has_are_named(key: str, words: str) -> None:
    problem = stripe_key_problem(key)
    assert problem.startswith(f"That does not look like a Stripe key: {words}")
    assert "abc" not in problem


@pytest.mark.parametrize("key", ["sk_test_abc", "  rk_test_AbC_123\n", "", "whsec_x"])
def test_keys_that_could_be_keys_pass_the_shape_check(key: str) -> None:
    # The prefix (secret, restricted, publishable) is judged by the gateway's key_kind.
    assert stripe_key_problem(key) == ""


def test_the_old_crash_is_an_invalid_operation_no_more() -> None:
    # Before: babel re-formatted 26+ digits in a 28-digit context and raised this.
    try:
        parse_money("1,111,111,111,111,111,111,111,111,111.00", "USD", "en_US")
    except InvalidOperation:  # pragma: no cover - the regression itself
        pytest.fail("decimal.InvalidOperation escaped the amount parser")
    except ValidationError:
        pass
