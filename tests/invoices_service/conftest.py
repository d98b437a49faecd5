"""The invoice service on the shared fixtures: a real SQLite file migrated like the app does it
(`db`) and a profile with its own simulator account (`sim_profile`, a fresh key per test, so
counts and events are its own); here one simulator serves the whole package.
Coroutines run with asyncio.run, one loop per call, with a gateway made inside that loop.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest
from postgres_server import run_on_both_backends
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.models import Invoice, Watch
from tracker_desktop.db.repositories.contacts import ContactFields, add_contact
from tracker_desktop.db.repositories.watches import WatchFields, add_watch
from tracker_desktop.domain.money import Money
from tracker_desktop.sandbox import Sandbox
from tracker_desktop.services.events import Event, EventHub
from tracker_desktop.services.invoicing.invoice_service import (
    DraftInput,
    DraftLineInput,
    InvoiceService,
)
from tracker_desktop.services.sync.poller import Poller, PollIntervals
from tracker_desktop.stripe_gateway import StripeGateway

T = TypeVar("T")


@pytest.fixture(scope="package")
def sandbox() -> Iterator[Sandbox]:
    """Overrides the per-module simulator: one server for the package (clock, faults and
    request counters shared; accounts are per key)."""
    with Sandbox(port=0) as sb:
        yield sb


@dataclass
class Env:
    sb: Sandbox
    key: str
    sessions: sessionmaker[Session]
    profile_id: int
    hub: EventHub = field(default_factory=EventHub)
    published: list[Event] = field(default_factory=list)
    timeout: float = 10.0
    retries: int = 0
    clock_offset: dt.timedelta = dt.timedelta(0)

    def sync_clock(self) -> None:
        # The simulator's clock is real time moved on by whole seconds.
        ahead = self.sb.now() - dt.datetime.now(dt.UTC).timestamp()
        self.clock_offset = dt.timedelta(seconds=math.ceil(ahead))

    def advance(self, delta: dt.timedelta) -> None:
        """Move Stripe's clock (due dates, key expiry, event expiry) and the app's with it."""
        self.sb.advance_clock(int(delta.total_seconds()))
        self.sync_clock()

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.clock_offset

    def gateway(self) -> StripeGateway:
        return StripeGateway(
            self.key,
            api_base=self.sb.base_url,
            timeout=self.timeout,
            max_network_retries=self.retries,
        )

    def run(self, body: Callable[[InvoiceService], Awaitable[T]]) -> T:
        """Run a service coroutine on a fresh loop, as one app session would."""

        async def main() -> T:
            async with self.gateway() as gw:
                service = InvoiceService(self.sessions, lambda _pid: gw, self.hub, self.now)
                return await body(service)

        return asyncio.run(main())

    def poll(self, poller_body: Callable[[Poller], Awaitable[T]] | None = None) -> T | Any:
        async def main() -> Any:
            async with self.gateway() as gw:
                poller = Poller(
                    self.sessions,
                    lambda _pid: gw,
                    self.profile_id,
                    self.hub,
                    intervals=PollIntervals(fast=0.01, slow=0.05, backoff_start=0.01),
                    clock=self.now,
                )
                if poller_body is None:
                    return await poller.poll_now()
                return await poller_body(poller)

        return asyncio.run(main())

    @property
    def service(self) -> InvoiceService:
        """For the synchronous queries (no Stripe)."""

        def no_gateway(_pid: int) -> StripeGateway:
            raise AssertionError("a query must not reach Stripe")

        return InvoiceService(self.sessions, no_gateway, self.hub, self.now)

    def add_watch(self, serial: str, price_minor: int = 1_250_000, currency: str = "USD") -> int:
        with self.sessions() as s, s.begin():
            w = add_watch(
                s,
                self.profile_id,
                WatchFields(
                    brand="Rolex",
                    model="Submariner Date",
                    serial=serial,
                    currency=currency,
                    reference="126610LN",
                    asking_price_minor=price_minor,
                ),
            )
            return w.id

    def add_client(self, name: str = "Ada Lovelace", email: str = "ada@example.com") -> int:
        with self.sessions() as s, s.begin():
            return add_contact(
                s, self.profile_id, ContactFields(name=name, email=email, country="GB")
            ).id

    def watch_status(self, watch_id: int) -> str:
        with self.sessions() as s:
            watch = s.get(Watch, watch_id)
            assert watch is not None
            return watch.status

    def invoice_row(self, invoice_id: int) -> Invoice:
        with self.sessions() as s:
            inv = s.scalar(select(Invoice).where(Invoice.id == invoice_id))
            assert inv is not None
            return inv

    def stripe_customer_count(self) -> int:
        async def body() -> int:
            async with self.gateway() as gw:
                page = await gw.list_customers(limit=100)
                return len(page.customers)

        return asyncio.run(body())

    def stripe_customers(self) -> list[Any]:
        async def body() -> list[Any]:
            async with self.gateway() as gw:
                found, after = [], None
                while True:
                    page = await gw.list_customers(starting_after=after)
                    found.extend(page.customers)
                    if not page.has_more:
                        return found
                    after = page.customers[-1].id

        return asyncio.run(body())

    def stripe_invoices(self) -> list[Any]:
        async def body() -> list[Any]:
            async with self.gateway() as gw:
                found, after = [], None
                while True:
                    page = await gw.list_invoices(starting_after=after)
                    found.extend(page.invoices)
                    if not page.has_more:
                        return found
                    after = page.invoices[-1].id

        return asyncio.run(body())


def draft(
    *lines: tuple[str, int, int | None],
    currency: str = "USD",
    contact_id: int | None = None,
    name: str = "Grace Hopper",
    email: str = "grace@example.com",
) -> DraftInput:
    """lines: (description, unit price in minor units, watch id or None)."""
    return DraftInput(
        currency=currency,
        lines=[DraftLineInput(d, 1, Money(p, currency), w) for d, p, w in lines],
        contact_id=contact_id,
        customer_name="" if contact_id else name,
        customer_email="" if contact_id else email,
        days_until_due=14,
        memo="Thank you for your purchase",
        footer="Wire details on request",
    )


@pytest.fixture
def env(sandbox: Sandbox, db: Any, sim_profile: Any) -> Iterator[Env]:
    e = Env(sandbox, sim_profile.key, db.sessions, sim_profile.id)
    # Earlier tests may have moved the simulator's clock on: the app's clock follows it.
    e.sync_clock()
    e.hub.subscribe_all(e.published.append)
    yield e
    sandbox.clear_faults()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    run_on_both_backends(metafunc)
