"""Invoices: drafts with their lines, one invoice with its timeline (history: invoice_history)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from tracker_desktop.db.models import Contact, Invoice, InvoiceLine, Watch
from tracker_desktop.db.sale_models import TradeIn as TradeInRow
from tracker_desktop.domain.currencies import UnknownCurrency, normalize_code
from tracker_desktop.domain.draft import TradeIn
from tracker_desktop.domain.errors import ValidationError
from tracker_desktop.domain.invoice_state import InvoiceState

EDITABLE_STATES = (InvoiceState.LOCAL_DRAFT,)


@dataclass(slots=True)
class LineDraft:
    description: str
    unit_amount_minor: int
    quantity: int = 1
    watch_id: int | None = None
    trade_in: TradeIn | None = None  # a credit line: its amount is minus the allowance
    credit: bool = False  # a credit line the app makes (the deposit, on its balance)


@dataclass(slots=True)
class InvoiceDraft:
    """The invoice as composed. With a contact and no customer name, the contact's is used."""

    currency: str
    contact_id: int | None = None
    customer_name: str = ""
    customer_email: str = ""
    customer_address_json: str = "{}"
    days_until_due: int = 14
    memo: str = ""
    footer: str = ""


def create_draft(
    session: Session, profile_id: int, draft: InvoiceDraft, lines: Sequence[LineDraft]
) -> Invoice:
    """Save a composed invoice locally (state local_draft) before anything goes to Stripe."""
    invoice = Invoice(profile_id=profile_id, uuid=str(uuid.uuid4()), state=InvoiceState.LOCAL_DRAFT)
    _apply(session, invoice, draft, lines)
    session.add(invoice)
    session.flush()
    return invoice


def update_draft(
    session: Session,
    profile_id: int,
    invoice_id: int,
    draft: InvoiceDraft,
    lines: Sequence[LineDraft],
) -> Invoice:
    """Replace a draft's fields and lines; only before its push has started."""
    invoice = get_invoice(session, profile_id, invoice_id)
    if invoice is None:
        raise ValidationError("That invoice no longer exists.")
    if invoice.state not in EDITABLE_STATES or invoice.push_step is not None:
        raise ValidationError("This invoice has gone to Stripe and can no longer be edited.")
    invoice.lines.clear()
    session.flush()  # old lines out before positions are reused
    _apply(session, invoice, draft, lines)
    session.flush()
    return invoice


def _apply(
    session: Session, invoice: Invoice, draft: InvoiceDraft, lines: Sequence[LineDraft]
) -> None:
    profile_id = invoice.profile_id
    if not lines:
        raise ValidationError("An invoice needs at least one line.", field="lines")
    try:
        currency = normalize_code(draft.currency)
    except UnknownCurrency as exc:
        raise ValidationError(str(exc), field="currency") from exc
    if not 0 <= draft.days_until_due <= 365:
        raise ValidationError("Days until due must be between 0 and 365.", field="days_until_due")
    name, email = draft.customer_name.strip(), draft.customer_email.strip()
    if draft.contact_id is not None:
        contact = session.scalar(
            select(Contact).where(Contact.profile_id == profile_id, Contact.id == draft.contact_id)
        )
        if contact is None:
            raise ValidationError("That client no longer exists.", field="contact")
        name = name or contact.name
        email = email or contact.email
    if not name:
        raise ValidationError("An invoice needs a customer name.", field="customer_name")
    watch_ids = {line.watch_id for line in lines if line.watch_id is not None}
    if watch_ids:
        found = set(
            session.scalars(
                select(Watch.id).where(Watch.profile_id == profile_id, Watch.id.in_(watch_ids))
            )
        )
        if found != watch_ids:
            raise ValidationError("A watch on this invoice is no longer in inventory.")
    total = 0
    new_lines = []
    for position, line in enumerate(lines):
        if line.quantity < 1:
            raise ValidationError("Quantity must be at least 1.", field="quantity")
        if line.unit_amount_minor < 0 and line.trade_in is None and not line.credit:
            raise ValidationError("A price cannot be negative.", field="unit_amount")
        if not line.description.strip():
            raise ValidationError("Each line needs a description.", field="description")
        total += line.quantity * line.unit_amount_minor
        new_lines.append(
            InvoiceLine(
                position=position,
                watch_id=line.watch_id,
                description=line.description.strip(),
                quantity=line.quantity,
                unit_amount_minor=line.unit_amount_minor,
                trade_in=None if line.trade_in is None else _trade_in_row(line.trade_in),
            )
        )
    invoice.contact_id = draft.contact_id
    invoice.customer_name = name
    invoice.customer_email = email
    invoice.customer_address_json = draft.customer_address_json
    invoice.currency = currency
    invoice.days_until_due = draft.days_until_due
    invoice.memo = draft.memo
    invoice.footer = draft.footer
    invoice.lines = new_lines
    invoice.total_minor = total
    invoice.amount_paid_minor = 0
    invoice.amount_remaining_minor = total


def _one(session: Session, stmt: Select[Invoice]) -> Invoice | None:
    # populate_existing: an invoice already in this session gets fresh lines and events.
    return session.scalar(
        stmt.options(selectinload(Invoice.lines), selectinload(Invoice.events)).execution_options(
            populate_existing=True
        )
    )


def get_invoice(session: Session, profile_id: int, invoice_id: int) -> Invoice | None:
    """One invoice with its lines and events loaded (readable after the session closes)."""
    return _one(
        session, select(Invoice).where(Invoice.profile_id == profile_id, Invoice.id == invoice_id)
    )


def get_invoice_by_uuid(session: Session, profile_id: int, invoice_uuid: str) -> Invoice | None:
    return _one(
        session,
        select(Invoice).where(Invoice.profile_id == profile_id, Invoice.uuid == invoice_uuid),
    )


def get_invoice_by_stripe_id(
    session: Session, profile_id: int, stripe_invoice_id: str
) -> Invoice | None:
    return _one(
        session,
        select(Invoice).where(
            Invoice.profile_id == profile_id, Invoice.stripe_invoice_id == stripe_invoice_id
        ),
    )


def _trade_in_row(trade: TradeIn) -> TradeInRow:
    return TradeInRow(
        brand=trade.brand.strip(),
        model=trade.model.strip(),
        reference=trade.reference.strip(),
        serial=trade.serial.strip(),
        year=trade.year,
    )
