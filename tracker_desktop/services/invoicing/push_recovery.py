"""Pushes left behind: an invoice in `pushing` whose run died (kill -9, a crash, power cut).

Nothing resumes such a push behind the dealer's back: the steps after the customer put an
invoice in the buyer's hands, and the dealer should see that happen. So a push with no live
owner becomes `push_failed` with the reason, which offers Retry (continuing from the saved
step, Stripe asked first when its keys may be forgotten), Edit and Delete (both remove
Stripe's unfinished draft first). If Stripe had already finalized it, the poller adopts it
as open from its events, as for any lost answer. Run at start-up and before every poll.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Invoice
from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.services.invoicing import push_lease, state_moves

INTERRUPTED = (
    "Sending was interrupted before Stripe confirmed every step (the app closed or stopped). "
    "Retry continues where it stopped and never makes a second invoice."
)


def release_dead_pushes(
    sessions: sessionmaker[Session], profile_id: int, now: dt.datetime
) -> list[int]:
    """Move every `pushing` invoice of this profile that no live run owns to push_failed.
    Returns their ids."""
    with session_scope(sessions) as session:
        candidates = list(
            session.scalars(
                select(Invoice.id).where(
                    Invoice.profile_id == profile_id,
                    Invoice.state == InvoiceState.PUSHING.value,
                )
            )
        )
    released: list[int] = []
    for invoice_id in candidates:
        with session_scope(sessions, write=True) as session:
            invoice = session.get(Invoice, invoice_id, populate_existing=True, with_for_update=True)
            if invoice is None or invoice.state != InvoiceState.PUSHING.value:
                continue
            if push_lease.is_live(invoice, now):
                continue
            state_moves.move_to(session, invoice, InvoiceState.PUSH_FAILED, now, detail=INTERRUPTED)
            invoice.last_error = INTERRUPTED
            invoice.push_owner = None
            invoice.push_lease_until = None
            released.append(invoice_id)
    return released
