"""Injected faults, before and after the request is applied, and what idempotency saves."""

from __future__ import annotations

import time

import httpx
import pytest
import stripe

from tracker_desktop.sandbox import Sandbox

from .conftest import make_client


def _post_customer(sb: Sandbox, idem: str, timeout: float = 5) -> httpx.Response:
    return httpx.post(
        f"{sb.base_url}/v1/customers",
        data={"email": "a@example.com"},
        headers={"Authorization": f"Bearer {sb.secret_key}", "Idempotency-Key": idem},
        timeout=timeout,
    )


def _customer_count(client: stripe.StripeClient) -> int:
    return len(client.v1.customers.list(params={"limit": 100}).data)


def test_429_before_with_should_retry(sb: Sandbox, client: stripe.StripeClient) -> None:
    sb.inject_faults(kinds=["429"], next=1, phase="after")  # 429 always strikes before
    resp = _post_customer(sb, "k1")
    assert resp.status_code == 429
    assert resp.headers["Stripe-Should-Retry"] == "true"
    assert resp.json()["error"]["code"] == "rate_limit"
    assert _customer_count(client) == 0
    sb.inject_faults(kinds=["429"], next=1)
    with pytest.raises(stripe.RateLimitError):
        client.v1.customers.list()
    assert sb.stats()["faults_injected"] == 2


@pytest.mark.parametrize("phase", ["before", "after"])
def test_500_then_retry_with_same_key(sb: Sandbox, client: stripe.StripeClient, phase: str) -> None:
    sb.inject_faults(kinds=["500"], next=1, phase=phase)
    resp = _post_customer(sb, "k500")
    assert resp.status_code == 500
    assert resp.json()["error"]["type"] == "api_error"
    assert _customer_count(client) == (1 if phase == "after" else 0)
    retry = _post_customer(sb, "k500")
    assert retry.status_code == 200
    assert (retry.headers.get("Idempotent-Replayed") == "true") == (phase == "after")
    assert _customer_count(client) == 1


@pytest.mark.parametrize("phase", ["before", "after"])
def test_drop_closes_without_answer(sb: Sandbox, client: stripe.StripeClient, phase: str) -> None:
    sb.inject_faults(kinds=["drop"], next=1, phase=phase)
    with pytest.raises(httpx.RemoteProtocolError):
        _post_customer(sb, "kdrop")
    assert _customer_count(client) == (1 if phase == "after" else 0)
    assert _post_customer(sb, "kdrop").status_code == 200
    assert _customer_count(client) == 1


@pytest.mark.parametrize("phase", ["before", "after"])
def test_timeout_outlasts_client(sb: Sandbox, phase: str) -> None:
    sb.inject_faults(kinds=["timeout"], next=1, phase=phase, timeout_seconds=1.0)
    c = make_client(sb, timeout=0.3)
    started = time.monotonic()
    with pytest.raises(stripe.APIConnectionError):
        c.v1.customers.create(params={"email": "a@example.com"}, options={"idempotency_key": "kt"})
    assert time.monotonic() - started < 1.0
    again = c.v1.customers.create(
        params={"email": "a@example.com"}, options={"idempotency_key": "kt"}
    )
    assert [x.id for x in c.v1.customers.list().data] == [again.id]


class QuickRetryHTTPX(stripe.HTTPXClient):
    """The SDK's own retry loop, with its back-off shortened so the test stays fast."""

    def _sleep_time_seconds(self, num_retries: int) -> float:
        return 0.01


def test_sdk_retries_recover_without_duplicates(sb: Sandbox) -> None:
    # "after": the nasty case, applied but unanswered; only the idempotency key saves it
    sb.inject_faults(
        rate=0.4, kinds=["429", "500", "drop"], seed=7, methods=["POST"], phase="after"
    )
    c = stripe.StripeClient(
        sb.secret_key,
        base_addresses={"api": sb.base_url},
        http_client=QuickRetryHTTPX(allow_sync_methods=True),
        max_network_retries=8,
    )
    for i in range(6):
        c.v1.customers.create(
            params={"email": f"c{i}@example.com"},
            options={"idempotency_key": f"local-{i}:customer"},
        )
    sb.clear_faults()
    emails = sorted(x.email or "" for x in c.v1.customers.list().data)
    assert emails == [f"c{i}@example.com" for i in range(6)]
    stats = sb.stats()
    assert stats["faults_injected"] > 0
    assert stats["total_posts"] == 6 + stats["faults_injected"]


def test_gets_can_fault_and_controls_never_do(sb: Sandbox, client: stripe.StripeClient) -> None:
    sb.inject_faults(rate=1.0, kinds=["500"], methods=["GET"])
    with pytest.raises(stripe.APIError):
        client.v1.customers.list()
    assert sb.stats()["faults_injected"] == 1  # the control itself was not hit
    sb.clear_faults()
    assert client.v1.customers.list().data == []


def test_bad_fault_spec_refused(sb: Sandbox) -> None:
    with pytest.raises(RuntimeError, match="kinds"):
        sb.inject_faults(kinds=["meteor"])
