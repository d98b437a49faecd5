"""Prints, as JSON, what the app shows and reads in each locale given, on the CLDR data folder
given ("whole": babel's own). Run by test_cldr_trim.py in a process of its own, so babel
loads nothing before its data folder is set."""

from __future__ import annotations

import datetime as dt
import json
import sys

import babel.localedata

if sys.argv[1] != "whole":
    babel.localedata._dirname = sys.argv[1]

from tracker_desktop.app.dealer_locale import dealer_locale
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import (
    example_amount,
    format_amount,
    format_money,
    parse_money,
)
from tracker_desktop.domain.validation import country_choices
from tracker_desktop.ui.invoices.dates import local_date, local_datetime

AMOUNTS = [Money(12345678, "CHF"), Money(5000, "EUR"), Money(1250000, "JPY"), Money(99, "USD")]
MOMENT = dt.datetime(2026, 11, 27, 14, 5, 9, tzinfo=dt.UTC)

out = {}
for loc in json.loads(sys.argv[2]):
    shown = [format_money(money, loc) for money in AMOUNTS]
    out[loc] = {
        "dealer": dealer_locale(loc),
        "money": shown,
        "amount": format_amount(Money(1234567, "GBP"), loc, grouping=False),
        "example": [example_amount(code, loc) for code in ("USD", "JPY", "KWD")],
        "parsed": [
            parse_money(t, m.currency, loc).minor for t, m in zip(shown, AMOUNTS, strict=True)
        ],
        "dates": [local_date(MOMENT, loc), local_datetime(MOMENT, loc)],
        "countries": country_choices(loc),
    }
print(json.dumps(out, ensure_ascii=False))
