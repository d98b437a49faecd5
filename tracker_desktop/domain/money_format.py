"""Money to and from what a person reads and types, in their locale.

Parsing refuses rather than guesses: an amount that could mean two things is sent back to the
dealer with an example of the expected shape. Decimal only; a float never appears.
"""

from __future__ import annotations

import copy
import unicodedata
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)

from babel import Locale
from babel.numbers import (
    NumberFormatError,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
)

from tracker_desktop.domain.currencies import KNOWN, Currency, UnknownCurrency, currency
from tracker_desktop.domain.errors import ValidationError
from tracker_desktop.domain.money import STORABLE_MINOR_DIGITS, Money, stripe_max

LocaleLike = Locale | str

# Whole units have a name a dealer recognises; other zero-decimal currencies use the code.
_WHOLE_UNIT_NAMES = {"JPY": "yen", "KRW": "won"}
# Characters a person may type as a thousands mark whatever the locale: no locale uses them as
# the decimal mark, so reading them as grouping is never ambiguous.
_APOSTROPHES = "'’ʼ′"
_MINUS_SIGNS = "-−‐‑–—"
# babel checks a typed amount's grouping by formatting the number again, which rounds to the
# current context's precision. Amounts reach that check only once they are within Stripe's
# cap (at most twelve digits of minor units), so this context always holds them exactly;
# its traps turn anything else into an error rather than a rounded amount.
_PRECISION = 28
_TRAPS = [InvalidOperation, DivisionByZero, Overflow]
_READING = Context(prec=_PRECISION, rounding=ROUND_HALF_EVEN, traps=_TRAPS)

__all__ = [
    "check_amount_for_stripe",
    "example_amount",
    "format_amount",
    "format_money",
    "parse_money",
    "stripe_max",
]


def format_money(money: Money, locale: LocaleLike) -> str:
    """`$1,250.50`, `1.250,50 €`, `CHF 1’250.00`: the currency's own decimals, not CLDR's."""
    return _pattern(money, locale, with_symbol=True)


def format_amount(money: Money, locale: LocaleLike, *, grouping: bool = True) -> str:
    """The amount only (`1,250.50`), for an editable field; parses back with `parse_money`."""
    return _pattern(money, locale, with_symbol=False, grouping=grouping)


def _pattern(money: Money, locale: LocaleLike, *, with_symbol: bool, grouping: bool = True) -> str:
    loc = Locale.parse(locale)
    cur = currency(money.currency)
    pattern = copy.copy(
        loc.currency_formats["standard"] if with_symbol else loc.decimal_formats[None]
    )
    # CLDR's digits differ from Stripe's for a few currencies (ISK, LBP, ...): Stripe's count.
    pattern.frac_prec = (cur.exponent, cur.exponent)
    amount = money.to_major()
    # The pattern rounds to the currency's decimals in the current context: give it one that
    # holds every digit of this amount, so no amount is too long to show.
    digits = len(amount.as_tuple().digits) + cur.exponent
    with localcontext(Context(prec=max(_PRECISION, digits), traps=_TRAPS)):
        text = pattern.apply(
            amount,
            loc,
            currency=cur.code if with_symbol else None,
            currency_digits=False,
            group_separator=grouping,
        )
    return str(text)


def example_amount(code: str, locale: LocaleLike) -> str:
    """An example in the locale's shape for error messages: `1,250.50`, `1.250,50`, `150,000`."""
    cur = currency(code)
    major = {0: Decimal(150000), 2: Decimal("1250.50"), 3: Decimal("1250.250")}[cur.exponent]
    return format_amount(Money.from_major(major, cur.code), locale)


def parse_money(
    text: str, code: str, locale: LocaleLike, *, field: str = "amount", over_cap: bool = False
) -> Money:
    """Read a typed amount for `code` in `locale`, or raise ValidationError saying what to type.

    Accepted: the locale's grouping and decimal marks, spaces or apostrophes as grouping, the
    currency's code or symbol before or after. Refused: negatives, another currency's symbol,
    more decimals than the currency has (even zeros: `1.250` for USD in en_US may mean 1250),
    amounts Stripe will not take (`over_cap`: except that it passes Stripe's cap for one
    amount, for a sale to be split into parts; it must still be storable).
    """
    try:
        cur = currency(code)
    except UnknownCurrency as exc:
        raise ValidationError(str(exc), field) from exc
    loc = Locale.parse(locale)
    example = example_amount(cur.code, loc)
    cleaned = _normalize(text)
    if any(ch in _MINUS_SIGNS for ch in cleaned) or "(" in cleaned or ")" in cleaned:
        raise ValidationError("Enter the amount without a minus sign: it cannot be negative", field)
    cleaned = _strip_currency(cleaned, cur, loc, example, field)
    if not cleaned:
        raise ValidationError(f"Enter an amount like {example}", field)

    decimal_mark = unicodedata.normalize("NFKC", get_decimal_symbol(loc))
    # babel wants the locale's own mark (a narrow no-break space in fr_FR), not its NFKC form.
    group_mark = get_group_symbol(loc)
    cleaned = _unify_grouping(cleaned, group_mark)
    allowed = set("0123456789") | {decimal_mark, group_mark}
    if any(ch not in allowed for ch in cleaned):
        raise ValidationError(f"Enter an amount like {example}", field)

    decimals = cleaned.rsplit(decimal_mark, 1)[1] if decimal_mark in cleaned else None
    if decimals is not None and not decimals.isdigit():
        # "1,250.50" in de_DE: grouping after the decimal mark, so the shape is wrong.
        raise ValidationError(f"Enter an amount like {example}", field)
    if decimals is not None and cur.exponent == 0:
        unit = _WHOLE_UNIT_NAMES.get(cur.code, f"units of {cur.code}")
        raise ValidationError(f"{cur.code} has no decimals: enter whole {unit}", field)
    if decimals is not None and len(decimals) > cur.exponent:
        raise ValidationError(
            f"{cur.code} has {cur.exponent} decimals at most: enter an amount like {example}",
            field,
        )

    try:
        with localcontext(_READING):
            # The number first (exact, whatever its length), so an amount over Stripe's cap is
            # refused with the cap before its grouping is checked by formatting it again.
            amount = parse_decimal(cleaned, loc, strict=False)
            if amount.is_finite() and amount > stripe_max(cur.code).to_major():
                # Past the cap a split may still take it, while it is storable at all.
                storable = Decimal(10) ** (STORABLE_MINOR_DIGITS - cur.exponent)
                if not over_cap or amount >= storable:
                    raise _over_stripe_cap(cur.code, loc, field)
            amount = parse_decimal(cleaned, loc, strict=True)
    except NumberFormatError as exc:
        raise ValidationError(f"Enter an amount like {example}", field) from exc
    if not amount.is_finite():
        raise ValidationError(f"Enter an amount like {example}", field)

    money = Money.from_major(amount, cur.code, field=field)
    capped = Money(min(money.minor, cur.max_minor), cur.code) if over_cap else money
    check_amount_for_stripe(capped, loc, field=field)
    return money


def check_amount_for_stripe(money: Money, locale: LocaleLike, *, field: str = "amount") -> None:
    """Refuse negatives, three-decimal amounts not ending in 0, and amounts over Stripe's cap."""
    cur = currency(money.currency)
    if money.minor < 0:
        raise ValidationError("The amount cannot be negative", field)
    step = cur.minor_step
    if money.minor % step:
        shown = format_amount(Money(money.minor // step * step, cur.code), locale)
        rule = "must end in 0" if step == 10 else "must be whole units"
        raise ValidationError(f"{cur.code} amounts {rule} (e.g. {shown})", field)
    if money.minor > stripe_max(cur.code).minor:
        raise _over_stripe_cap(cur.code, locale, field)


def _over_stripe_cap(code: str, locale: LocaleLike, field: str) -> ValidationError:
    limit = format_money(stripe_max(code), locale)
    return ValidationError(f"Stripe accepts at most {limit} for one amount", field)


def _normalize(text: str) -> str:
    # NFKC folds full-width digits and ￥ from Japanese input; other scripts' digits become ASCII;
    # invisible direction marks that some locales put around numbers go.
    out: list[str] = []
    for ch in unicodedata.normalize("NFKC", text):
        if unicodedata.category(ch) == "Nd":
            out.append(str(unicodedata.decimal(ch)))
        elif unicodedata.category(ch) == "Cf":
            continue
        else:
            out.append(ch)
    return "".join(out).strip()


def _symbols(cur: Currency, loc: Locale) -> list[str]:
    found = {cur.code}
    for where in (loc, Locale.parse("en")):
        symbol = _normalize(get_currency_symbol(cur.code, where))
        found.add(symbol)
        # "US$", "$US", "JP¥" are also typed as the bare sign.
        bare = "".join(ch for ch in symbol if not ("A" <= ch.upper() <= "Z"))
        if bare and bare != symbol:
            found.add(bare)
    return sorted(found, key=len, reverse=True)


def _strip_currency(text: str, cur: Currency, loc: Locale, example: str, field: str) -> str:
    for symbol in _symbols(cur, loc):
        if text.upper().startswith(symbol.upper()):
            text = text[len(symbol) :].strip()
            break
        if text.upper().endswith(symbol.upper()):
            text = text[: -len(symbol)].strip()
            break
    stray = "".join(ch for ch in text if ch.isalpha() or unicodedata.category(ch) == "Sc")
    if not stray:
        return text
    if any(unicodedata.category(ch) == "Sc" for ch in stray) or stray.upper() in KNOWN:
        raise ValidationError(
            f"This invoice is in {cur.code}: remove {stray!r} or change the currency", field
        )
    raise ValidationError(f"Enter an amount like {example}", field)


def _unify_grouping(text: str, group_mark: str) -> str:
    # Spaces (any kind) and apostrophes between digits are thousands marks in every locale.
    out: list[str] = []
    for ch in text:
        if ch.isspace() or ch in _APOSTROPHES or ch == group_mark:
            # Two marks in a row ("1  250") count as one; babel then checks the group sizes.
            if out and out[-1] != group_mark:
                out.append(group_mark)
        else:
            out.append(ch)
    return "".join(out)
