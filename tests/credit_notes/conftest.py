"""Credit notes on the invoice service's fixtures: a real SQLite file migrated as the app does
it, a profile with its own simulator account, the simulator over real HTTP (one server for
the package). `Credits` runs CreditNoteService coroutines on a fresh loop, as one app session
would, and reads what Stripe holds."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
from invoices_service.conftest import Env, draft

from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.stripe_types import StripeCreditNote
from tracker_desktop.sandbox import Sandbox
from tracker_desktop.services.credit.credit_note_service import CreditNoteService
from tracker_desktop.services.credit.credit_pdfs import CreditNotePdfs

T = TypeVar("T")
PRICE = 1_250_000
STRAP = 40_000


@pytest.fixture(scope="package")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(port=0) as sb:
        yield sb


@dataclass
class Credits:
    env: Env
    pdf_dir: Any
    serials: int = 0

    def run(self, body: Callable[[CreditNoteService], Awaitable[T]]) -> T:
        async def main() -> T:
            async with self.env.gateway() as gw:
                pdfs = CreditNotePdfs(self.env.sessions, self.pdf_dir, lambda _pid: gw)
                service = CreditNoteService(
                    self.env.sessions, lambda _pid: gw, self.env.hub, self.env.now, pdfs=pdfs
                )
                result = await body(service)
                await pdfs.drain()
                return result

        return asyncio.run(main())

    @property
    def service(self) -> CreditNoteService:
        def no_gateway(_pid: int) -> Any:
            raise AssertionError("a query must not reach Stripe")

        return CreditNoteService(self.env.sessions, no_gateway, self.env.hub, self.env.now)

    def stripe_notes(self, stripe_invoice_id: str) -> list[StripeCreditNote]:
        async def body() -> list[StripeCreditNote]:
            async with self.env.gateway() as gw:
                return await gw.list_credit_notes(stripe_invoice_id)

        return asyncio.run(body())

    def refunds_made(self) -> int:
        """refund.created events of this account: one per refund Stripe made."""

        async def body() -> int:
            async with self.env.gateway() as gw:
                page = await gw.list_events(types=["refund.created"])
                return len(page.events)

        return asyncio.run(body())

    def open_invoice(self, watch: bool = True) -> tuple[int, int | None]:
        """A pushed (open) invoice of a watch and a strap; returns (invoice id, watch id)."""
        env = self.env
        self.serials += 1
        watch_id = env.add_watch(f"CN-{env.key[-8:]}-{self.serials}") if watch else None
        inv_id = env.service.save_draft(
            env.profile_id,
            draft(("Rolex Submariner Date 126610LN", PRICE, watch_id), ("Strap", STRAP, None)),
        )
        env.run(lambda s: s.push(env.profile_id, inv_id))
        return inv_id, watch_id

    def paid_invoice(self, *, wire: bool = False) -> tuple[int, int | None]:
        """An invoice paid by card on its page (and polled), or recorded as paid by wire."""
        env = self.env
        inv_id, watch_id = self.open_invoice()
        if wire:
            env.run(lambda s: s.record_wire(env.profile_id, inv_id, "UBS ref 4471-A"))
        else:
            stripe_id = env.service.get(env.profile_id, inv_id).stripe_invoice_id or ""
            env.sb.pay_as_buyer(stripe_id)
            env.run(lambda s: s.refresh(env.profile_id, inv_id))
        assert env.service.get(env.profile_id, inv_id).state is InvoiceState.PAID
        return inv_id, watch_id

    def stripe_id(self, inv_id: int) -> str:
        return self.env.service.get(self.env.profile_id, inv_id).stripe_invoice_id or ""


@pytest.fixture
def credits(env: Env, tmp_path: Any) -> Credits:
    return Credits(env, tmp_path / "pdfs")


__all__ = ["Env", "env"]
from invoices_service.conftest import env  # noqa: E402
