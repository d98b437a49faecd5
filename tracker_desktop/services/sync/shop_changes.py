"""Changes made on one workstation, heard on the others of a shop sharing a PostgreSQL database.

Every InvoicesChanged, WatchesChanged and ClientsChanged published here is sent to the others
(db.shop_link.ChangeChannel, NOTIFY on the database worker), and what the others send is
published here as the same event, so their pages reload as for a change made here. Nothing
is read while nothing changes. A heard event is not sent on again. On SQLite this does nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sqlalchemy import Engine

from tracker_desktop.db.shop_link import ChangeChannel, shared
from tracker_desktop.services.events import (
    ClientsChanged,
    EventHub,
    InvoicesChanged,
    WatchesChanged,
)
from tracker_desktop.services.offload import Offload

log = logging.getLogger(__name__)

ShopEvent = InvoicesChanged | WatchesChanged | ClientsChanged
_KINDS: dict[str, type[ShopEvent]] = {
    "invoices": InvoicesChanged,
    "watches": WatchesChanged,
    "clients": ClientsChanged,
}


class ShopChanges:
    def __init__(self, engine: Engine, hub: EventHub, offload: Offload) -> None:
        self._engine = engine
        self._hub = hub
        self._offload = offload
        self._channel = ChangeChannel(engine)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._echoing = False
        self._sending: set[asyncio.Future[None]] = set()
        self._unsubscribes: list[Callable[[], None]] = []

    def start(self) -> None:
        if not shared(self._engine) or self._loop is not None:
            return
        self._loop = asyncio.get_running_loop()
        self._unsubscribes = [
            self._hub.subscribe(event_type, self._on_change) for event_type in _KINDS.values()
        ]
        self._channel.listen(self._heard)

    async def stop(self) -> None:
        for unsubscribe in self._unsubscribes:
            unsubscribe()
        self._unsubscribes = []
        if self._sending:
            await asyncio.gather(*self._sending, return_exceptions=True)
        if self._loop is not None:
            await asyncio.get_running_loop().run_in_executor(None, self._channel.close)
            self._loop = None

    def _on_change(self, event: ShopEvent) -> None:
        # Published on the loop or on the database worker: send from the loop, off it.
        if self._echoing or self._loop is None:
            return
        kind = next(k for k, t in _KINDS.items() if isinstance(event, t))
        self._loop.call_soon_threadsafe(self._send, kind, event.profile_id)

    def _send(self, kind: str, profile_id: int) -> None:
        sending = asyncio.ensure_future(
            self._offload(lambda: self._channel.notify(kind, profile_id))
        )
        self._sending.add(sending)
        sending.add_done_callback(self._sending.discard)

    def _heard(self, kind: str, profile_id: int) -> None:
        loop = self._loop
        if loop is not None and kind in _KINDS:
            loop.call_soon_threadsafe(self._republish, kind, profile_id)

    def _republish(self, kind: str, profile_id: int) -> None:
        self._echoing = True
        try:
            self._hub.publish(_KINDS[kind](profile_id))
        finally:
            self._echoing = False
