"""Status changes that move no money: void, uncollectible, send, overdue; payment listing."""

from __future__ import annotations

from typing import Any

from .errors import ApiError, bad_state
from .invoices import get
from .payments import close_default
from .state import Account, Ctx, Obj


def void(acct: Account, inv_id: str, ctx: Ctx) -> Obj:
    inv = get(acct, inv_id)
    # Stripe documents no error code for these state refusals (README.md); they carry none.
    if inv["status"] not in ("open", "uncollectible"):
        raise bad_state(
            f"You can only void an open or uncollectible invoice; this one is {inv['status']}."
        )
    if inv["id"] in acct.processing:
        raise bad_state("This invoice has a payment processing and cannot be voided.")
    inv["status"] = "void"
    inv["status_transitions"]["voided_at"] = acct.clock.now()
    close_default(acct, inv, "canceled")
    acct.emit("invoice.voided", inv, ctx)
    return inv


def mark_uncollectible(acct: Account, inv_id: str, ctx: Ctx) -> Obj:
    inv = get(acct, inv_id)
    if inv["status"] != "open":
        raise bad_state(
            f"You can only mark an open invoice uncollectible; this one is {inv['status']}."
        )
    inv["status"] = "uncollectible"
    inv["status_transitions"]["marked_uncollectible_at"] = acct.clock.now()
    acct.emit("invoice.marked_uncollectible", inv, ctx)
    return inv


def send(acct: Account, inv_id: str, ctx: Ctx) -> Obj:
    inv = get(acct, inv_id)
    if inv["status"] not in ("open", "uncollectible", "paid"):
        raise bad_state(f"You can only send a finalized invoice; this one is {inv['status']}.")
    if not acct.customers[inv["customer"]]["email"]:
        raise ApiError(
            400, "The customer has no email address to send the invoice to.", param="customer"
        )
    acct.emit("invoice.sent", inv, ctx)
    return inv


def sweep_overdue(acct: Account) -> None:
    """``invoice.overdue`` once for each open invoice whose due date has passed."""
    now = acct.clock.now()
    for inv in acct.invoices.values():
        due = inv["due_date"]
        if inv["status"] == "open" and due and due < now and inv["id"] not in acct.overdue_sent:
            acct.overdue_sent.add(inv["id"])
            acct.emit("invoice.overdue", inv, None)


def attempts(acct: Account, params: dict[str, Any]) -> list[Obj]:
    inv_id, status = params.get("invoice"), params.get("status")
    want = params.get("payment") or {}
    out = []
    for pay in reversed(list(acct.invoice_payments.values())):
        if (inv_id and pay["invoice"] != inv_id) or (status and pay["status"] != status):
            continue
        if want and any(pay["payment"].get(k) != v for k, v in want.items()):
            continue
        out.append(pay)
    return out
