"""Money as integer minor units plus an ISO currency code. Floats never enter."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tracker_desktop.domain.currencies import currency, normalize_code


class CurrencyMismatch(ValueError):
    """Adding or comparing amounts of two different currencies."""


@dataclass(frozen=True, slots=True, order=False)
class Money:
    minor: int
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.minor, bool) or not isinstance(self.minor, int):
            raise TypeError("Money.minor must be an int (minor units), never a float")
        object.__setattr__(self, "currency", normalize_code(self.currency))

    @classmethod
    def zero(cls, code: str) -> Money:
        return cls(0, code)

    @classmethod
    def from_major(cls, amount: Decimal, code: str) -> Money:
        """Exact conversion; refuses amounts finer than the currency's smallest unit."""
        cur = currency(code)
        scaled = amount.scaleb(cur.exponent)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{amount} has more decimals than {cur.code} allows")
        return cls(int(scaled), cur.code)

    def to_major(self) -> Decimal:
        return Decimal(self.minor).scaleb(-currency(self.currency).exponent)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency} cannot be combined")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def __mul__(self, quantity: int) -> Money:
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise TypeError("Money can only be multiplied by a whole quantity")
        return Money(self.minor * quantity, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor < other.minor

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.minor <= other.minor

    @property
    def within_stripe_max(self) -> bool:
        return 0 <= self.minor <= currency(self.currency).max_minor
