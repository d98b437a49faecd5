"""What a credit note would do to its invoice, checked against Stripe's rules first.

Stripe's rules, as stripe-python 16.1 documents ``POST /v1/credit_notes``: a credit note first
reduces the invoice's ``amount_remaining`` (and ``amount_due``), not below zero: that part is
its ``pre_payment_amount``. The rest is its ``post_payment_amount``, which the refund, the
customer-balance credit and the out-of-band amount must add up to exactly. All credit notes of
an invoice together cannot exceed its total ("The sum of all credit notes cannot exceed the
invoice's total amount", Stripe's credit-notes guide).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import facts
from .charges import paying_charge
from .credit_note_lines import build_line, positive
from .errors import ApiError, bad_state, missing
from .invoices import get as get_invoice
from .state import Account, Obj

CREDITABLE = ("open", "paid")


@dataclass
class Plan:
    """What a credit note would do, worked out before anything changes (create and preview)."""

    invoice: Obj
    total: int
    pre: int
    post: int
    lines: list[Obj] = field(default_factory=list)
    refund: int = 0
    linked: list[tuple[Obj, int]] = field(default_factory=list)  # (existing refund, amount)
    credit: int = 0
    out_of_band: int = 0


def live(acct: Account, inv_id: str) -> list[Obj]:
    return [
        n for n in acct.credit_notes.values() if n["invoice"] == inv_id and n["status"] != "void"
    ]


def plan(acct: Account, params: dict[str, Any]) -> Plan:
    """Check a credit note against the invoice and Stripe's rules; change nothing."""
    inv = get_invoice(acct, params["invoice"], "invoice")
    if inv["status"] not in CREDITABLE:
        # Stripe documents no error code for crediting an invoice in the wrong state.
        raise bad_state(
            "You can only issue a credit note for an open or paid invoice; "
            f"this invoice is {inv['status']}.",
        )
    if "shipping_cost" in params:
        raise ApiError(400, "This invoice has no shipping cost to credit.", param="shipping_cost")
    if "amount" not in params and not params.get("lines"):
        raise ApiError(
            400,
            "You must pass one of amount, lines, or shipping_cost.",
            code="parameter_missing",
            param="amount",
        )
    lines = [build_line(acct, inv, spec, n) for n, spec in enumerate(params.get("lines") or [])]
    total = sum(li["amount"] for li in lines) if lines else positive(params["amount"], "amount")
    if lines and "amount" in params and params["amount"] != total:
        raise ApiError(
            400,
            f"The credit note amount ({params['amount']}) must equal the sum of its lines "
            f"({total}).",
            param="amount",
        )
    if total <= 0:
        raise ApiError(
            400,
            "A credit note's total must be more than 0.",
            code="amount_too_small",
            param="amount" if not lines else "lines",
        )
    if total % facts.amount_step(inv["currency"]):
        raise ApiError(
            400,
            f"Invalid amount: {inv['currency'].upper()} amounts must be a multiple of "
            f"{facts.amount_step(inv['currency'])} in the smallest currency unit.",
            param="amount",
        )
    if inv["status"] == "open" and total > inv["amount_remaining"] and not inv["amount_paid"]:
        raise ApiError(
            400,
            f"The credit note total ({total}) is more than the invoice's amount remaining "
            f"({inv['amount_remaining']}).",
            param="amount" if not lines else "lines",
        )
    credited = sum(n["amount"] for n in live(acct, inv["id"]))
    if total > inv["total"] - credited:
        raise ApiError(
            400,
            f"The credit note total ({total}) is more than the invoice's remaining creditable "
            f"amount ({inv['total'] - credited}): all credit notes of an invoice together "
            "cannot exceed its total.",
            param="amount" if not lines else "lines",
        )
    pre = min(total, inv["amount_remaining"]) if inv["status"] == "open" else 0
    if pre and inv["id"] in acct.processing:
        raise bad_state("This invoice has a payment processing; wait for it to settle.")
    result = Plan(inv, total, pre, total - pre, lines)
    result.refund = positive(params.get("refund_amount", 0), "refund_amount")
    result.credit = positive(params.get("credit_amount", 0), "credit_amount")
    if result.credit and inv["customer"] not in acct.customers:
        raise missing("customer", inv["customer"], "credit_amount")
    result.out_of_band = positive(params.get("out_of_band_amount", 0), "out_of_band_amount")
    for n, link in enumerate(params.get("refunds") or []):
        found = acct.refunds.get(link.get("refund") or "")
        if found is None:
            raise missing("refund", link.get("refund") or "", f"refunds[{n}][refund]")
        result.linked.append((found, link.get("amount_refunded", found["amount"])))
    settled = result.refund + result.credit + result.out_of_band
    settled += sum(amount for _, amount in result.linked)
    if settled != result.post:
        raise ApiError(
            400,
            f"The sum of refund_amount, refunds, credit_amount and out_of_band_amount "
            f"({settled}) must equal the credit note's post-payment amount ({result.post}).",
            param="refund_amount",
        )
    post_done = sum(n["post_payment_amount"] for n in live(acct, inv["id"]))
    if result.post > inv["amount_paid"] - post_done:
        raise ApiError(
            400,
            f"The post-payment amount ({result.post}) is more than what was paid and not yet "
            f"credited ({inv['amount_paid'] - post_done}).",
            param="refund_amount",
        )
    if result.refund:
        charge = paying_charge(acct, inv)
        if charge is None:
            raise ApiError(
                400,
                "This invoice was not paid through Stripe, so there is no charge to refund; "
                "record money returned outside Stripe with out_of_band_amount.",
                param="refund_amount",
            )
        if result.refund > charge["amount"] - charge["amount_refunded"]:
            raise ApiError(
                400,
                f"Refund amount ({result.refund}) is greater than the unrefunded amount on "
                f"the charge ({charge['amount'] - charge['amount_refunded']}).",
                param="refund_amount",
            )
    return result
