"""Invoice queries the invoice service needs beyond invoices.py: the history filtered by the
status a dealer sees (Overdue, Processing... are derived, so they are conditions, not a column).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select
from sqlalchemy.orm import Session, selectinload

from tracker_desktop.db.models import Invoice, InvoiceLine, Watch
from tracker_desktop.db.repositories.paging import ESCAPE, Page, contains_pattern, fetch_page

_PLAIN = {
    "draft": "local_draft",
    "sending": "pushing",
    "push_failed": "push_failed",
    "paid": "paid",
    "void": "void",
    "uncollectible": "uncollectible",
}


def display_condition(kind: str, now: dt.datetime) -> ColumnElement[bool]:
    """SQL for one DisplayKind value, with the precedence of domain.display_status."""
    if kind in _PLAIN:
        return Invoice.state == _PLAIN[kind]
    is_open = Invoice.state == "open"
    quiet = and_(is_open, Invoice.payment_processing.is_(False))
    no_failure = Invoice.payment_failed_message.is_(None)
    if kind == "processing":
        return and_(is_open, Invoice.payment_processing.is_(True))
    if kind == "payment_failed":
        return and_(quiet, Invoice.payment_failed_message.is_not(None))
    if kind == "overdue":
        return and_(quiet, no_failure, Invoice.due_at.is_not(None), Invoice.due_at < now)
    if kind == "open":
        return and_(quiet, no_failure, or_(Invoice.due_at.is_(None), Invoice.due_at >= now))
    return false()


def history_query(
    profile_id: int,
    *,
    now: dt.datetime,
    kinds: Sequence[str] = (),
    created_from: dt.datetime | None = None,
    created_before: dt.datetime | None = None,
    contact_id: int | None = None,
    serial: str = "",
    text: str = "",
) -> Select[Invoice]:
    stmt = select(Invoice).where(Invoice.profile_id == profile_id)
    if kinds:
        stmt = stmt.where(or_(*(display_condition(k, now) for k in kinds)))
    if created_from is not None:
        stmt = stmt.where(Invoice.created_at >= created_from)
    if created_before is not None:
        stmt = stmt.where(Invoice.created_at < created_before)
    if contact_id is not None:
        stmt = stmt.where(Invoice.contact_id == contact_id)
    if serial.strip():
        pattern = contains_pattern(serial.strip())
        on_line = (
            select(InvoiceLine.id)
            .join(Watch, Watch.id == InvoiceLine.watch_id)
            .where(InvoiceLine.invoice_id == Invoice.id, Watch.serial.ilike(pattern, escape=ESCAPE))
        )
        stmt = stmt.where(exists(on_line))
    if text.strip():
        pattern = contains_pattern(text.strip())
        in_lines = select(InvoiceLine.id).where(
            InvoiceLine.invoice_id == Invoice.id,
            InvoiceLine.description.ilike(pattern, escape=ESCAPE),
        )
        columns = (Invoice.number, Invoice.customer_name, Invoice.customer_email, Invoice.memo)
        stmt = stmt.where(
            or_(*(c.ilike(pattern, escape=ESCAPE) for c in columns), exists(in_lines))
        )
    return stmt


def history_page(
    session: Session, stmt: Select[Invoice], *, offset: int, limit: int
) -> Page[Invoice]:
    """Newest first, lines loaded."""
    ordered = stmt.options(selectinload(Invoice.lines)).order_by(
        Invoice.created_at.desc(), Invoice.id.desc()
    )
    return fetch_page(session, ordered, offset, limit)


def serials_by_watch(session: Session, watch_ids: set[int]) -> dict[int, str]:
    if not watch_ids:
        return {}
    rows = session.execute(select(Watch.id, Watch.serial).where(Watch.id.in_(watch_ids)))
    return {row.id: row.serial for row in rows}
