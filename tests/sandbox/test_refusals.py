"""Requests refused as Stripe refuses them: enums, unknown parameters, states and limits.

Every refusal is read raw over HTTP and held to Stripe's model of an error (the api_errors
schema stripe-python generates): status 400, type ``invalid_request_error``, a code from
Stripe's documented list or none, the parameter, and the message. The enums come from the
SDK's own ``Literal`` types, not from a list written here.
"""

from __future__ import annotations

import ast
import typing
from pathlib import Path
from typing import Any

import httpx
import pytest
import stripe
import stripe.params as sp

from tracker_desktop.sandbox import Sandbox
from tracker_desktop.sandbox.stripe_model import ERROR_CLASS, check_answer, enum_values

from .conftest import customer, open_invoice

DOCUMENTED_CODES = frozenset(enum_values(ERROR_CLASS, "code"))
SANDBOX = Path(__file__).resolve().parents[2] / "tracker_desktop" / "sandbox"


def _call(
    sb: Sandbox,
    method: str,
    path: str,
    data: dict[str, str] | None = None,
    idem: str | None = None,
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {sb.secret_key}"}
    if idem is not None:
        headers["Idempotency-Key"] = idem
    if method == "GET":
        return httpx.get(f"{sb.base_url}{path}", params=data, headers=headers)
    return httpx.post(f"{sb.base_url}{path}", data=data or {}, headers=headers)


def refused(resp: httpx.Response, param: str | None, code: str | None = None) -> dict[str, Any]:
    """The error of a 400 shaped as Stripe's model says; returns it for the message checks."""
    assert resp.status_code == 400, resp.text
    body = resp.json()
    assert check_answer(resp.status_code, body) == []
    err: dict[str, Any] = body["error"]
    assert err["type"] == "invalid_request_error"
    assert err.get("code") == code
    assert code is None or code in DOCUMENTED_CODES
    assert err.get("param") == param
    assert err["message"]
    assert err["request_log_url"].endswith(resp.headers["Request-Id"])
    if code:
        assert err["doc_url"] == f"https://docs.stripe.com/error-codes/{code.replace('_', '-')}"
    return err


@pytest.fixture
def draft_id(client: stripe.StripeClient) -> str:
    return open_invoice(client, finalize=False).id


# -- enums ------------------------------------------------------------------------------------


def _tax_behaviors() -> tuple[str, ...]:
    ann = sp.InvoiceAddLinesParamsLinePriceData.__annotations__["tax_behavior"]
    union = typing.get_args(ann)[0]  # NotRequired["Literal[...]|str"]
    literal = eval(union.__forward_arg__, vars(typing))  # noqa: S307 - the SDK's annotation
    return tuple(typing.get_args(typing.get_args(literal)[0]))


def test_enum_in_a_nested_param_is_closed(sb: Sandbox, draft_id: str) -> None:
    allowed = _tax_behaviors()
    assert allowed == ("exclusive", "inclusive", "unspecified")
    line = {
        "lines[0][price_data][currency]": "usd",
        "lines[0][price_data][product_data][name]": "Strap",
        "lines[0][price_data][unit_amount]": "500",
    }
    err = refused(
        _call(
            sb,
            "POST",
            f"/v1/invoices/{draft_id}/add_lines",
            {**line, "lines[0][price_data][tax_behavior]": "bogus"},
        ),
        "lines[0][price_data][tax_behavior]",
    )
    assert err["message"] == (
        "Invalid lines[0][price_data][tax_behavior]: must be one of exclusive, inclusive, "
        "or unspecified"
    )
    ok = _call(
        sb,
        "POST",
        f"/v1/invoices/{draft_id}/add_lines",
        {**line, "lines[0][price_data][tax_behavior]": allowed[0]},
    )
    assert ok.status_code == 200


def test_plain_enum_and_enum_inside_a_list_are_closed(
    sb: Sandbox, client: stripe.StripeClient
) -> None:
    cus = customer(client)
    err = refused(
        _call(sb, "POST", "/v1/invoices", {"customer": cus.id, "collection_method": "weekly"}),
        "collection_method",
    )
    assert err["message"].endswith("must be one of charge_automatically or send_invoice")
    refused(
        _call(
            sb,
            "POST",
            "/v1/invoices",
            {"customer": cus.id, "payment_settings[payment_method_types][0]": "cheque"},
        ),
        "payment_settings[payment_method_types][0]",
    )
    refused(_call(sb, "GET", "/v1/invoices", {"status": "unpaid"}), "status")


def test_emptyable_string_is_no_enum(sb: Sandbox, client: stripe.StripeClient) -> None:
    # `Literal['']|str` means "a string, or '' to unset": any text goes
    cus = customer(client)
    ok = _call(sb, "POST", f"/v1/customers/{cus.id}", {"description": "Collector of Omegas"})
    assert ok.status_code == 200
    assert ok.json()["description"] == "Collector of Omegas"


# -- unknown, missing and mistyped parameters --------------------------------------------------


def test_unknown_parameter(sb: Sandbox, draft_id: str) -> None:
    err = refused(
        _call(sb, "POST", f"/v1/invoices/{draft_id}/add_lines", {"lines[0][amout]": "5"}),
        "lines[0][amout]",
        "parameter_unknown",
    )
    assert err["message"] == "Received unknown parameter: lines[0][amout]"
    refused(_call(sb, "GET", "/v1/invoices", {"paid": "true"}), "paid", "parameter_unknown")


def test_missing_empty_and_mistyped_parameters(sb: Sandbox, draft_id: str) -> None:
    refused(
        _call(sb, "POST", f"/v1/invoices/{draft_id}/add_lines", {}), "lines", "parameter_missing"
    )
    err = refused(
        _call(sb, "GET", "/v1/invoices/search", {"query": ""}), "query", "parameter_invalid_empty"
    )
    assert "You passed an empty string for 'query'" in err["message"]
    refused(
        _call(sb, "GET", "/v1/invoices", {"limit": "ten"}), "limit", "parameter_invalid_integer"
    )
    refused(_call(sb, "POST", f"/v1/invoices/{draft_id}", {"auto_advance": "yes"}), "auto_advance")


def test_exclusive_parameters(sb: Sandbox) -> None:
    refused(
        _call(sb, "GET", "/v1/events", {"starting_after": "evt_1", "ending_before": "evt_2"}),
        "ending_before",
        "parameters_exclusive",
    )


# -- states -------------------------------------------------------------------------------------


def test_draft_only_changes_refused_once_finalized(
    sb: Sandbox, client: stripe.StripeClient
) -> None:
    inv = open_invoice(client)
    refused(
        _call(sb, "POST", f"/v1/invoices/{inv.id}/add_lines", {"lines[0][amount]": "100"}),
        None,
        "invoice_not_editable",
    )
    refused(_call(sb, "POST", f"/v1/invoices/{inv.id}/finalize"), None, "invoice_not_editable")
    refused(
        _call(sb, "POST", f"/v1/invoices/{inv.id}", {"description": "later"}),
        None,
        "invoice_not_editable",
    )


def test_closed_invoices_refuse_without_an_invented_code(
    sb: Sandbox, client: stripe.StripeClient
) -> None:
    """Stripe documents no code for these (README.md): the answers carry none."""
    paid = client.v1.invoices.pay(open_invoice(client).id, params={"paid_out_of_band": True})
    err = refused(_call(sb, "POST", f"/v1/invoices/{paid.id}/void"), None)
    assert "paid" in err["message"]
    refused(_call(sb, "POST", f"/v1/invoices/{paid.id}/pay", {"paid_out_of_band": "true"}), None)
    refused(_call(sb, "POST", f"/v1/invoices/{paid.id}/mark_uncollectible"), None)
    voided = client.v1.invoices.void_invoice(open_invoice(client).id)
    refused(_call(sb, "POST", f"/v1/invoices/{voided.id}/send"), None)
    # deleting is a change only a draft allows
    deleted = httpx.delete(
        f"{sb.base_url}/v1/invoices/{voided.id}",
        headers={"Authorization": f"Bearer {sb.secret_key}"},
    )
    assert "draft" in refused(deleted, None, "invoice_not_editable")["message"]


def test_processing_debit_refuses_a_second_payment(
    sb: Sandbox, client: stripe.StripeClient
) -> None:
    inv = open_invoice(client)
    sb.start_bank_debit(inv.id)
    err = refused(
        _call(sb, "POST", f"/v1/invoices/{inv.id}/pay", {"paid_out_of_band": "true"}), None
    )
    assert "processing" in err["message"]


def test_missing_object_is_resource_missing(sb: Sandbox) -> None:
    resp = _call(sb, "GET", "/v1/invoices/in_nothere")
    assert resp.status_code == 404
    assert check_answer(404, resp.json()) == []
    assert resp.json()["error"]["code"] == "resource_missing"


# -- limits -------------------------------------------------------------------------------------


def test_list_limit_is_one_to_a_hundred(sb: Sandbox) -> None:
    for limit in ("0", "101"):
        err = refused(_call(sb, "GET", "/v1/customers", {"limit": limit}), "limit")
        assert err["message"] == "Invalid limit: must be between 1 and 100"
    assert _call(sb, "GET", "/v1/customers", {"limit": "100"}).status_code == 200


def test_idempotency_key_at_most_255_characters(sb: Sandbox) -> None:
    too_long = _call(sb, "POST", "/v1/customers", {"name": "A"}, idem="k" * 256)
    assert "at most 255" in refused(too_long, None)["message"]
    assert _call(sb, "POST", "/v1/customers", {"name": "A"}, idem="k" * 255).status_code == 200


def test_metadata_limits(sb: Sandbox) -> None:
    key41 = "k" * 41
    refused(_call(sb, "POST", "/v1/customers", {f"metadata[{key41}]": "v"}), f"metadata[{key41}]")
    refused(_call(sb, "POST", "/v1/customers", {"metadata[k]": "v" * 501}), "metadata[k]")
    many = {f"metadata[k{n}]": "v" for n in range(51)}
    refused(_call(sb, "POST", "/v1/customers", many), "metadata")
    fifty = {f"metadata[k{n}]": "v" for n in range(50)}
    assert _call(sb, "POST", "/v1/customers", fifty).status_code == 200


def test_amount_cap_is_eight_digits_and_twelve_for_idr(
    sb: Sandbox, client: stripe.StripeClient
) -> None:
    usd = open_invoice(client, finalize=False)
    refused(
        _call(sb, "POST", f"/v1/invoices/{usd.id}/add_lines", {"lines[0][amount]": "100000000"}),
        "lines[0][amount]",
        "amount_too_large",
    )
    idr = open_invoice(client, currency="idr", amount=999_999_999_999, finalize=False)
    assert idr.total == 999_999_999_999
    refused(
        _call(sb, "POST", f"/v1/invoices/{idr.id}/add_lines", {"lines[0][amount]": "1"}),
        "lines",
        "amount_too_large",
    )


def test_expand_at_most_four_levels_and_only_ids(sb: Sandbox, client: stripe.StripeClient) -> None:
    inv = open_invoice(client)
    path = f"/v1/invoices/{inv.id}"
    refused(_call(sb, "GET", path, {"expand[0]": "a.b.c.d.e"}), "expand")
    err = refused(_call(sb, "GET", path, {"expand[0]": "currency"}), "expand")
    assert err["message"] == "This property cannot be expanded (currency)."
    assert _call(sb, "GET", path, {"expand[0]": "customer"}).json()["customer"]["id"]


def test_search_clause_limit(sb: Sandbox) -> None:
    query = " AND ".join(f"metadata['k{n}']:'v'" for n in range(11))
    err = refused(_call(sb, "GET", "/v1/invoices/search", {"query": query}), "query")
    assert "at most 10 clauses" in err["message"]


def _literals_named(name: str, keyword: str) -> set[str]:
    """Every string the simulator's source gives as ``keyword=`` or as a ``name`` dict key."""
    found: set[str] = set()
    for source in SANDBOX.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.keyword) and node.arg == keyword:
                if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                    found.add(node.value.value)
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if (
                        isinstance(key, ast.Constant)
                        and key.value == name
                        and isinstance(value, ast.Constant)
                        and isinstance(value.value, str)
                    ):
                        found.add(value.value)
    return found


def test_every_code_and_type_in_the_simulator_is_documented() -> None:
    codes = _literals_named("code", "code")
    assert {"resource_missing", "parameter_unknown", "amount_too_large"} <= codes
    assert codes <= DOCUMENTED_CODES, sorted(codes - DOCUMENTED_CODES)
    # `type` also names payment method and payment kinds; error types end in `_error`
    error_types = {t for t in _literals_named("type", "type_") if t.endswith("_error")}
    assert {"api_error", "card_error", "invalid_request_error"} <= error_types
    assert error_types <= set(enum_values(ERROR_CLASS, "type")), sorted(error_types)
