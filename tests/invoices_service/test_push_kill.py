"""kill -9 a push running in its own process, at every step boundary, after Stripe applied a
step but before its answer arrived, and at random moments; then start the services again.

Each time: the invoice is not stuck (it is push_failed offering Retry, a plain draft, or
open), its watch says what the invoice says, and after Retry Stripe holds exactly one
invoice and one customer for it. Some runs wait out Stripe's 24 hours first, so the retry
must ask Stripe what it holds instead of replaying its idempotency keys.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tracker_desktop.domain.invoice_state import Action, InvoiceState
from tracker_desktop.services.invoicing.push_recovery import INTERRUPTED

from .conftest import Env, draft

CHILD = Path(__file__).with_name("push_child.py")
STEPS = ("customer", "create_invoice", "add_lines", "finalize")


@dataclass(frozen=True)
class Kill:
    name: str
    after_marker: str  # the child's line after which the kill comes
    delay: float = 0.0  # seconds after that line
    hang_at: str | None = None  # the step whose answer the simulator holds back
    keys_expire: bool = False  # wait out Stripe's 24 hours before retrying

    def __str__(self) -> str:
        return self.name


def _plan() -> list[Kill]:
    kills = [Kill(f"at-{s}", f"step {s}") for s in STEPS]
    kills += [Kill(f"applied-{s}", f"step {s}", 0.4, hang_at=s) for s in STEPS]
    kills += [
        Kill(f"applied-{s}-expired", f"step {s}", 0.4, hang_at=s, keys_expire=True) for s in STEPS
    ]
    rng = random.Random(9)  # fixed: a failure names the moment that reproduces it
    kills += [
        Kill(f"random-{n}-{ms}ms", "begin", ms / 1000, keys_expire=n % 5 == 0)
        for n, ms in enumerate(sorted(rng.randrange(0, 700) for _ in range(40)))
    ]
    return kills


PLAN = _plan()
assert len(PLAN) >= 50


def _run_and_kill(env: Env, db_url: str, invoice_id: int, kill: Kill) -> list[str]:
    child_env = {**os.environ, "TRACKER_TEST_KEY": env.key}
    args = [sys.executable, str(CHILD), db_url, env.sb.base_url, str(env.profile_id)]
    args += [str(invoice_id)] + ([kill.hang_at] if kill.hang_at else [])
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env
    )
    seen: list[str] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            seen.append(line.strip())
            if line.strip() == kill.after_marker:
                break
        if kill.delay:
            time.sleep(kill.delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        seen.extend(line.strip() for line in proc.stdout)  # what it printed before dying
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if "begin" not in seen:
        raise AssertionError(f"the child never began: {proc.stderr.read() if proc.stderr else ''}")
    return seen


def _ours(items: list[Any], uuid: str) -> list[Any]:
    return [i for i in items if i.metadata.get("tracker_invoice_id") == uuid]


@pytest.mark.parametrize("kill", PLAN, ids=str)
def test_kill_9_mid_push_then_restart(env: Env, db: Any, kill: Kill) -> None:
    watch = env.add_watch(f"K-{kill.name}")
    inv_id = env.service.save_draft(
        env.profile_id,
        draft(("Omega Speedmaster 310.30.42", 650_000, watch), ("Strap", 12_000, None)),
    )
    uuid = env.invoice_row(inv_id).uuid

    seen = _run_and_kill(env, db.url, inv_id, kill)
    env.sb.clear_faults()

    # The app starts again: the dead run's push is released at once (its process is gone).
    env.service.release_dead_pushes(env.profile_id)
    after = env.service.get(env.profile_id, inv_id)
    if after.state is InvoiceState.PUSH_FAILED:
        assert after.last_error == INTERRUPTED
        assert after.can(Action.RETRY_PUSH)
        assert after.can(Action.EDIT_DRAFT)
        assert env.watch_status(watch) == "reserved"
    elif after.state is InvoiceState.LOCAL_DRAFT:
        assert "step customer" not in seen  # killed before its push began
        assert env.watch_status(watch) == "in_stock"
    else:
        assert after.state is InvoiceState.OPEN, (kill, seen, after.state)
        assert "done" in seen or "step finalize" in seen

    if kill.keys_expire:
        env.advance(dt.timedelta(hours=25))
    env.poll()  # the first poll after the restart: must not fail, may adopt a finalized one
    if env.service.get(env.profile_id, inv_id).state is not InvoiceState.OPEN:
        env.run(lambda s: s.push(env.profile_id, inv_id))

    final = env.service.get(env.profile_id, inv_id)
    assert final.state is InvoiceState.OPEN
    assert env.watch_status(watch) == "reserved"
    remote = _ours(env.stripe_invoices(), uuid)
    assert len(remote) == 1, (kill, [r.id for r in remote])
    assert remote[0].id == final.stripe_invoice_id
    assert remote[0].status == "open"
    assert remote[0].total == 662_000  # the lines went on once
    assert len(_ours(env.stripe_customers(), uuid)) == 1
