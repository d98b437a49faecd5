"""``Sandbox``: start the simulator in a background thread and drive its test controls."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterable
from types import TracebackType
from typing import Any

import httpx

from .server import SandboxHTTPServer
from .state import World


class Sandbox:
    """A stateful Stripe simulator on 127.0.0.1.

    >>> with Sandbox() as sb:
    ...     client = stripe.StripeClient(sb.secret_key, base_addresses={"api": sb.base_url},
    ...                                  http_client=stripe.HTTPXClient())
    """

    def __init__(
        self, port: int = 0, host: str = "127.0.0.1", account_name: str = "Sandbox Watch Co."
    ) -> None:
        self._addr = (host, port)
        self.world = World(account_name)
        self._server: SandboxHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.secret_key = self.new_key()

    @staticmethod
    def new_key(prefix: str = "sk_test_", tag: str = "") -> str:
        """A fresh key; each distinct key is its own isolated account."""
        return f"{prefix}{tag}{secrets.token_hex(12)}"

    # lifecycle -------------------------------------------------------------------------
    def start(self) -> Sandbox:
        if self._server is not None:
            return self
        server = SandboxHTTPServer(self._addr, self.world)
        host, port = server.server_address[:2]
        self.world.base_url = f"http://{host!s}:{port}"
        self._server = server
        # serve_forever is listening as soon as the socket is bound (above)
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="stripe-sandbox",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if not self.world.base_url:
            raise RuntimeError("Sandbox not started")
        return self.world.base_url

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    # test controls (over HTTP, like any other client) ----------------------------------
    def control(self, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
        resp = httpx.request(
            method,
            f"{self.base_url}/_sandbox/{path}",
            json=payload if method != "GET" else None,
            timeout=10,
        )
        if resp.status_code != 200:
            raise RuntimeError(f"sandbox control {path} failed: {resp.text}")
        return resp.json()

    def advance_clock(self, seconds: int) -> int:
        """Move simulated time forward; emits invoice.overdue, expires old events."""
        return int(self.control("POST", "clock", {"advance_seconds": seconds})["now"])

    def now(self) -> int:
        return int(self.control("GET", "clock")["now"])

    def inject_faults(
        self,
        rate: float = 0.0,
        kinds: Iterable[str] = ("429", "500", "timeout", "drop"),
        next: int = 0,
        seed: int | None = None,
        phase: str = "random",
        timeout_seconds: float = 3.0,
        methods: Iterable[str] = ("GET", "POST"),
        path_prefix: str = "/v1/",
    ) -> dict[str, Any]:
        spec = {
            "rate": rate,
            "kinds": list(kinds),
            "next": next,
            "seed": seed,
            "phase": phase,
            "timeout_seconds": timeout_seconds,
            "methods": list(methods),
            "path_prefix": path_prefix,
        }
        result: dict[str, Any] = self.control("POST", "faults", spec)
        return result

    def clear_faults(self) -> None:
        self.control("DELETE", "faults")

    def pay_as_buyer(self, invoice_id: str, card: str = "4242424242424242") -> str:
        """Pay as the buyer would on the hosted page; returns the message shown to them."""
        return str(
            self.control("POST", f"invoices/{invoice_id}/pay_as_buyer", {"card": card})["result"]
        )

    def start_bank_debit(self, invoice_id: str) -> str:
        return str(
            self.control(
                "POST", f"invoices/{invoice_id}/pay_as_buyer", {"method": "us_bank_account"}
            )["result"]
        )

    def release_debit(self, invoice_id: str, succeed: bool = True) -> dict[str, Any]:
        result: dict[str, Any] = self.control(
            "POST",
            f"invoices/{invoice_id}/release_debit",
            {"outcome": "succeeded" if succeed else "failed"},
        )
        return result

    def stats(self) -> dict[str, Any]:
        result: dict[str, Any] = self.control("GET", "stats")
        return result

    def request_count(self, method: str | None = None, path: str | None = None) -> int:
        """Requests seen (excluding controls), optionally for one method and/or exact path."""
        counts: dict[str, int] = self.stats()["requests"]
        total = 0
        for key, n in counts.items():
            m, _, p = key.partition(" ")
            if (method is None or m == method) and (path is None or p == path):
                total += n
        return total

    def reset(self) -> None:
        self.control("POST", "reset")
