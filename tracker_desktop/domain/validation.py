"""Checks on what the dealer types about clients and watches, with messages for the form."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields, replace
from functools import cache

from babel import Locale

from tracker_desktop.domain.currencies import currency
from tracker_desktop.domain.errors import ValidationError

# The longest text each field keeps: its database column's String(n) in db/models.py (a test
# holds the two together), or Stripe's own limit for text sent there. Text columns have no
# length; for those the limit is ours: a few pages of notes.
NAME_MAX = 200  # contacts.name, invoices.customer_name
COMPANY_MAX = 200
EMAIL_MAX = 320  # contacts.email, invoices.customer_email (Stripe would take 512)
PHONE_MAX = 40
ADDRESS_LINE_MAX = 200
CITY_MAX = 120
STATE_MAX = 120
POSTAL_CODE_MAX = 20
BRAND_MAX = 120
MODEL_MAX = 200
REFERENCE_MAX = 80
SERIAL_MAX = 80
CONDITION_MAX = 40
NOTES_MAX = 5000
AWAY_WITH_MAX = 200  # watches.away_with: who holds a watch on memo
REGISTER_MAX = 120  # provenance_checks.register
CERTIFICATE_NUMBER_MAX = 80
MEMO_MAX = 500  # Stripe's limit on an invoice's memo (its `description`)
LINE_DESCRIPTION_MAX = 500  # Stripe's limit on a line's description
FOOTER_MAX = 5000  # Stripe's limit on an invoice's footer
ADDRESS_MAX = {
    "line1": ADDRESS_LINE_MAX,
    "line2": ADDRESS_LINE_MAX,
    "city": CITY_MAX,
    "state": STATE_MAX,
    "postal_code": POSTAL_CODE_MAX,
}
# Tab and line breaks belong in notes, a memo or a footer; no other control character is text.
_MULTILINE_CONTROLS = frozenset("\t\n\r")

# Pragmatic, as Stripe checks it: something@domain.tld, no spaces, one @, a dotted domain.
_EMAIL = re.compile(r"^[^@\s]+@(?:[^@\s.]+\.)+[^@\s.]{2,}$")

# CLDR territories that are not ISO 3166-1 countries (continents have digits and are dropped).
# XK (Kosovo) is user-assigned in ISO but Stripe accepts it, so it stays.
_NOT_COUNTRIES = frozenset("AC CP CQ DG EA EU EZ IC QO TA UN XA XB ZZ".split())

DAYS_UNTIL_DUE_MAX = 365  # Stripe would take more; a year is the longest a dealer needs.
# More would put a line over Stripe's cap at any price: one cent times this is the cap.
QUANTITY_MAX = currency("USD").max_minor
_WHOLE_DIGITS_MAX = 18
_TOO_LONG: int = 10**_WHOLE_DIGITS_MAX


def text_problem(text: str, limit: int, *, multiline: bool = False) -> str:
    """What is wrong with a text field's value as it will be stored, or "" when it fits."""
    if len(text) > limit:
        return f"At most {limit:,} characters (this has {len(text):,})"
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cs" or (category == "Cc" and not (multiline and ch in _MULTILINE_CONTROLS)):
            what = "a line break" if ch in "\n\r" else "an invisible control character"
            return f"Remove {what}: it cannot be part of this field"
    return ""


def check_text(text: str, limit: int, field: str, *, multiline: bool = False) -> str:
    """The text unchanged, or ValidationError with `text_problem`'s message."""
    problem = text_problem(text, limit, multiline=multiline)
    if problem:
        raise ValidationError(problem, field)
    return text


def validate_email(text: str, field: str = "email") -> str:
    """The email, stripped; ValidationError if it does not look like one."""
    email = text.strip()
    if not email:
        raise ValidationError("Enter an email address", field)
    if len(email) > EMAIL_MAX:
        raise ValidationError(text_problem(email, EMAIL_MAX), field)
    if not _EMAIL.match(email) or text_problem(email, EMAIL_MAX):
        raise ValidationError("Enter an email address like name@example.com", field)
    return email


@cache
def _country_names(locale: str) -> dict[str, str]:
    names = Locale.parse(locale).territories
    return {
        code: name
        for code, name in names.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }


def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes (plus XK), from CLDR via babel."""
    return frozenset(_country_names("en"))


def country_choices(locale: str = "en") -> list[tuple[str, str]]:
    """(code, name) pairs for a picker, sorted by the name in `locale`."""
    names = _country_names(str(Locale.parse(locale)))
    return sorted(names.items(), key=lambda item: unicodedata.normalize("NFKD", item[1]).lower())


def validate_country(text: str, field: str = "country") -> str:
    code = text.strip().upper()
    if not code:
        raise ValidationError("Choose a country", field)
    if code not in country_codes():
        raise ValidationError(f"{text.strip()!r} is not a country code (e.g. US, DE, CH)", field)
    return code


def required_text(value: str | None, label: str, field: str, limit: int | None = None) -> str:
    """The value stripped; ValidationError "Enter the <label>" when empty, or when longer
    than `limit` or holding a control character."""
    text = (value or "").strip()
    if not text:
        raise ValidationError(f"Enter the {label}", field)
    if limit is not None:
        check_text(text, limit, field)
    return text


@dataclass(frozen=True, slots=True)
class PostalAddress:
    """An address in Stripe's shape. Every field may be empty; see `errors` for what is needed."""

    line1: str = ""
    line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""

    def normalized(self) -> PostalAddress:
        stripped = {f.name: " ".join(getattr(self, f.name).split()) for f in fields(self)}
        stripped["country"] = stripped["country"].upper()
        return replace(self, **stripped)

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, f.name).strip() for f in fields(self))

    def to_stripe(self) -> dict[str, str]:
        """Stripe's `address` parameter; empty fields are left out, as Stripe expects."""
        norm = self.normalized()
        return {f.name: getattr(norm, f.name) for f in fields(norm) if getattr(norm, f.name)}

    def errors(self, prefix: str = "") -> dict[str, str]:
        """field -> message. An empty address is fine (it is optional); a started one needs
        line 1, city and a valid country. State and postal code vary by country: not required."""
        if self.is_empty:
            return {}
        norm = self.normalized()
        found: dict[str, str] = {}
        if not norm.line1:
            found[f"{prefix}line1"] = "Enter the street address"
        if not norm.city:
            found[f"{prefix}city"] = "Enter the city"
        try:
            validate_country(norm.country)
        except ValidationError as exc:
            found[f"{prefix}country"] = str(exc)
        for name, limit in ADDRESS_MAX.items():
            problem = text_problem(getattr(norm, name), limit)
            if problem:
                found.setdefault(f"{prefix}{name}", problem)
        return found


def normalize_serial(text: str) -> str:
    """A watch serial as compared for uniqueness: trimmed, upper case, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).upper().split())


def validate_quantity(value: int | str, field: str = "quantity") -> int:
    """A whole, positive quantity (typed text or an int), at most QUANTITY_MAX."""
    number = _whole(value)
    if number is None:
        raise ValidationError("Enter a whole number for the quantity", field)
    if number < 1:
        raise ValidationError("The quantity must be at least 1", field)
    if number > QUANTITY_MAX:
        raise ValidationError(f"The quantity can be at most {QUANTITY_MAX:,}", field)
    return number


def validate_days_until_due(value: int | str, field: str = "days_until_due") -> int:
    """0 (due on receipt) to 365 days. Stripe allows longer; a year is our limit."""
    number = _whole(value)
    if number is None or not 0 <= number <= DAYS_UNTIL_DUE_MAX:
        raise ValidationError(
            f"Enter a number of days from 0 to {DAYS_UNTIL_DUE_MAX} for the due date", field
        )
    return number


def _whole(value: int | str) -> int | None:
    """The whole number typed, or None. A number longer than any limit here is read as
    ±10**18 instead of being converted, since Python refuses to read one of unbounded length."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    digits = text.removeprefix("-")
    if not text.isascii() or not digits.isdigit():
        return None
    if len(digits.lstrip("0")) > _WHOLE_DIGITS_MAX:
        return -_TOO_LONG if text.startswith("-") else _TOO_LONG
    return int(text)
