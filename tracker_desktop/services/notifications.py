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
from tracker_desktop.domain.money import Money
from tracker_desktop.services.events import EventHub, PollFinished
from tracker_desktop.services.offload import Offload, in_thread

log = logging.getLogger(__name__)

HEADLINES = {"paid": "Paid", "payment_failed": "Payment failed", "overdue": "Overdue"}


@dataclass(frozen=True, slots=True)
class Notice:
    profile_id: int
    invoice_id: int
    kind: str  # "paid", "payment_failed", "overdue"
    client: str
    amount: Money  # paid: what arrived; otherwise what is still owed
    number: str | None
    reason: str = ""  # Stripe's words for a failed payment

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
            return repo.notices_after(session, profile_id, after)


def _notice(profile_id: int, entry: repo.TimelineNotice) -> Notice:
    minor = entry.paid_minor if entry.kind == "paid" else entry.remaining_minor
    return Notice(
        profile_id=profile_id,
        invoice_id=entry.invoice_id,
        kind=entry.kind,
        client=entry.customer_name,
        amount=Money(minor, entry.currency),
        number=entry.number,
        reason=entry.detail if entry.kind == "payment_failed" else "",
    )
