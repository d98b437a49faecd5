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
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from . import customers, facts
from .errors import ApiError, bad_state, missing
from .invoices import get as get_invoice
from .listing import newest_first, page, range_ok
from .payments import settle_by_credit
from .state import Account, Ctx, Obj, World, new_id

CREDITABLE = ("open", "paid")
# A credit note's reason, carried over to its refund where the Refund enum has the same word.
REFUND_REASONS = {"duplicate": "duplicate", "fraudulent": "fraudulent"}


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


def get(acct: Account, note_id: str) -> Obj:
    note = acct.credit_notes.get(note_id)
    if note is None:
        raise missing("credit_note", note_id)
    return note


def _live(acct: Account, inv_id: str) -> list[Obj]:
    return [
        n for n in acct.credit_notes.values() if n["invoice"] == inv_id and n["status"] != "void"
    ]


def _credited_on_line(acct: Account, line_id: str) -> tuple[int, int]:
    """Amount and quantity already credited on one invoice line by issued credit notes."""
    amount = quantity = 0
    for note in acct.credit_notes.values():
        if note["status"] == "void":
            continue
        for item in note["lines"]["data"]:
            if item["invoice_line_item"] == line_id:
                amount += item["amount"]
                quantity += item["quantity"] or 0
    return amount, quantity


def _positive(value: int, param: str) -> int:
    if value < 0:
        raise ApiError(400, f"Invalid {param}: must be at least 0", param=param)
    return value


def _line(acct: Account, inv: Obj, spec: dict[str, Any], n: int) -> Obj:
    p = f"lines[{n}]"
    kind = spec["type"]
    item: Obj = {
        "id": new_id("cnli"),
        "object": "credit_note_line_item",
        "amount": 0,
        "description": spec.get("description"),
        "discount_amount": 0,
        "discount_amounts": [],
        "invoice_line_item": None,
        "livemode": False,
        "metadata": customers.merge_metadata({}, spec.get("metadata") or {}, f"{p}[metadata]"),
        "pretax_credit_amounts": [],
        "quantity": None,
        "tax_rates": [],
        "taxes": [],
        "type": kind,
        "unit_amount": None,
        "unit_amount_decimal": None,
    }
    if kind == "invoice_line_item":
        for key in ("unit_amount", "unit_amount_decimal", "description"):
            if key in spec:
                raise ApiError(
                    400,
                    f"{p}[{key}] is only valid when type is custom_line_item.",
                    param=f"{p}[{key}]",
                )
        line_id = spec.get("invoice_line_item")
        if not line_id:
            raise ApiError(
                400,
                f"Missing required param: {p}[invoice_line_item].",
                code="parameter_missing",
                param=f"{p}[invoice_line_item]",
            )
        line = next((li for li in inv["lines"]["data"] if li["id"] == line_id), None)
        if line is None:
            raise missing("invoice line item", line_id, f"{p}[invoice_line_item]")
        if ("amount" in spec) == ("quantity" in spec):
            raise ApiError(
                400,
                f"You must pass exactly one of {p}[amount] or {p}[quantity].",
                param=f"{p}[amount]",
            )
        if line["amount"] <= 0:
            raise ApiError(
                400,
                f"Invoice line {line_id} is a credit of its own and cannot be credited.",
                param=f"{p}[invoice_line_item]",
            )
        done_amount, done_quantity = _credited_on_line(acct, line_id)
        left = line["amount"] - done_amount
        if "amount" in spec:
            amount = _positive(spec["amount"], f"{p}[amount]")
            if amount > left:
                raise ApiError(
                    400,
                    f"The amount to credit on {p} ({amount}) is more than what remains "
                    f"creditable on invoice line {line_id} ({left}).",
                    param=f"{p}[amount]",
                )
        else:
            quantity = _positive(spec["quantity"], f"{p}[quantity]")
            if quantity > line["quantity"] - done_quantity:
                raise ApiError(
                    400,
                    f"The quantity to credit on {p} ({quantity}) is more than what remains "
                    f"creditable on invoice line {line_id} ({line['quantity'] - done_quantity}).",
                    param=f"{p}[quantity]",
                )
            unit = Decimal(line["pricing"]["unit_amount_decimal"] or line["amount"])
            amount = int((unit * quantity).to_integral_value(ROUND_HALF_UP))
            item.update(quantity=quantity, unit_amount=int(unit), unit_amount_decimal=str(unit))
        item.update(amount=amount, invoice_line_item=line_id, description=line["description"])
        return item
    if "invoice_line_item" in spec or "amount" in spec:
        key = "invoice_line_item" if "invoice_line_item" in spec else "amount"
        raise ApiError(
            400, f"{p}[{key}] is only valid when type is invoice_line_item.", param=f"{p}[{key}]"
        )
    if ("unit_amount" in spec) == ("unit_amount_decimal" in spec):
        raise ApiError(
            400,
            f"You must pass exactly one of {p}[unit_amount] or {p}[unit_amount_decimal].",
            param=f"{p}[unit_amount]",
        )
    quantity = _positive(spec.get("quantity", 1), f"{p}[quantity]")
    unit = Decimal(spec.get("unit_amount", spec.get("unit_amount_decimal", 0)))
    if unit < 0:
        raise ApiError(
            400, f"Invalid {p}[unit_amount]: must be at least 0", param=f"{p}[unit_amount]"
        )
    amount = int((unit * quantity).to_integral_value(ROUND_HALF_UP))
    item.update(
        amount=amount,
        quantity=quantity,
        unit_amount=int(unit) if unit == unit.to_integral_value() else None,
        unit_amount_decimal=str(unit),
    )
    return item


def _charge_of(acct: Account, inv: Obj) -> Obj | None:
    """The succeeded charge that paid the invoice through its default intent, if any."""
    for pay in acct.invoice_payments.values():
        if pay["invoice"] != inv["id"] or pay["status"] != "paid":
            continue
        intent = acct.payment_intents.get(pay["payment"].get("payment_intent") or "")
        if intent and intent["latest_charge"]:
            return acct.charges[intent["latest_charge"]]
    return None


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
    lines = [_line(acct, inv, spec, n) for n, spec in enumerate(params.get("lines") or [])]
    total = sum(li["amount"] for li in lines) if lines else _positive(params["amount"], "amount")
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
    credited = sum(n["amount"] for n in _live(acct, inv["id"]))
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
    result.refund = _positive(params.get("refund_amount", 0), "refund_amount")
    result.credit = _positive(params.get("credit_amount", 0), "credit_amount")
    if result.credit and inv["customer"] not in acct.customers:
        raise missing("customer", inv["customer"], "credit_amount")
    result.out_of_band = _positive(params.get("out_of_band_amount", 0), "out_of_band_amount")
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
    post_done = sum(n["post_payment_amount"] for n in _live(acct, inv["id"]))
    if result.post > inv["amount_paid"] - post_done:
        raise ApiError(
            400,
            f"The post-payment amount ({result.post}) is more than what was paid and not yet "
            f"credited ({inv['amount_paid'] - post_done}).",
            param="refund_amount",
        )
    if result.refund:
        charge = _charge_of(acct, inv)
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


def _refund(acct: Account, inv: Obj, amount: int, reason: str | None, ctx: Ctx) -> Obj:
    charge = _charge_of(acct, inv)
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


def create(world: World, acct: Account, params: dict[str, Any], ctx: Ctx) -> Obj:
    p = plan(acct, params)
    inv = p.invoice
    note = _object(acct, world, p, params, new_id("cn"))
    for existing, amount in p.linked:
        note["refunds"].append(
            {"amount_refunded": amount, "refund": existing["id"], "type": "refund"}
        )
    if p.refund:
        made = _refund(acct, inv, p.refund, params.get("reason"), ctx)
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


def preview(world: World, acct: Account, params: dict[str, Any]) -> Obj:
    """What ``create`` would answer, stored nowhere (Stripe's preview has an id of its own)."""
    p = plan(acct, params)
    note = _object(acct, world, p, params, new_id("cnprv"))
    world.note_tokens.pop(note["pdf"].rsplit("/", 1)[-1], None)  # a preview has no document
    return note


def void(acct: Account, note_id: str, ctx: Ctx) -> Obj:
    note = get(acct, note_id)
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


def list_(acct: Account, params: dict[str, Any]) -> Obj:
    def keep(note: Obj) -> bool:
        return (
            params.get("invoice", note["invoice"]) == note["invoice"]
            and params.get("customer", note["customer"]) == note["customer"]
            and range_ok(note["created"], params.get("created"))
        )

    items = newest_first(acct.credit_notes.values(), keep)
    return page(items, params, "/v1/credit_notes", "credit_note")


def list_lines(acct: Account, note_id: str, params: dict[str, Any]) -> Obj:
    note = get(acct, note_id)
    return page(list(note["lines"]["data"]), params, note["lines"]["url"], "credit_note_line_item")
