"""An invoice as the composer holds it before it is saved, and the check of the whole of it.

Errors are collected, not raised one by one, so the composer can mark every field at once.
Keys name the field: "lines", "lines[2].unit_price", "customer_email", "total".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from babel import Locale

from tracker_desktop.domain.currencies import UnknownCurrency, currency
from tracker_desktop.domain.errors import ValidationError
from tracker_desktop.domain.invoice_math import check_total_within_stripe_max, invoice_total
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import check_amount_for_stripe
from tracker_desktop.domain.validation import (
    FOOTER_MAX,
    LINE_DESCRIPTION_MAX,
    MEMO_MAX,
    NAME_MAX,
    QUANTITY_MAX,
    PostalAddress,
    check_text,
    required_text,
    text_problem,
    validate_days_until_due,
    validate_email,
)


def abs_money(amount: Money) -> Money:
    return Money(abs(amount.minor), amount.currency)


@dataclass(frozen=True, slots=True)
class TradeIn:
    """A watch taken in part exchange: it enters the inventory once the invoice is final."""

    brand: str
    model: str
    serial: str
    reference: str = ""
    year: int | None = None

    def errors(self, prefix: str) -> dict[str, str]:
        found: dict[str, str] = {}
        for name, value in (("brand", self.brand), ("model", self.model), ("serial", self.serial)):
            problem = text_problem(value.strip(), NAME_MAX)
            if not value.strip() or problem:
                found[f"{prefix}{name}"] = problem or f"Enter the traded watch's {name}"
        return found


@dataclass(slots=True)
class DraftLine:
    description: str
    quantity: int
    unit_price: Money
    # A specific watch from the inventory, or None for a free-text line (strap, service...).
    watch_id: str | None = None
    # A trade-in credit line: its price is minus the allowance (the one negative line).
    trade_in: TradeIn | None = None


@dataclass(slots=True)
class InvoiceDraft:
    currency: str
    lines: list[DraftLine] = field(default_factory=list)
    customer_name: str = ""
    # Stripe needs an email to finalize a send_invoice invoice, so it is always required.
    customer_email: str = ""
    customer_address: PostalAddress | None = None
    contact_id: str | None = None
    days_until_due: int = 30
    memo: str = ""
    footer: str = ""

    def total(self) -> Money:
        return invoice_total(((ln.quantity, ln.unit_price) for ln in self.lines), self.currency)


def validate_draft(
    draft: InvoiceDraft, locale: Locale | str = "en_US", *, split: bool = False
) -> dict[str, str]:
    """Every problem with the draft, field key -> message; empty when it can be saved and sent.
    A draft to be split into parts (`split`) may pass Stripe's cap for one amount."""
    found: dict[str, str] = {}

    def check(key: str, fn: Callable[[], object]) -> None:
        try:
            fn()
        except ValidationError as exc:
            found[key] = str(exc)

    try:
        code = currency(draft.currency).code
    except UnknownCurrency as exc:
        found["currency"] = str(exc)
        code = None

    check(
        "customer_name",
        lambda: required_text(draft.customer_name, "customer's name", "", limit=NAME_MAX),
    )
    check("customer_email", lambda: validate_email(draft.customer_email))
    if draft.customer_address is not None:
        found.update(draft.customer_address.errors(prefix="customer_address."))
    check("days_until_due", lambda: validate_days_until_due(draft.days_until_due))
    check("memo", lambda: check_text(draft.memo.strip(), MEMO_MAX, "", multiline=True))
    check("footer", lambda: check_text(draft.footer.strip(), FOOTER_MAX, "", multiline=True))

    if not draft.lines:
        found["lines"] = "Add at least one line"
    lines_ok = code is not None
    first_line_of_watch: dict[str, int] = {}
    for i, line in enumerate(draft.lines):
        key = f"lines[{i}]"
        description = line.description.strip()
        problem = text_problem(description, LINE_DESCRIPTION_MAX)
        if not description or problem:
            found[f"{key}.description"] = problem or "Enter a description"
        line_problems = _line_errors(line, code, locale, split)
        lines_ok = lines_ok and not line_problems
        found.update({f"{key}.{name}": msg for name, msg in line_problems.items()})
        if line.watch_id is not None:
            if line.watch_id in first_line_of_watch:
                first = first_line_of_watch[line.watch_id]
                found[f"{key}.watch"] = f"This watch is already on line {first + 1}"
            else:
                first_line_of_watch[line.watch_id] = i
        if line.trade_in is not None:
            found.update(line.trade_in.errors(prefix=f"{key}.trade_in."))

    if draft.lines and all(line.trade_in is not None for line in draft.lines):
        found["lines"] = "A trade-in goes against something sold: add the watch you sell"
    # The total only means something when every line is a valid amount in the invoice currency.
    if lines_ok and draft.lines and code is not None:
        total = draft.total()
        if total.minor < 0:
            found["total"] = (
                "The trade-in allowance is more than the rest of the invoice: the total "
                "cannot go below zero"
            )
        elif not split:
            check("total", lambda: check_total_within_stripe_max(total, locale))
    return found


def _line_errors(
    line: DraftLine, code: str | None, locale: Locale | str, split: bool
) -> dict[str, str]:
    found: dict[str, str] = {}
    qty = line.quantity
    if isinstance(qty, bool) or not isinstance(qty, int) or qty < 1:
        found["quantity"] = "The quantity must be a whole number, at least 1"
    elif qty > QUANTITY_MAX:
        found["quantity"] = f"The quantity can be at most {QUANTITY_MAX:,}"
    elif line.watch_id is not None and qty != 1:
        found["quantity"] = "A specific watch is sold once: the quantity must be 1"

    price = line.unit_price
    if line.trade_in is not None:
        if qty != 1:
            found["quantity"] = "A trade-in is one watch: the quantity must be 1"
        if line.watch_id is not None:
            found["watch"] = "A traded watch is new to the inventory: it cannot be picked"
    if code is not None and price.currency != code:
        found["unit_price"] = f"This price is in {price.currency}; the invoice is in {code}"
    elif line.trade_in is not None and price.minor >= 0:
        found["unit_price"] = "Enter the trade-in allowance above zero"
    elif line.trade_in is None and price.minor <= 0:
        found["unit_price"] = "Enter a price above zero"
    else:
        try:
            # The allowance is checked as the amount it is; it is sent as a negative line.
            amount = abs_money(price)
            if split:  # the parts keep within the cap; the step is still the currency's
                amount = Money(
                    min(amount.minor, currency(code or price.currency).max_minor), amount.currency
                )
            check_amount_for_stripe(amount, locale, field="unit_price")
        except ValidationError as exc:
            found["unit_price"] = str(exc)
    return found
