"""The watch inventory as the Watches window and the composer use it, with no Qt.

Serials are stored normalized (domain.validation.normalize_serial) and unique per profile;
a duplicate is refused naming the watch that already has it. Status (in stock, reserved,
sold) is set by the invoice service as invoices move; here it is only read and explained.
The composer's small reads (clients for the picker, the profile's defaults) live here too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from babel import Locale
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Contact, Profile, Watch
from tracker_desktop.db.repositories import contacts as contacts_repo
from tracker_desktop.db.repositories import watches as watches_repo
from tracker_desktop.db.repositories import watches_extra
from tracker_desktop.domain.currencies import UnknownCurrency, normalize_code
from tracker_desktop.domain.errors import FormInvalid, ValidationError
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import parse_money
from tracker_desktop.domain.validation import (
    BRAND_MAX,
    CONDITION_MAX,
    MODEL_MAX,
    NOTES_MAX,
    REFERENCE_MAX,
    SERIAL_MAX,
    normalize_serial,
    text_problem,
)
from tracker_desktop.services.clients.client_service import ClientInput, checked_fields
from tracker_desktop.services.events import DATA_CHANGED, EventHub

IN_STOCK, RESERVED, SOLD = "in_stock", "reserved", "sold"
STATUS_LABELS = {IN_STOCK: "In stock", RESERVED: "Reserved", SOLD: "Sold"}
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
}


@dataclass(frozen=True, slots=True)
class WatchRow:
    """A watch as shown: plain values, never an ORM object."""

    id: int
    brand: str
    model: str
    reference: str
    serial: str
    year: int | None
    condition: str
    has_box: bool
    has_papers: bool
    currency: str
    purchase_cost: Money | None
    asking_price: Money | None
    notes: str
    status: str
    invoice_id: int | None = None  # the invoice that holds it (not void), if any
    invoice_number: str | None = None
    invoice_state: str | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def title(self) -> str:
        """ "Rolex Submariner Date 126610LN": brand, model and reference."""
        return " ".join(p for p in (self.brand, self.model, self.reference) if p)

    @property
    def line_description(self) -> str:
        """The invoice line text: "Rolex Submariner Date 126610LN, serial 7S2A9XXX"."""
        return f"{self.title}, serial {self.serial}"

    @property
    def held_by(self) -> str:
        """Which invoice holds it, in words: "INV-0042", "Draft #7", or ""."""
        if self.invoice_id is None:
            return ""
        return self.invoice_number or f"Draft #{self.invoice_id}"

    @property
    def why_not_invoiceable(self) -> str:
        if self.status == RESERVED:
            return f"Reserved on {self.held_by or 'an open invoice'}"
        if self.status == SOLD:
            return f"Sold on {self.held_by or 'a paid invoice'}"
        return ""


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


@dataclass(frozen=True, slots=True)
class ClientChoice:
    id: int
    name: str
    company: str
    email: str
    city: str
    country: str

    @property
    def label(self) -> str:
        extra = ", ".join(p for p in (self.company, self.email) if p)
        return f"{self.name} ({extra})" if extra else self.name


@dataclass(frozen=True, slots=True)
class ProfileDefaults:
    name: str
    currency: str
    days_until_due: int
    footer: str


def _row(watch: Watch, holding: watches_extra.HoldingInvoice | None) -> WatchRow:
    def money(minor: int | None) -> Money | None:
        return None if minor is None else Money(minor, watch.currency)

    return WatchRow(
        id=watch.id,
        brand=watch.brand,
        model=watch.model,
        reference=watch.reference,
        serial=watch.serial,
        year=watch.year,
        condition=watch.condition,
        has_box=watch.has_box,
        has_papers=watch.has_papers,
        currency=watch.currency,
        purchase_cost=money(watch.purchase_cost_minor),
        asking_price=money(watch.asking_price_minor),
        notes=watch.notes,
        status=watch.status,
        invoice_id=holding.invoice_id if holding else None,
        invoice_number=holding.number if holding else None,
        invoice_state=holding.state if holding else None,
    )


def parse_watch_form(form: WatchForm, locale: Locale | str) -> watches_repo.WatchFields:
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
    )


class InventoryService:
    """Watches CRUD and search for one profile at a time; every call names the profile."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        hub: EventHub | None = None,
        locale: Callable[[], str] = lambda: "en_US",
    ) -> None:
        self._sessions = session_factory
        self._hub = hub
        self._locale = locale

    # --- reads ---------------------------------------------------------------------------
    def search(
        self, profile_id: int, text: str = "", *, statuses: tuple[str, ...] = ()
    ) -> list[WatchRow]:
        """Every word must match some column; an exact serial comes first."""
        with session_scope(self._sessions) as session:
            # A serial typed with odd spacing or case still finds itself first.
            found = watches_extra.search_watches(
                session, profile_id, normalize_serial(text), statuses=statuses
            )
            held = watches_extra.holding_invoices(session, profile_id, (w.id for w in found))
            return [_row(w, held.get(w.id)) for w in found]

    def get(self, profile_id: int, watch_id: int) -> WatchRow:
        with session_scope(self._sessions) as session:
            watch = watches_repo.get_watch(session, profile_id, watch_id)
            if watch is None:
                raise ValidationError("That watch no longer exists.")
            held = watches_extra.holding_invoices(session, profile_id, [watch_id])
            return _row(watch, held.get(watch_id))

    def find_by_serial(self, profile_id: int, serial: str) -> WatchRow | None:
        with session_scope(self._sessions) as session:
            watch = watches_repo.get_watch_by_serial(session, profile_id, normalize_serial(serial))
            if watch is None:
                return None
            held = watches_extra.holding_invoices(session, profile_id, [watch.id])
            return _row(watch, held.get(watch.id))

    def serial_problem(self, profile_id: int, serial: str, except_id: int | None = None) -> str:
        """The duplicate-serial message for `serial`, or "" (the form checks as you type)."""
        if not serial.strip():
            return ""
        existing = self.find_by_serial(profile_id, serial)
        if existing is None or existing.id == except_id:
            return ""
        return _duplicate_message(serial, existing)

    # --- writes --------------------------------------------------------------------------
    def add(self, profile_id: int, form: WatchForm) -> WatchRow:
        return self._save(profile_id, None, form)

    def update(self, profile_id: int, watch_id: int, form: WatchForm) -> WatchRow:
        return self._save(profile_id, watch_id, form)

    def delete(self, profile_id: int, watch_id: int) -> None:
        with session_scope(self._sessions, write=True) as session:
            watches_repo.delete_watch(session, profile_id, watch_id)
        self._changed()

    def _save(self, profile_id: int, watch_id: int | None, form: WatchForm) -> WatchRow:
        data = parse_watch_form(form, self._locale())
        problem = self.serial_problem(profile_id, data.serial, except_id=watch_id)
        if problem:
            raise ValidationError(problem, field="serial")
        with session_scope(self._sessions, write=True) as session:
            if watch_id is None:
                watch = watches_repo.add_watch(session, profile_id, data)
            else:
                watch = watches_repo.update_watch(session, profile_id, watch_id, data)
            session.flush()
            held = watches_extra.holding_invoices(session, profile_id, [watch.id])
            row = _row(watch, held.get(watch.id))
        self._changed()
        return row

    def _changed(self) -> None:
        if self._hub is not None:
            self._hub.publish(DATA_CHANGED, kind="watches")

    # --- what the composer reads ---------------------------------------------------------
    def clients(self, profile_id: int, search: str = "", limit: int = 200) -> list[ClientChoice]:
        with session_scope(self._sessions) as session:
            page = contacts_repo.list_contacts(session, profile_id, search=search, limit=limit)
            return [_client(c) for c in page.items]

    def client(self, profile_id: int, contact_id: int) -> ClientChoice | None:
        with session_scope(self._sessions) as session:
            contact = contacts_repo.get_contact(session, profile_id, contact_id)
            return None if contact is None else _client(contact)

    def add_client(self, profile_id: int, form: ClientInput) -> ClientChoice:
        """Keep a one-off customer as a client ("Also save as client" in the composer), with
        the Clients window's checks: FormInvalid with check_client's keys, nothing saved."""
        data = checked_fields(form)
        with session_scope(self._sessions, write=True) as session:
            contact = contacts_repo.add_contact(session, profile_id, data)
            session.flush()
            choice = _client(contact)
        if self._hub is not None:
            self._hub.publish(DATA_CHANGED, kind="contacts")
        return choice

    def profile_defaults(self, profile_id: int) -> ProfileDefaults:
        with session_scope(self._sessions) as session:
            profile = session.get(Profile, profile_id)
            if profile is None:
                raise ValidationError("That profile no longer exists.")
            return ProfileDefaults(
                name=profile.name,
                currency=profile.default_currency,
                days_until_due=profile.default_due_days,
                footer=profile.invoice_footer,
            )


def _client(contact: Contact) -> ClientChoice:
    return ClientChoice(
        id=contact.id,
        name=contact.name,
        company=contact.company,
        email=contact.email,
        city=contact.city,
        country=contact.country,
    )


def _duplicate_message(serial: str, existing: WatchRow) -> str:
    where = existing.status_label.lower()
    if existing.held_by and existing.status != IN_STOCK:
        where = f"{where} on {existing.held_by}"
    return f"Serial {normalize_serial(serial)} is already on {existing.title} ({where})"
