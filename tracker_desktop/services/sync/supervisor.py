"""Keeps exactly one Poller running: the active profile's, when it can reach Stripe.

It restarts the poller when the dealer switches profile or changes the key, and stops it
when the profile has no key (the status bar then says why instead of failing every minute).
On a shared PostgreSQL database one workstation polls each profile for the whole shop: it
holds the profile's poller lock (db.shop_link), which the others try every ELECTION_EVERY
and take over once its holder is gone; they hear its changes through ShopChanges.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.models import utcnow
from tracker_desktop.db.shop_link import PollerLock, shared
from tracker_desktop.services.events import (
    EventHub,
    InvoicesChanged,
    ProfileEdited,
    ProfileSwitched,
    SyncStatus,
)
from tracker_desktop.services.invoicing import push_recovery
from tracker_desktop.services.offload import Offload, in_thread
from tracker_desktop.services.sync.poller import Poller, PollIntervals, PollResult
from tracker_desktop.services.sync.shop_changes import ShopChanges
from tracker_desktop.stripe_gateway import StripeGateway

log = logging.getLogger(__name__)

ELECTION_EVERY = 2.0  # seconds between a follower's tries for the lead (no Stripe request)
FOLLOWING = "Synced by another workstation of the shop"

# (profile id, whether it may poll: it has a key or is a running Practice profile)
ActiveProfile = Callable[[], tuple[int | None, bool]]


class SyncSupervisor:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        gateway_for: Callable[[int], StripeGateway],
        hub: EventHub,
        active: ActiveProfile,
        *,
        intervals: PollIntervals | None = None,
        offload: Offload = in_thread,
    ) -> None:
        self._sessions = session_factory
        self._offload = offload
        self._gateway_for = gateway_for
        self._hub = hub
        self._active = active
        self._intervals = intervals or PollIntervals()
        self.poller: Poller | None = None
        self._restart_task: asyncio.Task[None] | None = None
        self._engine = session_factory.kw["bind"]
        self._lock: PollerLock | None = None
        self._election: asyncio.Task[None] | None = None
        self.shop = ShopChanges(self._engine, hub, offload)
        self._unsubscribes = (
            hub.subscribe(ProfileSwitched, self._on_profile),
            hub.subscribe(ProfileEdited, self._on_profile),
        )

    def start(self) -> None:
        self.shop.start()
        self._schedule_restart()

    def _on_profile(self, _event: ProfileSwitched | ProfileEdited) -> None:
        self._schedule_restart()  # a switch, or a new key: _restart keeps a poller that fits

    def _schedule_restart(self) -> None:
        previous = self._restart_task
        self._restart_task = asyncio.ensure_future(self._restart(previous))

    async def _restart(self, previous: asyncio.Task[None] | None) -> None:
        if previous is not None and not previous.done():
            await asyncio.gather(previous, return_exceptions=True)
        profile_id, can_poll = self._active()
        current = self.poller
        if current is not None and current.profile_id == profile_id and can_poll:
            return  # same profile, still reachable: keep its cursor and rhythm
        if current is not None:
            self.poller = None
            await current.stop()
        await self._stand_down()
        if profile_id is None:
            self._say("No profile", ok=True)
            return
        # Even with no key to poll with, a push whose run died must not stay "Sending…".
        released = await self._offload(
            lambda: push_recovery.release_dead_pushes(self._sessions, profile_id, utcnow())
        )
        if released:
            self._hub.publish(InvoicesChanged(profile_id))
        if not can_poll:
            # Why not is the profile's connection, shown beside this in the status bar.
            self._say("Not syncing: not connected to Stripe", ok=False)
            return
        lock = self._lock = PollerLock(self._engine, profile_id)
        if await self._offload(lock.try_lead):
            self._start_poller(profile_id)
        else:
            self._say(FOLLOWING, ok=True)
        if shared(self._engine):
            self._election = asyncio.ensure_future(self._keep_elected(lock, profile_id))

    def _start_poller(self, profile_id: int) -> None:
        poller = Poller(
            self._sessions,
            self._gateway_for,
            profile_id,
            self._hub,
            intervals=self._intervals,
            offload=self._offload,
        )
        self.poller = poller
        poller.start()  # catches up at once, then keeps polling

    async def _keep_elected(self, lock: PollerLock, profile_id: int) -> None:
        while True:
            await asyncio.sleep(ELECTION_EVERY)
            leading = await self._offload(lock.try_lead)
            if leading and self.poller is None:
                log.info("this workstation now polls profile %s", profile_id)
                self._start_poller(profile_id)
            elif not leading and self.poller is not None:
                poller, self.poller = self.poller, None
                await poller.stop()
                self._say(FOLLOWING, ok=True)

    async def _stand_down(self) -> None:
        """Stop trying for the lead, and free it for another workstation."""
        election, self._election = self._election, None
        if election is not None:
            election.cancel()
            await asyncio.gather(election, return_exceptions=True)
        lock, self._lock = self._lock, None
        if lock is not None and lock.leading:
            await self._offload(lock.resign)

    def go_fast(self, minutes: float = 10.0) -> None:
        """After a payment page was opened: check every few seconds for a while."""
        if self.poller is not None:
            self.poller.go_fast(minutes)

    async def poll_now(self) -> PollResult | None:
        """For "Sync now". Failures are already shown in the status bar by the poller."""
        if self.poller is None:
            return None
        try:
            return await self.poller.poll_now()
        except Exception:
            log.info("manual sync did not complete", exc_info=True)
            return None

    async def stop(self) -> None:
        for unsubscribe in self._unsubscribes:
            unsubscribe()
        if self._restart_task is not None:
            await asyncio.gather(self._restart_task, return_exceptions=True)
        if self.poller is not None:
            poller, self.poller = self.poller, None
            await poller.stop()
        await self._stand_down()
        await self.shop.stop()

    def _say(self, text: str, *, ok: bool) -> None:
        self._hub.publish(SyncStatus(text, ok))
