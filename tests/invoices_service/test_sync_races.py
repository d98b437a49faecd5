"""Two pollers on one database, buyers and the dealer acting meanwhile: no invoice ever moves
back, and in the end every invoice, its timeline and the CSV export say what Stripe says.

The pollers run in processes of their own (two windows or workstations), each with its own
engine on the test's SQLite file and its own connection to the simulator, whose `delay` fault
holds answers so that one poller's snapshot is often older than what the other has written.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import itertools
import json
import queue
import random
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Invoice, ProcessedStripeEvent, SyncState
from tracker_desktop.db.repositories import sync as sync_repo
from tracker_desktop.domain.stripe_status import state_rank
from tracker_desktop.services.invoicing.csv_export import InvoiceExporter
from tracker_desktop.services.sync.poller import Poller, PollIntervals

from .conftest import Env, draft

RACE_POLLER = Path(__file__).with_name("race_poller.py")
# On a shared server one workstation polls (test_shop_pollers); this many-round race of two
# raw pollers stays on SQLite, where it runs within the suite's time.
DB_BACKENDS = ("sqlite",)
DECLINED = "4000000000000002"
INVOICES = 40
RACE_ROUNDS = 7  # with delays, buyers and the dealer acting
REPLAY_ROUNDS = (2, 3, 5, 6)  # every event listed and every invoice read again, mid-race
QUIET_ROUNDS = 2  # no faults, nobody acting: both pollers catch up

# What happens to invoice i, by i % 8: (first step, second step two rounds later).
PLANS: list[tuple[str, str | None, str]] = [  # (first, second, what Stripe ends at)
    ("card", None, "Paid"),
    ("declined", "card", "Paid"),
    ("debit", "release", "Paid"),
    ("debit", "release_failed", "Payment failed"),
    ("void", None, "Void"),
    ("wire", None, "Paid"),
    ("declined", None, "Payment failed"),
    ("debit", None, "Processing"),
]


class PollerProcess:
    """One race_poller.py child: `poll()` sends a command, `answer()` waits for its line."""

    def __init__(self, db_url: str, env: Env) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(RACE_POLLER), db_url, env.sb.base_url, env.key,
             str(env.profile_id)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        assert json.loads(self._line()) == {"ready": True}

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put("")  # the process ended

    def _line(self) -> str:
        # A ceiling so a hung child fails the test instead of hanging it; not a speed check.
        line = self.lines.get(timeout=300)
        assert line, f"the poller process ended (exit code {self.proc.wait()})"
        return line

    def poll(self, clock_offset: dt.timedelta) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"poll {clock_offset.total_seconds()}\n")
        self.proc.stdin.flush()

    def answer(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self._line())
        assert "error" not in result, result["error"]
        return result

    def stop(self) -> None:
        if self.proc.poll() is None and self.proc.stdin is not None:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.flush()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def pollers(env: Env, db: Any) -> Iterator[list[PollerProcess]]:
    started = [PollerProcess(db.url, env) for _ in range(2)]
    yield started
    for p in started:
        p.stop()


Seen = tuple[int, int, int]  # (state rank, amount paid, amount remaining)


@dataclass
class Watcher:
    """Reads every invoice's (rank, paid, remaining) after each round, and all along while a
    round runs, so a value that goes back and forward again within a round is caught too."""

    env: Env
    history: dict[int, list[Seen]] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)

    def observe(self) -> None:
        with self.env.sessions() as s:
            rows = s.execute(
                select(
                    Invoice.id,
                    Invoice.state,
                    Invoice.amount_paid_minor,
                    Invoice.amount_remaining_minor,
                ).where(Invoice.profile_id == self.env.profile_id)
            ).all()
        for inv_id, state, paid, remaining in rows:
            seen = (state_rank(state), paid, remaining)
            runs = self.history.setdefault(inv_id, [])
            if not runs or runs[-1] != seen:
                runs.append(seen)

    def during(self) -> threading.Thread:
        self._stop.clear()

        def run() -> None:
            while not self._stop.wait(0.02):
                self.observe()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread

    def stop(self, thread: threading.Thread) -> None:
        self._stop.set()
        thread.join()
        self.observe()

    def regressions(self) -> list[str]:
        found = []
        for inv_id, runs in self.history.items():
            for before, after in itertools.pairwise(runs):
                if after[0] < before[0]:
                    found.append(f"invoice {inv_id}: state went back {before} -> {after}")
                if after[1] < before[1] or after[2] > before[2]:
                    found.append(f"invoice {inv_id}: amounts went back {before} -> {after}")
        return found


def _act(env: Env, step: str, inv_id: int, stripe_id: str) -> None:
    """One buyer's or the dealer's move, as the hosted page or the Invoices window makes it."""
    if step == "card":
        assert env.sb.pay_as_buyer(stripe_id) == "Payment succeeded. Thank you!"
    elif step == "declined":
        assert "declined" in env.sb.pay_as_buyer(stripe_id, card=DECLINED)
    elif step == "debit":
        env.sb.start_bank_debit(stripe_id)
    elif step in ("release", "release_failed"):
        env.sb.release_debit(stripe_id, succeed=step == "release")
    elif step == "void":
        env.run(lambda s: s.void(env.profile_id, inv_id))
    elif step == "wire":
        env.run(lambda s: s.record_wire(env.profile_id, inv_id, f"Wire ref {inv_id}"))
    else:
        raise AssertionError(step)


def _replay_everything(env: Env) -> None:
    """Forget which events were applied and where polling stopped, as after a database
    restored from an older copy: the next polls list every event again and apply it late."""
    with session_scope(env.sessions, write=True) as session:
        session.execute(
            delete(ProcessedStripeEvent).where(ProcessedStripeEvent.profile_id == env.profile_id)
        )
        state = session.get(SyncState, env.profile_id)
        assert state is not None
        state.events_cursor, state.cursor_created = None, None


def _money(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


def test_two_pollers_in_two_processes_never_move_an_invoice_back(
    env: Env, pollers: list[PollerProcess], tmp_path: Path
) -> None:
    drafts: list[tuple[int, int]] = []  # (invoice id, watch id)
    for i in range(INVOICES):
        watch = env.add_watch(f"RACE-{i:02d}")
        line = (f"Cartier Santos no. {i}", 500_000 + 1_000 * i, watch)
        drafts.append((env.service.save_draft(env.profile_id, draft(line)), watch))

    async def push_all(service: Any) -> list[tuple[int, int, str]]:
        pushed = []
        for inv, watch in drafts:
            detail = await service.push(env.profile_id, inv)
            pushed.append((inv, watch, detail.stripe_invoice_id))
        return pushed

    invoices: list[tuple[int, int, str]] = env.run(push_all)  # (invoice, watch, Stripe id)

    # Round r: the moves made while both pollers poll.
    moves: dict[int, list[tuple[str, int, str]]] = {}
    for i, (inv, _, sid) in enumerate(invoices):
        first, second, _ = PLANS[i % len(PLANS)]
        at = 1 + (i // len(PLANS)) % 4
        moves.setdefault(at, []).append((first, inv, sid))
        if second is not None:
            moves.setdefault(at + 2, []).append((second, inv, sid))
    rng = random.Random(9)
    watcher = Watcher(env)
    failures: list[BaseException] = []

    def reads_of(sid: str) -> int:
        return int(env.sb.stats()["requests"].get(f"GET /v1/invoices/{sid}", 0))

    def actions(round_moves: list[tuple[str, int, str]], polled: threading.Event) -> Any:
        """Each move is made the moment a poller's read of its invoice reaches Stripe, so
        the other poller's read, a moment later, sees another state; moves whose invoice
        is not read in this round are made once both pollers are done."""
        before = {sid: reads_of(sid) for _, _, sid in round_moves}
        pending = rng.sample(round_moves, len(round_moves))

        def run() -> None:
            try:
                while pending and not polled.wait(0.005):
                    counts = env.sb.stats()["requests"]
                    for move in list(pending):
                        step, inv, sid = move
                        if counts.get(f"GET /v1/invoices/{sid}", 0) > before[sid]:
                            pending.remove(move)
                            _act(env, step, inv, sid)
                for step, inv, sid in pending:
                    _act(env, step, inv, sid)
            except BaseException as exc:  # reported by the test thread
                failures.append(exc)

        return run

    total_polls = RACE_ROUNDS + QUIET_ROUNDS
    for round_no in range(total_polls):
        if round_no == 0:
            # Half the invoice reads, and some of the dealer's answers, come back late.
            env.sb.inject_faults(
                rate=0.4,
                kinds=["delay"],
                timeout_seconds=0.3,
                seed=7,
                methods=["GET", "POST"],
                path_prefix="/v1/invoices/",
            )
        if round_no == RACE_ROUNDS:
            env.sb.clear_faults()
        if round_no in REPLAY_ROUNDS:
            _replay_everything(env)
        sampler = watcher.during()
        polled = threading.Event()
        worker = threading.Thread(target=actions(moves.get(round_no, []), polled))
        worker.start()
        for p in pollers:
            p.poll(env.clock_offset)
        answers = [p.answer() for p in pollers]
        polled.set()
        worker.join()
        watcher.stop(sampler)
        assert not failures, failures
        assert all(a["requests"] >= 1 for a in answers)

    assert watcher.regressions() == []
    assert len(watcher.history) == INVOICES

    stripe = {s.id: s for s in env.stripe_invoices()}
    exported = tmp_path / "history.csv"
    InvoiceExporter(env.sessions, clock=env.now).write_csv(env.profile_id, None, exported)
    with exported.open(encoding="utf-8-sig", newline="") as f:
        csv_rows = {row["Stripe invoice"]: row for row in csv.DictReader(f)}
    assert len(csv_rows) == INVOICES
    for i, (inv, watch, sid) in enumerate(invoices):
        _, _, label = PLANS[i % len(PLANS)]
        remote = stripe[sid]
        detail = env.service.get(env.profile_id, inv)
        where = f"invoice {i} ({PLANS[i % len(PLANS)]})"
        assert detail.state.value == remote.status, where
        assert detail.status.label == label, where
        assert (detail.amount_paid.minor, detail.amount_remaining.minor) == (
            remote.amount_paid,
            remote.amount_remaining,
        ), where
        assert detail.last_error is None, where
        expected_watch = {"Paid": "sold", "Void": "in_stock"}.get(label, "reserved")
        assert env.watch_status(watch) == expected_watch, where
        kinds = [e.kind for e in detail.timeline]
        # Each thing happened once, and reads in Stripe's order however late it was applied.
        first, second, _ = PLANS[i % len(PLANS)]
        failures_seen = [first, second].count("declined") + (second == "release_failed")
        assert kinds.count("payment_failed") == failures_seen, (where, kinds)
        assert kinds.count("processing") == (first == "debit"), (where, kinds)
        for once in ("finalized", "paid", "voided"):
            assert kinds.count(once) <= 1, (where, kinds)
        if "paid" in kinds:
            assert all(kinds.index(k) < kinds.index("paid") for k in ("payment_failed",
                       "processing") if k in kinds), (where, kinds)  # fmt: skip
        row = csv_rows[sid]
        assert row["Status"] == label, where
        assert row["Amount paid"] == _money(remote.amount_paid), where
        assert row["Total"] == _money(remote.total), where


# -- two workstations whose clocks differ ----------------------------------------------------


def _poll_at(env: Env, clock: Callable[[], dt.datetime]) -> Any:
    async def main() -> Any:
        async with env.gateway() as gw:
            poller = Poller(
                env.sessions,
                lambda _pid: gw,
                env.profile_id,
                intervals=PollIntervals(fast=0.01, slow=0.05, backoff_start=0.01),
                clock=clock,
            )
            return await poller.poll_now()

    return asyncio.run(main())


def test_a_poller_whose_clock_is_behind_holds_its_news_for_a_fresh_read(env: Env) -> None:
    watch = env.add_watch("SKEW-1")
    inv_id = env.service.save_draft(env.profile_id, draft(("Tudor Black Bay", 390_000, watch)))
    stripe_id = env.run(lambda s: s.push(env.profile_id, inv_id)).stripe_invoice_id or ""

    def ahead() -> dt.datetime:  # the other workstation's clock, ten minutes fast
        return env.now() + dt.timedelta(minutes=10)

    _poll_at(env, ahead)  # it reads the invoice and stamps it with its own clock
    env.sb.start_bank_debit(stripe_id)
    env.advance(dt.timedelta(minutes=6))  # the debit's event is older than the overlap window
    processing = [e for e in _events(env) if e.type == "payment_intent.processing"]
    assert len(processing) == 1
    with env.sessions() as s:
        cursor = sync_repo.get_sync_state(s, env.profile_id).events_cursor

    for _ in range(2):  # this one reads the news, but its fetch time looks older
        _poll_at(env, env.now)
        detail = env.service.get(env.profile_id, inv_id)
        assert detail.status.label == "Open"
        with env.sessions() as s:
            assert not sync_repo.processed_ids(s, env.profile_id, [processing[0].id])
            # Not moved on to the settled debit event: the next poll must list it again.
            assert sync_repo.get_sync_state(s, env.profile_id).events_cursor == cursor

    _poll_at(env, ahead)  # the next poll, of either poller, lists it again and reads afresh
    detail = env.service.get(env.profile_id, inv_id)
    assert detail.status.label == "Processing"
    with env.sessions() as s:
        assert sync_repo.processed_ids(s, env.profile_id, [processing[0].id])
    assert [e.kind for e in detail.timeline].count("processing") == 1
    entry = next(e for e in detail.timeline if e.kind == "processing")
    assert entry.occurred_at == processing[0].created  # Stripe's time, not either clock


def test_a_paid_invoice_stays_paid_whatever_clock_the_late_writer_has(env: Env) -> None:
    """The reported failure: a poll racing the buyer wrote open over paid, and it stayed."""
    watch = env.add_watch("SKEW-2")
    inv_id = env.service.save_draft(env.profile_id, draft(("Zenith El Primero", 720_000, watch)))
    stripe_id = env.run(lambda s: s.push(env.profile_id, inv_id)).stripe_invoice_id or ""
    _poll_at(env, env.now)
    env.sb.inject_faults(
        next=1, kinds=["delay"], timeout_seconds=1.0, methods=["GET"],
        path_prefix=f"/v1/invoices/{stripe_id}",
    )  # fmt: skip
    env.run(lambda s: s.send_email(env.profile_id, inv_id))  # an event to poll for

    async def late_reader() -> None:
        # Reads the invoice while it is open; its answer arrives after the payment and after
        # the other poller wrote paid. Its clock is an hour ahead of the other's.
        async with env.gateway() as gw:
            poller = Poller(
                env.sessions,
                lambda _pid: gw,
                env.profile_id,
                clock=lambda: env.now() + dt.timedelta(hours=1),
            )
            reading = asyncio.ensure_future(poller.poll_now())
            while env.sb.stats()["faults_injected"] == injected:  # its read is on its way
                await asyncio.sleep(0.01)
            await asyncio.to_thread(env.sb.pay_as_buyer, stripe_id)
            await asyncio.to_thread(_poll_at, env, env.now)
            assert env.service.get(env.profile_id, inv_id).state.value == "paid"
            await reading

    injected = env.sb.stats()["faults_injected"]
    asyncio.run(late_reader())
    for _ in range(6):  # "stayed wrong after 6 more polls"
        detail = env.service.get(env.profile_id, inv_id)
        assert (detail.state.value, detail.amount_paid.minor, detail.amount_remaining.minor) == (
            "paid",
            720_000,
            0,
        )
        assert detail.last_error is None
        _poll_at(env, env.now)
    assert env.watch_status(watch) == "sold"


def _events(env: Env) -> list[Any]:
    async def body() -> list[Any]:
        async with env.gateway() as gw:
            return (await gw.list_events(types=("payment_intent.processing",))).events

    return asyncio.run(body())
