"""What is sent to Stripe for a client, and how a create is made at most once.

Idempotency: every client has a stable reference (its id, profile and creation time). A
create's key is that reference plus a hash of what is sent, and a create that may have
reached Stripe before (an earlier attempt failed or was cut off) first looks for the customer
by that reference in its metadata, so a retry never makes a second customer. An update's key
adds the client's revision (`updated_at`, the time of the dealer's last edit): a retry of the
same edit replays, a later edit is sent afresh, even one that restores older values.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Contact
from tracker_desktop.db.repositories import contacts as repo
from tracker_desktop.db.repositories import contacts_sync
from tracker_desktop.domain.errors import IdempotencyConflict, StripeUnavailable, ValidationError
from tracker_desktop.domain.stripe_types import CustomerDraft, StripeCustomer
from tracker_desktop.domain.validation import PostalAddress
from tracker_desktop.stripe_gateway import StripeGateway, idempotency_key

CLIENT_ID_KEY = "tracker_client_id"
# Tries of a create whose identical twin (same key) is still running at Stripe.
_IN_USE_TRIES = 5
CLIENT_REF_KEY = "tracker_client_ref"
_REF_NAMESPACE = uuid.UUID("5b0d6f0e-8a53-4c39-9a57-0c1e3f7f2a61")


@dataclass(frozen=True, slots=True)
class ClientSnapshot:
    id: int
    ref: str
    revision: str
    draft: CustomerDraft
    customer_id: str | None
    maybe_created: bool  # an earlier create may have reached Stripe


def client_ref(contact: Contact) -> str:
    """Stable for the life of the client, and different for a client of another database."""
    seed = f"{contact.profile_id}:{contact.id}:{contact.created_at.isoformat()}"
    return str(uuid.uuid5(_REF_NAMESPACE, seed))


def _draft(contact: Contact, ref: str) -> CustomerDraft:
    address = PostalAddress(
        contact.address_line1,
        contact.address_line2,
        contact.city,
        contact.state,
        contact.postal_code,
        contact.country,
    )
    return CustomerDraft(
        name=contact.name,
        email=contact.email or None,
        phone=contact.phone or None,
        address=address.to_stripe(),
        metadata={CLIENT_ID_KEY: str(contact.id), CLIENT_REF_KEY: ref},
    )


def _digest(*parts: object) -> str:
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def take_snapshot(
    sessions: sessionmaker[Session], profile_id: int, client_id: int, *, mark_attempt: bool
) -> ClientSnapshot:
    """The client as it will be sent. With mark_attempt, a create is recorded before it is
    sent: if the app dies mid-request, the next try looks for the customer first."""
    with session_scope(sessions, write=mark_attempt) as session:
        contact = repo.get_contact(session, profile_id, client_id)
        if contact is None:
            raise ValidationError("That client no longer exists.")
        ref = client_ref(contact)
        creating = contact.stripe_customer_id is None
        # needs_sync on an unlinked client means a create was asked for before.
        maybe_created = creating and (contact.needs_sync or bool(contact.sync_error))
        if mark_attempt and creating and not contact.needs_sync:
            contacts_sync.set_sync_fields(session, profile_id, client_id, needs_sync=True)
        return ClientSnapshot(
            id=contact.id,
            ref=ref,
            revision=contact.updated_at.isoformat(),
            draft=_draft(contact, ref),
            customer_id=contact.stripe_customer_id,
            maybe_created=maybe_created,
        )


async def send_customer(gateway: StripeGateway, snap: ClientSnapshot) -> StripeCustomer:
    """Create the client's customer, or update it. A create that may have reached Stripe
    before looks for it by the client's reference first; the create's key is the reference
    plus what is sent, so two computers creating one client at once get one customer."""
    if snap.customer_id is not None:
        key = idempotency_key(snap.ref, f"update-customer-{_digest(snap.revision, snap.draft)}")
        return await gateway.update_customer(snap.customer_id, snap.draft, idempotency_key=key)
    if snap.maybe_created:
        earlier = await gateway.find_customer_by_metadata(CLIENT_REF_KEY, snap.ref)
        if earlier is not None:
            return await _update_found(gateway, snap, earlier)
    key = idempotency_key(snap.ref, f"create-customer-{_digest(snap.draft)}")
    for attempt in range(_IN_USE_TRIES):
        try:
            return await gateway.create_customer(snap.draft, idempotency_key=key)
        except IdempotencyConflict:
            # The key was used for other content: look for what it made before giving up.
            earlier = await gateway.find_customer_by_metadata(CLIENT_REF_KEY, snap.ref)
            if earlier is None:
                raise
            return await _update_found(gateway, snap, earlier)
        except StripeUnavailable as exc:
            # Another computer's identical create is still running: its answer is ours.
            if exc.code != "idempotency_key_in_use" or attempt == _IN_USE_TRIES - 1:
                raise
            await asyncio.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


async def _update_found(
    gateway: StripeGateway, snap: ClientSnapshot, found: StripeCustomer
) -> StripeCustomer:
    key = idempotency_key(snap.ref, f"update-found-{_digest(snap.revision, snap.draft)}")
    return await gateway.update_customer(found.id, snap.draft, idempotency_key=key)
