"""kill -9 a credit note being issued in its own process (before it asked, while Stripe's
answer is held back after it made the credit note, at random moments), then Retry as the
restarted app would: one credit note at Stripe, at most one refund, the amounts right.
Some runs wait out Stripe's 24 hours first, so Retry must find it by its metadata."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tracker_desktop.services.credit.values import CreditNoteState

from .conftest import PRICE, STRAP, Credits
from .credit_child import REQUESTS

CHILD = Path(__file__).with_name("credit_child.py")
AMOUNT = {"whole": PRICE + STRAP, "line": 9_000}


@dataclass(frozen=True)
class Kill:
    case: str
    delay: float  # after `begin`, or (hang) after Stripe made the credit note
    hang: bool
    keys_expire: bool = False

    def __str__(self) -> str:
        return f"{self.case}-{'hang' if self.hang else 'run'}-{int(self.delay * 1000)}ms" + (
            "-expired" if self.keys_expire else ""
        )


PLAN = [
    Kill("whole", 0.0, False),
    Kill("whole", 0.0, True),
    Kill("whole", 0.2, True, keys_expire=True),
    Kill("line", 0.0, True),
    Kill("line", 0.05, False),
    Kill("whole", 0.15, False),
]


def _run_and_kill(credits: Credits, db_url: str, invoice_id: int, kill: Kill) -> list[str]:
    env = credits.env
    child_env = {**os.environ, "TRACKER_TEST_KEY": env.key}
    args = [sys.executable, str(CHILD), db_url, env.sb.base_url, str(env.profile_id)]
    args += [str(invoice_id), kill.case] + (["hang"] if kill.hang else [])
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env
    )
    seen: list[str] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            seen.append(line.strip())
            if line.strip() == "begin":
                break
        if kill.hang:
            # Killed only once Stripe holds the credit note: its answer is what is lost.
            deadline = time.monotonic() + 30
            while not credits.stripe_notes(credits.stripe_id(invoice_id)):
                assert time.monotonic() < deadline, "the child never asked Stripe"
                time.sleep(0.05)
        time.sleep(kill.delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        seen.extend(line.strip() for line in proc.stdout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if "begin" not in seen:
        raise AssertionError(f"the child never began: {proc.stderr.read() if proc.stderr else ''}")
    return seen


@pytest.mark.parametrize("kill", PLAN, ids=str)
def test_kill_9_mid_credit_note_then_retry(credits: Credits, db: Any, kill: Kill) -> None:
    env = credits.env
    inv_id, watch_id = credits.paid_invoice()
    refunds = credits.refunds_made()
    seen = _run_and_kill(credits, db.url, inv_id, kill)
    env.sb.clear_faults()

    notes = credits.service.for_invoice(env.profile_id, inv_id)
    if kill.hang:
        assert len(credits.stripe_notes(credits.stripe_id(inv_id))) == 1  # Stripe made it
    if kill.keys_expire:
        env.advance(dt.timedelta(hours=25))
    if notes and notes[0].state is CreditNoteState.PENDING:
        # The restarted app: the dead run's lease is seen at once (its process is gone).
        credits.run(lambda c: c.retry(env.profile_id, notes[0].id))
    elif not notes:
        assert "done" not in seen  # killed before the intent was written: nothing asked
        credits.run(lambda c: c.issue(env.profile_id, inv_id, REQUESTS[kill.case]))

    [note] = credits.service.for_invoice(env.profile_id, inv_id)
    assert note.state is CreditNoteState.ISSUED
    remote = credits.stripe_notes(credits.stripe_id(inv_id))
    assert [n.id for n in remote] == [note.stripe_credit_note_id], (kill, seen)
    assert remote[0].total == AMOUNT[kill.case]
    assert credits.refunds_made() == refunds + 1
    assert note.refunded.minor == AMOUNT[kill.case]
    assert watch_id is not None
    assert env.watch_status(watch_id) == ("in_stock" if kill.case == "whole" else "sold")
