"""A watch taken in part exchange enters the inventory when its invoice is finalized.

It runs inside the transaction that moves the invoice to open (state_moves.move_to), so a push
that fails before the finalize adds nothing, and a retry or a replayed event adds nothing
twice: a trade-in that has its watch is done.
"""

from __future__ import annotations

import logging

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker_desktop.db.models import Invoice, Watch
from tracker_desktop.db.repositories.watches import WatchFields, add_watch
from tracker_desktop.domain.watch_status import WatchStatus

log = logging.getLogger(__name__)


def take_in(session: Session, invoice: Invoice) -> list[int]:
    """Add each traded watch of `invoice` to the inventory at its allowance; their ids."""
    added: list[int] = []
    label = invoice.number or f"#{invoice.id}"
    for line in invoice.lines:
        trade = line.trade_in
        if trade is None or trade.watch_id is not None:
            continue
        allowance = -line.unit_amount_minor
        known = session.scalar(
            select(Watch).where(
                Watch.profile_id == invoice.profile_id,
                func.lower(Watch.serial) == trade.serial.strip().lower(),
            )
        )
        if known is not None:
            # A watch the dealer sold before, coming back: the same record, back in stock.
            if known.status == WatchStatus.SOLD:
                known.status = WatchStatus.IN_STOCK
                known.currency = invoice.currency
                known.purchase_cost_minor = allowance
            else:
                log.info("Trade-in serial already in stock; linked to watch %s", known.id)
            trade.watch_id = known.id
        else:
            watch = add_watch(
                session,
                invoice.profile_id,
                WatchFields(
                    brand=trade.brand,
                    model=trade.model,
                    serial=trade.serial,
                    reference=trade.reference,
                    year=trade.year,
                    currency=invoice.currency,
                    purchase_cost_minor=allowance,
                    notes=f"Taken in part exchange on invoice {label}",
                ),
            )
            trade.watch_id = watch.id
        added.append(trade.watch_id)
    return added
