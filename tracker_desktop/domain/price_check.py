"""A watch line's price against what the dealer recorded for the watch: a warning, never a
refusal (a dealer may sell at a loss or well above asking on purpose).

A ¥60,000,000 line for a watch asked at ¥2,400,000 is a slip of the keyboard far more often
than a deal. Integer arithmetic on minor units only; prices in another currency than the
line's are not compared.
"""

from __future__ import annotations

from babel import Locale

from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import format_money

# Far from asking: above one and a half times it, or below half of it.
ABOVE_NUMERATOR, ABOVE_DENOMINATOR = 3, 2
BELOW_NUMERATOR, BELOW_DENOMINATOR = 1, 2


def price_warning(
    price: Money, asking: Money | None, cost: Money | None, locale: str | Locale
) -> str | None:
    """Why the dealer should look at this price again (with the asking price), or None."""
    if asking is not None and (asking.currency != price.currency or asking.minor <= 0):
        asking = None
    if cost is not None and (cost.currency != price.currency or cost.minor <= 0):
        cost = None
    shown = format_money(price, locale)
    problems: list[str] = []
    if cost is not None and price.minor < cost.minor:
        problems.append(f"{shown} is below what this watch cost ({format_money(cost, locale)})")
    far = ""
    if asking is not None:
        ask = format_money(asking, locale)
        if price.minor >= 2 * asking.minor:
            far = f"{price.minor // asking.minor:,} times this watch's asking price of {ask}"
        elif price.minor * ABOVE_DENOMINATOR > asking.minor * ABOVE_NUMERATOR:
            far = f"well above this watch's asking price of {ask}"
        elif price.minor * BELOW_DENOMINATOR < asking.minor * BELOW_NUMERATOR:
            far = f"less than half this watch's asking price of {ask}"
        if far:
            problems.append(f"{shown} is {far}" if not problems else f"and {far}")
        elif problems:
            problems.append(f"its asking price is {ask}")
    if not problems:
        return None
    return f"Check the price: {' '.join(problems) if far else '; '.join(problems)}."
