"""Many invoices with their lines in a few statements: for loading a long history at once
(`make bench` builds its 100,000-invoice database with it). Search columns are computed here,
as the Session hook would for one invoice at a time."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from tracker_desktop.db.models import Invoice, InvoiceLine, Watch, utcnow
from tracker_desktop.db.search_text import search_text, serials_text
from tracker_desktop.domain.invoice_state import InvoiceState

_CHUNK = 5000  # values per IN (...): under SQLite's bound-parameter cap


@dataclass(frozen=True, slots=True)
class BulkLine:
    description: str
    unit_amount_minor: int
    quantity: int = 1
    watch_id: int | None = None


@dataclass(frozen=True, slots=True)
class BulkInvoice:
    """An invoice as it stands, in any state (states are not checked here)."""

    currency: str
    state: InvoiceState
    customer_name: str
    customer_email: str = ""
    number: str | None = None
    memo: str = ""
    contact_id: int | None = None
    total_minor: int = 0
    amount_paid_minor: int = 0
    amount_remaining_minor: int = 0
    created_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    finalized_at: dt.datetime | None = None
    paid_at: dt.datetime | None = None
    last_synced_at: dt.datetime | None = None
    stripe_invoice_id: str | None = None
    payment_processing: bool = False
    payment_failed_message: str | None = None
    lines: tuple[BulkLine, ...] = field(default_factory=tuple)


def insert_invoices(
    session: Session, profile_id: int, invoices: Sequence[BulkInvoice]
) -> list[int]:
    """Insert `invoices` with their lines; returns their ids in the same order."""
    if not invoices:
        return []
    watch_ids = {ln.watch_id for inv in invoices for ln in inv.lines if ln.watch_id is not None}
    serial_of = _serials(session, watch_ids)
    now = utcnow()
    rows = [_invoice_row(profile_id, inv, serial_of, now) for inv in invoices]
    # Plain executemany: RETURNING would make SQLite insert one row per statement.
    connection = session.connection()
    connection.execute(insert(Invoice), rows)
    id_of: dict[str, int] = {}
    uuids = [str(row["uuid"]) for row in rows]
    for start in range(0, len(uuids), _CHUNK):
        found = select(Invoice.id, Invoice.uuid).where(
            Invoice.uuid.in_(uuids[start : start + _CHUNK])
        )
        id_of.update({row.uuid: row.id for row in connection.execute(found)})
    ids = [id_of[u] for u in uuids]
    lines = [
        {
            "invoice_id": invoice_id,
            "position": position,
            "watch_id": ln.watch_id,
            "description": ln.description,
            "quantity": ln.quantity,
            "unit_amount_minor": ln.unit_amount_minor,
        }
        for invoice_id, inv in zip(ids, invoices, strict=True)
        for position, ln in enumerate(inv.lines)
    ]
    if lines:
        connection.execute(insert(InvoiceLine), lines)
    return ids


def _serials(session: Session, watch_ids: set[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    ordered = sorted(watch_ids)
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        rows = session.execute(select(Watch.id, Watch.serial).where(Watch.id.in_(chunk)))
        found.update({row.id: row.serial for row in rows})
    return found


def _invoice_row(
    profile_id: int, inv: BulkInvoice, serial_of: dict[int, str], now: dt.datetime
) -> dict[str, object]:
    created = inv.created_at or now
    return {
        "uuid": str(uuid.uuid4()),
        "profile_id": profile_id,
        "contact_id": inv.contact_id,
        "customer_name": inv.customer_name,
        "customer_email": inv.customer_email,
        "currency": inv.currency,
        "memo": inv.memo,
        "state": inv.state,
        "number": inv.number,
        "stripe_invoice_id": inv.stripe_invoice_id,
        "total_minor": inv.total_minor,
        "amount_paid_minor": inv.amount_paid_minor,
        "amount_remaining_minor": inv.amount_remaining_minor,
        "due_at": inv.due_at,
        "finalized_at": inv.finalized_at,
        "paid_at": inv.paid_at,
        "last_synced_at": inv.last_synced_at,
        "payment_processing": inv.payment_processing,
        "payment_failed_message": inv.payment_failed_message,
        "created_at": created,
        "updated_at": created,
        "search_text": search_text(
            inv.number,
            inv.customer_name,
            inv.customer_email,
            inv.memo,
            (ln.description for ln in inv.lines),
        ),
        "search_serials": serials_text(
            serial_of.get(ln.watch_id, "") for ln in inv.lines if ln.watch_id is not None
        ),
    }
