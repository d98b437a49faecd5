"""Who may run an invoice's push right now: a lease row on the invoice (owner, expiry).

Two windows, two workstations or a restarted app must never run one push together, and a
push whose owner died (kill -9, power cut, a frozen workstation) must not stay stuck. The
owner names its host and process, so a dead process on this computer is seen at once; an
owner on another computer keeps the push until its lease runs out (it renews the lease
every HEARTBEAT while it runs, so a live push never loses it).

Taking and renewing are one conditional UPDATE each (compare-and-set): whichever of two
racers commits first wins, the other sees 0 rows changed.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid

from sqlalchemy import update
from sqlalchemy.orm import Session

from tracker_desktop.db.models import Invoice

LEASE_FOR = dt.timedelta(seconds=60)
# A request may take up to ~95 s (30 s timeout, two retries), so the lease is renewed by a
# timer, not only between steps.
HEARTBEAT = dt.timedelta(seconds=15)
_HOST = socket.gethostname()[:30]


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
