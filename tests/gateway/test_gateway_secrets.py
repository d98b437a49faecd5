"""No key, nor any middle part of one, may reach an error's text, its chain or a log record."""

from __future__ import annotations

import asyncio
import logging
import socket
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from tracker_desktop.domain.errors import (
    AuthenticationFailed,
    GatewayError,
    InvalidRequest,
    NotFound,
    Offline,
)
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.stripe_types import CustomerDraft, LineDraft
from tracker_desktop.stripe_gateway import StripeGateway, idempotency_key

# Made-up keys shaped like real ones; their middle parts must never be seen either. The
# simulator accepts any test key as its own account, and refuses one naming "revoked".
MIDDLE = "HyGiEnE7QmZp4Rt9Vx2Lk8Nw"
KNOWN_KEY = f"sk_test_51{MIDDLE}Tail0123456789"
REVOKED_KEY = f"sk_test_revoked{MIDDLE}Tail0123456789"


def _leaks(exc: BaseException, secrets: list[str]) -> list[str]:
    found: list[str] = []
    seen: set[int] = set()
    node: BaseException | None = exc
    while node is not None and id(node) not in seen:
        seen.add(id(node))
        texts = [str(node), repr(node), *(repr(a) for a in node.args)]
        texts.append(repr(vars(node)) if hasattr(node, "__dict__") else "")
        texts.append("".join(traceback.format_exception(node)))
        for text in texts:
            found += [f"{type(node).__name__}: {s}" for s in secrets if s in text]
        node = node.__cause__ or node.__context__
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fail(
    key: str, base: str, call: Callable[[StripeGateway], Awaitable[Any]], **kw: Any
) -> GatewayError:
    async def main() -> None:
        async with StripeGateway(key, api_base=base, **kw) as gw:
            await call(gw)

    with pytest.raises(GatewayError) as info:
        asyncio.run(main())
    return info.value


def _assert_clean(errors: list[GatewayError], caplog: pytest.LogCaptureFixture, key: str) -> None:
    secrets = [key, key[8:], MIDDLE, key[10:22]]
    for err in errors:
        assert _leaks(err, secrets) == []
        assert err.__cause__ is None
        assert err.__context__ is None
    for record in caplog.records:
        text = record.getMessage() + (record.exc_text or "") + repr(record.args)
        assert not any(s in text for s in secrets), record.name


def test_failures_with_a_wrong_key_leak_nothing(
    sandbox: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    errors = [
        _fail(REVOKED_KEY, sandbox.base_url, lambda gw: gw.verify_key()),
        _fail(REVOKED_KEY, sandbox.base_url, lambda gw: gw.retrieve_invoice("in_nope")),
        _fail(
            KNOWN_KEY,
            f"http://127.0.0.1:{_free_port()}",
            lambda gw: gw.verify_key(),
            max_network_retries=0,
            timeout=2.0,
        ),
    ]
    assert isinstance(errors[0], AuthenticationFailed)
    assert isinstance(errors[1], AuthenticationFailed)
    assert isinstance(errors[2], Offline)
    _assert_clean(errors[:2], caplog, REVOKED_KEY)
    _assert_clean(errors[2:], caplog, KNOWN_KEY)


def test_failures_with_a_working_key_leak_nothing(
    sandbox: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    key = KNOWN_KEY
    base = sandbox.base_url

    async def over_max(gw: StripeGateway) -> None:
        cus = await gw.create_customer(
            CustomerDraft(name="Hygiene"), idempotency_key=idempotency_key("hyg", "customer")
        )
        inv = await gw.create_invoice(
            customer_id=cus.id,
            currency="USD",
            days_until_due=7,
            tracker_invoice_id="hyg",
            idempotency_key=idempotency_key("hyg", "create-invoice"),
        )
        await gw.add_lines(
            inv.id,
            [LineDraft("Too dear", Money(100_000_000, "USD"))],
            idempotency_key=idempotency_key("hyg", "add-lines"),
        )

    errors = [
        _fail(key, base, lambda gw: gw.retrieve_invoice("in_nope")),
        _fail(key, base, over_max),
    ]
    assert isinstance(errors[0], NotFound)
    assert isinstance(errors[1], InvalidRequest)
    _assert_clean(errors, caplog, key)
    # Our own log line: method, path, request id and duration, and nothing more.
    ours = [r.getMessage() for r in caplog.records if r.name == "tracker.stripe"]
    assert any(
        m.startswith("GET /v1/invoices/in_nope failed: NotFound") and "req_" in m for m in ours
    )
    assert any(m.startswith("POST /v1/customers req_") for m in ours)


def test_the_leak_detector_detects() -> None:
    """Guards the guard: `raise ... from None` inside `except` still keeps __context__."""

    def wrap() -> None:
        try:
            raise RuntimeError(f"Authorization: Bearer {KNOWN_KEY}")
        except RuntimeError:
            raise GatewayError("wrapped") from None

    with pytest.raises(GatewayError) as info:
        wrap()
    assert _leaks(info.value, [MIDDLE]) != []
