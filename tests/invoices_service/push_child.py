"""A push run as its own process, for the kill tests: the app's services on the test's SQLite
file and simulator. Prints `step <name>` as each step starts (flushed), `done` at the end.

    python push_child.py <database url> <api base> <profile id> <invoice ids> [hang-at step]
Invoice ids are comma-separated, pushed concurrently. The Stripe key comes in the
environment, as TRACKER_TEST_KEY, never on the command line.
With a hang-at step, that step's request is applied by the simulator and its answer held
back (its fault controls), so a kill lands after Stripe applied it: the lost-answer case.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import urllib.request

from tracker_desktop.db.engine import make_engine, make_session_factory
from tracker_desktop.services.invoicing.invoice_service import InvoiceService, PushStep
from tracker_desktop.stripe_gateway import StripeGateway


def main() -> None:
    url, api_base, profile_id = sys.argv[1], sys.argv[2], int(sys.argv[3])
    invoice_ids = [int(i) for i in sys.argv[4].split(",")]
    hang_at = sys.argv[5] if len(sys.argv) > 5 else None
    sessions = make_session_factory(make_engine(url))

    def say(step: PushStep) -> None:
        if step.value == hang_at:
            fault = {"next": 1, "kinds": ["timeout"], "phase": "after", "methods": ["POST"],
                     "timeout_seconds": 30}  # fmt: skip
            request = urllib.request.Request(  # noqa: S310 - the test's own simulator
                f"{api_base}/_sandbox/faults",
                data=json.dumps(fault).encode(),
                headers={"Content-Type": "application/json"},
            )
            urllib.request.urlopen(request, timeout=5).close()  # noqa: S310
        print(f"step {step.value}", flush=True)

    async def run() -> None:
        key = os.environ["TRACKER_TEST_KEY"]
        async with StripeGateway(key, api_base=api_base, timeout=20, max_network_retries=0) as gw:
            service = InvoiceService(sessions, lambda _pid: gw)
            print("begin", flush=True)
            await asyncio.gather(*(service.push(profile_id, i, say) for i in invoice_ids))
        print("done", flush=True)

    asyncio.run(run())


if __name__ == "__main__":
    main()
