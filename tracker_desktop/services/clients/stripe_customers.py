"""A client's Stripe customer: create or update it, unlink it, refresh its payment method, and
send what could not be sent while Stripe was unreachable.

What is sent and how a create is made at most once (the idempotency keys) is in
customer_send.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.repositories import contacts as repo
from tracker_desktop.db.repositories import contacts_sync
from tracker_desktop.domain.errors import (
    GatewayError,
    NotFound,
    TrackerError,
    ValidationError,
)
from tracker_desktop.domain.stripe_types import StripeCustomer
from tracker_desktop.services.clients.client_service import ClientDetails, details
from tracker_desktop.services.clients.customer_send import (
    ClientSnapshot,
    send_customer,
    take_snapshot,
)
from tracker_desktop.services.events import ClientsChanged, EventHub
from tracker_desktop.services.profiles.stripe_access import PRACTICE, GatewayProvider
from tracker_desktop.stripe_gateway import StripeGateway

log = logging.getLogger(__name__)


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
        self._changed(profile_id)
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
        self._changed(profile_id)
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

    async def _send(self, gateway: StripeGateway, snap: ClientSnapshot) -> StripeCustomer:
        return await send_customer(gateway, snap)

    # -- bookkeeping ----------------------------------------------------------------------

    def _snapshot(self, profile_id: int, client_id: int, *, mark_attempt: bool) -> ClientSnapshot:
        return take_snapshot(self._sessions, profile_id, client_id, mark_attempt=mark_attempt)

    def _record_success(
        self, profile_id: int, snap: ClientSnapshot, customer: StripeCustomer
    ) -> None:
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
        self._changed(profile_id)

    def _record_failure(self, profile_id: int, snap: ClientSnapshot, exc: GatewayError) -> None:
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
        self._changed(profile_id)

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

    def _changed(self, profile_id: int) -> None:
        if self._hub is not None:
            self._hub.publish(ClientsChanged(profile_id))
