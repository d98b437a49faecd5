"""Line and invoice totals, and Stripe's cap on one invoice, in integer minor units."""

from __future__ import annotations

from collections.abc import Iterable

from babel import Locale

from tracker_desktop.domain.errors import ValidationError
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import format_money, stripe_max

Line = tuple[int, Money]  # (quantity, unit price)


def line_total(quantity: int, unit_price: Money) -> Money:
    return unit_price * quantity


def invoice_total(lines: Iterable[Line], code: str) -> Money:
    """Sum of quantity x unit price; every line must be in `code` (CurrencyMismatch if not)."""
    result = Money.zero(code)
    for quantity, unit_price in lines:
        result = result + line_total(quantity, unit_price)
    return result


def check_total_within_stripe_max(
    total: Money, locale: Locale | str = "en_US", field: str = "total"
) -> None:
    """Raise ValidationError explaining Stripe's cap and the dealer's ways out when over it."""
    limit = stripe_max(total.currency)
    if total.minor > limit.minor:
        raise ValidationError(
            f"Stripe accepts at most {format_money(limit, locale)} on one invoice; this one "
            f"comes to {format_money(total, locale)}. Split it into a deposit invoice and a "
            "balance invoice, or record a wire transfer instead.",
            field,
        )
