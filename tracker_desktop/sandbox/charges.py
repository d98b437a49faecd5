"""Charges behind card and bank-debit payments, and the refunds credit notes make on them."""

from __future__ import annotations

from .state import Account, Ctx, Obj, new_id

# A credit note's reason, carried over to its refund where the Refund enum has the same word.
REFUND_REASONS = {"duplicate": "duplicate", "fraudulent": "fraudulent"}


def new_charge(acct: Account, inv: Obj, pi: Obj) -> Obj:
    """The succeeded charge behind a paid intent: what a refund goes back to."""
    pm = acct.payment_methods.get(pi["payment_method"] or "")
    charge: Obj = {
        "id": new_id("ch"),
        "object": "charge",
        "amount": pi["amount"],
        "amount_captured": pi["amount"],
        "amount_refunded": 0,
        "billing_details": pm["billing_details"]
        if pm
        else {"address": None, "email": None, "name": None, "phone": None},
        "captured": True,
        "created": acct.clock.now(),
        "currency": inv["currency"],
        "customer": inv["customer"],
        "description": pi["description"],
        "disputed": False,
        "livemode": False,
        "metadata": {},
        "paid": True,
        "payment_intent": pi["id"],
        "payment_method": pi["payment_method"],
        "refunded": False,
        "status": "succeeded",
    }
    acct.charges[charge["id"]] = charge
    return charge


def paying_charge(acct: Account, inv: Obj) -> Obj | None:
    """The succeeded charge that paid the invoice through its default intent, if any."""
    for pay in acct.invoice_payments.values():
        if pay["invoice"] != inv["id"] or pay["status"] != "paid":
            continue
        intent = acct.payment_intents.get(pay["payment"].get("payment_intent") or "")
        if intent and intent["latest_charge"]:
            return acct.charges[intent["latest_charge"]]
    return None


def refund(acct: Account, inv: Obj, amount: int, reason: str | None, ctx: Ctx) -> Obj:
    charge = paying_charge(acct, inv)
    assert charge is not None  # checked by plan()
    refund: Obj = {
        "id": new_id("re"),
        "object": "refund",
        "amount": amount,
        "balance_transaction": None,
        "charge": charge["id"],
        "created": acct.clock.now(),
        "currency": inv["currency"],
        "description": None,
        "metadata": {},
        "payment_intent": charge["payment_intent"],
        "reason": REFUND_REASONS.get(reason or "", "requested_by_customer"),
        "receipt_number": None,
        "status": "succeeded",
    }
    acct.refunds[refund["id"]] = refund
    before = {"amount_refunded": charge["amount_refunded"], "refunded": charge["refunded"]}
    charge["amount_refunded"] += amount
    charge["refunded"] = charge["amount_refunded"] == charge["amount"]
    acct.emit("refund.created", refund, ctx)
    acct.emit("charge.refunded", charge, ctx, previous=before)
    return refund
