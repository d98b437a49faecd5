"""Dates as the dealer reads them: the local calendar day of an instant, in their locale."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel.dates import format_date, format_datetime


def local_date(moment: dt.datetime | None, locale: str) -> str:
    """The day in this computer's time zone: a due date is never shown a day off."""
    if moment is None:
        return ""
    return _day(moment.astimezone().date(), locale)


@lru_cache(maxsize=4096)
def _day(day: dt.date, locale: str) -> str:
    # A long list shows few distinct days, and babel takes a while over each.
    return format_date(day, "medium", locale=locale)


def local_datetime(moment: dt.datetime | None, locale: str) -> str:
    if moment is None:
        return ""
    return format_datetime(moment.astimezone(), "medium", locale=locale)


def since(moment: dt.datetime | None, now: dt.datetime) -> str:
    """ "just now", "5 min ago", "3 h ago", or "" when never synced."""
    if moment is None:
        return "never"
    seconds = max(int((now - moment).total_seconds()), 0)
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} d ago"
