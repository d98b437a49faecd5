"""Contacts as the clients window and the Stripe customer sync need them.

The list is read as light tuples in one query (10,000 clients open in a blink), and the sync
bookkeeping is written with plain UPDATEs that keep `updated_at` as it was: `updated_at`
marks the dealer's last edit, and the sync uses it as the revision in idempotency keys.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from tracker_desktop.db.models import Contact

# The columns of one row of the clients table, in this order.
ROW_COLUMNS = (
    Contact.id,
    Contact.name,
    Contact.company,
    Contact.email,
    Contact.phone,
    Contact.city,
    Contact.country,
    Contact.stripe_customer_id,
    Contact.needs_sync,
    Contact.sync_error,
    Contact.payment_method_summary,
)


def contact_rows(session: Session, profile_id: int) -> list[tuple[Any, ...]]:
    """Every contact of the profile as plain tuples of ROW_COLUMNS, by name.

    One Core query on only these columns: the ORM's per-row bookkeeping would double the
    time for 10,000. Each Row becomes a plain tuple as it streams by (not `.all()` first):
    10,000 Rows alive at once would push Python into a full garbage collection, which stalls
    the GUI thread too (~50-100 ms here) even though this runs in a worker."""
    stmt = (
        select(*ROW_COLUMNS)
        .where(Contact.profile_id == profile_id)
        .order_by(Contact.name, Contact.id)
    )
    return [tuple(row) for row in session.connection().execute(stmt)]


def set_sync_fields(session: Session, profile_id: int, contact_id: int, **values: Any) -> bool:
    """Write sync columns (stripe_customer_id, needs_sync, sync_error, payment_method_summary)
    without touching `updated_at`. False if the contact is gone."""
    allowed = {"stripe_customer_id", "needs_sync", "sync_error", "payment_method_summary"}
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"not sync columns: {sorted(unknown)}")
    result = session.execute(
        update(Contact)
        .where(Contact.profile_id == profile_id, Contact.id == contact_id)
        .values(**values, updated_at=Contact.updated_at)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def pending_sync_ids(session: Session, profile_id: int) -> list[int]:
    """Contacts waiting to reach Stripe (an edit or a create that could not be sent yet)."""
    return list(
        session.scalars(
            select(Contact.id)
            .where(Contact.profile_id == profile_id, Contact.needs_sync.is_(True))
            .order_by(Contact.id)
        )
    )


def contacts_by_emails(
    session: Session, profile_id: int, emails: Collection[str]
) -> dict[str, list[Contact]]:
    """lower-cased email -> the profile's contacts with that email, any case."""
    wanted = {e.strip().lower() for e in emails if e and e.strip()}
    if not wanted:
        return {}
    found: dict[str, list[Contact]] = {}
    for contact in session.scalars(
        select(Contact)
        .where(Contact.profile_id == profile_id, func.lower(Contact.email).in_(wanted))
        .order_by(Contact.id)
    ):
        found.setdefault(contact.email.strip().lower(), []).append(contact)
    return found


def contacts_by_customer_ids(
    session: Session, profile_id: int, customer_ids: Collection[str]
) -> dict[str, Contact]:
    if not customer_ids:
        return {}
    return {
        c.stripe_customer_id: c
        for c in session.scalars(
            select(Contact).where(
                Contact.profile_id == profile_id,
                Contact.stripe_customer_id.in_(list(customer_ids)),
            )
        )
        if c.stripe_customer_id
    }
