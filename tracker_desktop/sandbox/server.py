"""The HTTP side: a threaded stdlib server that speaks Stripe's wire format on 127.0.0.1."""

from __future__ import annotations

import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from . import api, observers, render
from .controls import Stats, buyer_pays, control
from .errors import ApiError
from .facts import HOSTED_LINK_DAYS_AFTER_DUE, HOSTED_LINK_MAX_DAYS
from .faults import Fault, Faults
from .state import API_VERSION, World


class SandboxHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr: tuple[str, int], world: World) -> None:
        super().__init__(addr, Handler)
        self.world = world
        self.faults = Faults()
        self.stats = Stats()
        self.stopping = threading.Event()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as httpx expects
    server: SandboxHTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: tests read /_sandbox/stats instead

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            # The client went away mid-request (a killed app): like Stripe, apply nothing
            # of a body that never fully arrived.
            self.close_connection = True
            return
        path = url.path
        if path.startswith("/_sandbox/"):
            status, obj = control(
                self.server.world, self.server.faults, self.server.stats, method, path, body
            )
            self._send(status, json.dumps(obj).encode(), "application/json")
            return
        with self.server.world.lock:
            self.server.stats.requests[f"{method} {path}"] += 1
        if path.startswith("/v1/"):
            self._api(method, path, url.query, body)
        elif path.startswith(("/i/", "/pdf/")):
            self._hosted(method, path, body)
        elif path.startswith("/credit_note_pdf/") and method == "GET":
            self._credit_note_pdf(path)
        else:
            self._send(404, b"not found", "text/plain")

    def _api(self, method: str, path: str, query: str, body: bytes) -> None:
        request_id = "req_" + secrets.token_hex(7)
        fault = self.server.faults.pick(method, path)
        if fault and fault.phase == "before":
            self._fault(fault, request_id, method, path)
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        answer = api.handle(
            self.server.world, method, path, query, body.decode("utf-8"), headers, request_id
        )
        if fault and fault.kind == "delay":
            self.server.stopping.wait(fault.timeout_seconds)  # then answer as usual
        elif fault:  # applied and stored; now lose the answer on its way back
            self._fault(fault, request_id, method, path)
            return
        extra = {
            "Request-Id": request_id,
            "Stripe-Version": self.headers.get("Stripe-Version") or API_VERSION,
            **answer.headers,
        }
        if headers.get("idempotency-key"):
            extra["Idempotency-Key"] = headers["idempotency-key"]
        observers.notify(observers.Sent(method, path, answer.status, answer.body, answer.returns))
        self._send(answer.status, answer.body, "application/json", extra)

    def _fault(self, fault: Fault, request_id: str, method: str, path: str) -> None:
        if fault.kind in ("429", "500"):
            err = (
                ApiError(
                    429,
                    "Request rate limit exceeded. Learn more about rate limits "
                    "here https://docs.stripe.com/rate-limits.",
                    code="rate_limit",
                    should_retry=True,
                )
                if fault.kind == "429"
                else ApiError(
                    500,
                    "An unknown error occurred (sandbox fault).",
                    type_="api_error",
                    should_retry=True,
                )
            )
            headers = {"Request-Id": request_id, "Stripe-Should-Retry": "true"}
            body = json.dumps(err.body(request_id)).encode()
            observers.notify(observers.Sent(method, path, err.status, body, ""))
            self._send(err.status, body, "application/json", headers)
            return
        if fault.kind == "timeout":
            self.server.stopping.wait(fault.timeout_seconds)
        self.close_connection = True  # hang up without a byte of answer

    def _hosted(self, method: str, path: str, body: bytes) -> None:
        parts = path.strip("/").split("/")
        world = self.server.world
        with world.lock:
            found = world.tokens.get(parts[1]) if len(parts) >= 2 else None
            if found is None:
                self._send(404, b"<p id='result'>No such invoice.</p>", "text/html")
                return
            acct = world.account(found[0])
            inv = acct.invoices[found[1]]
            now = world.clock.now()
            finalized = inv["status_transitions"]["finalized_at"] or now
            limit = min(
                (inv["due_date"] or now) + HOSTED_LINK_DAYS_AFTER_DUE * 86400,
                finalized + HOSTED_LINK_MAX_DAYS * 86400,
            )
            if now > limit:
                self._send(410, render.gone_page().encode(), "text/html; charset=utf-8")
                return
            if parts[0] == "pdf" and method == "GET":
                self._send(
                    200,
                    render.pdf(inv, acct.name),
                    "application/pdf",
                    {"Content-Disposition": f"inline; filename={inv['number']}.pdf"},
                )
                return
            result = None
            if method == "POST" and parts[2:] == ["pay"]:
                form = parse_qs(body.decode("utf-8"))
                kind = form.get("method", ["card"])[0]
                card = form.get("card_number", [""])[0]
                result = buyer_pays(world, acct, inv, kind, card)
            elif method != "GET" or len(parts) != 2:
                self._send(404, b"not found", "text/plain")
                return
            page = render.page(
                inv, acct.name, parts[1], result, processing=inv["id"] in acct.processing
            )
        self._send(200, page.encode(), "text/html; charset=utf-8")

    def _credit_note_pdf(self, path: str) -> None:
        world = self.server.world
        with world.lock:
            found = world.note_tokens.get(path.rsplit("/", 1)[-1])
            if found is None:
                self._send(404, b"No such credit note.", "text/plain")
                return
            acct = world.account(found[0])
            note = acct.credit_notes[found[1]]
            body = render.credit_note_pdf(note, acct.invoices[note["invoice"]], acct.name)
        self._send(
            200,
            body,
            "application/pdf",
            {"Content-Disposition": f"inline; filename={note['number']}.pdf"},
        )

    def _send(
        self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (e.g. its own timeout)
