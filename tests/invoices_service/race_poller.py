"""A poller in a process of its own, as a second window or workstation runs one: its own engine
on the shared SQLite file, its own gateway to the simulator, its own clock.

    python race_poller.py DATABASE_URL API_BASE KEY PROFILE_ID

Reads commands from stdin, one per line, and answers each with one JSON line on stdout:
`poll OFFSET_SECONDS` polls once with the clock at real time + offset and answers
{"requests", "events_applied", "invoices_changed"} or {"error"}; `quit` ends it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys

from tracker_desktop.db.engine import make_engine, make_session_factory
from tracker_desktop.domain.errors import TrackerError
from tracker_desktop.services.sync.poller import Poller
from tracker_desktop.stripe_gateway import StripeGateway


async def serve(url: str, api_base: str, key: str, profile_id: int) -> None:
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    offset = dt.timedelta(0)

    def clock() -> dt.datetime:
        return dt.datetime.now(dt.UTC) + offset

    loop = asyncio.get_running_loop()
    try:
        async with StripeGateway(key, api_base=api_base, timeout=30, max_network_retries=0) as gw:
            poller = Poller(sessions, lambda _pid: gw, profile_id, clock=clock)
            print(json.dumps({"ready": True}), flush=True)
            while True:
                line = (await loop.run_in_executor(None, sys.stdin.readline)).split()
                if not line or line[0] == "quit":
                    return
                offset = dt.timedelta(seconds=float(line[1]))
                try:
                    result = await poller.poll_now()
                except TrackerError as exc:
                    print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}), flush=True)
                    continue
                answer = {
                    "requests": result.requests,
                    "events_applied": result.events_applied,
                    "invoices_changed": result.invoices_changed,
                }
                print(json.dumps(answer), flush=True)
    finally:
        engine.dispose()


if __name__ == "__main__":
    db_url, base, api_key, profile = sys.argv[1:5]
    asyncio.run(serve(db_url, base, api_key, int(profile)))
