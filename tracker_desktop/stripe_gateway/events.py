"""Event listing and the invoice PDF download of the gateway."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar
from urllib.parse import urlsplit

import httpx
from stripe.params import EventListParams

from tracker_desktop.domain.errors import (
    GatewayError,
    InvalidRequest,
    NotFound,
    Offline,
    StripeUnavailable,
)
from tracker_desktop.domain.stripe_types import EventPage
from tracker_desktop.stripe_gateway import mapping
from tracker_desktop.stripe_gateway.core import PAGE_LIMIT, GatewayCore, log
from tracker_desktop.stripe_gateway.errors import OFFLINE_MESSAGE, UNAVAILABLE_MESSAGE

T = TypeVar("T")
A = TypeVar("A")


def in_reading_thread(read: Callable[[A], T], arg: A) -> asyncio.Future[T]:
    """Runs a blocking read in a daemon thread of its own and returns its future.

    Not the loop's default executor: under qasync that is a QThread pool, and a QThread
    still alive when the process ends aborts it. Not a ThreadPoolExecutor either: Python
    joins its workers at exit, so a read still waiting on a slow or lost network would hold
    the closed app for the whole timeout and its retries. A daemon thread is dropped.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, problem: BaseException | None) -> None:
        if future.done():  # cancelled meanwhile: nobody waits for it
            return
        if problem is not None:
            future.set_exception(problem)
        else:
            future.set_result(result)  # type: ignore[arg-type]  # T when there is no problem

    def work() -> None:
        result: T | None = None
        problem: BaseException | None = None
        try:
            result = read(arg)
        except BaseException as exc:  # handed to the awaiting coroutine, raised there
            problem = exc
        # The loop closed while the read waited: the app is ending and nobody waits.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle, result, problem)

    threading.Thread(target=work, name="tracker-events", daemon=True).start()
    return future


class EventCalls(GatewayCore):
    async def list_events(
        self,
        *,
        types: Sequence[str] = (),
        ending_before: str | None = None,
        starting_after: str | None = None,
        created_gte: datetime | None = None,
        limit: int = PAGE_LIMIT,
    ) -> EventPage:
        """One page of events, newest first. Cursors are exclusive, as in Stripe."""
        params: EventListParams = {"limit": max(1, min(limit, PAGE_LIMIT))}
        if types:
            params["types"] = list(types)
        if ending_before:
            params["ending_before"] = ending_before
        if starting_after:
            params["starting_after"] = starting_after
        if created_gte is not None:
            params["created"] = {"gte": int(created_gte.timestamp())}
        # A page of up to 100 events, each with its whole invoice, takes the SDK a good part
        # of a second to turn into objects on a slow machine: in a thread, not on the loop
        # (which is the GUI thread), so the window keeps answering while a busy poll reads.
        page = await self._call(
            "GET",
            "/v1/events",
            lambda: in_reading_thread(self._client.v1.events.list, params),
        )
        return EventPage([mapping.event(e) for e in page.data], page.has_more)

    # -- the invoice PDF -----------------------------------------------------------------

    async def download_invoice_pdf(self, invoice_pdf_url: str) -> bytes:
        """The PDF behind `invoice_pdf`. The link needs no key, so none is sent with it."""
        self._check_pdf_url(invoice_pdf_url)
        path = urlsplit(invoice_pdf_url).path
        started = time.monotonic()
        failure: GatewayError | None = None
        content = b""
        try:
            async with httpx.AsyncClient(
                timeout=httpx.Timeout(self._timeout * 2, connect=min(self._timeout, 10.0)),
                follow_redirects=True,
            ) as client:
                response = await client.get(invoice_pdf_url)
            if response.status_code in (404, 410):
                failure = NotFound("Stripe has no PDF at this link any more.")
            elif response.status_code >= 500:
                failure = StripeUnavailable(UNAVAILABLE_MESSAGE)
            elif response.status_code >= 400:
                failure = GatewayError(
                    f"Stripe refused the invoice PDF download ({response.status_code})."
                )
            else:
                content = response.content
        except (httpx.HTTPError, OSError):
            failure = Offline(OFFLINE_MESSAGE)
        elapsed_ms = (time.monotonic() - started) * 1000
        if failure is not None:
            log.warning("GET %s failed: %s %.0f ms", path, type(failure).__name__, elapsed_ms)
            raise failure
        if not content.startswith(b"%PDF"):
            raise GatewayError("Stripe's invoice PDF link did not return a PDF.")
        log.debug("GET %s %d bytes %.0f ms", path, len(content), elapsed_ms)
        return content

    def _check_pdf_url(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme == "https" and parts.hostname:
            return
        # Plain http only towards the simulator this gateway already talks to.
        base = urlsplit(self.api_base) if self.api_base else None
        if parts.scheme == "http" and base is not None and parts.hostname == base.hostname:
            return
        raise InvalidRequest("This is not an invoice PDF link from Stripe.", param="invoice_pdf")
