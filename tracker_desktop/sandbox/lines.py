"""Invoice lines from ``add_lines`` specs, with Stripe's amount rules per currency."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from . import customers, facts
from .errors import ApiError, missing
from .state import Account, Obj, new_id


def check_amount(cur: str, amount: int, param: str) -> None:
    """Stripe's limits (facts.py): the digit cap, and multiples for three-decimal and ISK."""
    cap, step = facts.max_amount(cur), facts.amount_step(cur)
    if abs(amount) > cap:
        raise ApiError(
            400,
            f"Amount must be no more than {cap} in the smallest {cur.upper()} unit.",
            code="amount_too_large",
            param=param,
        )
    if amount % step:
        # Stripe documents the rule but no error code for it (see README.md)
        raise ApiError(
            400,
            f"Invalid {param}: {cur.upper()} amounts must be a multiple of "
            f"{step} in the smallest currency unit.",
            param=param,
        )


def build_line(acct: Account, inv: Obj, spec: dict[str, Any], n: int) -> Obj:
    p = f"lines[{n}]"
    given = [k for k in ("amount", "price_data", "pricing") if k in spec]
    if len(given) != 1:
        raise ApiError(
            400, f"You must specify exactly one of amount, price_data or pricing for {p}.", param=p
        )
    if "pricing" in spec:
        price = spec["pricing"].get("price", "")
        raise missing("price", price, f"{p}[pricing][price]")
    qty = spec.get("quantity", 1)
    if qty < 0:
        raise ApiError(400, f"Invalid {p}[quantity]: must be at least 0", param=f"{p}[quantity]")
    description = spec.get("description")
    if "amount" in spec:
        if "quantity" in spec and qty != 1:
            raise ApiError(
                400,
                f"{p}[quantity] cannot be combined with {p}[amount]; use price_data.",
                param=f"{p}[quantity]",
            )
        amount, unit = spec["amount"], Decimal(spec["amount"])
        check_amount(inv["currency"], amount, f"{p}[amount]")
    else:
        pd = spec["price_data"]
        if pd["currency"].lower() != inv["currency"]:
            raise ApiError(
                400,
                f"The price currency ({pd['currency']}) must match the invoice "
                f"currency ({inv['currency']}).",
                param=f"{p}[price_data][currency]",
            )
        if ("unit_amount" in pd) == ("unit_amount_decimal" in pd):
            raise ApiError(
                400,
                f"You must pass exactly one of {p}[price_data][unit_amount] or "
                "unit_amount_decimal.",
                param=f"{p}[price_data][unit_amount]",
            )
        unit = Decimal(pd.get("unit_amount", pd.get("unit_amount_decimal", 0)))
        uparam = f"{p}[price_data][unit_amount{'' if 'unit_amount' in pd else '_decimal'}]"
        if unit < 0:
            raise ApiError(400, f"Invalid {uparam}: must be at least 0", param=uparam)
        if facts.exponent(inv["currency"]) == 0 and unit != unit.to_integral_value():
            raise ApiError(
                400,
                f"Invalid {uparam}: {inv['currency'].upper()} is a zero-decimal "
                "currency; amounts are whole units.",
                param=uparam,
            )
        exact = unit * qty
        amount = int(exact.to_integral_value(ROUND_HALF_UP))
        check_amount(inv["currency"], amount, uparam)
        if "product_data" not in pd:
            raise missing("product", pd.get("product", ""), f"{p}[price_data][product]")
        description = description or pd["product_data"]["name"]
    now = acct.clock.now()
    return {
        "id": new_id("il"),
        "object": "line_item",
        "amount": amount,
        "currency": inv["currency"],
        "description": description,
        "discount_amounts": [],
        # Stripe: "Defaults to false for prorations or negative line items"
        "discountable": spec.get("discountable", amount >= 0),
        "discounts": [],
        "invoice": inv["id"],
        "livemode": False,
        "metadata": customers.merge_metadata({}, spec.get("metadata") or {}, f"{p}[metadata]"),
        "parent": {
            "type": "invoice_item_details",
            "subscription_item_details": None,
            "invoice_item_details": {
                "invoice_item": new_id("ii"),
                "proration": False,
                "proration_details": {"credited_items": None},
                "subscription": None,
            },
        },
        "period": spec.get("period") or {"start": now, "end": now},
        "pretax_credit_amounts": [],
        "pricing": {
            "type": "price_details",
            "price_details": {"price": new_id("price"), "product": new_id("prod", 14)},
            "unit_amount_decimal": str(unit),
        },
        "quantity": qty,
        "quantity_decimal": str(qty),
        "subscription": None,
        "subtotal": amount,  # before discounts and taxes, which the simulator does not apply
        "taxes": [],
    }
