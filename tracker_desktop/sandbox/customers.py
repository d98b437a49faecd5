"""Customers: create, update, retrieve, delete, list (search is in search.py); the account."""

from __future__ import annotations

import re
from typing import Any

from . import facts
from .errors import ApiError, missing
from .listing import newest_first, page, range_ok
from .state import Account, Ctx, Obj, new_id

SIMPLE_FIELDS = ("email", "name", "phone", "description", "address", "preferred_locales")

# Stricter than a shape check, as Stripe is: dot-separated atoms on both sides (no leading,
# trailing or doubled dot), domain labels of letters, digits and inner hyphens, a TLD of 2+.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_EMAIL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+[A-Za-z]{{2,}}")


def check_email(value: Any) -> None:
    """Stripe's refusal of a malformed email (400, param "email"); empty unsets it."""
    if value and not (isinstance(value, str) and _EMAIL.fullmatch(value)):
        raise ApiError(400, f"Invalid email address: {value}", code="email_invalid", param="email")


def account_object(acct: Account) -> Obj:
    """The account as GET /v1/account shows it; Stripe's Account has no ``livemode``."""
    return {
        "id": acct.id,
        "object": "account",
        "business_profile": {"name": acct.name, "url": None, "support_email": None},
        "business_type": "company",
        "capabilities": {"card_payments": "active", "transfers": "active"},
        "charges_enabled": True,
        "country": "US",
        "created": 1700000000,
        "default_currency": "usd",
        "details_submitted": True,
        "email": "dealer@example.com",
        "metadata": {},
        "payouts_enabled": True,
        "settings": {
            "branding": {
                "icon": None,
                "logo": None,
                "primary_color": None,
                "secondary_color": None,
            },
            "card_payments": {"decline_on": None, "statement_descriptor_prefix": None},
            "dashboard": {"display_name": acct.name, "timezone": "Etc/UTC"},
            "payments": {"statement_descriptor": acct.name.upper()[:22]},
        },
        "type": "standard",
    }


def merge_metadata(current: dict[str, str], given: Any, param: str) -> dict[str, str]:
    """Stripe's metadata update: keys set, ``""`` unsets one key, ``metadata=""`` clears all;
    refused past Stripe's limits (facts.py), naming ``param``."""
    if given == "":
        return {}
    out = dict(current)
    for k, v in given.items():
        where = f"{param}[{k}]"
        if len(k) > facts.METADATA_KEY_MAX_LENGTH or "[" in k or "]" in k:
            raise ApiError(
                400,
                f"Invalid {where}: metadata keys are at most "
                f"{facts.METADATA_KEY_MAX_LENGTH} characters, without square brackets.",
                param=where,
            )
        if len(str(v)) > facts.METADATA_VALUE_MAX_LENGTH:
            raise ApiError(
                400,
                f"Invalid {where}: metadata values are at most "
                f"{facts.METADATA_VALUE_MAX_LENGTH} characters.",
                param=where,
            )
        if v == "":
            out.pop(k, None)
        else:
            out[k] = str(v)
    if len(out) > facts.METADATA_MAX_KEYS:
        raise ApiError(
            400,
            f"Invalid {param}: an object can have at most {facts.METADATA_MAX_KEYS} metadata keys.",
            param=param,
        )
    return out


def get(acct: Account, cus_id: str, param: str = "id") -> Obj:
    cus = acct.customers.get(cus_id)
    if cus is None or cus_id in acct.deleted_customers:
        raise missing("customer", cus_id, param)
    return cus


def retrieve(acct: Account, cus_id: str) -> Obj:
    """Stripe still answers for a deleted customer, with only ``deleted: true``."""
    if cus_id in acct.deleted_customers:
        return {"id": cus_id, "object": "customer", "deleted": True}
    return get(acct, cus_id)


def delete(acct: Account, cus_id: str, ctx: Ctx) -> Obj:
    cus = get(acct, cus_id)
    acct.deleted_customers.add(cus_id)
    acct.emit("customer.deleted", cus, ctx)
    return {"id": cus_id, "object": "customer", "deleted": True}


def create(acct: Account, params: dict[str, Any], ctx: Ctx) -> Obj:
    cus: Obj = {
        "id": new_id("cus", 14),
        "object": "customer",
        "address": None,
        "balance": 0,
        "business_name": None,
        "created": acct.clock.now(),
        "currency": None,
        "customer_account": None,
        "default_source": None,
        "delinquent": False,
        "description": None,
        "discount": None,
        "email": None,
        "individual_name": None,
        "invoice_prefix": acct.prefix,
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": None,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": False,
        "metadata": {},
        "name": None,
        "next_invoice_sequence": 1,
        "phone": None,
        "preferred_locales": [],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
    }
    _apply(acct, cus, params)
    acct.customers[cus["id"]] = cus
    acct.emit("customer.created", cus, ctx)
    return cus


def update(acct: Account, cus_id: str, params: dict[str, Any], ctx: Ctx) -> Obj:
    cus = get(acct, cus_id)
    before = {k: cus[k] for k in (*SIMPLE_FIELDS, "metadata", "invoice_settings")}
    _apply(acct, cus, params)
    changed = {k: v for k, v in before.items() if cus[k] != v}
    if changed:
        acct.emit("customer.updated", cus, ctx, previous=changed)
    return cus


def _apply(acct: Account, cus: Obj, params: dict[str, Any]) -> None:
    # every refusal comes before any change: a refused update changes nothing
    check_email(params.get("email"))
    metadata = cus["metadata"]
    if "metadata" in params:
        metadata = merge_metadata(metadata, params["metadata"], "metadata")
    settings = params.get("invoice_settings") or {}
    pm = settings.get("default_payment_method")
    if pm and pm not in acct.payment_methods:
        raise missing("payment_method", pm, "invoice_settings[default_payment_method]")
    for key in SIMPLE_FIELDS:
        if key in params:
            cus[key] = params[key] or None
    cus["metadata"] = metadata
    if "default_payment_method" in settings:
        cus["invoice_settings"] = {**cus["invoice_settings"], "default_payment_method": pm or None}
    if "footer" in settings:
        cus["invoice_settings"] = {**cus["invoice_settings"], "footer": settings["footer"] or None}


def list_(acct: Account, params: dict[str, Any]) -> Obj:
    email = params.get("email")
    items = newest_first(
        acct.customers.values(),
        lambda c: (
            c["id"] not in acct.deleted_customers
            and (email is None or c["email"] == email)
            and range_ok(c["created"], params.get("created"))
        ),
    )
    return page(items, params, "/v1/customers", "customer")
