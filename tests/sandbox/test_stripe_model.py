"""The checker that holds simulator answers to stripe-python's generated model bites.

Each test starts from a real answer of the simulator over HTTP, which matches the model, then
plants one departure and expects the checker to name it. The last test runs a small pytest
session in a subprocess to show that one planted departure fails the whole run.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest
import stripe

from tracker_desktop.sandbox import Sandbox
from tracker_desktop.sandbox.state import API_VERSION
from tracker_desktop.sandbox.stripe_model import (
    ERROR_CLASS,
    SDK_VERSION,
    check_answer,
    enum_values,
)

from .conftest import customer, open_invoice

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent


def _get(sb: Sandbox, path: str) -> dict[str, Any]:
    resp = httpx.get(f"{sb.base_url}{path}", headers={"Authorization": f"Bearer {sb.secret_key}"})
    body: dict[str, Any] = resp.json()
    return body


@pytest.fixture
def invoice_json(sb: Sandbox, client: stripe.StripeClient) -> dict[str, Any]:
    inv = open_invoice(client)
    body = _get(sb, f"/v1/invoices/{inv.id}")
    assert check_answer(200, body, "invoice") == []
    return body


def _planted(body: dict[str, Any], plant: Any) -> list[str]:
    changed = copy.deepcopy(body)
    plant(changed)
    return check_answer(200, changed, "invoice")


def test_missing_required_field_is_named(invoice_json: dict[str, Any]) -> None:
    problems = _planted(invoice_json, lambda b: b.pop("default_tax_rates"))
    assert problems == ["invoice.default_tax_rates: missing; Stripe always sends it on Invoice"]
    nested = _planted(invoice_json, lambda b: b["lines"]["data"][0].pop("subtotal"))
    assert nested == [
        "invoice.lines.data[0].subtotal: missing; Stripe always sends it on InvoiceLineItem"
    ]


def test_value_outside_an_enum_is_named(invoice_json: dict[str, Any]) -> None:
    # Invoice.status is `Optional[Literal["draft", "open", ...]]`
    problems = _planted(invoice_json, lambda b: b.update(status="settled"))
    assert len(problems) == 1
    assert problems[0].startswith("invoice.status: 'settled' is not one of ['draft', 'open'")
    # Invoice.billing_reason is `Literal[...] | str`: the Literal is read as closed
    loose = _planted(invoice_json, lambda b: b.update(billing_reason="whenever"))
    assert loose[0].startswith("invoice.billing_reason: 'whenever' is not one of")


def test_field_stripe_does_not_have_is_named(invoice_json: dict[str, Any]) -> None:
    # `paid` and `payment_intent` left the Invoice in API 2025-03-31
    problems = _planted(invoice_json, lambda b: b.update(paid=True))
    assert problems == ["invoice.paid: not a field of Invoice in Stripe's model"]
    lines = _planted(invoice_json, lambda b: b["lines"].update(total_count=1))
    assert lines == ["invoice.lines.total_count: not a field of a list in Stripe's API reference"]


def test_wrong_type_and_null_are_named(invoice_json: dict[str, Any]) -> None:
    assert _planted(invoice_json, lambda b: b.update(amount_due="1250000")) == [
        "invoice.amount_due: '1250000' is not a int"
    ]
    assert _planted(invoice_json, lambda b: b.update(livemode=None)) == [
        "invoice.livemode: null, but Stripe's model says it is never null"
    ]
    assert _planted(invoice_json, lambda b: b.update(attempted=1)) == [
        "invoice.attempted: 1 is not a bool"
    ]


def test_expanded_objects_and_event_payloads_are_checked(
    sb: Sandbox, client: stripe.StripeClient
) -> None:
    cus = customer(client)
    event = _get(sb, "/v1/events?types[]=customer.created")["data"][0]
    assert check_answer(200, event, "event") == []
    event["data"]["object"]["delinquent"] = "no"
    assert check_answer(200, event, "event") == ["event.data.object.delinquent: 'no' is not a bool"]
    account = _get(sb, "/v1/account")
    assert check_answer(200, account, "account") == []
    account["livemode"] = False  # not in Stripe's model of an Account
    assert check_answer(200, account, "account") == [
        "account.livemode: not a field of Account in Stripe's model"
    ]
    assert cus.id


def test_credit_notes_refunds_and_charges_are_held_to_the_model(
    sb: Sandbox, client: stripe.StripeClient
) -> None:
    inv = open_invoice(client)
    sb.pay_as_buyer(inv.id)
    made = client.v1.credit_notes.create(
        params={"invoice": inv.id, "amount": 1000, "refund_amount": 1000}
    )
    note = _get(sb, f"/v1/credit_notes/{made.id}")
    assert check_answer(200, note, "credit_note") == []
    note.pop("pre_payment_amount")
    note["type"] = "partial"
    note["refunds"][0]["amount_refunded"] = "1000"
    assert check_answer(200, note, "credit_note") == [
        "credit_note.pre_payment_amount: missing; Stripe always sends it on CreditNote",
        "credit_note.refunds[0].amount_refunded: '1000' is not a int",
        "credit_note.type: 'partial' is not one of ['mixed', 'post_payment', 'pre_payment']",
    ]
    refund = _get(sb, f"/v1/refunds/{made.refunds[0].refund}")
    assert check_answer(200, refund, "refund") == []
    charge = _get(sb, f"/v1/charges/{refund['charge']}")
    assert check_answer(200, charge, "charge") == []
    charge.pop("amount_refunded")
    assert check_answer(200, charge, "charge") == [
        "charge.amount_refunded: missing; Stripe always sends it on Charge"
    ]
    listed = _get(sb, f"/v1/credit_notes?invoice={inv.id}")
    assert check_answer(200, listed, "list:credit_note") == []
    assert check_answer(200, listed, "list:refund") == [
        "list.data[0].object: 'credit_note' is not 'refund'"
    ]


def test_errors_carry_documented_types_and_codes_only() -> None:
    codes, types = enum_values(ERROR_CLASS, "code"), enum_values(ERROR_CLASS, "type")
    assert "resource_missing" in codes
    assert "invoice_not_editable" in codes
    assert set(types) == {"api_error", "card_error", "idempotency_error", "invalid_request_error"}
    invented = {"error": {"type": "invalid_request_error", "code": "invoice_not_open"}}
    assert check_answer(400, invented)[0].startswith("error.code: 'invoice_not_open' is not one")
    wrong_type = {"error": {"type": "permission_error", "message": "no"}}
    assert check_answer(403, wrong_type)[0].startswith("error.type: 'permission_error' is not")
    assert check_answer(404, {"error": {"type": "invalid_request_error"}, "extra": 1}) == [
        "extra: not part of Stripe's error envelope"
    ]


def test_answer_of_another_kind_is_named(invoice_json: dict[str, Any]) -> None:
    assert check_answer(200, invoice_json, "customer")[0] == (
        "object: 'invoice', but this endpoint answers with 'customer'"
    )
    page = {"object": "list", "data": [invoice_json], "has_more": False, "url": "/v1/invoices"}
    assert check_answer(200, page, "list:invoice") == []
    assert check_answer(200, page, "list:customer") == [
        "list.data[0].object: 'invoice' is not 'customer'"
    ]


def test_model_is_the_pinned_sdk() -> None:
    """Bumping stripe-python bumps the model: the pin, the lock and the simulator's API
    version must move together (README.md, "Bumping the SDK")."""
    pyproject = (ROOT / "pyproject.toml").read_text()
    lock = (ROOT / "requirements.lock").read_text()
    assert f'"stripe=={SDK_VERSION}"' in pyproject
    # The hashed lock writes "stripe==16.1.0 \" and its hashes on the lines below.
    assert re.search(rf"^stripe=={re.escape(SDK_VERSION)}\s", lock, re.MULTILINE)
    assert stripe.api_version == API_VERSION


PLANTED = """
import httpx

from tracker_desktop.sandbox import Sandbox


def _start():
    sb = Sandbox().start()
    headers = {"Authorization": f"Bearer {sb.secret_key}"}
    cus = httpx.post(f"{sb.base_url}/v1/customers", data={"name": "A"}, headers=headers)
    inv = httpx.post(
        f"{sb.base_url}/v1/invoices", data={"customer": cus.json()["id"]}, headers=headers
    )
    return sb, headers, inv.json()["id"]


def test_clean():
    sb, headers, inv_id = _start()
    assert httpx.get(f"{sb.base_url}/v1/invoices/{inv_id}", headers=headers).status_code == 200
    sb.stop()


def test_planted():
    sb, headers, inv_id = _start()
    del sb.world.accounts[sb.secret_key].invoices[inv_id]["default_tax_rates"]
    assert httpx.get(f"{sb.base_url}/v1/invoices/{inv_id}", headers=headers).status_code == 200
    sb.stop()
"""


def test_one_departing_answer_fails_the_run(tmp_path: Path) -> None:
    (tmp_path / "test_planted.py").write_text(textwrap.dedent(PLANTED))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), str(ROOT)])}
    plugins = ["-p", "stripe_model_check", "-p", "no:cacheprovider"]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", *plugins, "-q", "test_planted.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    out = run.stdout
    assert run.returncode == 1, out + run.stderr
    assert "2 passed, 1 error" in out  # the planted test passes, then fails at teardown
    assert "ERROR at teardown of test_planted" in out
    assert "invoice.default_tax_rates: missing; Stripe always sends it on Invoice" in out
    assert "6 simulator answers validated, 1 mismatched" in out
