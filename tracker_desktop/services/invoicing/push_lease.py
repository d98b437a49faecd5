"""Who may run an invoice's push right now: a lease row on the invoice (owner, expiry).

Two windows, two workstations or a restarted app must never run one push together, and a
push whose owner died (kill -9, power cut, a frozen workstation) must not stay stuck. The
owner names its computer (host name and a digest of the machine id) and process, so a dead
process on this computer is seen at once; an owner on another computer keeps the push until
its lease runs out (it renews the lease every HEARTBEAT while it runs, so a live push never
loses it). The lease's times are each workstation's own clock: a shop's computers must keep
the time (they do by default) within much less than LEASE_FOR of each other.

Taking and renewing are one conditional UPDATE each (compare-and-set): whichever of two
racers commits first wins, the other sees 0 rows changed. A run `begin`s by taking the lease
(and moving the invoice to pushing) and keeps it `renewing` while it works.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Invoice
from tracker_desktop.domain.errors import ActionNotAllowed, TrackerError
from tracker_desktop.domain.invoice_state import Action, InvoiceState, require_action
from tracker_desktop.services.invoicing import state_moves
from tracker_desktop.services.invoicing.push_plan import BUSY_ELSEWHERE

log = logging.getLogger(__name__)

LEASE_FOR = dt.timedelta(seconds=60)
# A request may take up to ~95 s (30 s timeout, two retries), so the lease is renewed by a
# timer, not only between steps.
HEARTBEAT = dt.timedelta(seconds=15)


def _this_computer() -> str:
    """The host name and a digest of the machine's id: two workstations of a shop may carry
    one name (cloned from one image), and a process id is only checked on its own machine."""
    try:
        machine = Path("/etc/machine-id").read_text(encoding="ascii").strip()
    except OSError:
        machine = ""
    machine = machine or f"{uuid.getnode():x}"  # the network card's address elsewhere
    digest = hashlib.sha256(machine.encode()).hexdigest()[:8]
    return f"{socket.gethostname()[:21].replace('/', '-')}~{digest}"


_HOST = _this_computer()


def new_owner() -> str:
    """A token for one push run: host, process id and a random part (at most 64 chars)."""
    return f"{_HOST}/{os.getpid()}/{uuid.uuid4().hex[:12]}"


def owner_is_dead(owner: str) -> bool:
    """True when the owner is a process on this computer that no longer runs."""
    host, _, rest = owner.partition("/")
    pid_text = rest.partition("/")[0]
    if host != _HOST or not pid_text.isdigit():
        return False  # another computer's: only its lease's expiry tells
    pid = int(pid_text)
    if pid == os.getpid():
        return False  # this process: its own runs release their leases
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, someone else's process
    return False


def is_live(invoice: Invoice, now: dt.datetime) -> bool:
    """Whether a push (of some other run) holds this invoice now."""
    if invoice.push_owner is None or invoice.push_lease_until is None:
        return False
    if invoice.push_lease_until <= now:
        return False
    return not owner_is_dead(invoice.push_owner)


def take(session: Session, invoice: Invoice, owner: str, now: dt.datetime) -> bool:
    """Claim the push for `owner`. False when another live run holds it."""
    if is_live(invoice, now) and invoice.push_owner != owner:
        return False
    held_by = invoice.push_owner
    # Compare-and-set on the owner we saw: a racer that took it meanwhile makes this miss.
    same_owner = Invoice.push_owner.is_(None) if held_by is None else Invoice.push_owner == held_by
    result = session.execute(
        update(Invoice)
        .where(Invoice.id == invoice.id, same_owner)
        .values(push_owner=owner, push_lease_until=now + LEASE_FOR)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    session.refresh(invoice, ["push_owner", "push_lease_until"])
    return True


def renew(session: Session, invoice_id: int, owner: str, now: dt.datetime) -> bool:
    """Extend the lease; False when `owner` no longer holds it (another run took over)."""
    result = session.execute(
        update(Invoice)
        .where(Invoice.id == invoice_id, Invoice.push_owner == owner)
        .values(push_lease_until=now + LEASE_FOR)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def release(session: Session, invoice_id: int, owner: str) -> None:
    session.execute(
        update(Invoice)
        .where(Invoice.id == invoice_id, Invoice.push_owner == owner)
        .values(push_owner=None, push_lease_until=None)
        .execution_options(synchronize_session=False)
    )


@contextlib.asynccontextmanager
async def renewing(
    sessions: sessionmaker[Session],
    invoice_id: int,
    owner: str,
    now: Callable[[], dt.datetime],
    lost: Callable[[], None],
) -> AsyncIterator[None]:
    """Renew the lease every HEARTBEAT while the block runs; `lost` is called (and renewing
    stops) once another run holds it."""

    async def beat() -> None:
        while True:
            await asyncio.sleep(HEARTBEAT.total_seconds())
            try:
                with session_scope(sessions, write=True) as session:
                    renewed = renew(session, invoice_id, owner, now())
            except TrackerError:
                # The database was busy or full for a moment: the lease still has 45 s,
                # the next beat tries again (and every save renews it too).
                log.info("push lease of invoice %s not renewed this time", invoice_id)
                continue
            if not renewed:
                lost()
                return

    task = asyncio.ensure_future(beat())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def begin(session: Session, invoice: Invoice, owner: str, now: dt.datetime) -> bool:
    """Take the lease and move to pushing (reserving the watches); True when this resumes an
    earlier run (one that failed, or one whose owner died)."""
    state = InvoiceState(invoice.state)
    if state is InvoiceState.PUSHING:
        if is_live(invoice, now):
            raise ActionNotAllowed(BUSY_ELSEWHERE, action="push")
        resumed = True  # its run died (crash, killed app): carry on from its step
    else:
        action = Action.RETRY_PUSH if state is InvoiceState.PUSH_FAILED else Action.PUSH
        require_action(action, state)
        if state is InvoiceState.LOCAL_DRAFT:
            watch_ids = [ln.watch_id for ln in invoice.lines if ln.watch_id is not None]
            state_moves.refuse_taken_watches(
                session, invoice.profile_id, watch_ids, except_invoice=invoice.id
            )
        resumed = state is InvoiceState.PUSH_FAILED
    if not take(session, invoice, owner, now):
        raise ActionNotAllowed(BUSY_ELSEWHERE, action="push")
    if state is not InvoiceState.PUSHING:
        state_moves.move_to(session, invoice, InvoiceState.PUSHING, now)
    invoice.last_error = None
    if invoice.push_started_at is None:
        invoice.push_started_at = now  # dates this identity's idempotency keys
    return resumed
