"""One sale over several invoices: the deposit's amount and the split above Stripe's cap.

Integer minor units only. A split is exact: its parts add up to the sale's total, each part is
within Stripe's cap and a multiple of the currency's `minor_step`, and the remainder goes to
the first parts (one step each), so the same total always splits the same way.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from tracker_desktop.domain.currencies import currency
from tracker_desktop.domain.errors import ValidationError
from tracker_desktop.domain.money import Money

# A split past this many invoices is no way to bill a buyer: a wire transfer is.
MAX_PARTS = 20
# A percentage is held in basis points (1/100 of a percent): 12.5 % is 1250, no float.
BASIS_POINTS = 10_000


class SaleRole(enum.StrEnum):
    """What one invoice is within its sale (the words stored and sent to Stripe)."""

    SINGLE = "single"
    DEPOSIT = "deposit"
    BALANCE = "balance"
    PART = "part"


class SaleKind(enum.StrEnum):
    DEPOSIT = "deposit"  # a deposit invoice, then the balance
    SPLIT = "split"  # parts, each within Stripe's cap


@dataclass(frozen=True, slots=True)
class DepositRule:
    """A profile's usual deposit: `fixed` below `threshold`, `percent_bp` of the price from
    the threshold up. All amounts in the profile's default currency."""

    threshold: Money
    fixed: Money
    percent_bp: int

    def __post_init__(self) -> None:
        if not self.threshold.currency == self.fixed.currency:
            raise ValidationError("The deposit rule's amounts must be in one currency", "rule")
        if self.threshold.minor <= 0 or self.fixed.minor <= 0:
            raise ValidationError("The deposit rule's amounts must be above zero", "rule")
        if not 0 < self.percent_bp < BASIS_POINTS:
            raise ValidationError("The deposit percentage must be between 0 and 100", "rule")


def percent_of(total: Money, percent_bp: int) -> Money:
    """`percent_bp` of `total`, rounded down to the currency's step (a deposit never
    exceeds what was agreed)."""
    if not 0 < percent_bp < BASIS_POINTS:
        raise ValidationError("Enter a percentage between 0 and 100", "deposit")
    step = currency(total.currency).minor_step
    raw = total.minor * percent_bp // BASIS_POINTS
    return Money(raw // step * step, total.currency)


def deposit_by_rule(total: Money, rule: DepositRule) -> Money:
    if rule.threshold.currency != total.currency:
        raise ValidationError(
            f"The profile's deposit rule is in {rule.threshold.currency}; this sale is in "
            f"{total.currency}. Enter the deposit as an amount or a percentage.",
            "deposit",
        )
    if total.minor < rule.threshold.minor:
        return rule.fixed
    return percent_of(total, rule.percent_bp)


def check_deposit(total: Money, deposit: Money) -> None:
    """A deposit must leave a balance: above zero, below the total, in the sale's currency,
    within Stripe's cap, a multiple of the currency's step."""
    cur = currency(total.currency)
    if deposit.currency != total.currency:
        raise ValidationError(f"The deposit must be in {total.currency}", "deposit")
    if deposit.minor <= 0:
        raise ValidationError("Enter a deposit above zero", "deposit")
    if deposit.minor >= total.minor:
        raise ValidationError("The deposit must be less than the sale's total", "deposit")
    if deposit.minor % cur.minor_step:
        raise ValidationError("Stripe takes this currency in steps the deposit misses", "deposit")
    if deposit.minor > cur.max_minor or total.minor - deposit.minor > cur.max_minor:
        raise ValidationError(
            "The deposit and the balance must each be within Stripe's cap for one invoice; "
            "split the sale instead.",
            "deposit",
        )


def parts_needed(total: Money) -> int:
    """How many invoices a total needs so that none passes Stripe's cap."""
    if total.minor <= 0:
        raise ValidationError("A sale to split must come to more than zero", "total")
    cap = currency(total.currency).max_minor
    return -(-total.minor // cap)


def split_total(total: Money) -> list[Money]:
    """The fewest parts within Stripe's cap, as equal as the currency's step allows; the
    first parts carry the remainder, one step each. The parts add up to `total` exactly."""
    cur = currency(total.currency)
    step = cur.minor_step
    if total.minor % step:
        raise ValidationError("Stripe takes this currency in steps the total misses", "total")
    count = parts_needed(total)
    if count > MAX_PARTS:
        raise ValidationError(
            f"This sale would need {count} invoices; Stripe's cap allows splitting into at "
            f"most {MAX_PARTS} here. Record a wire transfer instead.",
            "total",
        )
    steps = total.minor // step
    base, extra = divmod(steps, count)
    parts = [(base + (1 if i < extra else 0)) * step for i in range(count)]
    return [Money(minor, cur.code) for minor in parts]
