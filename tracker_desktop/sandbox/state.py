"""The simulator's memory: one isolated account per API key, a shared simulated clock, events.

Everything here is called with ``World.lock`` held by the request handler.
"""

from __future__ import annotations

import copy
import hashlib
import random
import string
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from .facts import EVENT_RETENTION_SECONDS, SEARCH_LAG_SECONDS

Obj = dict[str, Any]

API_VERSION = "2026-10-28.endive"
SEARCHABLE = ("invoice", "customer")
_ALNUM = string.ascii_letters + string.digits
_rng = random.SystemRandom()


def new_id(prefix: str, length: int = 24) -> str:
    return f"{prefix}_{''.join(_rng.choice(_ALNUM) for _ in range(length))}"


@dataclass
class Ctx:
    """Who asked: the request id and idempotency key that events record as their cause."""

    request_id: str | None = None
    idempotency_key: str | None = None


@dataclass
class Saved:
    """A stored idempotent answer, replayed for a retry with the same key and params."""

    fingerprint: str
    status: int
    body: bytes
    returns: str = ""


class Clock:
    """Wall time plus an offset that tests move forward (never back)."""

    def __init__(self) -> None:
        self.offset = 0

    def now(self) -> int:
        return int(time.time()) + self.offset


@dataclass
class Account:
    key: str
    id: str
    prefix: str
    name: str
    clock: Clock
    customers: dict[str, Obj] = field(default_factory=dict)
    deleted_customers: set[str] = field(default_factory=set)  # kept for their invoices
    invoices: dict[str, Obj] = field(default_factory=dict)
    invoice_payments: dict[str, Obj] = field(default_factory=dict)
    payment_intents: dict[str, Obj] = field(default_factory=dict)
    payment_methods: dict[str, Obj] = field(default_factory=dict)
    charges: dict[str, Obj] = field(default_factory=dict)
    refunds: dict[str, Obj] = field(default_factory=dict)
    credit_notes: dict[str, Obj] = field(default_factory=dict)
    note_balance_credits: dict[str, int] = field(default_factory=dict)  # note id -> credit_amount
    events: dict[str, Obj] = field(default_factory=dict)  # insertion order is time order
    expired_events: set[str] = field(default_factory=set)
    idempotency: dict[str, Saved] = field(default_factory=dict)
    idempotency_at: dict[str, int] = field(default_factory=dict)
    number_seq: int = 0
    overdue_sent: set[str] = field(default_factory=set)
    processing: dict[str, str] = field(default_factory=dict)  # invoice id -> pending debit pi
    default_payment: dict[str, str] = field(default_factory=dict)  # invoice -> invoice_payment
    due_days: dict[str, int] = field(default_factory=dict)  # invoice id -> days_until_due
    # what search sees: object id -> [(searchable from, snapshot)], oldest first
    index: dict[str, list[tuple[int, Obj]]] = field(default_factory=dict)

    def emit(self, type_: str, obj: Obj, ctx: Ctx | None, previous: Obj | None = None) -> Obj:
        data: Obj = {"object": copy.deepcopy(obj)}
        if previous is not None:
            data["previous_attributes"] = copy.deepcopy(previous)
        event: Obj = {
            "id": new_id("evt"),
            "object": "event",
            "api_version": API_VERSION,
            "created": self.clock.now(),
            "data": data,
            "livemode": False,
            "pending_webhooks": 0,
            "request": {
                "id": ctx.request_id if ctx else None,
                "idempotency_key": ctx.idempotency_key if ctx else None,
            },
            "type": type_,
        }
        self.events[event["id"]] = event
        if obj.get("object") in SEARCHABLE:
            # every change is an event; search sees it a little later, as on Stripe
            self.index.setdefault(obj["id"], []).append(
                (event["created"] + SEARCH_LAG_SECONDS, data["object"])
            )
        return event

    def indexed(self, obj_id: str, now: int) -> Obj | None:
        """The object as the search index holds it at ``now`` (None: not searchable yet)."""
        entries = self.index.get(obj_id, [])
        seen = [snapshot for at, snapshot in entries if at <= now]
        if len(seen) > 1:  # older snapshots can never be read again
            self.index[obj_id] = entries[len(seen) - 1 :]
        return seen[-1] if seen else None

    def expire_events(self) -> None:
        """Stripe keeps events for 30 days; older ones vanish from list and retrieve."""
        horizon = self.clock.now() - EVENT_RETENTION_SECONDS
        for evt_id in [i for i, e in self.events.items() if e["created"] < horizon]:
            del self.events[evt_id]
            self.expired_events.add(evt_id)

    def lookup(self, obj_id: str) -> Obj | None:
        """Find any object by id (used by ``expand``)."""
        if obj_id in self.deleted_customers:
            return {"id": obj_id, "object": "customer", "deleted": True}
        for table in (
            self.customers,
            self.invoices,
            self.payment_intents,
            self.payment_methods,
            self.invoice_payments,
            self.charges,
            self.refunds,
            self.credit_notes,
        ):
            if obj_id in table:
                return table[obj_id]
        return None


class World:
    """All accounts of one simulator process, the clock, and hosted-page tokens."""

    def __init__(self, account_name: str = "Sandbox Watch Co.") -> None:
        self.lock = threading.RLock()
        self.clock = Clock()
        self.account_name = account_name
        self.accounts: dict[str, Account] = {}
        self.tokens: dict[str, tuple[str, str]] = {}  # token -> (api key, invoice id)
        self.note_tokens: dict[str, tuple[str, str]] = {}  # token -> (api key, credit note id)
        self.base_url = ""

    def account(self, key: str) -> Account:
        acct = self.accounts.get(key)
        if acct is None:
            digest = hashlib.sha256(key.encode()).hexdigest().upper()
            acct = Account(
                key=key,
                id=f"acct_1{digest[:15]}",
                prefix=digest[:8],
                name=self.account_name,
                clock=self.clock,
            )
            self.accounts[key] = acct
        return acct

    def reset(self) -> None:
        self.accounts.clear()
        self.tokens.clear()
        self.note_tokens.clear()
        self.clock.offset = 0
