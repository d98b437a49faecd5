"""Money as integer minor units plus an ISO currency code. Floats never enter."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)

from tracker_desktop.domain.currencies import currency, normalize_code
from tracker_desktop.domain.errors import ValidationError

# Minor units are stored in signed 64-bit columns (db BigInteger): every 18-digit amount fits.
STORABLE_MINOR_DIGITS = 18
# Converting a typed amount to minor units runs in this context. It holds every storable
# amount exactly, and its traps make a digit that would be rounded away (a decimal the
# currency does not have, however far out) an error instead of a silent change of amount.
_EXACT = Context(
    prec=STORABLE_MINOR_DIGITS,
    rounding=ROUND_HALF_EVEN,
    traps=[Inexact, InvalidOperation, Overflow, DivisionByZero],
)


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
    def from_major(cls, amount: Decimal, code: str, *, field: str = "amount") -> Money:
        """Exact conversion, or ValidationError: NaN and Infinity, amounts finer than the
        currency's smallest unit, and amounts too large to store are refused, never rounded."""
        cur = currency(code)
        if not amount.is_finite():
            raise ValidationError("Enter the amount in digits", field)
        # Comparisons between decimals are exact, whatever the context.
        if amount.copy_abs() >= Decimal(1).scaleb(STORABLE_MINOR_DIGITS - cur.exponent, _EXACT):
            cap = stripe_max(cur.code)
            raise ValidationError(
                f"Stripe accepts at most {cap.to_major()} {cur.code} for one amount", field
            )
        try:
            minor = amount.scaleb(cur.exponent, _EXACT).to_integral_exact(context=_EXACT)
        except Inexact:
            raise ValidationError(_too_many_decimals(cur.code, cur.exponent), field) from None
        return cls(int(minor), cur.code)

    def to_major(self) -> Decimal:
        """Exact however large: built from the digits, so no decimal context can round it."""
        sign, digits, _ = Decimal(self.minor).as_tuple()
        return Decimal((sign, digits, -currency(self.currency).exponent))

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


def stripe_max(code: str) -> Money:
    """The largest amount Stripe accepts in this currency (Currency.max_minor)."""
    cur = currency(code)
    return Money(cur.max_minor, cur.code)


def _too_many_decimals(code: str, exponent: int) -> str:
    if exponent == 0:
        return f"{code} has no decimals: enter a whole amount"
    return f"{code} has {exponent} decimals at most"
