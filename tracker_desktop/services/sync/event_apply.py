"""Applying polled Stripe events: each touched invoice retrieved and applied whole.

Poller (poller.py) holds one EventApplier for its profile and hands it the listed events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Invoice
from tracker_desktop.db.repositories import sync as sync_repo
from tracker_desktop.db.repositories.invoices import get_invoice_by_stripe_id, get_invoice_by_uuid
from tracker_desktop.domain.errors import NotFound
from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.stripe_types import (
    INVOICE_DRAFT,
    INVOICE_OPEN,
    StripeCustomer,
    StripeEvent,
    StripeInvoice,
    StripeInvoicePayment,
)
from tracker_desktop.services.credit.credit_sync import OBJECT_TYPE as CREDIT_NOTE
from tracker_desktop.services.credit.credit_sync import CreditNoteEvents
from tracker_desktop.services.invoicing import state_moves
from tracker_desktop.services.invoicing.stripe_state import apply_remote, import_remote
from tracker_desktop.services.offload import Offload, in_thread
from tracker_desktop.stripe_gateway import StripeGateway

T = TypeVar("T")
# Re-read without events of their own: what Stripe may still change, and failed pushes
# whose finalize may have reached it.
STRIPE_MAY_CHANGE = (InvoiceState.OPEN, InvoiceState.UNCOLLECTIBLE, InvoiceState.PUSH_FAILED)

# Event types that write their own timeline entry (state moves write theirs).
TIMELINE_EVENTS = {"invoice.sent": "sent", "invoice.payment_failed": "payment_failed",
                   "invoice.overdue": "overdue"}  # fmt: skip


# Two pollers on one database (two windows, two workstations), and why none loses an update:
# - An event is marked processed in the same transaction as the snapshot read for it, and
#   that snapshot was requested after the event was listed, so it already shows the event.
# - The snapshot written last cannot undo a newer one (stripe_state: a status left behind
#   changes nothing, amounts only move forward, the flags need a newer fetch time). If it was
#   not written because it is older, the invoice already holds a newer snapshot, which shows
#   the event too, and the event is marked as well.
# - The one doubt is an older snapshot whose payment flags disagree with the invoice: the
#   writer's clock may be behind the other poller's, and its news newer. Then its events are
#   left unmarked and held: the cursor stays before them (`_move_cursor`), so the next poll,
#   of either poller, lists them again and reads the invoice afresh. Nothing is skipped
#   for having been seen by a reader whose copy was not applied.
# - The cursor is last-writer-wins: a poller moves it only past events it listed and marked
#   (or found marked), so moving it back costs a re-read at most, never an event.
# - Left to the clocks: a writer whose clock is ahead and whose answer came late can set a
#   payment flag back (never a status or an amount) until the invoice's next event.


@dataclass(slots=True)
class Outcome:
    changed: int = 0
    # Events not marked processed because their invoice must be read again.
    held: list[StripeEvent] = field(default_factory=list)
    # An invoice read without events of its own must be read again.
    read_again: bool = False


class RequestCounter:
    """Counts the Stripe requests of one poll (PollResult.requests)."""

    def __init__(self) -> None:
        self.count = 0

    async def call(self, coro: Awaitable[T]) -> T:
        self.count += 1
        return await coro


class EventApplier:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        profile_id: int,
        clock: Callable[[], dt.datetime],
        requests: RequestCounter,
        offload: Offload = in_thread,
    ) -> None:
        self._sessions = session_factory
        self.profile_id = profile_id
        self._clock = clock
        self._requests = requests
        self._offload = offload  # every statement runs there, never on the GUI thread
        self._credit_notes = CreditNoteEvents(session_factory, profile_id, requests, offload)

    async def apply_events(
        self, gw: StripeGateway, events: list[StripeEvent], now: dt.datetime
    ) -> tuple[int, Outcome]:
        done = await self._offload(lambda: self._processed_ids([e.id for e in events]))
        fresh = [e for e in events if e.id not in done and e.object_type == "invoice"]
        by_invoice: dict[str, list[StripeEvent]] = {}
        # Oldest first, so the timeline gets its entries in Stripe's order when it can; it is
        # ordered by Stripe's time anyway, whatever order the events are applied in.
        for event in sorted(fresh, key=lambda e: (e.created, e.id)):
            if event.object_id:
                by_invoice.setdefault(event.object_id, []).append(event)
        outcome = Outcome()
        for stripe_id, its_events in by_invoice.items():
            changed, held = await self._apply_invoice(gw, stripe_id, its_events, now)
            outcome.changed += changed
            if held:
                outcome.held.extend(its_events)
        others = [e for e in events if e.id not in done and e.object_type != "invoice"]
        # After their invoices (an open one credited to 0 is paid by then): credit notes.
        credits = [e for e in others if e.object_type == CREDIT_NOTE]
        others = [e for e in others if e.object_type != CREDIT_NOTE]
        outcome.changed += await self._credit_notes.apply(gw, credits)
        debits = [e.created for e in others if e.type == "payment_intent.processing"]
        if debits:
            reread = await self.reconcile_open(
                gw, now, skip=set(by_invoice), stripe_time=max(debits)
            )
            outcome.changed += reread.changed
            if reread.read_again:
                outcome.held.extend(others)  # a debit's news may not be in yet: read again
                others = []
        await self._offload(lambda: self._mark(others))
        return len(fresh), outcome

    def _processed_ids(self, ids: list[str]) -> set[str]:
        with self._sessions() as session:
            return set(sync_repo.processed_ids(session, self.profile_id, ids))

    def _mark(self, events: list[StripeEvent]) -> None:
        if not events:
            return
        with session_scope(self._sessions, write=True) as session:
            for event in events:
                sync_repo.mark_processed(
                    session, self.profile_id, event.id, int(event.created.timestamp())
                )

    async def _apply_invoice(
        self,
        gw: StripeGateway,
        stripe_id: str,
        its_events: list[StripeEvent],
        now: dt.datetime,
        stripe_time: dt.datetime | None = None,
    ) -> tuple[int, bool]:
        """Read one invoice from Stripe and apply it with its events. Returns (changed, held):
        held when the events are left for a later read (see the note above). `stripe_time`:
        Stripe's time of the newest event behind this read, when it is not one of its own."""
        if its_events:
            stripe_time = max(e.created for e in its_events)
        fetched_at = self._clock()  # before the request: Stripe's answer is at least as new
        try:
            remote = await self._requests.call(gw.retrieve_invoice(stripe_id))
        except NotFound:
            # A draft deleted since (an edit took it back, or the Dashboard): nothing to apply.
            await self._offload(lambda: self._mark(its_events))
            return 0, False
        payments = None
        if remote.status == INVOICE_OPEN:
            payments = await self._requests.call(gw.list_invoice_payments(stripe_id))
        customer = None
        known, ours = await self._offload(lambda: self._known(stripe_id, remote))
        if not known and not ours and remote.status != INVOICE_DRAFT and remote.customer_id:
            customer = await self._requests.call(gw.retrieve_customer(remote.customer_id))
        return await self._offload(
            lambda: self._write(
                stripe_id,
                remote,
                ours,
                customer,
                payments,
                its_events,
                now,
                fetched_at,
                stripe_time,
            )
        )

    def _known(self, stripe_id: str, remote: StripeInvoice) -> tuple[bool, bool]:
        """Whether this database holds the invoice by Stripe's id, and by our own id."""
        with self._sessions() as session:
            known = get_invoice_by_stripe_id(session, self.profile_id, stripe_id) is not None
            ours = bool(remote.tracker_invoice_id) and (
                get_invoice_by_uuid(session, self.profile_id, remote.tracker_invoice_id or "")
                is not None
            )
        return known, ours

    def _write(
        self,
        stripe_id: str,
        remote: StripeInvoice,
        ours: bool,
        customer: StripeCustomer | None,
        payments: list[StripeInvoicePayment] | None,
        its_events: list[StripeEvent],
        now: dt.datetime,
        fetched_at: dt.datetime,
        stripe_time: dt.datetime | None,
    ) -> tuple[int, bool]:
        """Apply one invoice read from Stripe, with its events, in one transaction."""
        with session_scope(self._sessions, write=True) as session:
            invoice = get_invoice_by_stripe_id(session, self.profile_id, stripe_id)
            if invoice is None and remote.tracker_invoice_id:
                invoice = get_invoice_by_uuid(session, self.profile_id, remote.tracker_invoice_id)
                # A push in progress finishes its own work; a failed one is adopted once
                # Stripe has finalized it (its answer was lost). Its events stay unmarked, so
                # a poll within the overlap window reads it again.
                if invoice is not None and (
                    invoice.state == InvoiceState.PUSHING or remote.status == INVOICE_DRAFT
                ):
                    return 0, False
            changed = 0
            if invoice is None and not ours and its_events:
                invoice = import_remote(
                    session, self.profile_id, remote, customer, now, fetched_at=fetched_at
                )
                changed += invoice is not None
            elif invoice is not None:
                applied = apply_remote(
                    session,
                    invoice,
                    remote,
                    now,
                    payments,
                    fetched_at=fetched_at,
                    stripe_time=stripe_time,
                )
                changed += applied.moved
                if not applied.current:
                    return changed, True
            if invoice is not None:
                for event in its_events:
                    self._timeline(session, invoice, event, remote.last_error_message)
            for event in its_events:
                sync_repo.mark_processed(
                    session, self.profile_id, event.id, int(event.created.timestamp())
                )
            return (1 if invoice is not None and (changed or its_events) else 0), False

    def _timeline(
        self, session: Session, invoice: Invoice, event: StripeEvent, reason: str | None
    ) -> None:
        kind = TIMELINE_EVENTS.get(event.type)
        if kind is None:
            return
        detail = (
            (invoice.payment_failed_message or reason or "") if kind == "payment_failed" else ""
        )
        state_moves.add_timeline(session, invoice, kind, event.created, detail, event.id)

    async def reconcile_open(
        self,
        gw: StripeGateway,
        now: dt.datetime,
        skip: set[str] | None = None,
        stripe_time: dt.datetime | None = None,
    ) -> Outcome:
        """Without events of their own: retrieve every invoice Stripe may still change."""
        ids = await self._offload(self._reopenable_ids)
        outcome = Outcome()
        for stripe_id in ids:
            if stripe_id and stripe_id not in (skip or set()):
                changed, held = await self._apply_invoice(gw, stripe_id, [], now, stripe_time)
                outcome.changed += changed
                outcome.read_again |= held
        return outcome

    def _reopenable_ids(self) -> list[str | None]:
        with self._sessions() as session:
            return list(
                session.scalars(
                    select(Invoice.stripe_invoice_id).where(
                        Invoice.profile_id == self.profile_id,
                        Invoice.state.in_(STRIPE_MAY_CHANGE),
                        Invoice.stripe_invoice_id.is_not(None),
                    )
                )
            )
