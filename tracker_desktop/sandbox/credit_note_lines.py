"""Credit note lines: part of an invoice line (by amount or quantity) or a custom line."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from . import customers
from .errors import ApiError, missing
from .state import Account, Obj, new_id


def _credited_on_line(acct: Account, line_id: str) -> tuple[int, int]:
    """Amount and quantity already credited on one invoice line by issued credit notes."""
    amount = quantity = 0
    for note in acct.credit_notes.values():
        if note["status"] == "void":
            continue
        for item in note["lines"]["data"]:
            if item["invoice_line_item"] == line_id:
                amount += item["amount"]
                quantity += item["quantity"] or 0
    return amount, quantity


def positive(value: int, param: str) -> int:
    if value < 0:
        raise ApiError(400, f"Invalid {param}: must be at least 0", param=param)
    return value


def build_line(acct: Account, inv: Obj, spec: dict[str, Any], n: int) -> Obj:
    p = f"lines[{n}]"
    kind = spec["type"]
    item: Obj = {
        "id": new_id("cnli"),
        "object": "credit_note_line_item",
        "amount": 0,
        "description": spec.get("description"),
        "discount_amount": 0,
        "discount_amounts": [],
        "invoice_line_item": None,
        "livemode": False,
        "metadata": customers.merge_metadata({}, spec.get("metadata") or {}, f"{p}[metadata]"),
        "pretax_credit_amounts": [],
        "quantity": None,
        "tax_rates": [],
        "taxes": [],
        "type": kind,
        "unit_amount": None,
        "unit_amount_decimal": None,
    }
    if kind == "invoice_line_item":
        for key in ("unit_amount", "unit_amount_decimal", "description"):
            if key in spec:
                raise ApiError(
                    400,
                    f"{p}[{key}] is only valid when type is custom_line_item.",
                    param=f"{p}[{key}]",
                )
        line_id = spec.get("invoice_line_item")
        if not line_id:
            raise ApiError(
                400,
                f"Missing required param: {p}[invoice_line_item].",
                code="parameter_missing",
                param=f"{p}[invoice_line_item]",
            )
        line = next((li for li in inv["lines"]["data"] if li["id"] == line_id), None)
        if line is None:
            raise missing("invoice line item", line_id, f"{p}[invoice_line_item]")
        if ("amount" in spec) == ("quantity" in spec):
            raise ApiError(
                400,
                f"You must pass exactly one of {p}[amount] or {p}[quantity].",
                param=f"{p}[amount]",
            )
        if line["amount"] <= 0:
            raise ApiError(
                400,
                f"Invoice line {line_id} is a credit of its own and cannot be credited.",
                param=f"{p}[invoice_line_item]",
            )
        done_amount, done_quantity = _credited_on_line(acct, line_id)
        left = line["amount"] - done_amount
        if "amount" in spec:
            amount = positive(spec["amount"], f"{p}[amount]")
            if amount > left:
                raise ApiError(
                    400,
                    f"The amount to credit on {p} ({amount}) is more than what remains "
                    f"creditable on invoice line {line_id} ({left}).",
                    param=f"{p}[amount]",
                )
        else:
            quantity = positive(spec["quantity"], f"{p}[quantity]")
            if quantity > line["quantity"] - done_quantity:
                raise ApiError(
                    400,
                    f"The quantity to credit on {p} ({quantity}) is more than what remains "
                    f"creditable on invoice line {line_id} ({line['quantity'] - done_quantity}).",
                    param=f"{p}[quantity]",
                )
            unit = Decimal(line["pricing"]["unit_amount_decimal"] or line["amount"])
            amount = int((unit * quantity).to_integral_value(ROUND_HALF_UP))
            item.update(quantity=quantity, unit_amount=int(unit), unit_amount_decimal=str(unit))
        item.update(amount=amount, invoice_line_item=line_id, description=line["description"])
        return item
    if "invoice_line_item" in spec or "amount" in spec:
        key = "invoice_line_item" if "invoice_line_item" in spec else "amount"
        raise ApiError(
            400, f"{p}[{key}] is only valid when type is invoice_line_item.", param=f"{p}[{key}]"
        )
    if ("unit_amount" in spec) == ("unit_amount_decimal" in spec):
        raise ApiError(
            400,
            f"You must pass exactly one of {p}[unit_amount] or {p}[unit_amount_decimal].",
            param=f"{p}[unit_amount]",
        )
    quantity = positive(spec.get("quantity", 1), f"{p}[quantity]")
    unit = Decimal(spec.get("unit_amount", spec.get("unit_amount_decimal", 0)))
    if unit < 0:
        raise ApiError(
            400, f"Invalid {p}[unit_amount]: must be at least 0", param=f"{p}[unit_amount]"
        )
    amount = int((unit * quantity).to_integral_value(ROUND_HALF_UP))
    item.update(
        amount=amount,
        quantity=quantity,
        unit_amount=int(unit) if unit == unit.to_integral_value() else None,
        unit_amount_decimal=str(unit),
    )
    return item
