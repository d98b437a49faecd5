"""What a credit note asks Stripe for, worked out and checked locally before anything is sent.

Stripe's rules (ARCHITECTURE.md "The simulator"): a credit note first lowers what is still
due (`pre_payment`); the rest (all of it on a paid invoice) must be settled exactly by a
refund to the payment or an amount returned outside Stripe; all credit notes of an invoice
stay within its total. A wire payment has no Stripe payment to refund, so it can only be
settled outside Stripe. Every problem is named by field (CreditNoteInvalid).
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker_desktop.db.models import Invoice, InvoiceLine
from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import format_money
from tracker_desktop.domain.validation import MEMO_MAX, text_problem
from tracker_desktop.services.credit.values import (
    CreditNoteInvalid,
    CreditNoteState,
    CreditRequest,
    Settlement,
)

S = InvoiceState
# Issued and pending notes both count against what is left: a pending one may be at Stripe.
_COUNTED = (CreditNoteState.ISSUED, CreditNoteState.PENDING)
CREDITABLE = (S.OPEN, S.PAID)


@dataclass(frozen=True, slots=True)
class PlannedLine:
    line: InvoiceLine
    amount_minor: int
    restock: bool


@dataclass(frozen=True, slots=True)
class CreditPlan:
    total_minor: int
    pre_payment_minor: int
    refund_minor: int
    out_of_band_minor: int
    whole: bool
    lines: tuple[PlannedLine, ...]
    # Lines of a whole-invoice credit whose watch goes back in stock.
    restock_only: tuple[InvoiceLine, ...] = ()

    @property
    def post_payment_minor(self) -> int:
        return self.total_minor - self.pre_payment_minor


def paid_by_wire(invoice: Invoice) -> bool:
    return invoice.paid_out_of_band_note is not None or any(
        e.kind == "paid_by_wire" for e in invoice.events
    )


def credited_minor(invoice: Invoice) -> int:
    return sum(n.total_minor for n in invoice.credit_notes if n.state in _COUNTED)


def credited_on_line(invoice: Invoice, line_id: int) -> int:
    return sum(
        ln.amount_minor
        for n in invoice.credit_notes
        if n.state in _COUNTED
        for ln in n.lines
        if ln.invoice_line_id == line_id
    )


def why_not(invoice: Invoice) -> str | None:
    """Why no credit note can be issued on this invoice now (None: it can)."""
    state = S(invoice.state)
    if state not in CREDITABLE:
        return "Only an open or paid invoice takes a credit note"
    if invoice.payment_processing:
        return "A bank payment is processing; wait until it settles"
    if invoice.stripe_invoice_id is None:
        return "Stripe does not hold this invoice"
    if any(n.state == CreditNoteState.PENDING for n in invoice.credit_notes):
        return None  # Retry finishes it
    if invoice.total_minor - credited_minor(invoice) <= 0:
        return "Everything on this invoice is credited already"
    return None


def plan_credit(invoice: Invoice, request: CreditRequest, locale: str = "en_US") -> CreditPlan:
    """The amounts to ask Stripe for, or CreditNoteInvalid naming each problem."""
    errors: dict[str, str] = {}
    reason = why_not(invoice)
    if reason is not None:
        raise CreditNoteInvalid({"invoice": reason + "."})
    cur = invoice.currency
    left = invoice.total_minor - credited_minor(invoice)
    by_position = {ln.position: ln for ln in invoice.lines}
    planned: list[PlannedLine] = []
    seen: set[int] = set()
    for i, asked in enumerate(request.lines):
        line = by_position.get(asked.position)
        if line is None or asked.position in seen:
            errors[f"lines[{i}]"] = "That line is not on this invoice (or is named twice)."
            continue
        seen.add(asked.position)
        room = line.unit_amount_minor * line.quantity - credited_on_line(invoice, line.id)
        amount = room if asked.amount is None else asked.amount.minor
        if asked.amount is not None and asked.amount.currency != cur:
            errors[f"lines[{i}].amount"] = f"Give the amount in {cur}, the invoice's currency."
        elif room <= 0:
            errors[f"lines[{i}].amount"] = "This line is credited in full already."
        elif amount <= 0:
            errors[f"lines[{i}].amount"] = "Enter an amount above zero."
        elif amount > room:
            most = format_money(Money(room, cur), locale)
            errors[f"lines[{i}].amount"] = f"At most {most} of this line is left to credit."
        planned.append(PlannedLine(line, amount, False))
    whole = not request.lines
    total = left if whole else sum(p.amount_minor for p in planned)
    restock_only: list[InvoiceLine] = []
    full = {p.line.position for p in planned if p.amount_minor == _room(invoice, p.line)}
    for position in sorted(request.restock):
        line = by_position.get(position)
        if line is None or line.watch_id is None or line.restocked:
            errors[f"restock[{position}]"] = "This line has no watch to put back in stock."
        elif not whole and position not in full:
            errors[f"restock[{position}]"] = "Credit the whole line to put its watch back."
        elif whole:
            restock_only.append(line)
    planned = [PlannedLine(p.line, p.amount_minor, p.line.position in request.restock)
               for p in planned]  # fmt: skip
    if not whole and not request.lines:
        errors["lines"] = "Choose at least one line to credit."
    if total > left and "lines" not in errors:
        most = format_money(Money(left, cur), locale)
        errors["lines"] = f"At most {most} of this invoice is left to credit."
    memo_problem = text_problem(request.memo, MEMO_MAX, multiline=True)
    if memo_problem:
        errors["memo"] = memo_problem
    pre = min(total, invoice.amount_remaining_minor) if invoice.state == S.OPEN else 0
    post = total - pre
    if post and request.settlement is Settlement.REFUND and paid_by_wire(invoice):
        errors["settlement"] = (
            "This invoice was paid by wire: Stripe holds no payment to refund. Choose "
            "“Returned outside Stripe” and send the money back yourself."
        )
    if errors:
        raise CreditNoteInvalid(errors)
    refund = post if request.settlement is Settlement.REFUND else 0
    return CreditPlan(
        total_minor=total,
        pre_payment_minor=pre,
        refund_minor=refund,
        out_of_band_minor=post - refund,
        whole=whole,
        lines=tuple(planned),
        restock_only=tuple(restock_only),
    )


def _room(invoice: Invoice, line: InvoiceLine) -> int:
    return line.unit_amount_minor * line.quantity - credited_on_line(invoice, line.id)
