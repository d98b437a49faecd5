"""Clients: the list, the form's checks, saving and deleting. No Qt, no Stripe calls here.

The Stripe side (create/update the customer, unlink, pending syncs) is stripe_customers.py;
the import of existing Stripe customers is customer_import.py. Windows get plain dataclasses.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Contact
from tracker_desktop.db.repositories import contacts as repo
from tracker_desktop.db.repositories import contacts_sync
from tracker_desktop.domain.errors import FormInvalid, ValidationError
from tracker_desktop.domain.validation import (
    COMPANY_MAX,
    NAME_MAX,
    NOTES_MAX,
    PHONE_MAX,
    PostalAddress,
    text_problem,
    validate_email,
)
from tracker_desktop.services.events import ClientsChanged, EventHub

# Stripe state of a client, as the table and the detail panel say it.
NOT_LINKED = "Not in Stripe"
LINKED = "Linked"
NEEDS_SYNC = "Needs sync"
REFUSED = "Stripe refused"

# Longest values the database keeps (models.Contact; notes is ours), checked before saving.
# The address fields are checked with the address (domain.validation.PostalAddress).
_MAX_LENGTHS = {
    "name": NAME_MAX,
    "company": COMPANY_MAX,
    "phone": PHONE_MAX,
    "notes": NOTES_MAX,
}
_PHONE_CHARS = set("0123456789+-() ./")


# One line of the clients table as a plain tuple, in ClientRow's field order. The table
# holds these, not ClientRows: Python's garbage collector stops tracking a plain tuple of
# strings and numbers, so 10,000 of them add nothing to its full collections, which stall
# every thread while they run; 10,000 NamedTuples would bring one every few reloads.
RowTuple = tuple[int, str, str, str, str, str, str, str | None, bool, str | None, str | None]


class ClientRow(NamedTuple):
    """One line of the clients table with names (the table itself holds RowTuples)."""

    id: int
    name: str
    company: str
    email: str
    phone: str
    city: str
    country: str
    stripe_customer_id: str | None
    needs_sync: bool
    sync_error: str | None
    payment_method: str | None

    @property
    def place(self) -> str:
        return ", ".join(p for p in (self.city, self.country) if p)

    @property
    def stripe_state(self) -> str:
        return stripe_state(self.stripe_customer_id, self.needs_sync, self.sync_error)


def stripe_state(customer_id: str | None, needs_sync: bool, sync_error: str | None) -> str:
    if needs_sync:
        return NEEDS_SYNC
    if sync_error:
        return REFUSED
    return LINKED if customer_id else NOT_LINKED


@dataclass(frozen=True, slots=True)
class ClientInput:
    """What the client form holds. Field names are the form's error keys."""

    name: str
    company: str = ""
    email: str = ""
    phone: str = ""
    line1: str = ""
    line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""
    notes: str = ""

    @property
    def address(self) -> PostalAddress:
        return PostalAddress(
            self.line1, self.line2, self.city, self.state, self.postal_code, self.country
        )


@dataclass(frozen=True, slots=True)
class ClientDetails:
    """A client with its Stripe link, for the detail panel and the form."""

    id: int
    form: ClientInput
    stripe_customer_id: str | None
    payment_method: str | None
    needs_sync: bool
    sync_error: str | None

    @property
    def name(self) -> str:
        return self.form.name

    @property
    def stripe_state(self) -> str:
        return stripe_state(self.stripe_customer_id, self.needs_sync, self.sync_error)


def check_client(form: ClientInput) -> dict[str, str]:
    """field -> message for everything wrong; empty when the form may be saved."""
    errors: dict[str, str] = {}
    stored = _fields(form)
    if not stored.name:
        errors["name"] = "Enter the client's name"
    if form.email.strip():
        try:
            validate_email(form.email)
        except ValidationError as exc:
            errors["email"] = str(exc)
    phone = form.phone.strip()
    if phone and (not set(phone) <= _PHONE_CHARS or sum(c.isdigit() for c in phone) < 5):
        errors["phone"] = "Enter a phone number with digits, e.g. +41 22 310 00 00"
    for key, message in form.address.errors().items():
        errors.setdefault(key, message)
    for key, limit in _MAX_LENGTHS.items():
        problem = text_problem(getattr(stored, key), limit, multiline=key == "notes")
        if problem:
            errors.setdefault(key, problem)
    return errors


def checked_fields(form: ClientInput) -> repo.ContactFields:
    """The client as stored, or FormInvalid with every problem (check_client's keys). The
    Clients window and the composer's "Also save as client" both save through this."""
    errors = check_client(form)
    if errors:
        raise FormInvalid(errors)
    return _fields(form)


def _fields(form: ClientInput) -> repo.ContactFields:
    address = form.address.normalized()
    return repo.ContactFields(
        name=" ".join(form.name.split()),
        company=form.company.strip(),
        email=form.email.strip(),
        phone=form.phone.strip(),
        address_line1=address.line1,
        address_line2=address.line2,
        city=address.city,
        state=address.state,
        postal_code=address.postal_code,
        country=address.country,
        notes=form.notes,
    )


def details(contact: Contact) -> ClientDetails:
    form = ClientInput(
        name=contact.name,
        company=contact.company,
        email=contact.email,
        phone=contact.phone,
        line1=contact.address_line1,
        line2=contact.address_line2,
        city=contact.city,
        state=contact.state,
        postal_code=contact.postal_code,
        country=contact.country,
        notes=contact.notes,
    )
    return ClientDetails(
        id=contact.id,
        form=form,
        stripe_customer_id=contact.stripe_customer_id,
        payment_method=contact.payment_method_summary,
        needs_sync=contact.needs_sync,
        sync_error=contact.sync_error,
    )


class ClientService:
    """Local use cases. Every change is announced as ClientsChanged."""

    def __init__(self, session_factory: sessionmaker[Session], hub: EventHub | None = None):
        self._sessions = session_factory
        self._hub = hub

    def row_tuples(self, profile_id: int) -> list[RowTuple]:
        """Every client of the profile in one query, as plain tuples (see RowTuple). Blocks:
        windows use `load_rows`."""
        with session_scope(self._sessions) as session:
            return contacts_sync.contact_rows(session, profile_id)

    async def load_rows(self, profile_id: int) -> list[RowTuple]:
        """`row_tuples` on a worker thread: 10,000 clients take longer to read than the GUI
        thread may stall. The session is opened and closed in that thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self.row_tuples, profile_id)

    def get(self, profile_id: int, client_id: int) -> ClientDetails:
        with session_scope(self._sessions) as session:
            contact = repo.get_contact(session, profile_id, client_id)
            if contact is None:
                raise ValidationError("That client no longer exists.")
            return details(contact)

    def save(self, profile_id: int, client_id: int | None, form: ClientInput) -> ClientDetails:
        """Check everything first (FormInvalid: nothing saved), then save in one transaction.

        An edit to a client linked to Stripe is marked "needs sync"; the sync sends it."""
        data = checked_fields(form)
        with session_scope(self._sessions, write=True) as session:
            if client_id is None:
                contact = repo.add_contact(session, profile_id, data)
            else:
                contact = repo.update_contact(session, profile_id, client_id, data)
                session.flush()
            saved = details(contact)
        self._changed(profile_id)
        return saved

    def delete(self, profile_id: int, client_id: int) -> None:
        """Refused (ValidationError, with the reason) when an invoice names the client."""
        with session_scope(self._sessions, write=True) as session:
            repo.delete_contact(session, profile_id, client_id)
        self._changed(profile_id)

    def pending_count(self, profile_id: int) -> int:
        with session_scope(self._sessions) as session:
            return len(contacts_sync.pending_sync_ids(session, profile_id))

    def _changed(self, profile_id: int) -> None:
        if self._hub is not None:
            self._hub.publish(ClientsChanged(profile_id))
