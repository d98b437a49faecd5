"""Three workstations of one shop on the PostgreSQL test server, each a real process with the
app's supervisor and its poller against the simulator: one poller at a time, a takeover
when it is killed, every change heard by the others, each invoice pushed once whoever
races to push it, and no Stripe event applied twice."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tracker_desktop.db.models import Invoice, InvoiceEvent

from .conftest import Env, draft

WORKSTATION = Path(__file__).with_name("shop_workstation.py")
PATIENCE_S = 60.0
DB_BACKENDS = (
    "postgresql",
)  # a SQLite file belongs to one computer  # a ceiling for each wait, never a measure


class Workstation:
    def __init__(self, db_url: str, env: Env) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKSTATION), db_url, env.sb.base_url, env.key,
             str(env.profile_id)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))

    def drain(self) -> list[dict[str, Any]]:
        """The lines printed since the last drain."""
        new = []
        while True:
            try:
                new.append(self.lines.get_nowait())
            except queue.Empty:
                self.seen.extend(new)
                return new

    def wait_for(self, key: str) -> dict[str, Any]:
        """The next line that has `key` ("push_answer": a pushed or refused one)."""
        while True:
            try:
                line = self.lines.get(timeout=PATIENCE_S)
            except queue.Empty:
                pytest.fail(f"workstation {self.proc.pid} never printed {key!r}")
            self.seen.append(line)
            if key in line or (key == "push_answer" and {"pushed", "refused"} & line.keys()):
                return line

    def send(self, command: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.send("quit")
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def shop(env: Env, db: Any) -> Iterator[list[Workstation]]:
    started = [Workstation(db.url, env) for _ in range(3)]
    for station in started:
        station.wait_for("ready")
    yield started
    for station in started:
        station.stop()


def _pollers(stations: list[Workstation], polls: int) -> set[int]:
    """Who polled, until one of them has polled `polls` more times."""
    for station in stations:
        station.drain()
    counts = dict.fromkeys(range(len(stations)), 0)
    while max(counts.values()) < polls:
        for i, station in enumerate(stations):
            counts[i] += sum("polled" in line for line in station.drain())
        threading.Event().wait(0.05)
        if all(s.proc.poll() is not None for s in stations):
            pytest.fail("every workstation stopped")
    return {i for i, n in counts.items() if n}


def test_three_workstations_poll_once_push_once_and_take_over(
    env: Env, shop: list[Workstation]
) -> None:
    drafts = [
        env.service.save_draft(env.profile_id, draft((f"Omega {i}", 500_000 + i, None)))
        for i in range(3)
    ]
    # Every workstation races to push every invoice, each in its own order.
    for n, station in enumerate(shop):
        for invoice_id in drafts[n:] + drafts[:n]:
            station.send(f"push {invoice_id}")
    answers: list[dict[str, Any]] = []
    for station in shop:
        answers += [station.wait_for("push_answer") for _ in drafts]
    pushed = [a["pushed"] for a in answers if "pushed" in a]
    assert sorted(pushed) == sorted(drafts)  # each once, by one workstation or another
    assert len(env.stripe_invoices()) == 3
    assert env.stripe_customer_count() == 3

    leaders = _pollers(shop, polls=5)
    assert len(leaders) == 1
    (leader,) = leaders

    # A buyer pays: the poller applies it, and the two others hear of it.
    env.sb.pay_as_buyer(env.invoice_row(drafts[0]).stripe_invoice_id or "")
    for i, station in enumerate(shop):
        if i != leader:
            while station.wait_for("heard")["heard"] != "invoices":
                pass
    followers = [st for i, st in enumerate(shop) if i != leader]

    os.kill(shop[leader].proc.pid, signal.SIGKILL)  # the poller's workstation goes away
    shop[leader].proc.wait()
    new_leaders = _pollers(followers, polls=5)
    assert len(new_leaders) == 1
    assert _pollers(followers, polls=5) == new_leaders  # and it stays one

    with env.sessions() as s:
        assert env.invoice_row(drafts[0]).state == "paid"
        per_event = (
            select(InvoiceEvent.stripe_event_id, InvoiceEvent.kind, func.count())
            .join(Invoice)
            .where(Invoice.profile_id == env.profile_id, InvoiceEvent.stripe_event_id.is_not(None))
            .group_by(InvoiceEvent.stripe_event_id, InvoiceEvent.kind)
        )
        assert [row for row in s.execute(per_event) if row[2] != 1] == []
