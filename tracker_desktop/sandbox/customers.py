"""Customers: create, update, retrieve, list, search; the account object."""

from __future__ import annotations

import re
from typing import Any

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
        raise ApiError(400, f"Invalid email address: {value}", param="email")


def account_object(acct: Account) -> Obj:
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
        "livemode": False,
        "metadata": {},
        "payouts_enabled": True,
        "settings": {"dashboard": {"display_name": acct.name, "timezone": "Etc/UTC"}},
        "type": "standard",
    }


def merge_metadata(current: dict[str, str], given: Any) -> dict[str, str]:
    """Stripe's metadata update: keys set, ``""`` unsets one key, ``metadata=""`` clears all."""
    if given == "":
        return {}
    out = dict(current)
    for k, v in given.items():
        if v == "":
            out.pop(k, None)
        else:
            out[k] = str(v)
    return out


def get(acct: Account, cus_id: str, param: str = "id") -> Obj:
    cus = acct.customers.get(cus_id)
    if cus is None:
        raise missing("customer", cus_id, param)
    return cus


def create(acct: Account, params: dict[str, Any], ctx: Ctx) -> Obj:
    cus: Obj = {
        "id": new_id("cus", 14),
        "object": "customer",
        "address": None,
        "balance": 0,
        "created": acct.clock.now(),
        "currency": None,
        "default_source": None,
        "delinquent": False,
        "description": None,
        "discount": None,
        "email": None,
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
    check_email(params.get("email"))  # before any change: a refusal changes nothing
    for key in SIMPLE_FIELDS:
        if key in params:
            cus[key] = params[key] or None
    if "metadata" in params:
        cus["metadata"] = merge_metadata(cus["metadata"], params["metadata"])
    settings = params.get("invoice_settings") or {}
    if "default_payment_method" in settings:
        pm = settings["default_payment_method"]
        if pm and pm not in acct.payment_methods:
            raise missing("payment_method", pm, "invoice_settings[default_payment_method]")
        cus["invoice_settings"] = {**cus["invoice_settings"], "default_payment_method": pm or None}
    if "footer" in settings:
        cus["invoice_settings"] = {**cus["invoice_settings"], "footer": settings["footer"] or None}


def list_(acct: Account, params: dict[str, Any]) -> Obj:
    email = params.get("email")
    items = newest_first(
        acct.customers.values(),
        lambda c: (
            (email is None or c["email"] == email) and range_ok(c["created"], params.get("created"))
        ),
    )
    return page(items, params, "/v1/customers", "customer")


_CLAUSE = re.compile(r"\s*(\w+)(?:\['([^']*)'\])?\s*([:~])\s*'((?:[^'\\]|\\.)*)'\s*")


def search(acct: Account, params: dict[str, Any]) -> Obj:
    """A small part of Stripe's search language: ``email:'x' AND metadata['k']:'v'``."""
    query = params["query"]
    clauses = []
    for part in re.split(r"\s+AND\s+", query.strip()):
        m = _CLAUSE.fullmatch(part)
        if not m:
            raise ApiError(400, f"Invalid search query: {query}", param="query")
        clauses.append(m.groups())

    def keep(cus: Obj) -> bool:
        for fld, sub, op, want in clauses:
            have = cus.get("metadata", {}).get(sub) if fld == "metadata" else cus.get(fld)
            have = "" if have is None else str(have)
            want = want.replace("\\'", "'")
            if (op == ":" and have != want) or (op == "~" and want.lower() not in have.lower()):
                return False
        return True

    items = newest_first(acct.customers.values(), keep)
    limit = params.get("limit", 10)
    return {
        "object": "search_result",
        "data": items[:limit],
        "has_more": len(items) > limit,
        "next_page": None,
        "url": "/v1/customers/search",
    }
