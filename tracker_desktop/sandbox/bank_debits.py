"""A US bank debit: the invoice stays processing until the test (or the hosted page's
control) releases it as paid or failed."""

from __future__ import annotations

from .errors import bad_state
from .invoices import get
from .payments import default_intent, mark_paid, require_payable
from .state import Account, Ctx, Obj, new_id


def start_bank_debit(acct: Account, inv_id: str, ctx: Ctx | None) -> Obj:
    """A US bank debit: the intent stays ``processing`` until the test releases it."""
    inv = get(acct, inv_id)
    require_payable(acct, inv)
    pm: Obj = {
        "id": new_id("pm"),
        "object": "payment_method",
        "allow_redisplay": "unspecified",
        "type": "us_bank_account",
        "billing_details": {
            "address": None,
            "email": inv["customer_email"],
            "name": inv["customer_name"],
            "phone": None,
        },
        "us_bank_account": {
            "account_holder_type": "individual",
            "account_type": "checking",
            "bank_name": "STRIPE TEST BANK",
            "last4": "6789",
            "routing_number": "110000000",
        },
        "created": acct.clock.now(),
        "customer": inv["customer"],
        "livemode": False,
        "metadata": {},
    }
    acct.payment_methods[pm["id"]] = pm
    pi = default_intent(acct, inv)
    pi.update(status="processing", payment_method=pm["id"], last_payment_error=None)
    inv["attempt_count"] += 1
    inv["attempted"] = True
    acct.processing[inv["id"]] = pi["id"]
    acct.emit("payment_intent.processing", pi, ctx)
    return inv


def release_debit(acct: Account, inv_id: str, succeed: bool, ctx: Ctx | None) -> Obj:
    inv = get(acct, inv_id)
    if acct.processing.pop(inv["id"], None) is None:
        raise bad_state("This invoice has no bank debit processing.")
    pi = default_intent(acct, inv)
    if succeed:
        mark_paid(acct, inv, ctx, via_intent=True)
    else:
        pi.update(
            status="requires_payment_method",
            last_payment_error={
                "type": "invalid_request_error",
                "code": "insufficient_funds",
                "message": "The customer's account has insufficient funds to cover this payment.",
                "payment_method_type": "us_bank_account",
            },
        )
        acct.emit("payment_intent.payment_failed", pi, ctx)
        acct.emit("invoice.payment_failed", inv, ctx)
    return inv
