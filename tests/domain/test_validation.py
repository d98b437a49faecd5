import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker_desktop.domain.errors import ValidationError
from tracker_desktop.domain.validation import (
    PostalAddress,
    country_choices,
    country_codes,
    normalize_serial,
    required_text,
    validate_country,
    validate_days_until_due,
    validate_email,
    validate_quantity,
)


@pytest.mark.parametrize(
    "email", ["a@b.co", "first.last+tag@example.com", "x@mail.example.ch", "Ä@exämple.de"]
)
def test_good_emails(email: str) -> None:
    assert validate_email(f"  {email} ") == email


@pytest.mark.parametrize(
    "email",
    [
        "",
        "plain",
        "a@b",
        "a@b.c",
        "a b@c.com",
        "a@b .com",
        "a@@b.com",
        "@b.com",
        "a@.com",
        "a@b..com",
    ],
)
def test_bad_emails(email: str) -> None:
    with pytest.raises(ValidationError) as e:
        validate_email(email, field="customer_email")
    assert e.value.field == "customer_email"


def test_countries_are_iso_alpha2() -> None:
    codes = country_codes()
    assert {"US", "DE", "CH", "JP", "GB", "HK", "XK"} <= codes
    assert not codes & {"EU", "UN", "ZZ", "QO", "EZ", "XA", "XB"}
    assert all(len(c) == 2 and c.isalpha() and c.isupper() for c in codes)
    assert 240 <= len(codes) <= 260
    choices = dict(country_choices())
    assert choices["CH"] == "Switzerland"
    assert dict(country_choices("de"))["CH"] == "Schweiz"
    names = [name for _, name in country_choices()]
    assert names.index("Åland Islands") < names.index("Belgium")
    assert validate_country(" ch ") == "CH"
    with pytest.raises(ValidationError, match="not a country code"):
        validate_country("EU")


def test_required_text() -> None:
    assert required_text("  Ana ", "name", "name") == "Ana"
    with pytest.raises(ValidationError, match="Enter the name"):
        required_text("   ", "name", "name")
    with pytest.raises(ValidationError):
        required_text(None, "name", "name")


def test_address_to_stripe_omits_empty() -> None:
    addr = PostalAddress(
        line1=" Bahnhofstrasse  1 ", city="Zürich", postal_code="8001", country="ch"
    )
    assert addr.to_stripe() == {
        "line1": "Bahnhofstrasse 1",
        "city": "Zürich",
        "postal_code": "8001",
        "country": "CH",
    }
    assert addr.errors() == {}
    assert PostalAddress().to_stripe() == {}
    assert PostalAddress().errors() == {}


def test_address_errors_by_field() -> None:
    assert PostalAddress(postal_code="8001", country="XX").errors(prefix="address.") == {
        "address.line1": "Enter the street address",
        "address.city": "Enter the city",
        "address.country": "'XX' is not a country code (e.g. US, DE, CH)",
    }


@pytest.mark.parametrize(
    ("typed", "normal"),
    [(" ab 12345 ", "AB 12345"), ("ab  12\t345", "AB 12 345"), ("ｘ１２３", "X123"), ("", "")],
)
def test_serial_normalization(typed: str, normal: str) -> None:
    assert normalize_serial(typed) == normal


@given(st.text(max_size=30))
def test_serial_normalization_is_idempotent(text: str) -> None:
    once = normalize_serial(text)
    assert normalize_serial(once) == once
    assert once == once.strip()
    assert "  " not in once


@pytest.mark.parametrize(("value", "expected"), [(1, 1), ("3", 3), (" 12 ", 12)])
def test_quantity_ok(value: int | str, expected: int) -> None:
    assert validate_quantity(value) == expected


@pytest.mark.parametrize("value", [0, -1, "0", "1.5", "", "two", True, "-3"])
def test_quantity_refused(value: int | str) -> None:
    with pytest.raises(ValidationError):
        validate_quantity(value)


def test_days_until_due_range() -> None:
    assert validate_days_until_due(0) == 0
    assert validate_days_until_due("365") == 365
    for bad in (-1, 366, "30.5", "x"):
        with pytest.raises(ValidationError, match="from 0 to 365"):
            validate_days_until_due(bad)
