"""A client's Stripe customer: create or update it, unlink it, refresh its payment method, and
send what could not be sent while Stripe was unreachable.

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
import logging
import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Contact
from tracker_desktop.db.repositories import contacts as repo
from tracker_desktop.db.repositories import contacts_sync
from tracker_desktop.domain.errors import (
    GatewayError,
    IdempotencyConflict,
    NotFound,
    StripeUnavailable,
    TrackerError,
    ValidationError,
)
from tracker_desktop.domain.stripe_types import CustomerDraft, StripeCustomer
from tracker_desktop.domain.validation import PostalAddress
from tracker_desktop.services import events
from tracker_desktop.services.clients.client_service import ClientDetails, details
from tracker_desktop.services.events import EventHub
from tracker_desktop.services.profiles.stripe_access import PRACTICE, GatewayProvider
from tracker_desktop.stripe_gateway import StripeGateway, idempotency_key

log = logging.getLogger(__name__)

CLIENT_ID_KEY = "tracker_client_id"
# Tries of a create whose identical twin (same key) is still running at Stripe.
_IN_USE_TRIES = 5
CLIENT_REF_KEY = "tracker_client_ref"
_REF_NAMESPACE = uuid.UUID("5b0d6f0e-8a53-4c39-9a57-0c1e3f7f2a61")

DASHBOARD = "https://dashboard.stripe.com"


def dashboard_url(customer_id: str, *, livemode: bool) -> str:
    """Where the dealer sees this customer in the Stripe Dashboard (test or live)."""
    return (
        f"{DASHBOARD}/customers/{customer_id}"
        if livemode
        else (f"{DASHBOARD}/test/customers/{customer_id}")
    )


@dataclass(frozen=True, slots=True)
class StripeLinkMode:
    """Which Stripe the active profile talks to: "live", "test" or "practice"."""

    mode: str

    def customer_url(self, customer_id: str) -> str | None:
        if self.mode == "practice":
            return None  # the simulator has no Dashboard
        return dashboard_url(customer_id, livemode=self.mode == "live")


@dataclass(frozen=True, slots=True)
class PendingReport:
    synced: int = 0
    failed: int = 0
    error: str | None = None  # why the run stopped early (Stripe unreachable, no key)


@dataclass(frozen=True, slots=True)
class _Snapshot:
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
) -> _Snapshot:
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
        return _Snapshot(
            id=contact.id,
            ref=ref,
            revision=contact.updated_at.isoformat(),
            draft=_draft(contact, ref),
            customer_id=contact.stripe_customer_id,
            maybe_created=maybe_created,
        )


async def send_customer(gateway: StripeGateway, snap: _Snapshot) -> StripeCustomer:
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
    gateway: StripeGateway, snap: _Snapshot, found: StripeCustomer
) -> StripeCustomer:
    key = idempotency_key(snap.ref, f"update-found-{_digest(snap.revision, snap.draft)}")
    return await gateway.update_customer(found.id, snap.draft, idempotency_key=key)


class ClientCustomers:
    """Each client's one Stripe customer, for the invoice push: made at most once whatever
    the faults (a lost answer is looked up before re-creating; concurrent pushes for one
    client wait for each other here, and share one key across computers)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._locks: dict[tuple[int, int], asyncio.Lock] = {}

    async def ensure(self, gateway: StripeGateway, profile_id: int, client_id: int) -> str:
        """The client's Stripe customer id, made now if it has none."""
        lock = self._locks.setdefault((profile_id, client_id), asyncio.Lock())
        async with lock:
            snap = take_snapshot(self._sessions, profile_id, client_id, mark_attempt=True)
            if snap.customer_id is not None:
                return snap.customer_id
            customer = await send_customer(gateway, snap)
            with session_scope(self._sessions, write=True) as session:
                contact = repo.get_contact(session, profile_id, client_id)
                if contact is None:
                    raise ValidationError("That client no longer exists.")
                if contact.stripe_customer_id is None:
                    contacts_sync.set_sync_fields(
                        session,
                        profile_id,
                        client_id,
                        stripe_customer_id=customer.id,
                        payment_method_summary=customer.payment_method_summary,
                        needs_sync=contact.updated_at.isoformat() != snap.revision,
                        sync_error=None,
                    )
                    return customer.id
                if contact.stripe_customer_id != customer.id:
                    log.warning("client %s was linked meanwhile; keeping that link", client_id)
                return contact.stripe_customer_id


class ClientSync:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        gateways: GatewayProvider,
        hub: EventHub | None = None,
    ) -> None:
        self._sessions = session_factory
        self._gateways = gateways
        self._hub = hub
        # Clients being sent right now: the pending sync leaves them to the running push.
        self._in_flight: set[tuple[int, int]] = set()

    # -- what the window asks ---------------------------------------------------------------

    def link_mode(self, profile_id: int) -> StripeLinkMode:
        """Raises NoStripeKey (and friends) when the profile cannot reach Stripe yet."""
        if self._profile_kind(profile_id) == PRACTICE:
            return StripeLinkMode("practice")
        gateway = self._gateways.gateway(profile_id)
        return StripeLinkMode("live" if gateway.livemode else "test")

    def unlink(self, profile_id: int, client_id: int) -> ClientDetails:
        """Forget the link locally. The Stripe customer stays as it is."""
        with session_scope(self._sessions, write=True) as session:
            contacts_sync.set_sync_fields(
                session,
                profile_id,
                client_id,
                stripe_customer_id=None,
                payment_method_summary=None,
                needs_sync=False,
                sync_error=None,
            )
        self._changed()
        return self._details(profile_id, client_id)

    async def push(self, profile_id: int, client_id: int) -> ClientDetails:
        """Create the client's Stripe customer, or send the client's current details to it.

        A retryable failure (offline, 5xx, 429) marks the client "needs sync" and re-raises;
        the pending sync sends it later. A refusal keeps the local data, records Stripe's
        reason and re-raises (its `param` names the field when Stripe says)."""
        gateway = self._gateways.gateway(profile_id)
        snap = self._snapshot(profile_id, client_id, mark_attempt=True)
        self._in_flight.add((profile_id, client_id))
        try:
            customer = await self._send(gateway, snap)
        except GatewayError as exc:
            self._record_failure(profile_id, snap, exc)
            raise
        finally:
            self._in_flight.discard((profile_id, client_id))
        self._record_success(profile_id, snap, customer)
        return self._details(profile_id, client_id)

    async def refresh(self, profile_id: int, client_id: int) -> ClientDetails:
        """Read the customer back for its saved payment method ("Visa ending 4242")."""
        gateway = self._gateways.gateway(profile_id)
        found = self._details(profile_id, client_id)
        if found.stripe_customer_id is None:
            raise ValidationError("This client is not linked to a Stripe customer.")
        customer = await gateway.retrieve_customer(found.stripe_customer_id)
        with session_scope(self._sessions, write=True) as session:
            contacts_sync.set_sync_fields(
                session,
                profile_id,
                client_id,
                payment_method_summary=customer.payment_method_summary,
            )
        self._changed()
        return self._details(profile_id, client_id)

    async def sync_pending(self, profile_id: int) -> PendingReport:
        """Send every client marked "needs sync". Stops at the first sign Stripe is away."""
        with session_scope(self._sessions) as session:
            pending = contacts_sync.pending_sync_ids(session, profile_id)
        synced = failed = 0
        for client_id in pending:
            if (profile_id, client_id) in self._in_flight:
                continue
            try:
                await self.push(profile_id, client_id)
            except GatewayError as exc:
                if exc.retryable:
                    return PendingReport(synced, failed + 1, str(exc))
                failed += 1
            except TrackerError as exc:  # no key, no simulator, client gone
                return PendingReport(synced, failed, str(exc))
            else:
                synced += 1
        return PendingReport(synced, failed)

    async def _send(self, gateway: StripeGateway, snap: _Snapshot) -> StripeCustomer:
        return await send_customer(gateway, snap)

    # -- bookkeeping ----------------------------------------------------------------------

    def _snapshot(self, profile_id: int, client_id: int, *, mark_attempt: bool) -> _Snapshot:
        return take_snapshot(self._sessions, profile_id, client_id, mark_attempt=mark_attempt)

    def _record_success(self, profile_id: int, snap: _Snapshot, customer: StripeCustomer) -> None:
        with session_scope(self._sessions, write=True) as session:
            contact = repo.get_contact(session, profile_id, snap.id)
            if contact is None:
                return  # deleted locally meanwhile; the Stripe customer stays
            values: dict[str, object] = {
                "payment_method_summary": customer.payment_method_summary,
                "sync_error": None,
            }
            if contact.stripe_customer_id is None and snap.customer_id is None:
                values["stripe_customer_id"] = customer.id
            elif contact.stripe_customer_id != customer.id:
                return  # unlinked or relinked meanwhile: that choice wins
            # An edit made while this one was on its way still needs sending.
            values["needs_sync"] = contact.updated_at.isoformat() != snap.revision
            contacts_sync.set_sync_fields(session, profile_id, snap.id, **values)
        self._changed()

    def _record_failure(self, profile_id: int, snap: _Snapshot, exc: GatewayError) -> None:
        if exc.retryable:
            values: dict[str, object] = {"needs_sync": True, "sync_error": str(exc)}
        elif isinstance(exc, NotFound) and snap.customer_id is not None:
            message = (
                f"Stripe has no customer {snap.customer_id} for this key (deleted, or made "
                "with another account or mode). Unlink the client, then create it again."
            )
            values = {"needs_sync": False, "sync_error": message}
        else:
            values = {"needs_sync": False, "sync_error": str(exc)}
        with session_scope(self._sessions, write=True) as session:
            contacts_sync.set_sync_fields(session, profile_id, snap.id, **values)
        log.info("client %s not synced: %s", snap.id, type(exc).__name__)
        self._changed()

    def _details(self, profile_id: int, client_id: int) -> ClientDetails:
        with session_scope(self._sessions) as session:
            contact = repo.get_contact(session, profile_id, client_id)
            if contact is None:
                raise ValidationError("That client no longer exists.")
            return details(contact)

    def _profile_kind(self, profile_id: int) -> str | None:
        from tracker_desktop.db.models import Profile

        with session_scope(self._sessions) as session:
            profile = session.get(Profile, profile_id)
            return profile.kind if profile is not None else None

    def _changed(self) -> None:
        if self._hub is not None:
            self._hub.publish(events.DATA_CHANGED, kind="contacts")
