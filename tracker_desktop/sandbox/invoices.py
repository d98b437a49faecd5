"""Invoices: drafts, lines, and the status machine Stripe enforces."""

from __future__ import annotations

import secrets
from typing import Any

from . import customers, facts
from .errors import ApiError, bad_state, missing
from .lines import build_line
from .listing import newest_first, page, range_ok
from .state import Account, Ctx, Obj, World, new_id

DAY = 86400
AMOUNT_FIELDS = (
    "amount_due",
    "amount_remaining",
    "subtotal",
    "subtotal_excluding_tax",
    "total",
    "total_excluding_tax",
)


def get(acct: Account, inv_id: str, param: str = "id") -> Obj:
    inv = acct.invoices.get(inv_id)
    if inv is None:
        raise missing("invoice", inv_id, param)
    return inv


def _currency_param(code: str, param: str) -> str:
    if code.lower() not in facts.SUPPORTED_CURRENCIES:
        raise ApiError(
            400,
            f"Invalid currency: {code}. Stripe currently supports these currencies: "
            + ", ".join(sorted(facts.SUPPORTED_CURRENCIES)),
            param=param,
        )
    return code.lower()


def create(world: World, acct: Account, params: dict[str, Any], ctx: Ctx) -> Obj:
    if "customer" not in params:
        raise ApiError(
            400, "Missing required param: customer.", code="parameter_missing", param="customer"
        )
    cus = customers.get(acct, params["customer"], "customer")
    method = params.get("collection_method", "charge_automatically")
    if method not in ("charge_automatically", "send_invoice"):
        raise ApiError(400, f"Invalid collection_method: {method}", param="collection_method")
    days = params.get("days_until_due")
    if method == "charge_automatically" and ("days_until_due" in params or "due_date" in params):
        raise ApiError(
            400,
            "Invalid days_until_due: can only be set for send_invoice invoices",
            param="days_until_due",
        )
    if method == "send_invoice" and days is None and "due_date" not in params:
        raise ApiError(
            400,
            "Missing required param: days_until_due.",
            param="days_until_due",
            code="parameter_missing",
        )
    now = acct.clock.now()
    cur = _currency_param(params.get("currency") or cus["currency"] or "usd", "currency")
    inv: Obj = {
        "id": new_id("in"),
        "object": "invoice",
        "account_country": "US",
        "account_name": acct.name,
        "account_tax_ids": None,
        "amount_due": 0,
        "amount_overpaid": 0,
        "amount_paid": 0,
        "amount_paid_off_stripe": 0,
        "amount_remaining": 0,
        "amount_shipping": 0,
        "application": None,
        "attempt_count": 0,
        "attempted": False,
        "auto_advance": params.get("auto_advance", False),
        "automatic_tax": {"enabled": False, "liability": None, "status": None},
        "automatically_finalizes_at": None,
        "billing_reason": "manual",
        "collection_method": method,
        "created": now,
        "currency": cur,
        "custom_fields": None,
        "customer": cus["id"],
        "customer_account": None,
        "customer_address": cus["address"],
        "customer_email": cus["email"],
        "customer_name": cus["name"],
        "customer_phone": cus["phone"],
        "customer_shipping": None,
        "customer_tax_exempt": "none",
        "customer_tax_ids": [],
        "default_payment_method": None,
        "default_source": None,
        "default_tax_rates": [],
        "description": params.get("description"),
        "discounts": [],
        "due_date": params.get("due_date") or (now + days * DAY if days is not None else None),
        "effective_at": None,
        "ending_balance": None,
        "footer": params.get("footer") or cus["invoice_settings"]["footer"],
        "from_invoice": None,
        "hosted_invoice_url": None,
        "invoice_pdf": None,
        "issuer": {"type": "self"},
        "last_finalization_error": None,
        "latest_revision": None,
        "livemode": False,
        "metadata": customers.merge_metadata({}, params.get("metadata") or {}, "metadata"),
        "next_payment_attempt": None,
        "number": None,
        "on_behalf_of": None,
        "parent": None,
        "payment_settings": {
            "default_mandate": None,
            "payment_method_options": None,
            "payment_method_types": None,
        },
        "period_end": now,
        "period_start": now,
        "post_payment_credit_notes_amount": 0,
        "pre_payment_credit_notes_amount": 0,
        "receipt_number": None,
        "rendering": None,
        "shipping_cost": None,
        "shipping_details": None,
        "starting_balance": 0,
        "statement_descriptor": None,
        "status": "draft",
        "status_details": None,
        "status_transitions": {
            "finalized_at": None,
            "marked_uncollectible_at": None,
            "paid_at": None,
            "voided_at": None,
        },
        "subtotal": 0,
        "subtotal_excluding_tax": 0,
        "test_clock": None,
        "total": 0,
        "total_discount_amounts": [],
        "total_excluding_tax": 0,
        "total_pretax_credit_amounts": [],
        "total_taxes": [],
        "webhooks_delivered_at": now,
    }
    inv["lines"] = {
        "object": "list",
        "data": [],
        "has_more": False,
        "url": f"/v1/invoices/{inv['id']}/lines",
    }
    acct.invoices[inv["id"]] = inv
    if days is not None:
        acct.due_days[inv["id"]] = days
    acct.emit("invoice.created", inv, ctx)
    return inv


def _draft_only(inv: Obj, what: str) -> None:
    if inv["status"] != "draft":
        raise bad_state(
            f"You can only {what} draft invoices; this invoice is {inv['status']}.",
            code="invoice_not_editable",
        )


def add_lines(acct: Account, inv_id: str, params: dict[str, Any], ctx: Ctx) -> Obj:
    inv = get(acct, inv_id)
    _draft_only(inv, "add lines to")
    new = [build_line(acct, inv, spec, n) for n, spec in enumerate(params["lines"])]
    total = inv["total"] + sum(line["amount"] for line in new)
    cap = facts.max_amount(inv["currency"])
    if total > cap:
        raise ApiError(
            400,
            f"The invoice total ({total}) would be more than the maximum of "
            f"{cap} in the smallest currency unit.",
            code="amount_too_large",
            param="lines",
        )
    if total < 0:
        # A credit line may lower the total, not below zero: Stripe would move a negative
        # total to the customer's credit balance, which the simulator does not keep, so it
        # refuses with the documented code for an amount too small (README.md).
        raise ApiError(
            400,
            f"The invoice total ({total}) would be below 0: credit lines may reduce an "
            "invoice's total to 0 at most.",
            code="amount_too_small",
            param="lines",
        )
    metadata = inv["metadata"]
    if "invoice_metadata" in params:
        metadata = customers.merge_metadata(
            metadata, params["invoice_metadata"], "invoice_metadata"
        )
    before = {k: inv[k] for k in AMOUNT_FIELDS}
    inv["lines"]["data"].extend(new)
    for k in AMOUNT_FIELDS:
        inv[k] = total
    if metadata != inv["metadata"]:
        before["metadata"], inv["metadata"] = inv["metadata"], metadata
    acct.emit("invoice.updated", inv, ctx, previous=before)
    return inv


def update(acct: Account, inv_id: str, params: dict[str, Any], ctx: Ctx) -> Obj:
    inv = get(acct, inv_id)
    draft_fields = {"description", "footer", "days_until_due", "due_date", "auto_advance"}
    if draft_fields & params.keys() and inv["status"] != "draft":
        _draft_only(inv, "change description, footer or due date of")
    metadata = inv["metadata"]
    if "metadata" in params:  # checked before any change: a refusal changes nothing
        metadata = customers.merge_metadata(metadata, params["metadata"], "metadata")
    before: Obj = {}
    if "due_date" in params:
        acct.due_days.pop(inv["id"], None)  # a fixed date replaces days_until_due
    for key in ("description", "footer", "auto_advance", "due_date"):
        if key in params and inv[key] != params[key]:
            before[key], inv[key] = inv[key], params[key] if params[key] != "" else None
    if "days_until_due" in params:
        before["due_date"] = inv["due_date"]
        acct.due_days[inv["id"]] = params["days_until_due"]
        inv["due_date"] = inv["created"] + params["days_until_due"] * DAY
    if metadata != inv["metadata"]:
        before["metadata"], inv["metadata"] = inv["metadata"], metadata
    if before:
        acct.emit("invoice.updated", inv, ctx, previous=before)
    return inv


def delete(acct: Account, inv_id: str, ctx: Ctx) -> Obj:
    """Stripe deletes drafts only; what remains is ``{id, object, deleted: true}``."""
    inv = get(acct, inv_id)
    if inv["status"] != "draft":
        raise bad_state(
            f"You can only delete draft invoices; this invoice is {inv['status']}. "
            "Void it instead.",
            code="invoice_not_editable",
        )
    del acct.invoices[inv_id]
    acct.due_days.pop(inv_id, None)
    acct.emit("invoice.deleted", inv, ctx)
    return {"id": inv_id, "object": "invoice", "deleted": True}


def list_(acct: Account, params: dict[str, Any]) -> Obj:
    def keep(inv: Obj) -> bool:
        return (
            params.get("customer", inv["customer"]) == inv["customer"]
            and params.get("status", inv["status"]) == inv["status"]
            and params.get("collection_method", inv["collection_method"])
            == inv["collection_method"]
            and range_ok(inv["created"], params.get("created"))
            and range_ok(inv["due_date"], params.get("due_date"))
        )

    return page(newest_first(acct.invoices.values(), keep), params, "/v1/invoices", "invoice")


def list_lines(acct: Account, inv_id: str, params: dict[str, Any]) -> Obj:
    inv = get(acct, inv_id)
    # lines are listed in the order they were added
    listing = page(list(inv["lines"]["data"]), params, inv["lines"]["url"], "line_item")
    return listing


def finalize(world: World, acct: Account, inv_id: str, ctx: Ctx) -> Obj:
    inv = get(acct, inv_id)
    if inv["status"] != "draft":
        raise bad_state(
            "This invoice is already finalized, you can't re-finalize a non-draft invoice.",
            code="invoice_not_editable",
        )
    now = acct.clock.now()
    acct.number_seq += 1
    token = secrets.token_urlsafe(18)
    world.tokens[token] = (acct.key, inv["id"])
    inv.update(
        status="open",
        number=f"{acct.prefix}-{acct.number_seq:04d}",
        hosted_invoice_url=f"{world.base_url}/i/{token}",
        invoice_pdf=f"{world.base_url}/pdf/{token}",
        effective_at=now,
        ending_balance=0,
    )
    inv["status_transitions"]["finalized_at"] = now
    if inv["id"] in acct.due_days:
        # days_until_due counts from finalization, as on Stripe
        inv["due_date"] = now + acct.due_days[inv["id"]] * DAY
    acct.emit("invoice.finalized", inv, ctx)
    return inv
