"""Stripe -> local status by polling events, since a desktop has no address for webhooks.

ARCHITECTURE.md "Poll": events newest first from the stored cursor (`ending_before`, paging
while has_more); the cursor trails the newest event by an overlap window on `created`, since
event ids are only roughly ordered; event ids already applied are skipped. Each touched
invoice is retrieved and applied whole (event_apply, a collaborator). Nothing new costs one
request.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import utcnow
from tracker_desktop.db.repositories import sync as sync_repo
from tracker_desktop.domain.errors import (
    GatewayError,
    InvalidRequest,
    NotFound,
    Offline,
    RateLimited,
    StripeUnavailable,
    TrackerError,
)
from tracker_desktop.domain.stripe_types import StripeEvent
from tracker_desktop.services.events import (
    Event,
    EventHub,
    InvoicesChanged,
    PollFinished,
    SyncStatus,
    WatchesChanged,
)
from tracker_desktop.services.invoicing import push_recovery
from tracker_desktop.services.offload import Offload, in_thread
from tracker_desktop.services.sync.event_apply import EventApplier, RequestCounter
from tracker_desktop.stripe_gateway import StripeGateway

log = logging.getLogger(__name__)

INVOICE_EVENTS = (
    "invoice.created",
    "invoice.finalized",
    "invoice.updated",
    "invoice.sent",
    "invoice.paid",
    "invoice.payment_succeeded",
    "invoice.payment_failed",
    "invoice.payment_action_required",
    "invoice.voided",
    "invoice.marked_uncollectible",
    "invoice.overdue",
    # Stripe says "processing" only on the PaymentIntent, which no longer names its invoice:
    # such an event makes the poll re-read the open invoices' payment attempts.
    "payment_intent.processing",
    *("credit_note.created", "credit_note.voided"),  # services/credit/credit_sync
)
OVERLAP = dt.timedelta(minutes=5)
EVENT_WINDOW = dt.timedelta(days=30)
MAX_PAGES = 50
RECONCILE_EVERY = dt.timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class PollIntervals:
    fast: float = 1.0  # seconds, while a payment page is open in the browser
    slow: float = 60.0
    backoff_start: float = 5.0  # after a 429 / while offline, doubled up to backoff_max
    backoff_max: float = 300.0


@dataclass(frozen=True, slots=True)
class PollResult:
    requests: int  # Stripe requests made by this poll
    events_applied: int
    invoices_changed: int


class Poller:
    """Polls one profile's Stripe events on the running asyncio loop (qasync in the app).

    `start()` catches up at once then keeps polling; `go_fast(minutes)` after a payment page
    was opened; `poll_now()` for "Sync now"; `stop()` on shutdown or profile change.
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        gateway_for: Callable[[int], StripeGateway],
        profile_id: int,
        hub: EventHub | None = None,
        *,
        intervals: PollIntervals = PollIntervals(),
        clock: Callable[[], dt.datetime] | None = None,
        offload: Offload = in_thread,
    ) -> None:
        self._sessions = session_factory
        self._gateway_for = gateway_for
        self.profile_id = profile_id
        self._hub = hub
        self.intervals = intervals
        self._clock = clock or utcnow
        self._fast_until: dt.datetime | None = None
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._backoff = 0.0
        self._requests = RequestCounter()
        self._offload = offload  # the database work, off the GUI thread (services/offload)
        self._applier = EventApplier(
            session_factory, profile_id, self._clock, self._requests, offload
        )
        self._stopped = False

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._stopped = False
            self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        task, self._task = self._task, None
        self._stopped = True
        self._wake.set()
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def go_fast(self, minutes: float = 10.0) -> None:
        self._fast_until = self._clock() + dt.timedelta(minutes=minutes)
        self._wake.set()

    @property
    def fast(self) -> bool:
        return self._fast_until is not None and self._clock() < self._fast_until

    def next_delay(self) -> float:
        if self._backoff:
            return self._backoff
        return self.intervals.fast if self.fast else self.intervals.slow

    async def _run(self) -> None:
        while not self._stopped:
            try:
                await self.poll_now()
            except (RateLimited, Offline, StripeUnavailable):
                pass  # poll_now set the backoff and said so
            except GatewayError:
                pass
            except TrackerError as exc:  # no key in the keychain, keychain locked, ...
                self._say(f"Not syncing: {exc}", ok=False)
            except Exception:  # a bug must not end syncing for the session
                log.exception("poll failed")
            if self._stopped:
                return
            self._wake.clear()
            # asyncio.wait, not wait_for: on 3.11 wait_for can swallow a cancel that races
            # with the wake-up, and the loop would never stop.
            waiter = asyncio.ensure_future(self._wake.wait())
            try:
                await asyncio.wait({waiter}, timeout=self.next_delay())
            finally:
                waiter.cancel()

    # -- one poll -------------------------------------------------------------------------

    async def poll_now(self) -> PollResult:
        """Poll once now. Publishes SyncStatus, and PollFinished after what changed; GatewayErrors
        are raised after backoff is set."""
        async with self._lock:
            self._requests.count = 0
            try:
                result = await self._poll()
            except (RateLimited, Offline, StripeUnavailable) as exc:
                start, top = self.intervals.backoff_start, self.intervals.backoff_max
                self._backoff = min(top, self._backoff * 2) if self._backoff else start
                word = {RateLimited: "Stripe is busy", Offline: "Offline"}.get(
                    type(exc), "Stripe is unavailable"
                )
                self._say(f"{word} — retrying in {self._backoff:.0f} s", ok=False)
                message = str(exc)
                await self._offload(lambda: self._note_error(message))
                raise
            except GatewayError as exc:
                self._say(f"Sync failed: {exc}", ok=False)
                failure = str(exc)
                await self._offload(lambda: self._note_error(failure))
                raise
            self._backoff = 0.0
            self._say(f"Synced {self._clock().astimezone().strftime('%H:%M')}", ok=True)
            if result.invoices_changed:  # a paid invoice sells its watch, a void frees it
                self._publish(InvoicesChanged(self.profile_id))
                self._publish(WatchesChanged(self.profile_id))
            self._publish(PollFinished(self.profile_id, result.invoices_changed))
            return result

    async def _poll(self) -> PollResult:
        now = self._clock()
        # A push whose run died is never left "Sending…": it offers Retry from here on.
        dead = await self._offload(
            lambda: push_recovery.release_dead_pushes(self._sessions, self.profile_id, now)
        )
        gw = self._gateway_for(self.profile_id)
        cursor, last_reconcile = await self._offload(self._cursor)
        events: list[StripeEvent] = []
        lost = cursor is None
        if cursor is not None:
            try:
                events = await self._since(gw, cursor)
            except (InvalidRequest, NotFound):
                lost = True  # the cursor aged out of Stripe's 30-day window
        if lost:
            events = await self._everything(gw)
        applied, outcome = await self._applier.apply_events(gw, events, now)
        changed = outcome.changed
        if lost and (last_reconcile is None or cursor is not None or
                     now - last_reconcile > RECONCILE_EVERY):  # fmt: skip
            changed += (await self._applier.reconcile_open(gw, now)).changed
        await self._offload(lambda: self._move_cursor(events, outcome.held, lost, now))
        return PollResult(self._requests.count, applied, changed + len(dead))

    def _cursor(self) -> tuple[str | None, dt.datetime | None]:
        with session_scope(self._sessions) as session:
            state = sync_repo.get_sync_state(session, self.profile_id)
            return state.events_cursor, state.last_reconcile_at

    async def _since(self, gw: StripeGateway, cursor: str) -> list[StripeEvent]:
        found: list[StripeEvent] = []
        before = cursor
        for _ in range(MAX_PAGES):
            page = await self._requests.call(
                gw.list_events(types=INVOICE_EVENTS, ending_before=before)
            )
            found.extend(page.events)
            if not page.has_more or not page.events:
                break
            before = page.events[0].id  # the newest of this page: page on toward now
        return found

    async def _everything(self, gw: StripeGateway) -> list[StripeEvent]:
        found: list[StripeEvent] = []
        after: str | None = None
        for _ in range(MAX_PAGES):
            page = await self._requests.call(
                gw.list_events(types=INVOICE_EVENTS, starting_after=after)
            )
            found.extend(page.events)
            if not page.has_more or not page.events:
                break
            after = page.events[-1].id
        return found

    def _move_cursor(
        self, events: list[StripeEvent], held: list[StripeEvent], lost: bool, now: dt.datetime
    ) -> None:
        # The newest event older than the overlap window: the next poll re-reads the
        # window (cheap, de-duplicated) so a late-listed event is not skipped. Never past an
        # event held for a fresh read of its invoice (event_apply): it must be listed again.
        settled = [e for e in events if e.created <= now - OVERLAP]
        if held:
            oldest_held = min(e.created for e in held)
            settled = [e for e in settled if e.created < oldest_held]
        newest = max(settled, key=lambda e: e.created, default=None)
        with session_scope(self._sessions, write=True) as session:
            state = sync_repo.get_sync_state(session, self.profile_id)
            if newest is not None:
                state.events_cursor = newest.id
                state.cursor_created = int(newest.created.timestamp())
            elif lost:
                state.events_cursor, state.cursor_created = None, None
            state.last_poll_at = now
            state.last_error = None
            if lost:
                state.last_reconcile_at = now
            sync_repo.prune_processed(
                session, self.profile_id, int((now - EVENT_WINDOW).timestamp()) - 86400
            )

    # -- telling the windows --------------------------------------------------------------

    def _say(self, text: str, *, ok: bool) -> None:
        self._publish(SyncStatus(text, ok))

    def _publish(self, event: Event) -> None:
        if self._hub is not None:
            self._hub.publish(event)

    def _note_error(self, message: str) -> None:
        with session_scope(self._sessions, write=True) as session:
            sync_repo.get_sync_state(session, self.profile_id).last_error = message
