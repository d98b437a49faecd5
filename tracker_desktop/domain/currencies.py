"""Currency facts that decide how many minor units make a major one, as Stripe counts them."""

from __future__ import annotations

from dataclasses import dataclass

from tracker_desktop.domain.errors import ValidationError

# Stripe's zero-decimal currencies: amounts are whole units (JPY 1500 means ¥1,500).
ZERO_DECIMAL = frozenset("BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split())
# Stripe's three-decimal currencies: amounts are in thousandths and must end in 0.
THREE_DECIMAL = frozenset("BHD JOD KWD OMR TND".split())
# Whole krónur that Stripe takes with two decimals: amounts must be multiples of 100.
WHOLE_UNITS_IN_CENTS = frozenset({"ISK"})

# Stripe caps one amount at eight digits in the smallest unit, twelve for IDR
# (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts). Currency.max_minor
# is the only place the cap is worked out; money.stripe_max gives it as Money.
_STRIPE_MAX_DIGITS = 8
_STRIPE_MAX_DIGITS_BY_CURRENCY = {"IDR": 12}

# Currencies a watch dealer is offered first; any ISO code Stripe knows is accepted.
COMMON = ("USD", "EUR", "GBP", "CHF", "JPY", "HKD", "SGD", "AED", "CAD", "AUD")

# ISO 4217 codes Stripe settles in (a superset check: unknown codes are refused early).
KNOWN = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BWP BYN
    BZD CAD CDF CHF CLP CNY COP CRC CVE CZK DJF DKK DOP DZD EGP ETB EUR FJD FKP GBP GEL GIP GMD
    GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR ISK JMD JOD JPY KES KGS KHR KMF KRW KWD KYD KZT LAK
    LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD
    OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SEK SGD SHP SLE SOS SRD STD
    SZL THB TJS TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VND VUV WST XAF XCD XOF XPF YER ZAR
    ZMW
    """.split()
)


class UnknownCurrency(ValidationError, ValueError):
    """A currency code that Stripe does not settle in: bad input, shown beside the field."""

    def __init__(self, message: str, field: str = "currency") -> None:
        super().__init__(message, field)


@dataclass(frozen=True, slots=True)
class Currency:
    code: str
    exponent: int

    @property
    def max_minor(self) -> int:
        """The largest amount Stripe accepts, in minor units: eight digits (twelve for IDR),
        down to a multiple of `minor_step` ($999,999.99, ¥99,999,999, KWD 99,999.990,
        ISK 999,999)."""
        digits = _STRIPE_MAX_DIGITS_BY_CURRENCY.get(self.code, _STRIPE_MAX_DIGITS)
        step = self.minor_step
        return (int(10**digits) - 1) // step * step

    @property
    def minor_step(self) -> int:
        """The smallest amount Stripe accepts a multiple of (10 for three-decimal currencies,
        100 for ISK)."""
        if self.code in THREE_DECIMAL:
            return 10
        return 100 if self.code in WHOLE_UNITS_IN_CENTS else 1


def normalize_code(code: str) -> str:
    up = code.strip().upper()
    if up not in KNOWN:
        raise UnknownCurrency(f"{code!r} is not a currency Stripe accepts")
    return up


def currency(code: str) -> Currency:
    up = normalize_code(code)
    if up in ZERO_DECIMAL:
        return Currency(up, 0)
    if up in THREE_DECIMAL:
        return Currency(up, 3)
    return Currency(up, 2)
