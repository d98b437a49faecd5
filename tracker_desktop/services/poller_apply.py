"""Applying polled Stripe events: each touched invoice retrieved and applied whole.

Poller (poller.py) builds on this base; it sets the attributes declared here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Invoice
from tracker_desktop.db.repositories import sync as sync_repo
from tracker_desktop.db.repositories.invoices import get_invoice_by_stripe_id, get_invoice_by_uuid
from tracker_desktop.domain.errors import NotFound
from tracker_desktop.domain.stripe_types import INVOICE_OPEN, StripeEvent
from tracker_desktop.services import inventory_status
from tracker_desktop.services.invoice_sync import apply_remote, import_remote
from tracker_desktop.stripe_gateway import StripeGateway

T = TypeVar("T")

# Event types that write their own timeline entry (state moves write theirs).
TIMELINE_EVENTS = {"invoice.sent": "sent", "invoice.payment_failed": "payment_failed",
                   "invoice.overdue": "overdue"}  # fmt: skip


class EventApplier:
    # Set by Poller.__init__.
    _sessions: sessionmaker[Session]
    profile_id: int
    _requests: int

    async def _call(self, coro: Awaitable[T]) -> T:
        self._requests += 1
        return await coro

    async def _apply_events(
        self, gw: StripeGateway, events: list[StripeEvent], now: dt.datetime
    ) -> tuple[int, int]:
        with self._sessions() as session:
            done = sync_repo.processed_ids(session, self.profile_id, [e.id for e in events])
        fresh = [e for e in events if e.id not in done and e.object_type == "invoice"]
        by_invoice: dict[str, list[StripeEvent]] = {}
        for event in sorted(fresh, key=lambda e: e.created):
            if event.object_id:
                by_invoice.setdefault(event.object_id, []).append(event)
        changed = 0
        for stripe_id, its_events in by_invoice.items():
            changed += await self._apply_invoice(gw, stripe_id, its_events, now)
        if any(e.type == "payment_intent.processing" and e.id not in done for e in events):
            changed += await self._reconcile_open(gw, now, skip=set(by_invoice))
        with session_scope(self._sessions, write=True) as session:
            for event in events:
                if event.id not in done and event.object_type != "invoice":
                    sync_repo.mark_processed(
                        session, self.profile_id, event.id, int(event.created.timestamp())
                    )
        return len(fresh), changed

    async def _apply_invoice(
        self, gw: StripeGateway, stripe_id: str, its_events: list[StripeEvent], now: dt.datetime
    ) -> int:
        try:
            remote = await self._call(gw.retrieve_invoice(stripe_id))
        except NotFound:
            # A draft deleted since (an edit took it back, or the Dashboard): nothing to apply.
            with session_scope(self._sessions, write=True) as session:
                for event in its_events:
                    sync_repo.mark_processed(
                        session, self.profile_id, event.id, int(event.created.timestamp())
                    )
            return 0
        payments = None
        if remote.status == INVOICE_OPEN:
            payments = await self._call(gw.list_invoice_payments(stripe_id))
        customer = None
        with self._sessions() as session:
            known = get_invoice_by_stripe_id(session, self.profile_id, stripe_id)
            ours = bool(remote.tracker_invoice_id) and (
                get_invoice_by_uuid(session, self.profile_id, remote.tracker_invoice_id or "")
                is not None
            )
        if known is None and not ours and remote.status != "draft" and remote.customer_id:
            customer = await self._call(gw.retrieve_customer(remote.customer_id))
        with session_scope(self._sessions, write=True) as session:
            invoice = get_invoice_by_stripe_id(session, self.profile_id, stripe_id)
            if invoice is None and remote.tracker_invoice_id:
                invoice = get_invoice_by_uuid(session, self.profile_id, remote.tracker_invoice_id)
                # A push in progress finishes its own work; a failed one is adopted once
                # Stripe has finalized it (its answer was lost).
                if invoice is not None and (invoice.state == "pushing" or remote.status == "draft"):
                    invoice = None
                    its_events = []  # not marked processed: seen again once the push is done
            changed = 0
            if invoice is None and not ours and its_events:
                imported = import_remote(session, self.profile_id, remote, customer, now)
                changed += imported is not None
                invoice = imported
            elif invoice is not None:
                changed += apply_remote(session, invoice, remote, now, payments)
            if invoice is not None:
                for event in its_events:
                    self._timeline(session, invoice, event, remote.last_error_message)
            for event in its_events:
                sync_repo.mark_processed(
                    session, self.profile_id, event.id, int(event.created.timestamp())
                )
            return 1 if invoice is not None and (changed or its_events) else 0

    def _timeline(
        self, session: Session, invoice: Invoice, event: StripeEvent, reason: str | None
    ) -> None:
        kind = TIMELINE_EVENTS.get(event.type)
        if kind is None:
            return
        detail = (
            (invoice.payment_failed_message or reason or "") if kind == "payment_failed" else ""
        )
        inventory_status.add_timeline(session, invoice, kind, event.created, detail, event.id)

    async def _reconcile_open(
        self, gw: StripeGateway, now: dt.datetime, skip: set[str] | None = None
    ) -> int:
        """Without events to go by: retrieve every invoice Stripe may still change."""
        with self._sessions() as session:
            ids = list(
                session.scalars(
                    select(Invoice.stripe_invoice_id).where(
                        Invoice.profile_id == self.profile_id,
                        Invoice.state.in_(("open", "uncollectible", "push_failed")),
                        Invoice.stripe_invoice_id.is_not(None),
                    )
                )
            )
        changed = 0
        for stripe_id in ids:
            if stripe_id and stripe_id not in (skip or set()):
                changed += await self._apply_invoice(gw, stripe_id, [], now)
        return changed
