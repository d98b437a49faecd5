"""The watch form as typed in the Watches window, and its check: every problem at once, or
the fields to store (a normalized serial, money in minor units of the watch's currency)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel import Locale

from tracker_desktop.db.repositories import watches as watches_repo
from tracker_desktop.domain.currencies import UnknownCurrency, normalize_code
from tracker_desktop.domain.errors import FormInvalid, ValidationError
from tracker_desktop.domain.money_format import parse_money
from tracker_desktop.domain.validation import (
    AWAY_WITH_MAX,
    BRAND_MAX,
    CONDITION_MAX,
    MODEL_MAX,
    NOTES_MAX,
    REFERENCE_MAX,
    SERIAL_MAX,
    normalize_serial,
    text_problem,
)
from tracker_desktop.domain.watch_status import DEALER_SET, WatchStatus

# A watch has no business being older than this; it catches a typed price in the year box.
EARLIEST_YEAR = 1700
LATEST_YEAR = 2100


# The longest text each field keeps (its column in db/models.py; notes is ours).
WATCH_TEXT_MAX = {
    "brand": BRAND_MAX,
    "model": MODEL_MAX,
    "serial": SERIAL_MAX,
    "reference": REFERENCE_MAX,
    "condition": CONDITION_MAX,
    "notes": NOTES_MAX,
    "away_with": AWAY_WITH_MAX,
}


@dataclass(slots=True)
class WatchForm:
    """What the dealer typed. Amounts are text in the dealer's locale; year is text."""

    brand: str = ""
    model: str = ""
    serial: str = ""
    currency: str = "USD"
    reference: str = ""
    year: str = ""
    condition: str = ""
    has_box: bool = False
    has_papers: bool = False
    purchase_cost: str = ""
    asking_price: str = ""
    notes: str = ""
    # In stock, on memo (with whom, since when) or in service (since when); None: unchanged.
    status: WatchStatus | None = None
    away_with: str = ""
    away_since: dt.date | None = None


def _status_problems(form: WatchForm, away_with: str, today: dt.date) -> dict[str, str]:
    if form.status is None or form.status is WatchStatus.IN_STOCK:
        return {}
    if form.status not in DEALER_SET:
        return {"status": f"A watch becomes {form.status.words} from an invoice"}
    errors: dict[str, str] = {}
    if form.status is WatchStatus.ON_MEMO and not away_with:
        errors["away_with"] = "Enter who has the watch on memo"
    if form.away_since is None:
        errors["away_since"] = f"Enter the date it went {form.status.words}"
    elif form.away_since > today:
        errors["away_since"] = "That date is in the future"
    return errors


def parse_watch_form(
    form: WatchForm, locale: Locale | str, today: dt.date | None = None
) -> watches_repo.WatchFields:
    """Every problem at once (FormInvalid), or the fields to store with a normalized serial."""
    errors: dict[str, str] = {}
    # The text as it will be stored, each checked against its column's length.
    texts = {
        "brand": " ".join(form.brand.split()),
        "model": " ".join(form.model.split()),
        "serial": normalize_serial(form.serial),
        "reference": form.reference.strip(),
        "condition": form.condition.strip(),
        "notes": form.notes,
        "away_with": " ".join(form.away_with.split()),
    }
    for name, label in (("brand", "brand"), ("model", "model"), ("serial", "serial number")):
        if not texts[name]:
            errors[name] = f"Enter the {label}"
    for name, limit in WATCH_TEXT_MAX.items():
        problem = text_problem(texts[name], limit, multiline=name == "notes")
        if problem:
            errors.setdefault(name, problem)
    try:
        code = normalize_code(form.currency)
    except UnknownCurrency as exc:
        errors["currency"] = str(exc)
        code = ""
    year: int | None = None
    if form.year.strip():
        text = form.year.strip()
        if not (text.isascii() and text.isdigit() and len(text) == 4) or not (
            EARLIEST_YEAR <= int(text) <= LATEST_YEAR
        ):
            errors["year"] = "Enter the year as four digits, like 2019"
        else:
            year = int(text)
    amounts: dict[str, int | None] = {"purchase_cost": None, "asking_price": None}
    for name in amounts:
        text = getattr(form, name).strip()
        if text and code:
            try:
                amounts[name] = parse_money(text, code, locale, field=name).minor
            except ValidationError as exc:
                errors[name] = str(exc)
    for name, problem in _status_problems(
        form, texts["away_with"], today or dt.date.today()
    ).items():
        errors.setdefault(name, problem)
    if errors:
        raise FormInvalid(errors)
    return watches_repo.WatchFields(
        brand=texts["brand"],
        model=texts["model"],
        serial=texts["serial"],
        currency=code,
        reference=texts["reference"],
        year=year,
        condition=texts["condition"],
        has_box=form.has_box,
        has_papers=form.has_papers,
        purchase_cost_minor=amounts["purchase_cost"],
        asking_price_minor=amounts["asking_price"],
        notes=texts["notes"],
        status=form.status,
        away_with=texts["away_with"],
        away_since=form.away_since,
    )
