"""push_requests_N_lines: Stripe requests one push makes for a new one-off customer, counted
at the simulator. All lines go in one add_lines call, so the count must not grow with N."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from tracker_desktop.bench import Result
from tracker_desktop.db.engine import make_engine, make_session_factory
from tracker_desktop.db.migrate import prepare_database
from tracker_desktop.db.repositories.profiles import create_profile
from tracker_desktop.domain.money import Money
from tracker_desktop.sandbox import Sandbox
from tracker_desktop.services.invoicing.invoice_service import (
    DraftInput,
    DraftLineInput,
    InvoiceService,
)
from tracker_desktop.stripe_gateway import StripeGateway

SIZES = (1, 10, 50)


def _requests_for_one_push(sb: Sandbox, folder: Path, lines: int) -> int:
    db_file = folder / f"bench-{lines}.sqlite3"
    url = f"sqlite:///{db_file}"
    prepare_database(url, db_file, folder / "backups")
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with sessions() as s, s.begin():
        profile_id = create_profile(s, "Bench").id
    key = Sandbox.new_key()

    async def push() -> None:
        async with StripeGateway(key, api_base=sb.base_url) as gw:
            service = InvoiceService(sessions, lambda _pid: gw)
            inv_id = service.save_draft(
                profile_id,
                DraftInput(
                    currency="USD",
                    lines=[
                        DraftLineInput(f"Line {n}", 1, Money(10_000 + n, "USD"))
                        for n in range(lines)
                    ],
                    customer_name="Bench Buyer",
                    customer_email="bench@example.com",
                ),
            )
            await service.push(profile_id, inv_id)

    before = sb.request_count()
    asyncio.run(push())
    engine.dispose()
    return sb.request_count() - before


def run() -> list[Result]:
    results = []
    with Sandbox(port=0) as sb, tempfile.TemporaryDirectory() as tmp:
        for lines in SIZES:
            count = _requests_for_one_push(sb, Path(tmp), lines)
            results.append(Result(f"push_requests_{lines}_lines", count, "requests", "<= 5"))
    return results


if __name__ == "__main__":
    for r in run():
        r.emit()
