"""Sales over several invoices: making one, linking its invoices, reading it back.

Scoped by profile like every repository; nothing here commits.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker_desktop.db.models import Invoice
from tracker_desktop.db.sale_models import Sale, SaleInvoice


def create_sale(session: Session, profile_id: int, kind: str, currency: str, total: int) -> Sale:
    sale = Sale(profile_id=profile_id, kind=kind, currency=currency, total_minor=total)
    session.add(sale)
    session.flush()
    return sale


def link(
    session: Session, sale: Sale, invoice: Invoice, role: str, part: int = 1, parts: int = 1
) -> SaleInvoice:
    row = SaleInvoice(sale_id=sale.id, invoice_id=invoice.id, role=role, part=part, parts=parts)
    session.add(row)
    session.flush()
    return row


def link_of(session: Session, invoice_id: int) -> SaleInvoice | None:
    return session.get(SaleInvoice, invoice_id)


def get_sale(session: Session, profile_id: int, sale_id: int) -> Sale | None:
    sale = session.get(Sale, sale_id)
    return sale if sale is not None and sale.profile_id == profile_id else None


def sale_invoices(session: Session, sale_id: int) -> list[tuple[SaleInvoice, Invoice]]:
    """The sale's invoices in their order: deposit before balance, part 1 before part 2."""
    rows = session.execute(
        select(SaleInvoice, Invoice)
        .join(Invoice, Invoice.id == SaleInvoice.invoice_id)
        .where(SaleInvoice.sale_id == sale_id)
        .order_by(SaleInvoice.part, Invoice.id)
    ).all()
    return [(link, invoice) for link, invoice in rows]
