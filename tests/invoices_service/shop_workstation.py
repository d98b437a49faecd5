"""One workstation of a shop, in a process of its own: the app's SyncSupervisor (and so its
poller election and change channel) and InvoiceService on the shared database, with its own
gateway to the simulator.

    python shop_workstation.py DATABASE_URL API_BASE KEY PROFILE_ID

Prints one JSON line per thing the test watches: {"ready"}, {"polled": events applied} after
each of its polls, {"heard": kind} for each change it hears of, and {"pushed"/"refused": id}
for `push ID` read from stdin. `quit` (or the end of stdin) stops it cleanly.
"""

from __future__ import annotations

import asyncio
import json
import sys

from tracker_desktop.db.engine import make_engine, make_session_factory
from tracker_desktop.domain.errors import TrackerError
from tracker_desktop.services.events import (
    ClientsChanged,
    EventHub,
    InvoicesChanged,
    PollFinished,
    WatchesChanged,
)
from tracker_desktop.services.invoicing.invoice_service import InvoiceService
from tracker_desktop.services.sync import supervisor as supervisor_module
from tracker_desktop.services.sync.poller import PollIntervals
from tracker_desktop.services.sync.supervisor import SyncSupervisor
from tracker_desktop.stripe_gateway import StripeGateway


def say(**fields: object) -> None:
    print(json.dumps(fields), flush=True)


async def serve(url: str, api_base: str, key: str, profile_id: int) -> None:
    supervisor_module.ELECTION_EVERY = 0.3  # the test waits for a takeover: keep it short
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    hub = EventHub()
    loop = asyncio.get_running_loop()
    async with StripeGateway(key, api_base=api_base, timeout=30, max_network_retries=2) as gw:
        sync = SyncSupervisor(
            sessions,
            lambda _pid: gw,
            hub,
            lambda: (profile_id, True),
            intervals=PollIntervals(fast=0.1, slow=0.2, backoff_start=0.1),
        )
        hub.subscribe(PollFinished, lambda e: say(polled=e.invoices_changed))
        for kind, event_type in (
            ("invoices", InvoicesChanged),
            ("watches", WatchesChanged),
            ("clients", ClientsChanged),
        ):
            hub.subscribe(event_type, lambda _e, k=kind: say(heard=k))
        service = InvoiceService(sessions, lambda _pid: gw, hub)
        sync.start()
        say(ready=True)
        try:
            while True:
                line = (await loop.run_in_executor(None, sys.stdin.readline)).split()
                if not line or line[0] == "quit":
                    return
                invoice_id = int(line[1])
                try:
                    await service.push(profile_id, invoice_id)
                except TrackerError as exc:
                    say(refused=invoice_id, why=type(exc).__name__)
                else:
                    say(pushed=invoice_id)
        finally:
            await sync.stop()
            engine.dispose()


if __name__ == "__main__":
    db_url, base, api_key, profile = sys.argv[1:5]
    asyncio.run(serve(db_url, base, api_key, int(profile)))
