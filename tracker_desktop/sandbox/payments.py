"""Money moving: card and bank-debit attempts, out-of-band payment, void, uncollectible, overdue.

Each finalized invoice has one default PaymentIntent and one default ``invoice_payment`` (as on
Stripe since API 2025-03-31); a failed card leaves both open with the error on the intent.
Bank debits, which stay processing until released, are in bank_debits.
"""

from __future__ import annotations

from .charges import new_charge
from .errors import ApiError, bad_state
from .invoices import get
from .state import Account, Ctx, Obj, new_id

# Stripe's test cards: number -> (brand, None) on success or (decline_code, message) on decline
GOOD_CARDS = {
    "4242424242424242": "visa",
    "4000056655665556": "visa",
    "5555555555554444": "mastercard",
    "378282246310005": "amex",
}
DECLINES = {
    "4000000000000002": ("generic_decline", "Your card was declined."),
    "4000000000009995": ("insufficient_funds", "Your card has insufficient funds."),
    "4000000000000069": ("expired_card", "Your card has expired."),
}
TOKENS = {
    "pm_card_visa": "4242424242424242",
    "pm_card_mastercard": "5555555555554444",
    "pm_card_chargeDeclined": "4000000000000002",
    "pm_card_chargeDeclinedInsufficientFunds": "4000000000009995",
}


def default_intent(acct: Account, inv: Obj) -> Obj:
    pay = acct.invoice_payments[acct.default_payment[inv["id"]]]
    return acct.payment_intents[pay["payment"]["payment_intent"]]


def open_payment(acct: Account, inv: Obj) -> None:
    """Called at finalization: the default intent and invoice payment, both open."""
    now = acct.clock.now()
    pi_id = new_id("pi")
    pi: Obj = {
        "id": pi_id,
        "object": "payment_intent",
        "amount": inv["amount_due"],
        "amount_capturable": 0,
        "amount_received": 0,
        "application": None,
        "application_fee_amount": None,
        "automatic_payment_methods": None,
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": "automatic",
        "client_secret": f"{pi_id}_secret_{new_id('s', 20)[2:]}",
        "confirmation_method": "automatic",
        "created": now,
        "currency": inv["currency"],
        "customer": inv["customer"],
        "description": f"Invoice {inv['number']}",
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
        "metadata": {},
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": None,
        "payment_method_configuration_details": None,
        "payment_method_options": None,
        "payment_method_types": ["card", "us_bank_account"],
        "processing": None,
        "receipt_email": None,
        "review": None,
        "setup_future_usage": None,
        "shipping": None,
        "source": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": "requires_payment_method",
        "transfer_data": None,
        "transfer_group": None,
    }
    acct.payment_intents[pi["id"]] = pi
    pay = _invoice_payment(acct, inv, "payment_intent", pi["id"], is_default=True)
    pay["status"] = "open"
    acct.default_payment[inv["id"]] = pay["id"]


def _invoice_payment(acct: Account, inv: Obj, kind: str, ref: str, is_default: bool) -> Obj:
    pay: Obj = {
        "id": new_id("inpay"),
        "object": "invoice_payment",
        "amount_paid": None,
        "amount_requested": inv["amount_remaining"],
        "created": acct.clock.now(),
        "currency": inv["currency"],
        "invoice": inv["id"],
        "is_default": is_default,
        "livemode": False,
        "payment": {"type": kind, kind: ref},
        "status": "open",
        "status_transitions": {"canceled_at": None, "paid_at": None},
    }
    acct.invoice_payments[pay["id"]] = pay
    return pay


def close_default(acct: Account, inv: Obj, status: str, reason: str = "void_invoice") -> None:
    pay = acct.invoice_payments[acct.default_payment[inv["id"]]]
    pi = acct.payment_intents[pay["payment"]["payment_intent"]]
    now = acct.clock.now()
    pay["status"] = status
    if status == "paid":
        pay["amount_paid"] = inv["amount_due"]
        pay["status_transitions"]["paid_at"] = now
        pi.update(status="succeeded", amount_received=pi["amount"], last_payment_error=None)
        if pi["amount"] > 0:  # nothing is charged for an invoice of 0
            pi["latest_charge"] = new_charge(acct, inv, pi)["id"]
    else:
        pay["status_transitions"]["canceled_at"] = now
        pi.update(status="canceled", canceled_at=now, cancellation_reason=reason)


def mark_paid(acct: Account, inv: Obj, ctx: Ctx | None, via_intent: bool) -> None:
    now = acct.clock.now()
    inv.update(status="paid", amount_paid=inv["amount_due"], amount_remaining=0, attempted=True)
    inv["status_transitions"]["paid_at"] = now
    if via_intent:
        close_default(acct, inv, "paid")
        acct.emit("payment_intent.succeeded", default_intent(acct, inv), ctx)
        acct.emit("invoice.payment_succeeded", inv, ctx)
    acct.emit("invoice.paid", inv, ctx)
    paid = [
        p
        for p in acct.invoice_payments.values()
        if p["invoice"] == inv["id"] and p["status"] == "paid"
    ]
    acct.emit("invoice_payment.paid", paid[-1], ctx)


def settle_by_credit(acct: Account, inv: Obj, ctx: Ctx) -> None:
    """An open invoice whose credit notes leave nothing to pay is paid, with nothing charged
    (as a finalized invoice of 0 is); its payment page has nothing left to collect."""
    close_default(acct, inv, "canceled", reason="automatic")
    inv["status"] = "paid"
    inv["status_transitions"]["paid_at"] = acct.clock.now()
    acct.emit("invoice.paid", inv, ctx)


def settle_zero(acct: Account, inv: Obj, ctx: Ctx) -> None:
    """Stripe marks a finalized invoice of 0 paid at once."""
    if inv["amount_due"] == 0:
        mark_paid(acct, inv, ctx, via_intent=True)


def require_payable(acct: Account, inv: Obj) -> None:
    # Stripe documents no error code for paying a closed invoice or one whose bank debit is
    # still processing (README.md); these answers carry none.
    if inv["status"] not in ("open", "uncollectible"):
        raise bad_state(
            f"Invoice is already {inv['status']}; only open or uncollectible invoices can be paid."
        )
    if inv["id"] in acct.processing:
        raise bad_state("This invoice has a payment processing; wait for it to settle.")


def pay_out_of_band(acct: Account, inv_id: str, ctx: Ctx) -> Obj:
    inv = get(acct, inv_id)
    require_payable(acct, inv)
    close_default(acct, inv, "canceled")
    rec = _invoice_payment(acct, inv, "payment_record", new_id("pr"), is_default=False)
    rec.update(status="paid", amount_paid=inv["amount_remaining"])
    rec["status_transitions"]["paid_at"] = acct.clock.now()
    inv["amount_paid_off_stripe"] += inv["amount_remaining"]
    mark_paid(acct, inv, ctx, via_intent=False)
    return inv


def _payment_method(acct: Account, inv: Obj, card: str) -> Obj:
    brand = GOOD_CARDS.get(card, "visa")
    pm: Obj = {
        "id": new_id("pm"),
        "object": "payment_method",
        "allow_redisplay": "unspecified",
        "type": "card",
        "billing_details": {
            "address": None,
            "email": inv["customer_email"],
            "name": inv["customer_name"],
            "phone": None,
        },
        "card": {
            "brand": brand,
            "country": "US",
            "exp_month": 12,
            "exp_year": 2034,
            "funding": "credit",
            "last4": card[-4:],
            "display_brand": brand,
        },
        "created": acct.clock.now(),
        "customer": inv["customer"],
        "livemode": False,
        "metadata": {},
    }
    acct.payment_methods[pm["id"]] = pm
    return pm


def pay_with_card(acct: Account, inv_id: str, card: str, ctx: Ctx | None) -> Obj:
    """One attempt on the default intent; raises a 402 card_error when the card is declined."""
    inv = get(acct, inv_id)
    card = card.replace(" ", "").replace("-", "")
    if card not in GOOD_CARDS and card not in DECLINES:
        raise ApiError(
            402,
            "Your card number is incorrect.",
            type_="card_error",
            code="incorrect_number",
            param="number",
        )
    require_payable(acct, inv)
    pm = _payment_method(acct, inv, card)
    pi = default_intent(acct, inv)
    pi["payment_method"] = pm["id"]
    inv["attempt_count"] += 1
    inv["attempted"] = True
    if card in DECLINES:
        code, message = DECLINES[card]
        pi.update(
            status="requires_payment_method",
            last_payment_error={
                "type": "card_error",
                "code": "card_declined",
                "decline_code": code,
                "message": message,
                "payment_method": pm,
            },
        )
        acct.emit("payment_intent.payment_failed", pi, ctx)
        acct.emit("invoice.payment_failed", inv, ctx)
        raise ApiError(
            402,
            message,
            type_="card_error",
            code="card_declined",
            decline_code=code,
            extra={"payment_intent": dict(pi)},
        )
    _save_default(acct, inv, pm, ctx)
    mark_paid(acct, inv, ctx, via_intent=True)
    return inv


def _save_default(acct: Account, inv: Obj, pm: Obj, ctx: Ctx | None) -> None:
    """The hosted page saves the card for later invoices (the app shows "Visa ending 4242")."""
    cus = acct.customers[inv["customer"]]
    previous = {"invoice_settings": dict(cus["invoice_settings"])}
    cus["invoice_settings"] = {**cus["invoice_settings"], "default_payment_method": pm["id"]}
    acct.emit("customer.updated", cus, ctx, previous=previous)


def pay_with_saved(acct: Account, inv_id: str, pm_id: str | None, ctx: Ctx) -> Obj:
    """``POST /v1/invoices/{id}/pay`` without ``paid_out_of_band``: charge a saved method."""
    inv = get(acct, inv_id)
    pm_id = pm_id or acct.customers[inv["customer"]]["invoice_settings"]["default_payment_method"]
    if pm_id in TOKENS:
        return pay_with_card(acct, inv_id, TOKENS[pm_id], ctx)
    pm = acct.payment_methods.get(pm_id or "")
    if pm is None or pm["type"] != "card":
        raise bad_state(
            "This invoice cannot be paid: the customer has no default card payment method."
        )
    return pay_with_card(
        acct,
        inv_id,
        "4242424242424242" if pm["card"]["last4"] == "4242" else "5555555555554444",
        ctx,
    )
