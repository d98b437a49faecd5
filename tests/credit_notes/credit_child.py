"""A credit note issued in its own process, for the kill tests: the app's service on the
test's SQLite file and simulator. Prints `begin` just before it asks (flushed) and `done`.

    python credit_child.py <database url> <api base> <profile id> <invoice id> <case> [hang]
The Stripe key comes in the environment, as TRACKER_TEST_KEY, never on the command line.
With `hang`, the simulator applies the credit note and holds its answer back, so a kill
lands after Stripe made it: the lost-answer case.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import urllib.request

from tracker_desktop.db.engine import make_engine, make_session_factory
from tracker_desktop.domain.money import Money
from tracker_desktop.services.credit.credit_note_service import CreditNoteService
from tracker_desktop.services.credit.values import CreditLineRequest, CreditReason, CreditRequest
from tracker_desktop.stripe_gateway import StripeGateway

STRAP_PART = (CreditLineRequest(1, Money(9_000, "USD")),)
REQUESTS = {
    "whole": CreditRequest(CreditReason.ORDER_CHANGE, restock=frozenset({0})),
    "line": CreditRequest(CreditReason.DUPLICATE, lines=STRAP_PART),
}


def main() -> None:
    url, api_base, profile_id, invoice_id, case = sys.argv[1:6]
    hang = len(sys.argv) > 6
    sessions = make_session_factory(make_engine(url))
    if hang:
        fault = {"next": 1, "kinds": ["timeout"], "phase": "after", "methods": ["POST"],
                 "path_prefix": "/v1/credit_notes", "timeout_seconds": 30}  # fmt: skip
        request = urllib.request.Request(  # noqa: S310 - the test's own simulator
            f"{api_base}/_sandbox/faults",
            data=json.dumps(fault).encode(),
            headers={"Content-Type": "application/json"},
        )
        urllib.request.urlopen(request, timeout=5).close()  # noqa: S310

    async def run() -> None:
        key = os.environ["TRACKER_TEST_KEY"]
        async with StripeGateway(key, api_base=api_base, timeout=20, max_network_retries=0) as gw:
            service = CreditNoteService(sessions, lambda _pid: gw)
            print("begin", flush=True)
            await service.issue(int(profile_id), int(invoice_id), REQUESTS[case])
        print("done", flush=True)

    asyncio.run(run())


if __name__ == "__main__":
    main()
