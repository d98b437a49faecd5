"""Inventory search ranked for serials, and which invoice holds each watch.

Beside watches.py: the Watches window searches every column a dealer types (condition, year,
notes too) and wants an exact serial first, which a plain paged list does not give.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import String, and_, case, cast, func, or_, select
from sqlalchemy.orm import Session

from tracker_desktop.db.models import Invoice, InvoiceLine, Watch
from tracker_desktop.db.repositories.paging import ESCAPE, contains_pattern
from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.watch_status import WatchStatus

_SEARCHED = (
    Watch.serial,
    Watch.brand,
    Watch.model,
    Watch.reference,
    Watch.condition,
    Watch.notes,
)


def search_watches(
    session: Session,
    profile_id: int,
    text: str = "",
    *,
    statuses: tuple[WatchStatus, ...] = (),
    limit: int = 500,
) -> list[Watch]:
    """Watches matching every word of `text` in some column; exact serial, then serial
    prefix, then the rest by brand and model. `text` compares case-insensitively."""
    stmt = select(Watch).where(Watch.profile_id == profile_id)
    if statuses:
        stmt = stmt.where(Watch.status.in_(statuses))
    words = text.split()
    for word in words:
        pattern = contains_pattern(word)
        columns = [c.ilike(pattern, escape=ESCAPE) for c in _SEARCHED]
        columns.append(cast(Watch.year, String).ilike(pattern, escape=ESCAPE))
        stmt = stmt.where(or_(*columns))
    whole = " ".join(words).lower()
    if whole:
        prefix = contains_pattern(whole)[1:]  # "abc%": starts with
        rank = case(
            (func.lower(Watch.serial) == whole, 0),
            (func.lower(Watch.serial).like(prefix, escape=ESCAPE), 1),
            else_=2,
        )
        stmt = stmt.order_by(rank)
    stmt = stmt.order_by(Watch.brand, Watch.model, Watch.id).limit(limit)
    return list(session.scalars(stmt))


@dataclass(frozen=True, slots=True)
class HoldingInvoice:
    invoice_id: int
    number: str | None
    state: InvoiceState


def holding_invoices(
    session: Session, profile_id: int, watch_ids: Iterable[int]
) -> dict[int, HoldingInvoice]:
    """For each watch, the newest invoice it is on that is not void (a voided sale frees it)."""
    ids = list(set(watch_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(InvoiceLine.watch_id, Invoice.id, Invoice.number, Invoice.state)
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(
            and_(
                Invoice.profile_id == profile_id,
                InvoiceLine.watch_id.in_(ids),
                Invoice.state != InvoiceState.VOID,
            )
        )
        .order_by(Invoice.created_at, Invoice.id)
    )
    found: dict[int, HoldingInvoice] = {}
    for watch_id, invoice_id, number, state in rows:
        if watch_id is not None:
            found[watch_id] = HoldingInvoice(invoice_id, number, state)  # newest wins
    return found
