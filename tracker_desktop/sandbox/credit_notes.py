"""Credit notes on finalized invoices, with the refunds and balance credits they make.

Stripe's rules, as stripe-python 16.1 documents ``POST /v1/credit_notes``: a credit note first
reduces the invoice's ``amount_remaining`` (and ``amount_due``), not below zero: that part is
its ``pre_payment_amount``. The rest is its ``post_payment_amount``, which the refund, the
customer-balance credit and the out-of-band amount must add up to exactly. All credit notes of
an invoice together cannot exceed its total ("The sum of all credit notes cannot exceed the
invoice's total amount", Stripe's credit-notes guide).
"""

from __future__ import annotations

import secrets
from typing import Any

from . import customers
from .charges import refund
from .credit_note_plan import Plan, plan
from .errors import bad_state, missing
from .listing import newest_first, page, range_ok
from .payments import settle_by_credit
from .state import Account, Ctx, Obj, World, new_id


def get(acct: Account, note_id: str) -> Obj:
    note = acct.credit_notes.get(note_id)
    if note is None:
        raise missing("credit_note", note_id)
    return note


def retrieve(world: World, acct: Account, ids: list[str], _: dict[str, Any], __: Ctx) -> Obj:
    return get(acct, ids[0])


def _object(acct: Account, world: World, p: Plan, params: dict[str, Any], note_id: str) -> Obj:
    inv = p.invoice
    now = acct.clock.now()
    # Stripe numbers credit notes after their invoice: ABCD-0001-CN-01, -CN-02, ...
    earlier = [n for n in acct.credit_notes.values() if n["invoice"] == inv["id"]]
    number = f"{inv['number']}-CN-{len(earlier) + 1:02d}"
    kind = "mixed" if p.pre and p.post else ("pre_payment" if p.pre else "post_payment")
    token = secrets.token_urlsafe(18)
    world.note_tokens[token] = (acct.key, note_id)
    return {
        "id": note_id,
        "object": "credit_note",
        "amount": p.total,
        "amount_shipping": 0,
        "created": now,
        "currency": inv["currency"],
        "customer": inv["customer"],
        "customer_account": None,
        "customer_balance_transaction": None,
        "discount_amount": 0,
        "discount_amounts": [],
        "effective_at": params.get("effective_at", now),
        "invoice": inv["id"],
        "lines": {
            "object": "list",
            "data": p.lines,
            "has_more": False,
            "url": f"/v1/credit_notes/{note_id}/lines",
        },
        "livemode": False,
        "memo": params.get("memo"),
        "metadata": customers.merge_metadata({}, params.get("metadata") or {}, "metadata"),
        "number": number,
        "out_of_band_amount": p.out_of_band or None,
        "pdf": f"{world.base_url}/credit_note_pdf/{token}",
        "post_payment_amount": p.post,
        "pre_payment_amount": p.pre,
        "pretax_credit_amounts": [],
        "reason": params.get("reason"),
        "refunds": [],
        "shipping_cost": None,
        "status": "issued",
        "subtotal": p.total,
        "subtotal_excluding_tax": p.total,
        "total": p.total,
        "total_excluding_tax": p.total,
        "total_taxes": [],
        "type": kind,
        "voided_at": None,
    }


def _invoice_amounts(inv: Obj) -> Obj:
    keys = (
        "amount_due",
        "amount_remaining",
        "pre_payment_credit_notes_amount",
        "post_payment_credit_notes_amount",
    )
    return {k: inv[k] for k in keys}


def _follow_due(acct: Account, inv: Obj) -> None:
    """The default payment asks for what is now due."""
    pay_id = acct.default_payment.get(inv["id"])
    if pay_id and acct.invoice_payments[pay_id]["status"] == "open":
        pay = acct.invoice_payments[pay_id]
        pay["amount_requested"] = inv["amount_remaining"]
        acct.payment_intents[pay["payment"]["payment_intent"]]["amount"] = inv["amount_remaining"]


def create(world: World, acct: Account, _: list[str], params: dict[str, Any], ctx: Ctx) -> Obj:
    p = plan(acct, params)
    inv = p.invoice
    note = _object(acct, world, p, params, new_id("cn"))
    for existing, amount in p.linked:
        note["refunds"].append(
            {"amount_refunded": amount, "refund": existing["id"], "type": "refund"}
        )
    if p.refund:
        made = refund(acct, inv, p.refund, params.get("reason"), ctx)
        note["refunds"].append(
            {"amount_refunded": p.refund, "refund": made["id"], "type": "refund"}
        )
    if p.credit:
        cus = acct.customers[inv["customer"]]
        before_cus = {"balance": cus["balance"]}
        cus["balance"] -= p.credit  # negative: credit the buyer's next invoice
        acct.note_balance_credits[note["id"]] = p.credit
        acct.emit("customer.updated", cus, ctx, previous=before_cus)
    acct.credit_notes[note["id"]] = note
    before = _invoice_amounts(inv)
    inv["amount_due"] -= p.pre
    inv["amount_remaining"] -= p.pre
    inv["pre_payment_credit_notes_amount"] += p.pre
    inv["post_payment_credit_notes_amount"] += p.post
    _follow_due(acct, inv)
    acct.emit("credit_note.created", note, ctx)
    acct.emit("invoice.updated", inv, ctx, previous=before)
    if inv["status"] == "open" and inv["amount_remaining"] == 0:
        settle_by_credit(acct, inv, ctx)
    return note


def preview(world: World, acct: Account, _: list[str], params: dict[str, Any], __: Ctx) -> Obj:
    """What ``create`` would answer, stored nowhere (Stripe's preview has an id of its own)."""
    p = plan(acct, params)
    note = _object(acct, world, p, params, new_id("cnprv"))
    world.note_tokens.pop(note["pdf"].rsplit("/", 1)[-1], None)  # a preview has no document
    return note


def void(world: World, acct: Account, ids: list[str], _: dict[str, Any], ctx: Ctx) -> Obj:
    note = get(acct, ids[0])
    if note["status"] == "void":
        raise bad_state("This credit note is already void.")
    inv = acct.invoices[note["invoice"]]
    if note["refunds"]:
        # Money sent back cannot be called back by voiding the document (README.md).
        raise bad_state("A credit note with a refund cannot be voided: the refund has been sent.")
    if note["pre_payment_amount"] and inv["status"] != "open":
        raise bad_state(
            "This credit note reduced what was due on an invoice that is now "
            f"{inv['status']}; it can no longer be voided."
        )
    credit = acct.note_balance_credits.pop(note["id"], 0)
    if credit:
        cus = acct.customers[inv["customer"]]
        before_cus = {"balance": cus["balance"]}
        cus["balance"] += credit  # the buyer's credit goes with the credit note
        acct.emit("customer.updated", cus, ctx, previous=before_cus)
    before = _invoice_amounts(inv)
    inv["amount_due"] += note["pre_payment_amount"]
    inv["amount_remaining"] += note["pre_payment_amount"]
    inv["pre_payment_credit_notes_amount"] -= note["pre_payment_amount"]
    inv["post_payment_credit_notes_amount"] -= note["post_payment_amount"]
    _follow_due(acct, inv)
    note.update(status="void", voided_at=acct.clock.now())
    acct.emit("credit_note.voided", note, ctx)
    acct.emit("invoice.updated", inv, ctx, previous=before)
    return note


def list_(world: World, acct: Account, _: list[str], params: dict[str, Any], __: Ctx) -> Obj:
    def keep(note: Obj) -> bool:
        return (
            params.get("invoice", note["invoice"]) == note["invoice"]
            and params.get("customer", note["customer"]) == note["customer"]
            and range_ok(note["created"], params.get("created"))
        )

    items = newest_first(acct.credit_notes.values(), keep)
    return page(items, params, "/v1/credit_notes", "credit_note")


def lines(world: World, acct: Account, ids: list[str], params: dict[str, Any], _: Ctx) -> Obj:
    note = get(acct, ids[0])
    return page(list(note["lines"]["data"]), params, note["lines"]["url"], "credit_note_line_item")
