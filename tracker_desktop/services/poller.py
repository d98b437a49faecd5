"""Stripe -> local status by polling events, since a desktop has no address for webhooks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.services.events import EventHub
from tracker_desktop.stripe_gateway import StripeGateway


@dataclass(frozen=True, slots=True)
class PollIntervals:
    fast: float = 3.0  # seconds, while a payment page is open in the browser
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
    ) -> None:
        raise NotImplementedError

    def start(self) -> None:
        raise NotImplementedError

    async def stop(self) -> None:
        raise NotImplementedError

    def go_fast(self, minutes: float = 10.0) -> None:
        raise NotImplementedError

    async def poll_now(self) -> PollResult:
        """Poll once now (also what the loop calls); raises nothing the loop cannot handle."""
        raise NotImplementedError
