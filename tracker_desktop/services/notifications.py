"""Telling the dealer when money arrives, a payment fails or an invoice falls overdue.

After each poll that moved invoices (`PollFinished`), the timeline entries written since the
last look are read (db/repositories/notices) on the offload, never on the GUI thread, and
each becomes a `Notice` handed to the listeners (the window's tray icon or banner). Entries
older than the app's start are not news: the first look starts after the newest one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.repositories import notices as repo
from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.money import Money
from tracker_desktop.services.events import EventHub, PollFinished
from tracker_desktop.services.invoicing.state_moves import TIMELINE_FOR
from tracker_desktop.services.offload import Offload, in_thread

log = logging.getLogger(__name__)

# The timeline entries worth telling (the kinds state_moves and event_apply write).
PAID_ENTRY = TIMELINE_FOR[InvoiceState.PAID][0]
NOTICE_KINDS = (PAID_ENTRY, "payment_failed", "overdue")
HEADLINES = dict(zip(NOTICE_KINDS, ("Paid", "Payment failed", "Overdue"), strict=True))


@dataclass(frozen=True, slots=True)
class Notice:
    profile_id: int
    invoice_id: int
    kind: str  # one of NOTICE_KINDS
    client: str
    amount: Money  # paid: what arrived; otherwise what is still owed
    number: str | None
    reason: str = ""  # Stripe's words for a failed payment

    @property
    def paid(self) -> bool:
        return self.kind == PAID_ENTRY

    @property
    def headline(self) -> str:
        return f"{HEADLINES[self.kind]}: {self.client or 'a one-off buyer'}"


NoticeListener = Callable[[Notice], object]


class PaymentNotices:
    def __init__(
        self, session_factory: sessionmaker[Session], hub: EventHub, offload: Offload = in_thread
    ) -> None:
        self._sessions = session_factory
        self._offload = offload
        self._listeners: list[NoticeListener] = []
        self._seen: int | None = None  # the newest timeline entry already looked at
        self._tasks: set[asyncio.Task[list[Notice]]] = set()
        self._looking = asyncio.Lock()  # two polls in quick succession tell each entry once
        self._unsubscribe = hub.subscribe(PollFinished, self._poll_finished)

    def listen(self, listener: NoticeListener) -> None:
        self._listeners.append(listener)

    async def start(self) -> None:
        """Everything in the timelines so far is old news."""
        seen = await self._offload(self._last_id)
        if self._seen is None:
            self._seen = seen

    def close(self) -> None:
        self._unsubscribe()
        for task in self._tasks:
            task.cancel()

    def _last_id(self) -> int:
        with self._sessions() as session:
            return repo.last_entry_id(session)

    def _poll_finished(self, event: PollFinished) -> None:
        if event.invoices_changed:
            task = asyncio.ensure_future(self.look(event.profile_id))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def look(self, profile_id: int) -> list[Notice]:
        """Tell the listeners what happened to the profile's invoices since the last look."""
        async with self._looking:
            if self._seen is None:
                await self.start()
            after = self._seen or 0
            entries = await self._offload(lambda: self._read(profile_id, after))
            if entries:
                self._seen = max(after, *(e.entry_id for e in entries))
        told = [_notice(profile_id, e) for e in entries if not e.recorded_by_dealer]
        for notice in told:
            for listener in list(self._listeners):
                try:
                    listener(notice)
                except Exception:  # one broken listener must not silence the others
                    log.exception("notice listener failed")
        return told

    def _read(self, profile_id: int, after: int) -> list[repo.TimelineNotice]:
        with self._sessions() as session:
            return repo.notices_after(session, profile_id, after, NOTICE_KINDS)


def _notice(profile_id: int, entry: repo.TimelineNotice) -> Notice:
    minor = entry.paid_minor if entry.kind == PAID_ENTRY else entry.remaining_minor
    return Notice(
        profile_id=profile_id,
        invoice_id=entry.invoice_id,
        kind=entry.kind,
        client=entry.customer_name,
        amount=Money(minor, entry.currency),
        number=entry.number,
        reason=entry.detail if entry.kind == "payment_failed" else "",
    )
