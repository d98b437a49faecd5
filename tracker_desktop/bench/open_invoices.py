"""The sync benchmark's 1,000 open invoices, made in the simulator and on the desk."""

from __future__ import annotations

import asyncio
from typing import Any

from tracker_desktop.domain.invoice_state import InvoiceState


def open_many(desk: Any, gateway: Any, count: int) -> tuple[list[int], dict[int, str | None]]:
    """`count` invoices open in the simulator and on this desk, as a history of pushes
    and polls leaves them, made faster than one push each: created and finalized
    through the gateway, saved through the bulk repository, the poll cursor at the
    newest event. Returns their ids and payment pages."""
    from tracker_desktop.db.engine import session_scope
    from tracker_desktop.db.repositories import sync as sync_repo
    from tracker_desktop.db.repositories.invoice_bulk import (
        BulkInvoice,
        BulkLine,
        insert_invoices,
    )
    from tracker_desktop.domain.money import Money
    from tracker_desktop.domain.stripe_types import CustomerDraft, LineDraft

    def line(n: int) -> str:
        return f"Rolex Daytona 116500LN, serial BENCH{n:05d}"

    async def create(n: int, customer_id: str) -> Any:
        key = f"bench-open-{n}"
        made = await gateway.create_invoice(
            customer_id=customer_id,
            currency="USD",
            days_until_due=14,
            tracker_invoice_id=key,
            idempotency_key=f"{key}:create",
        )
        lines = [LineDraft(line(n), Money(2_950_000, "USD"))]
        await gateway.add_lines(made.id, lines, idempotency_key=f"{key}:lines")
        return await gateway.finalize_invoice(made.id, idempotency_key=f"{key}:finalize")

    async def create_all() -> list[Any]:
        buyer = CustomerDraft(name="Bench Collector", email="collector@example.com")
        customer = await gateway.create_customer(buyer, idempotency_key="bench-customer")
        made: list[Any] = []
        for start in range(0, count, 25):
            batch = range(start, min(start + 25, count))
            made.extend(await asyncio.gather(*(create(n, customer.id) for n in batch)))
        return made

    remote = desk.run(create_all(), timeout=1800)
    local = [
        BulkInvoice(
            currency="USD",
            state=InvoiceState.OPEN,
            customer_name="Bench Collector",
            customer_email="collector@example.com",
            number=inv.number,
            total_minor=inv.total,
            amount_remaining_minor=inv.amount_remaining,
            due_at=inv.due_date,
            finalized_at=inv.finalized_at,
            stripe_invoice_id=inv.id,
            lines=(BulkLine(line(n), inv.total),),
        )
        for n, inv in enumerate(remote)
    ]
    with session_scope(desk.sessions, write=True) as session:
        ids = insert_invoices(session, desk.profile_id, local)
    hosted = {i: inv.hosted_invoice_url for i, inv in zip(ids, remote, strict=True)}
    newest = desk.run(gateway.list_events(limit=1)).events[0]
    with session_scope(desk.sessions, write=True) as session:
        state = sync_repo.get_sync_state(session, desk.profile_id)
        state.events_cursor = newest.id
        state.cursor_created = int(newest.created.timestamp())
        state.last_poll_at = state.last_reconcile_at = desk.now()
    return ids, hosted
