"""Targets for the gateway contract suite: the local simulator always, real Stripe test mode
when STRIPE_TEST_SECRET_KEY is set. Every test talks real HTTP to its target; the simulator is
the shared module-scoped `sandbox`."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest

from tracker_desktop.stripe_gateway import StripeGateway

T = TypeVar("T")

LIVE_SKIP = "STRIPE_TEST_SECRET_KEY not set: real Stripe test mode not exercised"


@dataclass
class Target:
    name: str
    key: str
    api_base: str | None
    sandbox: Any = None  # the simulator, for its helpers (pay_as_buyer, stats, faults)

    @property
    def is_simulator(self) -> bool:
        return self.sandbox is not None

    def gateway(self, key: str | None = None, **kwargs: Any) -> StripeGateway:
        return StripeGateway(key or self.key, api_base=self.api_base, **kwargs)

    def run(self, body: Callable[[StripeGateway], Awaitable[T]], key: str | None = None) -> T:
        """One event loop per call, as the app has one; the gateway is closed at the end."""

        async def main() -> T:
            async with self.gateway(key) as gw:
                return await body(gw)

        return asyncio.run(main())


@pytest.fixture(
    scope="module",
    params=["simulator", pytest.param("stripe-test", marks=pytest.mark.stripe_live)],
)
def target(request: pytest.FixtureRequest) -> Target:
    if request.param == "simulator":
        sb = request.getfixturevalue("sandbox")
        return Target("simulator", sb.secret_key, sb.base_url, sb)
    key = os.environ.get("STRIPE_TEST_SECRET_KEY", "").strip()
    if not key:
        pytest.skip(LIVE_SKIP)
    if "_live_" in key:
        pytest.fail("STRIPE_TEST_SECRET_KEY must be a test-mode key (sk_test_/rk_test_)")
    return Target("stripe-test", key, None)
