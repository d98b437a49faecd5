"""The inventory as CSV: export every watch (with its latest stolen-register check and where
its certificate is kept), and import watches from such a file with a preview first.

An import is all or nothing: every row is checked as the Watches window checks a watch
(plus serials repeated in the file), the preview lists each row's problems, and only a file
with none is written, in one transaction. Amounts are plain decimals ("12500.00"), as the
export writes them; statuses are the stored words (in_stock, on_memo, in_service).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import ProvenanceCheck, Watch
from tracker_desktop.db.repositories import provenance as provenance_repo
from tracker_desktop.db.repositories import watches as watches_repo
from tracker_desktop.domain.errors import FormInvalid, TrackerError, ValidationError
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.validation import normalize_serial
from tracker_desktop.domain.watch_status import DEALER_SET, WatchStatus
from tracker_desktop.services.events import EventHub, WatchesChanged
from tracker_desktop.services.front_desk import FrontDesk
from tracker_desktop.services.inventory.attachment_store import AttachmentStore
from tracker_desktop.services.inventory.watch_form import WatchForm, parse_watch_form
from tracker_desktop.services.invoicing.csv_export import decimal_amount, safe_cell

WATCH_COLUMNS = (
    "brand",
    "model",
    "reference",
    "serial",
    "year",
    "condition",
    "box",
    "papers",
    "currency",
    "purchase_cost",
    "asking_price",
    "status",
    "away_with",
    "away_since",
    "notes",
)
COST_COLUMN = "purchase_cost"  # left out at the front desk (services/front_desk)
# Written for the record, ignored by the import (a check comes with its certificate file).
CHECK_COLUMNS = ("last_check_register", "last_check_date", "certificate_number", "certificate_file")
REQUIRED = ("brand", "model", "serial", "currency")
MAX_ROWS = 20_000
CSV_LOCALE = "en_US"  # plain decimals with a point, as the export writes them
_YES, _NO = {"yes", "y", "true", "1", "x"}, {"no", "n", "false", "0", ""}


@dataclass(frozen=True, slots=True)
class ImportRow:
    line: int  # the file's line number, as a spreadsheet shows it (the header is line 1)
    serial: str
    title: str
    errors: dict[str, str] = field(default_factory=dict)
    fields: watches_repo.WatchFields | None = None


@dataclass(frozen=True, slots=True)
class ImportPreview:
    path: str
    rows: list[ImportRow]
    problem: str = ""  # about the whole file (unreadable, a missing column)

    @property
    def ok(self) -> bool:
        return not self.problem and bool(self.rows) and not any(r.errors for r in self.rows)

    @property
    def bad_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.errors]


class InventoryCsv:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        store: AttachmentStore,
        hub: EventHub | None,
        front_desk: FrontDesk | None = None,
    ) -> None:
        self._sessions = session_factory
        self._store = store
        self._hub = hub
        self._front_desk = front_desk or FrontDesk()

    # --- export --------------------------------------------------------------------------
    def export(self, profile_id: int, path: str | os.PathLike[str]) -> int:
        """Write every watch of the profile; the file appears whole or not at all. At the
        front desk the purchase_cost column is left out (the import does without it)."""
        hide = self._front_desk.hides_cost(profile_id)
        columns = tuple(c for c in WATCH_COLUMNS if not (hide and c == COST_COLUMN))
        target = Path(path)
        temp = target.with_name(f".{target.name}.part")
        with session_scope(self._sessions) as session:
            watches = list(
                session.scalars(
                    select(Watch)
                    .where(Watch.profile_id == profile_id)
                    .order_by(Watch.brand, Watch.model, Watch.id)
                )
            )
            checks = provenance_repo.latest_checks(session, profile_id, (w.id for w in watches))
            rows = [self._row(w, checks.get(w.id), hide) for w in watches]
        try:
            with open(temp, "w", encoding="utf-8-sig", newline="") as out:
                writer = csv.writer(out)
                writer.writerow((*columns, *CHECK_COLUMNS))
                writer.writerows(rows)
            os.replace(temp, target)
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise TrackerError(
                f"The CSV file could not be written to {target}: {exc.strerror or exc}"
            ) from None
        return len(rows)

    def _row(self, watch: Watch, check: ProvenanceCheck | None, hide_cost: bool) -> list[str]:
        def amount(minor: int | None) -> str:
            return "" if minor is None else decimal_amount(Money(minor, watch.currency))

        certificate = ""
        if check is not None and check.certificate_file:
            certificate = str(self._store.path_of(check.certificate_file))
        texts = [watch.brand, watch.model, watch.reference, watch.serial]
        return [
            *(safe_cell(t) for t in texts),
            "" if watch.year is None else str(watch.year),
            safe_cell(watch.condition),
            "yes" if watch.has_box else "no",
            "yes" if watch.has_papers else "no",
            watch.currency,
            *(() if hide_cost else (amount(watch.purchase_cost_minor),)),
            amount(watch.asking_price_minor),
            WatchStatus(watch.status).value,
            safe_cell(watch.away_with),
            watch.away_since.isoformat() if watch.away_since else "",
            safe_cell(watch.notes),
            safe_cell(check.register) if check else "",
            check.checked_on.isoformat() if check else "",
            safe_cell(check.certificate_number) if check else "",
            certificate,
        ]

    # --- import --------------------------------------------------------------------------
    def preview(self, profile_id: int, path: str | os.PathLike[str]) -> ImportPreview:
        """Every row checked, nothing written."""
        try:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                header = [(h or "").strip().lower() for h in reader.fieldnames or []]
                missing = [c for c in REQUIRED if c not in header]
                if missing:
                    return ImportPreview(
                        str(path), [], f"The file has no column named {', '.join(missing)}."
                    )
                reader.fieldnames = header
                raw = [(reader.line_num, row) for row in reader]
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            return ImportPreview(str(path), [], f"The file could not be read as CSV: {exc}")
        if len(raw) > MAX_ROWS:
            return ImportPreview(str(path), [], f"At most {MAX_ROWS:,} watches per file.")
        if not raw:
            return ImportPreview(str(path), [], "The file has no watches in it.")
        hide = self._front_desk.hides_cost(profile_id)
        with session_scope(self._sessions) as session:
            rows = [self._check_row(session, profile_id, line, row, hide) for line, row in raw]
        return ImportPreview(str(path), _mark_repeated_serials(rows))

    def _check_row(
        self,
        session: Session,
        profile_id: int,
        line: int,
        row: dict[str | None, object],
        hide_cost: bool,
    ) -> ImportRow:
        def cell(name: str) -> str:
            value = row.get(name)
            return _unguard(value.strip()) if isinstance(value, str) else ""

        errors: dict[str, str] = {}
        if None in row:
            errors["row"] = "This row has more cells than the header"
        if hide_cost and cell(COST_COLUMN):
            errors[COST_COLUMN] = str(self._front_desk.refusal("Purchase cost", COST_COLUMN))
        form = WatchForm(
            brand=cell("brand"),
            model=cell("model"),
            serial=cell("serial"),
            currency=cell("currency"),
            reference=cell("reference"),
            year=cell("year"),
            condition=cell("condition"),
            has_box=_yes_no(cell("box"), "box", errors),
            has_papers=_yes_no(cell("papers"), "papers", errors),
            purchase_cost=cell("purchase_cost"),
            asking_price=cell("asking_price"),
            notes=cell("notes"),
            status=_status(cell("status"), errors),
            away_with=cell("away_with"),
            away_since=_date(cell("away_since"), errors),
        )
        title = " ".join(p for p in (form.brand, form.model, form.reference) if p)
        fields = None
        try:
            fields = parse_watch_form(form, CSV_LOCALE)
        except FormInvalid as exc:
            errors.update((k, v) for k, v in exc.errors.items() if k not in errors)
        serial = normalize_serial(form.serial)
        if serial and watches_repo.get_watch_by_serial(session, profile_id, serial):
            errors.setdefault("serial", f"Serial {serial} is already in inventory")
        return ImportRow(line, serial, title, errors, fields)

    def commit(self, profile_id: int, preview: ImportPreview) -> int:
        """Add every watch of a preview with no problems, in one transaction, or none."""
        if not preview.ok:
            raise ValidationError("Fix the rows with problems first; nothing was imported.")
        with session_scope(self._sessions, write=True) as session:
            for row in preview.rows:
                assert row.fields is not None
                try:
                    watches_repo.add_watch(session, profile_id, row.fields)
                except ValidationError as exc:
                    raise ValidationError(
                        f"Line {row.line}: {exc} Nothing was imported.", "file"
                    ) from None
        if self._hub is not None:
            self._hub.publish(WatchesChanged(profile_id))
        return len(preview.rows)


def _mark_repeated_serials(rows: list[ImportRow]) -> list[ImportRow]:
    first: dict[str, int] = {}
    for row in rows:
        key = row.serial.lower()
        if not key:
            continue
        if key in first and "serial" not in row.errors:
            row.errors["serial"] = f"Serial {row.serial} is also on line {first[key]}"
        first.setdefault(key, row.line)
    return rows


def _unguard(text: str) -> str:
    """Undo the export's formula guard ("'=..." back to "=...")."""
    return text[1:] if text.startswith("'") and text[1:2] in ("=", "+", "-", "@") else text


def _yes_no(text: str, name: str, errors: dict[str, str]) -> bool:
    word = text.lower()
    if word not in _YES | _NO:
        errors[name] = f"Write yes or no, not “{text}”"
    return word in _YES


def _status(text: str, errors: dict[str, str]) -> WatchStatus | None:
    word = text.strip().lower().replace(" ", "_") or WatchStatus.IN_STOCK.value
    try:
        status = WatchStatus(word)
    except ValueError:
        errors["status"] = f"Unknown status “{text}”: use in_stock, on_memo or in_service"
        return None
    if status not in DEALER_SET:
        errors["status"] = f"A watch is {status.words} only through an invoice; import it in_stock"
        return None
    return status


def _date(text: str, errors: dict[str, str]) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors["away_since"] = f"Write the date as 2026-11-03, not “{text}”"
        return None
