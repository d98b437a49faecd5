"""Watch inventory: serial numbers unique per profile, status that follows invoices (the
Watches window's search is watches_extra)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker_desktop.db.models import InvoiceLine, Watch
from tracker_desktop.domain.currencies import UnknownCurrency, normalize_code
from tracker_desktop.domain.errors import ValidationError
from tracker_desktop.domain.watch_status import WatchStatus


@dataclass(slots=True)
class WatchFields:
    """What the watch form edits. Its status follows its invoices (invoicing.state_moves)."""

    brand: str
    model: str
    serial: str
    currency: str
    reference: str = ""
    year: int | None = None
    condition: str = ""
    has_box: bool = False
    has_papers: bool = False
    purchase_cost_minor: int | None = None
    asking_price_minor: int | None = None
    notes: str = ""
    # The dealer's own status (in stock, on memo, in service); None leaves it as it is.
    status: WatchStatus | None = None
    away_with: str = ""
    away_since: dt.date | None = None


def describe(watch: Watch) -> str:
    ref = f" {watch.reference}" if watch.reference else ""
    return f"{watch.brand} {watch.model}{ref}, serial {watch.serial}"


def _apply(watch: Watch, data: WatchFields) -> None:
    for name, value in (("brand", data.brand), ("model", data.model), ("serial", data.serial)):
        if not value.strip():
            raise ValidationError(f"A watch needs a {name}.", field=name)
    for name, amount in (
        ("purchase_cost_minor", data.purchase_cost_minor),
        ("asking_price_minor", data.asking_price_minor),
    ):
        if amount is not None and amount < 0:
            raise ValidationError("Amounts cannot be negative.", field=name)
    try:
        watch.currency = normalize_code(data.currency)
    except UnknownCurrency as exc:
        raise ValidationError(str(exc), field="currency") from exc
    watch.brand = data.brand.strip()
    watch.model = data.model.strip()
    watch.serial = data.serial.strip()
    watch.reference = data.reference.strip()
    watch.year = data.year
    watch.condition = data.condition.strip()
    watch.has_box = data.has_box
    watch.has_papers = data.has_papers
    watch.purchase_cost_minor = data.purchase_cost_minor
    watch.asking_price_minor = data.asking_price_minor
    watch.notes = data.notes
    if data.status is not None:
        _apply_status(watch, data)


def _apply_status(watch: Watch, data: WatchFields) -> None:
    """On memo or in service, or back in stock; never over what an invoice decided."""
    assert data.status is not None
    current = WatchStatus(watch.status) if watch.status is not None else WatchStatus.IN_STOCK
    if data.status in (WatchStatus.RESERVED, WatchStatus.SOLD):
        raise ValidationError(f"A watch becomes {data.status.words} from an invoice.", "status")
    if current in (WatchStatus.RESERVED, WatchStatus.SOLD):
        if data.status is WatchStatus.IN_STOCK:
            return  # the form's "in stock" for a held watch: leave what the invoice set
        raise ValidationError(
            f"It is {current.words} on an invoice; it can go {data.status.words} once that "
            "invoice is voided.",
            "status",
        )
    watch.status = data.status
    away = data.status is not WatchStatus.IN_STOCK
    watch.away_with = data.away_with if away else ""
    watch.away_since = data.away_since if away else None


def _refuse_duplicate_serial(
    session: Session, profile_id: int, serial: str, except_id: int | None
) -> None:
    # Case-insensitive: "ab123" and "AB123" on two records is a typo, not two watches.
    stmt = select(Watch).where(
        Watch.profile_id == profile_id, func.lower(Watch.serial) == serial.strip().lower()
    )
    if except_id is not None:
        stmt = stmt.where(Watch.id != except_id)
    existing = session.scalar(stmt.limit(1))
    if existing is not None:
        raise ValidationError(
            f"Serial {serial.strip()} is already in inventory: {describe(existing)} "
            f"({existing.status.words}).",
            field="serial",
        )


def get_watch(session: Session, profile_id: int, watch_id: int) -> Watch | None:
    return session.scalar(select(Watch).where(Watch.profile_id == profile_id, Watch.id == watch_id))


def get_watch_by_serial(session: Session, profile_id: int, serial: str) -> Watch | None:
    return session.scalar(
        select(Watch).where(
            Watch.profile_id == profile_id, func.lower(Watch.serial) == serial.strip().lower()
        )
    )


def add_watch(session: Session, profile_id: int, data: WatchFields) -> Watch:
    _refuse_duplicate_serial(session, profile_id, data.serial, except_id=None)
    watch = Watch(profile_id=profile_id)
    _apply(watch, data)
    session.add(watch)
    _flush_or_refuse(session, watch, data.serial)
    return watch


def update_watch(session: Session, profile_id: int, watch_id: int, data: WatchFields) -> Watch:
    watch = _require(session, profile_id, watch_id)
    _refuse_duplicate_serial(session, profile_id, data.serial, except_id=watch_id)
    _apply(watch, data)
    _flush_or_refuse(session, watch, data.serial)
    return watch


def delete_watch(session: Session, profile_id: int, watch_id: int) -> None:
    """Delete a watch no invoice line refers to; otherwise refuse."""
    watch = _require(session, profile_id, watch_id)
    used = session.scalar(
        select(func.count()).select_from(InvoiceLine).where(InvoiceLine.watch_id == watch_id)
    )
    if used:
        raise ValidationError(f"{describe(watch)} is on an invoice; its history stays.")
    session.delete(watch)
    session.flush()


def _require(session: Session, profile_id: int, watch_id: int) -> Watch:
    watch = get_watch(session, profile_id, watch_id)
    if watch is None:
        raise ValidationError("That watch no longer exists.")
    return watch


def _flush_or_refuse(session: Session, watch: Watch, serial: str) -> None:
    # Another workstation may have added the same serial since our check.
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        if watch in session.new:
            session.expunge(watch)
        raise ValidationError(
            f"Serial {serial.strip()} is already in inventory.", field="serial"
        ) from exc
