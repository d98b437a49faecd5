"""The status of a watch sold over several invoices: it follows the sale, not one invoice.

A sale's watch is reserved while any of its invoices holds it (from the deposit's push on),
and sold only when every invoice still standing is paid and together they paid the sale's
total; a cancelled sale (all void) puts it back in stock.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from tracker_desktop.db.repositories import sales
from tracker_desktop.db.sale_models import Sale
from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.watch_status import WatchStatus

S = InvoiceState
W = WatchStatus


def sale_status(
    session: Session, sale: Sale, status_for: Mapping[InvoiceState, WatchStatus | None]
) -> WatchStatus | None:
    """The status the sale gives its watches; None when no invoice of it holds them (or
    the sale was cancelled)."""
    if sale.cancelled_at is not None:
        return None
    invoices = [invoice for _link, invoice in sales.sale_invoices(session, sale.id)]
    standing = [inv for inv in invoices if inv.state != S.VOID]
    paid = sum(inv.amount_paid_minor for inv in standing)
    if standing and all(inv.state == S.PAID for inv in standing) and paid >= sale.total_minor:
        return W.SOLD
    if any(status_for[InvoiceState(inv.state)] is not None for inv in standing):
        return W.RESERVED
    return None
