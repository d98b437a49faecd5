"""Test controls under ``/_sandbox/`` and the buyer's actions on the hosted page.

These act on the world directly (no API key): they stand for Stripe's own background work and
for the buyer, whose actions carry no request id in the events they cause.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from . import bank_debits, payments, transitions
from .errors import ApiError
from .faults import Faults
from .state import Account, Obj, World


@dataclass
class Stats:
    requests: Counter[str] = field(default_factory=Counter)

    def as_dict(self, faults: Faults) -> dict[str, Any]:
        posts = sum(n for k, n in self.requests.items() if k.startswith("POST "))
        return {
            "requests": dict(self.requests),
            "total_requests": sum(self.requests.values()),
            "total_posts": posts,
            "faults_injected": faults.injected(),
        }


def find_invoice(world: World, inv_id: str) -> tuple[Account, Obj]:
    for acct in world.accounts.values():
        if inv_id in acct.invoices:
            return acct, acct.invoices[inv_id]
    raise ApiError(404, f"No such invoice: '{inv_id}'", code="resource_missing")


def buyer_pays(world: World, acct: Account, inv: Obj, method: str, card: str = "") -> str:
    """The buyer's click on the hosted page; returns the message shown to them."""
    try:
        if method == "us_bank_account":
            bank_debits.start_bank_debit(acct, inv["id"], None)
            return "Bank debit started. Your payment is processing; this can take a few days."
        payments.pay_with_card(acct, inv["id"], card, None)
        return "Payment succeeded. Thank you!"
    except ApiError as exc:
        return exc.message


def control(
    world: World, faults: Faults, stats: Stats, method: str, path: str, body: bytes
) -> tuple[int, Obj]:
    """Dispatch one ``/_sandbox/...`` call; JSON in, JSON out."""
    try:
        data: dict[str, Any] = json.loads(body) if body.strip() else {}
    except json.JSONDecodeError:
        return 400, {"error": {"message": "body must be JSON"}}
    parts = [p for p in path.split("/") if p][1:]
    try:
        with world.lock:
            return 200, _dispatch(world, faults, stats, method, parts, data)
    except ApiError as exc:
        return exc.status, exc.body("req_sandbox")
    except (ValueError, TypeError, KeyError) as exc:
        return 400, {"error": {"type": "invalid_request_error", "message": str(exc)}}


def _dispatch(
    world: World, faults: Faults, stats: Stats, method: str, parts: list[str], data: dict[str, Any]
) -> Obj:
    match method, parts:
        case "GET", ["clock"]:
            return {"now": world.clock.now(), "offset": world.clock.offset}
        case "POST", ["clock"]:
            seconds = int(data["advance_seconds"])
            if seconds < 0:
                raise ValueError("the clock only moves forward")
            world.clock.offset += seconds
            for acct in world.accounts.values():
                transitions.sweep_overdue(acct)
                acct.expire_events()
            return {"now": world.clock.now(), "offset": world.clock.offset}
        case "POST", ["faults"]:
            return faults.configure(data)
        case ("DELETE", ["faults"]) | ("POST", ["faults", "clear"]):
            faults.clear()
            return {"cleared": True}
        case "POST", ["invoices", inv_id, "release_debit"]:
            acct, inv = find_invoice(world, inv_id)
            outcome = data.get("outcome", "succeeded")
            if outcome not in ("succeeded", "failed"):
                raise ValueError("outcome must be 'succeeded' or 'failed'")
            return bank_debits.release_debit(acct, inv_id, outcome == "succeeded", None)
        case "POST", ["invoices", inv_id, "pay_as_buyer"]:
            acct, inv = find_invoice(world, inv_id)
            method_ = "us_bank_account" if data.get("method") == "us_bank_account" else "card"
            message = buyer_pays(world, acct, inv, method_, str(data.get("card", "")))
            return {"result": message, "invoice": inv}
        case "GET", ["stats"]:
            return stats.as_dict(faults)
        case "POST", ["reset"]:
            world.reset()
            faults.clear()
            stats.requests.clear()
            return {"reset": True}
    raise ApiError(404, f"Unknown sandbox control: {method} /_sandbox/{'/'.join(parts)}")
