"""The text limits the forms enforce are the database's column lengths, and too long or
control-laden text gets a message that says what to fix."""

from __future__ import annotations

import pytest
from sqlalchemy import String

from tracker_desktop.db.models import Contact, Invoice, ProvenanceCheck, Watch
from tracker_desktop.domain import validation as v
from tracker_desktop.domain.draft import DraftLine, InvoiceDraft, validate_draft
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.validation import PostalAddress, text_problem

COLUMN_LIMITS = [
    (Watch, "brand", v.BRAND_MAX),
    (Watch, "model", v.MODEL_MAX),
    (Watch, "reference", v.REFERENCE_MAX),
    (Watch, "serial", v.SERIAL_MAX),
    (Watch, "condition", v.CONDITION_MAX),
    (Watch, "away_with", v.AWAY_WITH_MAX),
    (ProvenanceCheck, "register", v.REGISTER_MAX),
    (ProvenanceCheck, "certificate_number", v.CERTIFICATE_NUMBER_MAX),
    (Contact, "name", v.NAME_MAX),
    (Contact, "company", v.COMPANY_MAX),
    (Contact, "email", v.EMAIL_MAX),
    (Contact, "phone", v.PHONE_MAX),
    (Contact, "address_line1", v.ADDRESS_LINE_MAX),
    (Contact, "address_line2", v.ADDRESS_LINE_MAX),
    (Contact, "city", v.CITY_MAX),
    (Contact, "state", v.STATE_MAX),
    (Contact, "postal_code", v.POSTAL_CODE_MAX),
    (Invoice, "customer_name", v.NAME_MAX),
    (Invoice, "customer_email", v.EMAIL_MAX),
]


@pytest.mark.parametrize(("model", "column", "limit"), COLUMN_LIMITS)
def test_limits_are_the_database_columns(model: type, column: str, limit: int) -> None:
    kind = model.__table__.c[column].type  # type: ignore[attr-defined]
    assert isinstance(kind, String)
    assert kind.length == limit


def test_too_long_and_control_characters_are_named() -> None:
    assert text_problem("x" * 120, 120) == ""
    assert text_problem("x" * 121, 120) == "At most 120 characters (this has 121)"
    assert text_problem("Rolex\x00", 120) == (
        "Remove an invisible control character: it cannot be part of this field"
    )
    assert text_problem("two\nlines", 120) == (
        "Remove a line break: it cannot be part of this field"
    )
    assert text_problem("two\nlines\tand a tab", 5000, multiline=True) == ""
    assert text_problem("bell\x07", 5000, multiline=True).startswith("Remove an invisible")


def test_address_fields_keep_to_their_columns() -> None:
    address = PostalAddress(
        line1="x" * 201, city="Genève", postal_code="1" * 21, country="CH", state="GE\x01"
    )
    assert address.errors("customer_address.") == {
        "customer_address.line1": "At most 200 characters (this has 201)",
        "customer_address.postal_code": "At most 20 characters (this has 21)",
        "customer_address.state": (
            "Remove an invisible control character: it cannot be part of this field"
        ),
    }


def test_a_draft_keeps_to_stripes_and_the_databases_limits() -> None:
    draft = InvoiceDraft(
        currency="USD",
        customer_name="N" * 201,
        customer_email=f"{'a' * 310}@example.com",
        memo="m" * 501,
        footer="f" * 5001,
        lines=[DraftLine("d" * 501, 100_000_000, Money(1, "USD"))],
    )
    assert validate_draft(draft) == {
        "customer_name": "At most 200 characters (this has 201)",
        "customer_email": "At most 320 characters (this has 322)",
        "memo": "At most 500 characters (this has 501)",
        "footer": "At most 5,000 characters (this has 5,001)",
        "lines[0].description": "At most 500 characters (this has 501)",
        "lines[0].quantity": "The quantity can be at most 99,999,999",
    }
