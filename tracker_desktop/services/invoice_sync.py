"""Apply what Stripe says about one invoice to the local one: fields, state, timeline, watches.

Shared by the push (its last answer), the dealer's actions and the poller, so the three
can never disagree on what "paid" or "processing" means locally.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid as uuidlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker_desktop.db.models import Contact, Invoice, InvoiceLine
from tracker_desktop.domain.errors import IllegalTransition
from tracker_desktop.domain.invoice_state import InvoiceState, reconcile, state_for_stripe_status
from tracker_desktop.domain.stripe_types import (
    INVOICE_PAID,
    StripeCustomer,
    StripeInvoice,
    StripeInvoicePayment,
)
from tracker_desktop.services import inventory_status

log = logging.getLogger(__name__)
S = InvoiceState


def _moment(remote: StripeInvoice, target: InvoiceState, now: dt.datetime) -> dt.datetime:
    return {
        S.OPEN: remote.finalized_at,
        S.PAID: remote.paid_at,
        S.VOID: remote.voided_at,
        S.UNCOLLECTIBLE: remote.marked_uncollectible_at,
    }.get(target) or now


def apply_payments(
    session: Session, invoice: Invoice, payments: list[StripeInvoicePayment], now: dt.datetime
) -> None:
    """Processing bank debits and the last failure, from the invoice's payment attempts."""
    attempts = sorted(payments, key=lambda p: p.created)
    processing = invoice.state == S.OPEN and any(p.processing for p in attempts)
    failed: str | None = None
    if attempts and invoice.state == S.OPEN and not processing:
        last = attempts[-1]
        if last.status != "paid" and last.error_message:
            failed = last.error_message
    if processing and not invoice.payment_processing:
        inventory_status.add_timeline(session, invoice, "processing", now)
    invoice.payment_processing = processing
    invoice.payment_failed_message = failed


def apply_remote(
    session: Session,
    invoice: Invoice,
    remote: StripeInvoice,
    now: dt.datetime,
    payments: list[StripeInvoicePayment] | None = None,
) -> bool:
    """Bring `invoice` to what Stripe reports. True if its state changed."""
    invoice.stripe_invoice_id = remote.id
    invoice.stripe_customer_id = remote.customer_id or invoice.stripe_customer_id
    invoice.number = remote.number or invoice.number
    invoice.hosted_invoice_url = remote.hosted_invoice_url or invoice.hosted_invoice_url
    invoice.invoice_pdf_url = remote.invoice_pdf or invoice.invoice_pdf_url
    invoice.due_at = remote.due_date or invoice.due_at
    invoice.finalized_at = remote.finalized_at or invoice.finalized_at
    invoice.paid_at = remote.paid_at or invoice.paid_at
    if remote.status != "draft":
        invoice.total_minor = remote.total
        invoice.amount_paid_minor = remote.amount_paid
        invoice.amount_remaining_minor = remote.amount_remaining
    invoice.last_synced_at = now
    try:
        steps = reconcile(InvoiceState(invoice.state), remote.status)
    except IllegalTransition as exc:
        # A conflict to log and show, never to paper over.
        log.warning("invoice %s: %s", invoice.id, exc)
        invoice.last_error = str(exc)
        return False
    for target in steps:
        inventory_status.move_to(session, invoice, target, _moment(remote, target, now))
    if remote.status == INVOICE_PAID:
        invoice.payment_processing = False
        invoice.payment_failed_message = None
    elif payments is not None:
        apply_payments(session, invoice, payments, now)
    return bool(steps)


def import_remote(
    session: Session,
    profile_id: int,
    remote: StripeInvoice,
    customer: StripeCustomer | None,
    now: dt.datetime,
) -> Invoice | None:
    """A finalized invoice made outside the app (the Dashboard), kept so the history is
    whole. Stripe's lines are not fetched: one line carries the total."""
    target = state_for_stripe_status(remote.status)
    if target is None:
        return None  # a Dashboard draft: imported once it is finalized
    contact = None
    if remote.customer_id:
        contact = session.scalar(
            select(Contact).where(
                Contact.profile_id == profile_id, Contact.stripe_customer_id == remote.customer_id
            )
        )
    address = customer.address if customer is not None else {}
    invoice = Invoice(
        profile_id=profile_id,
        uuid=str(uuidlib.uuid4()),
        contact_id=contact.id if contact is not None else None,
        customer_name=(customer.name if customer else None) or (contact.name if contact else ""),
        customer_email=(customer.email if customer else None) or "",
        customer_address_json=json.dumps(address),
        currency=remote.currency.upper(),
        days_until_due=0,
        memo="",
        state=S.OPEN.value,
        push_step="done",
        total_minor=remote.total,
        created_at=remote.created,
        lines=[
            InvoiceLine(
                position=0,
                description=f"Invoice {remote.number or remote.id} (made in Stripe)",
                quantity=1,
                unit_amount_minor=remote.total,
            )
        ],
    )
    session.add(invoice)
    session.flush()
    inventory_status.add_timeline(session, invoice, "imported", now)
    inventory_status.add_timeline(
        session, invoice, "finalized", remote.finalized_at or remote.created
    )
    apply_remote(session, invoice, remote, now)
    return invoice
