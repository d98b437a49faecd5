"""The watch inventory as the Watches window and the composer use it, with no Qt.

Serials are stored normalized (domain.validation.normalize_serial) and unique per profile;
a duplicate is refused naming the watch that already has it. Status (in stock, reserved,
sold) is set by the invoice service as invoices move; here it is only read and explained.
The composer's small reads (clients for the picker, the profile's defaults) live here too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Profile
from tracker_desktop.db.repositories import contacts as contacts_repo
from tracker_desktop.db.repositories import provenance as provenance_repo
from tracker_desktop.db.repositories import watches as watches_repo
from tracker_desktop.db.repositories import watches_extra
from tracker_desktop.domain.errors import FormInvalid, ValidationError
from tracker_desktop.domain.validation import normalize_serial
from tracker_desktop.domain.watch_status import WatchStatus
from tracker_desktop.services.clients.client_service import ClientInput, checked_fields
from tracker_desktop.services.events import ClientsChanged, EventHub, WatchesChanged
from tracker_desktop.services.front_desk import HIDDEN, FrontDesk
from tracker_desktop.services.inventory.attachment_store import AttachmentStore
from tracker_desktop.services.inventory.inventory_csv import InventoryCsv
from tracker_desktop.services.inventory.provenance import ProvenanceService
from tracker_desktop.services.inventory.provenance_warning import ProvenanceWarning
from tracker_desktop.services.inventory.views import (
    ClientChoice,
    ProfileDefaults,
    WatchRow,
    client_of,
    row_of,
)
from tracker_desktop.services.inventory.watch_form import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    WATCH_TEXT_MAX,
    WatchForm,
    parse_watch_form,
)

# The values shown live in views, the form and its check in watch_form; callers import them
# from here too.
__all__ = [
    "EARLIEST_YEAR",
    "LATEST_YEAR",
    "WATCH_TEXT_MAX",
    "ClientChoice",
    "FormInvalid",
    "InventoryService",
    "ProfileDefaults",
    "WatchForm",
    "WatchRow",
    "parse_watch_form",
]


class InventoryService:
    """Watches CRUD and search for one profile at a time; every call names the profile."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        hub: EventHub | None = None,
        locale: Callable[[], str] = lambda: "en_US",
        attachments: Path | None = None,
        check_max_age_days: Callable[[], int] = lambda: 365,
        front_desk: FrontDesk | None = None,
    ) -> None:
        self._sessions = session_factory
        self.front_desk = front_desk or FrontDesk()
        self._hub = hub
        self._locale = locale
        # Its parts: the provenance of each watch, and the composer's warning about it.
        store = AttachmentStore(attachments or _beside_database(session_factory))
        self.provenance = ProvenanceService(session_factory, store, hub)
        self.provenance_warning = ProvenanceWarning(self.provenance, check_max_age_days)
        self.csv = InventoryCsv(session_factory, store, hub, self.front_desk)

    # --- reads ---------------------------------------------------------------------------
    def hides_cost(self, profile_id: int | None) -> bool:
        """This workstation is the profile's front desk: rows come without purchase cost."""
        return self.front_desk.hides_cost(profile_id)

    def search(
        self, profile_id: int, text: str = "", *, statuses: tuple[WatchStatus, ...] = ()
    ) -> list[WatchRow]:
        """Every word must match some column; an exact serial comes first."""
        with session_scope(self._sessions) as session:
            # A serial typed with odd spacing or case still finds itself first.
            found = watches_extra.search_watches(
                session, profile_id, normalize_serial(text), statuses=statuses
            )
            held = watches_extra.holding_invoices(session, profile_id, (w.id for w in found))
            hide = self.hides_cost(profile_id)
            return [row_of(w, held.get(w.id), hide) for w in found]

    def get(self, profile_id: int, watch_id: int) -> WatchRow:
        with session_scope(self._sessions) as session:
            watch = watches_repo.get_watch(session, profile_id, watch_id)
            if watch is None:
                raise ValidationError("That watch no longer exists.")
            held = watches_extra.holding_invoices(session, profile_id, [watch_id])
            return row_of(watch, held.get(watch_id), self.hides_cost(profile_id))

    def find_by_serial(self, profile_id: int, serial: str) -> WatchRow | None:
        with session_scope(self._sessions) as session:
            watch = watches_repo.get_watch_by_serial(session, profile_id, normalize_serial(serial))
            if watch is None:
                return None
            held = watches_extra.holding_invoices(session, profile_id, [watch.id])
            return row_of(watch, held.get(watch.id), self.hides_cost(profile_id))

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
            kept = provenance_repo.files_of_watch(session, profile_id, watch_id)
            watches_repo.delete_watch(session, profile_id, watch_id)
        self.provenance.forget_files(kept)  # its rows went with it (ON DELETE CASCADE)
        self._changed(profile_id)

    def _save(self, profile_id: int, watch_id: int | None, form: WatchForm) -> WatchRow:
        hide = self.hides_cost(profile_id)
        if hide and form.purchase_cost.strip():
            raise self.front_desk.refusal("Purchase cost", "purchase_cost")
        data = parse_watch_form(form, self._locale())
        problem = self.serial_problem(profile_id, data.serial, except_id=watch_id)
        if problem:
            raise ValidationError(problem, field="serial")
        with session_scope(self._sessions, write=True) as session:
            if watch_id is None:
                watch = watches_repo.add_watch(session, profile_id, data)
            else:
                if hide:  # the form had no cost to show: the stored one stays as it was
                    data = _keeping_cost(session, profile_id, watch_id, data)
                watch = watches_repo.update_watch(session, profile_id, watch_id, data)
            session.flush()
            held = watches_extra.holding_invoices(session, profile_id, [watch.id])
            row = row_of(watch, held.get(watch.id), hide)
        self._changed(profile_id)
        return row

    def _changed(self, profile_id: int) -> None:
        if self._hub is not None:
            self._hub.publish(WatchesChanged(profile_id))

    # --- what the composer reads ---------------------------------------------------------
    def clients(self, profile_id: int, search: str = "", limit: int = 200) -> list[ClientChoice]:
        with session_scope(self._sessions) as session:
            page = contacts_repo.list_contacts(session, profile_id, search=search, limit=limit)
            return [client_of(c) for c in page.items]

    def client(self, profile_id: int, contact_id: int) -> ClientChoice | None:
        with session_scope(self._sessions) as session:
            contact = contacts_repo.get_contact(session, profile_id, contact_id)
            return None if contact is None else client_of(contact)

    def add_client(self, profile_id: int, form: ClientInput) -> ClientChoice:
        """Keep a one-off customer as a client ("Also save as client" in the composer), with
        the Clients window's checks: FormInvalid with check_client's keys, nothing saved."""
        data = checked_fields(form)
        with session_scope(self._sessions, write=True) as session:
            contact = contacts_repo.add_contact(session, profile_id, data)
            session.flush()
            choice = client_of(contact)
        if self._hub is not None:
            self._hub.publish(ClientsChanged(profile_id))
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


def _beside_database(session_factory: sessionmaker[Session]) -> Path:
    """The attachments folder next to a SQLite file (the app passes AppPaths.attachments).

    Only for a SQLite file: a server's database name is no folder, and reading it as one
    would keep a dealer's certificates in whatever folder the process started in.
    """
    bind = session_factory.kw.get("bind")
    url = getattr(bind, "url", None)
    database = getattr(url, "database", None)
    if url is None or url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        raise ValueError("InventoryService needs its attachments folder on this database")
    return Path(database).resolve().parent / "attachments"


def _keeping_cost(
    session: Session, profile_id: int, watch_id: int, data: watches_repo.WatchFields
) -> watches_repo.WatchFields:
    """A front-desk edit keeps the stored cost; its currency, which the cost is in, too."""
    watch = watches_repo.get_watch(session, profile_id, watch_id)
    if watch is None:
        raise ValidationError("That watch no longer exists.")
    if watch.purchase_cost_minor is not None and data.currency != watch.currency:
        raise ValidationError(
            f"The currency is its purchase cost's too, which is {HIDDEN}: "
            "change it on a back-office workstation.",
            field="currency",
        )
    return replace(data, purchase_cost_minor=watch.purchase_cost_minor)


def _duplicate_message(serial: str, existing: WatchRow) -> str:
    where = existing.status.words
    if existing.held_by and existing.status is not WatchStatus.IN_STOCK:
        where = f"{where} on {existing.held_by}"
    return f"Serial {normalize_serial(serial)} is already on {existing.title} ({where})"
