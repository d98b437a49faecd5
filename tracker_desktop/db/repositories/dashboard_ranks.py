"""The Dashboard's rankings of a year: the best clients (paid totals less their issued credit
notes) and the best-selling brands (watches on paid invoices, less those returned), per
currency, summed in SQL (see dashboard.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker_desktop.db.models import Contact, Invoice, InvoiceLine, Watch
from tracker_desktop.db.repositories.dashboard_credits import credited_on_paid, returned_watch_lines
from tracker_desktop.db.repositories.dashboard_filters import paid_within


@dataclass(frozen=True, slots=True)
class ClientSum:
    contact_id: int | None  # None: a one-off buyer, known by name only
    name: str
    currency: str
    minor: int
    count: int


@dataclass(frozen=True, slots=True)
class BrandSum:
    brand: str
    currency: str
    watches: int
    minor: int


def clients_paid(
    session: Session, profile_id: int, start: dt.datetime, end: dt.datetime, top: int
) -> list[ClientSum]:
    """The `top` clients of each currency by paid totals; a one-off buyer (no client) by the
    name on the invoice, a client by their name now."""
    paid = [*paid_within(profile_id, start, end)]
    total, count = func.sum(Invoice.total_minor), func.count()
    clients = (  # the covering index alone
        select(Invoice.contact_id, Invoice.currency, total, count)
        .where(*paid, Invoice.contact_id.is_not(None))
        .group_by(Invoice.contact_id, Invoice.currency)
    )
    one_offs = (
        select(Invoice.customer_name, Invoice.currency, total, count)
        .where(*paid, Invoice.contact_id.is_(None))
        .group_by(Invoice.customer_name, Invoice.currency)
    )
    credited = _credited(session, profile_id, start, end)
    rows = [
        ClientSum(i, "", c, int(s) - credited.get((i, "", c), 0), int(n))
        for i, c, s, n in session.execute(clients)
    ]
    rows += [
        ClientSum(None, name, c, int(s) - credited.get((None, name, c), 0), int(n))
        for name, c, s, n in session.execute(one_offs)
    ]
    best: list[ClientSum] = []
    for code in sorted({row.currency for row in rows}):
        of_code = [row for row in rows if row.currency == code]
        best += sorted(of_code, key=lambda r: (-r.minor, r.contact_id or 0, r.name))[:top]
    ids = {row.contact_id for row in best if row.contact_id is not None}
    names = dict(session.execute(select(Contact.id, Contact.name).where(Contact.id.in_(ids))).all())
    return [replace(row, name=names.get(row.contact_id or 0, row.name)) for row in best]


def _credited(
    session: Session, profile_id: int, start: dt.datetime, end: dt.datetime
) -> dict[tuple[int | None, str, str], int]:
    """Issued credit notes on the paid invoices, by (client, or a one-off's name; currency)."""
    credited: dict[tuple[int | None, str, str], int] = {}
    for _created, code, contact_id, name, minor in credited_on_paid(
        session, profile_id, start, end
    ):
        key = (contact_id, "", code) if contact_id is not None else (None, name, code)
        credited[key] = credited.get(key, 0) + int(minor)
    return credited


def brands_sold(
    session: Session, profile_id: int, start: dt.datetime, end: dt.datetime
) -> list[BrandSum]:
    """Watches sold on paid invoices per brand and currency, with their lines' amounts."""
    stmt = (
        select(
            Watch.brand,
            Invoice.currency,
            func.count(InvoiceLine.id),
            func.sum(InvoiceLine.quantity * InvoiceLine.unit_amount_minor),
        )
        .join(InvoiceLine, InvoiceLine.invoice_id == Invoice.id)
        .join(Watch, Watch.id == InvoiceLine.watch_id)
        .where(*paid_within(profile_id, start, end))
        .group_by(Watch.brand, Invoice.currency)
    )
    # A watch returned by credit note was not sold (taken off here, see dashboard.py).
    back: dict[tuple[str, str], tuple[int, int]] = {}
    for _created, _code, brand, sold, _cost, sold_in in returned_watch_lines(
        session, profile_id, start, end
    ):
        was = back.get((brand, sold_in), (0, 0))
        back[(brand, sold_in)] = (was[0] + 1, was[1] + int(sold))
    out = []
    for b, c, n, s in session.execute(stmt):
        count, minor = back.get((b, c), (0, 0))
        if int(n) - count > 0:
            out.append(BrandSum(b, c, int(n) - count, int(s) - minor))
    return out
