"""The gateway's core: the StripeClient for one key and the one place every call goes through."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Final, Self, TypeVar

import httpx
import stripe

from tracker_desktop.domain.errors import GatewayError, InvalidRequest
from tracker_desktop.stripe_gateway.errors import MODE_MISMATCH_MESSAGE, map_error
from tracker_desktop.stripe_gateway.keys import (
    MAX_IDEMPOTENCY_KEY_LENGTH,
    install_log_scrubber,
    key_kind,
)

log = logging.getLogger("tracker.stripe")
T = TypeVar("T")

DEFAULT_TIMEOUT: Final = 30.0
DEFAULT_RETRIES: Final = 2
PAGE_LIMIT: Final = 100


def _request_id(obj: object) -> str | None:
    response = getattr(obj, "last_response", None)
    value = getattr(response, "request_id", None)
    return value if isinstance(value, str) else None


def livemode_of(result: object) -> bool | None:
    """The mode an answer reports: an object's documented `livemode`, or a page's first item's.

    Accounts and empty pages carry none (None)."""
    if isinstance(result, stripe.ListObject | stripe.SearchResultObject):
        return livemode_of(result.data[0]) if result.data else None
    if isinstance(result, stripe.StripeObject) and "livemode" in result:
        return bool(result["livemode"])
    return None


def require_key(idempotency_key: str) -> stripe.RequestOptions:
    key = idempotency_key.strip()
    if not key or len(key) > MAX_IDEMPOTENCY_KEY_LENGTH:
        raise ValueError("every Stripe POST needs an idempotency key of 1..255 characters")
    return {"idempotency_key": key}


class GatewayCore:
    """Holds the client; the operation mixins and StripeGateway build on it."""

    def __init__(
        self,
        api_key: str,
        *,
        api_base: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_network_retries: int = DEFAULT_RETRIES,
    ) -> None:
        kind = key_kind(api_key)  # refuses pk_ and junk before anything is sent
        self.livemode: bool = kind.livemode
        self.restricted: bool = kind.restricted
        self.api_base = api_base.rstrip("/") if api_base else None
        self._timeout = timeout
        install_log_scrubber()
        # Sync methods too: the event list is read in a worker thread (events.py).
        self._http = stripe.HTTPXClient(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)), allow_sync_methods=True
        )
        self._client = stripe.StripeClient(
            api_key.strip(),
            http_client=self._http,
            max_network_retries=max_network_retries,
            base_addresses={"api": self.api_base} if self.api_base else None,
        )
        self._closed = False

    def __repr__(self) -> str:
        # Never any part of the key.
        mode = "live" if self.livemode else "test"
        return f"StripeGateway(mode={mode!r}, base={self.api_base or 'stripe'!r})"

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            await self._http.close_async()  # type: ignore[no-untyped-call]  # SDK leaves it untyped
            self._http.close()  # type: ignore[no-untyped-call]

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- the one place every call goes through ----------------------------------------------

    async def _call(self, method: str, path: str, op: Callable[[], Awaitable[T]]) -> T:
        """Runs a call, logs method/path/request id/duration, maps failures.

        The project error is raised outside the `except` block so it carries neither
        `__cause__` nor `__context__`: the SDK exception (with headers) goes no further.
        An answer whose `livemode` disagrees with the key's prefix is refused: the mode rests
        on those two documented facts only.
        """
        started = time.monotonic()
        failure: GatewayError | None = None
        try:
            result = await op()
        except (stripe.StripeError, httpx.HTTPError, OSError, TimeoutError) as exc:
            failure = map_error(exc)
        else:
            reported = livemode_of(result)
            if reported is not None and reported != self.livemode:
                failure = InvalidRequest(MODE_MISMATCH_MESSAGE, request_id=_request_id(result))
        elapsed_ms = (time.monotonic() - started) * 1000
        if failure is not None:
            log.warning(
                "%s %s failed: %s %s (%s) %.0f ms",
                method,
                path,
                type(failure).__name__,
                failure.code or "",
                failure.request_id or "no request id",
                elapsed_ms,
            )
            raise failure
        # Request detail is for support (Settings → detailed log); INFO stays a line an action.
        log.debug("%s %s %s %.0f ms", method, path, _request_id(result) or "-", elapsed_ms)
        return result
