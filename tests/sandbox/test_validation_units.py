"""The form parser and the generic validator on their own (no server needed)."""

from __future__ import annotations

from decimal import Decimal

import pytest
import stripe.params as sp

from tracker_desktop.sandbox.errors import ApiError, mask_key
from tracker_desktop.sandbox.forms import parse_form
from tracker_desktop.sandbox.validation import _CLIENT_OPTIONS, validate


def test_client_options_are_not_params() -> None:
    assert {"api_key", "idempotency_key", "stripe_version"} <= _CLIENT_OPTIONS
    assert "expand" not in _CLIENT_OPTIONS
    with pytest.raises(ApiError, match="unknown parameter: api_key"):
        validate({"api_key": "x"}, sp.CustomerCreateParams)


def test_nested_form_becomes_typed_lists_and_scalars() -> None:
    raw = parse_form(
        "lines[0][price_data][currency]=usd&lines[0][price_data][product_data][name]=Omega"
        "&lines[0][price_data][unit_amount_decimal]=12.5&lines[0][quantity]=2"
        "&lines[1][amount]=100&invoice_metadata[k]=v"
    )
    out = validate(raw, sp.InvoiceAddLinesParams)
    assert out["lines"][0]["quantity"] == 2
    assert out["lines"][0]["price_data"]["unit_amount_decimal"] == Decimal("12.5")
    assert out["lines"][1] == {"amount": 100}
    assert out["invoice_metadata"] == {"k": "v"}


def test_bracket_append_and_ranges() -> None:
    out = validate(parse_form("types[]=a&types[]=b&created[gte]=5&limit=3"), sp.EventListParams)
    assert out == {"types": ["a", "b"], "created": {"gte": 5}, "limit": 3}


def test_metadata_may_be_emptied() -> None:
    assert validate(parse_form("metadata="), sp.InvoiceCreateParams) == {"metadata": ""}


def test_mask_key_keeps_prefix_and_tail_only() -> None:
    masked = mask_key("sk_test_51AbCdEfGhIjKlMnOpQrStUvWxabcd")
    assert masked.startswith("sk_test_")
    assert masked.endswith("abcd")
    assert "AbCd" not in masked
