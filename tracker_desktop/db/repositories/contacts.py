"""Contacts (clients): paged search, edits, and deletion that never orphans an invoice."""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from tracker_desktop.db.models import Contact, Invoice
from tracker_desktop.db.repositories.paging import ESCAPE, Page, contains_pattern, fetch_page
from tracker_desktop.domain.errors import ValidationError


@dataclass(slots=True)
class ContactFields:
    """What the contact form edits. Stripe and sync columns are the sync service's."""

    name: str
    company: str = ""
    email: str = ""
    phone: str = ""
    address_line1: str = ""
    address_line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""
    notes: str = ""


def _apply(contact: Contact, data: ContactFields) -> None:
    name = data.name.strip()
    if not name:
        raise ValidationError("A client needs a name.", field="name")
    for f in fields(ContactFields):
        value = getattr(data, f.name)
        setattr(contact, f.name, value if f.name == "notes" else value.strip())
    contact.country = contact.country.upper()


def list_contacts(
    session: Session, profile_id: int, *, search: str = "", offset: int = 0, limit: int = 50
) -> Page[Contact]:
    """Contacts by name; `search` matches name, company, email or city, any case."""
    stmt = select(Contact).where(Contact.profile_id == profile_id)
    term = search.strip()
    if term:
        pattern = contains_pattern(term)
        stmt = stmt.where(
            or_(
                *(
                    column.ilike(pattern, escape=ESCAPE)
                    for column in (Contact.name, Contact.company, Contact.email, Contact.city)
                )
            )
        )
    return fetch_page(session, stmt.order_by(Contact.name, Contact.id), offset, limit)


def get_contact(session: Session, profile_id: int, contact_id: int) -> Contact | None:
    return session.scalar(
        select(Contact).where(Contact.profile_id == profile_id, Contact.id == contact_id)
    )


def add_contact(session: Session, profile_id: int, data: ContactFields) -> Contact:
    contact = Contact(profile_id=profile_id)
    _apply(contact, data)
    session.add(contact)
    session.flush()
    return contact


def update_contact(
    session: Session, profile_id: int, contact_id: int, data: ContactFields
) -> Contact:
    """Replace the form fields. Marks a contact already in Stripe as needing a sync."""
    contact = _require(session, profile_id, contact_id)
    _apply(contact, data)
    if contact.stripe_customer_id is not None and session.is_modified(contact):
        contact.needs_sync = True
    return contact


def delete_contact(session: Session, profile_id: int, contact_id: int) -> None:
    """Delete a contact no invoice refers to; otherwise refuse and say why."""
    contact = _require(session, profile_id, contact_id)
    count = session.scalar(
        select(func.count()).select_from(Invoice).where(Invoice.contact_id == contact_id)
    )
    if count:
        noun = "invoice" if count == 1 else "invoices"
        raise ValidationError(
            f"{contact.name} has {count} {noun}, so they cannot be deleted; their history stays."
        )
    session.delete(contact)
    session.flush()


def _require(session: Session, profile_id: int, contact_id: int) -> Contact:
    contact = get_contact(session, profile_id, contact_id)
    if contact is None:
        raise ValidationError("That client no longer exists.")
    return contact
