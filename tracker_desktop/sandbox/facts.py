"""Stripe's documented facts the simulator enforces, each with the page it comes from.

These are the simulator's own, read from Stripe's documentation, never from the app's
``domain`` package: the simulator must catch the app's mistakes, not share them. Where the two
disagree, tests/sandbox/test_facts.py says which one is right.
"""

from __future__ import annotations

from typing import Final

# https://docs.stripe.com/currencies#presentment-currencies (the card-payment list) plus the
# three-decimal currencies of #three-decimal, which "the API supports for standard payment flows".
SUPPORTED_CURRENCIES: Final = frozenset(
    """
    usd aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bif bmd bnd bob brl bsd bwp byn
    bzd cad cdf chf clp cny cop crc cve czk djf dkk dop dzd egp etb eur fjd fkp gbp gel gip gmd
    gnf gtq gyd hkd hnl htg huf idr ils inr isk jmd jpy kes kgs khr kmf krw kyd kzt lak lbp lkr
    lrd lsl mad mdl mga mkd mmk mnt mop mur mvr mwk mxn myr mzn nad ngn nio nok npr nzd pab pen
    pgk php pkr pln pyg qar ron rsd rub rwf sar sbd scr sek sgd shp sle sos srd std szl thb tjs
    top try ttd twd tzs uah ugx uyu uzs vnd vuv wst xaf xcd xof xpf yer zar zmw
    bhd jod kwd omr tnd
    """.split()
)
# https://docs.stripe.com/currencies#zero-decimal: amounts are whole units (jpy 500 is ¥500).
ZERO_DECIMAL: Final = frozenset(
    "bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split()
)
# https://docs.stripe.com/currencies#three-decimal: thousandths, "the last digit must be 0".
THREE_DECIMAL: Final = frozenset("bhd jod kwd omr tnd".split())
# https://docs.stripe.com/currencies#special-cases: ISK is whole krónur sent with two decimals,
# so "the amount value must be evenly divisible by 100".
WHOLE_UNITS_IN_CENTS: Final = frozenset({"isk"})

# https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts: "up to twelve digits
# for IDR ... and up to eight digits for all other currencies".
MAX_AMOUNT_DIGITS: Final = 8
MAX_AMOUNT_DIGITS_BY_CURRENCY: Final = {"idr": 12}

# https://docs.stripe.com/api/idempotent_requests: keys "up to 255 characters long", removed
# "after they're at least 24 hours old".
IDEMPOTENCY_KEY_MAX_LENGTH: Final = 255
IDEMPOTENCY_KEY_SECONDS: Final = 24 * 3600

# https://docs.stripe.com/api/pagination: "limit can range between 1 and 100, and the default
# is 10" (lists and searches alike).
LIST_LIMIT_MIN: Final = 1
LIST_LIMIT_MAX: Final = 100
LIST_LIMIT_DEFAULT: Final = 10

# https://docs.stripe.com/api/events/list: `types` is "an array of up to 20 strings";
# https://docs.stripe.com/api/events: events "from the last 30 days".
EVENT_TYPES_MAX: Final = 20
EVENT_RETENTION_SECONDS: Final = 30 * 86400

# https://docs.stripe.com/api/metadata: "up to 50 keys, with key names up to 40 characters
# long and values up to 500 characters long", and no square brackets in keys.
METADATA_MAX_KEYS: Final = 50
METADATA_KEY_MAX_LENGTH: Final = 40
METADATA_VALUE_MAX_LENGTH: Final = 500

# https://docs.stripe.com/expand: "You can expand recursively up to four levels deep".
EXPAND_MAX_DEPTH: Final = 4

# https://docs.stripe.com/search: "Under normal operating conditions, data is searchable in
# under 1 minute" (modelled as 30 seconds); "up to 10 query clauses"; `~` substring matching
# needs at least 3 characters.
SEARCH_LAG_SECONDS: Final = 30
SEARCH_MAX_CLAUSES: Final = 10
SEARCH_SUBSTRING_MIN: Final = 3
# https://docs.stripe.com/search#query-fields-for-invoices and #query-fields-for-customers
SEARCH_FIELDS: Final = {
    "invoice": frozenset(
        """created currency customer last_finalization_error_code last_finalization_error_type
        metadata number receipt_number status subscription total""".split()
    ),
    "customer": frozenset("created email metadata name phone".split()),
}

# https://docs.stripe.com/invoicing/hosted-invoice-page: the link works until 30 days after
# the due date, and never more than 120 days after finalization (no stored copy of that page
# could be checked; see README.md).
HOSTED_LINK_DAYS_AFTER_DUE: Final = 30
HOSTED_LINK_MAX_DAYS: Final = 120


def exponent(currency: str) -> int:
    """How many decimals Stripe's amounts carry in this currency (its ``amount`` unit)."""
    code = currency.lower()
    if code in ZERO_DECIMAL:
        return 0
    return 3 if code in THREE_DECIMAL else 2


def amount_step(currency: str) -> int:
    """Every amount in this currency must be a multiple of this many minor units."""
    code = currency.lower()
    if code in THREE_DECIMAL:
        return 10
    return 100 if code in WHOLE_UNITS_IN_CENTS else 1


def max_amount(currency: str) -> int:
    """The largest amount Stripe accepts in this currency's smallest unit."""
    digits = MAX_AMOUNT_DIGITS_BY_CURRENCY.get(currency.lower(), MAX_AMOUNT_DIGITS)
    return int(10**digits) - 1
