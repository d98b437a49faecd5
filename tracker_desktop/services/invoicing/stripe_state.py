"""Apply what Stripe says about one invoice to the local one: fields, state, timeline, watches.

Shared by the push (its last answer), the dealer's actions and the poller, so the three
can never disagree on what "paid" or "processing" means locally. Two pollers (two windows,
two workstations) and a dealer's action may each hold a snapshot of the same invoice taken
at a different moment; whichever is written last must not undo a newer one, so applying is
monotonic (ARCHITECTURE.md "Poll"):

- a snapshot whose status the invoice has left behind (open after paid) is older than the one
  applied, whatever the clocks say: it changes nothing at all;
- a finalized invoice's total is fixed, what is paid only grows, what is due only shrinks;
- the payment flags (processing, last failure) can go back and forth, so they are taken only
  from a snapshot requested no earlier than the one applied last (`remote_fetched_at`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid as uuidlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker_desktop.db.models import Contact, Invoice, InvoiceLine
from tracker_desktop.domain.errors import IllegalTransition
from tracker_desktop.domain.invoice_state import FINALIZED, InvoiceState
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.stripe_status import is_behind, reconcile, state_for_stripe_status
from tracker_desktop.domain.stripe_types import (
    INVOICE_DRAFT,
    INVOICE_PAID,
    PAYMENT_PAID,
    StripeCustomer,
    StripeInvoice,
    StripeInvoicePayment,
)
from tracker_desktop.services.invoicing import state_moves

log = logging.getLogger(__name__)
S = InvoiceState

# Read again, under the row lock, before they are compared (the compare-and-set).
_COMPARED = (
    "state",
    "remote_fetched_at",
    "total_minor",
    "amount_paid_minor",
    "amount_remaining_minor",
    "payment_processing",
    "payment_failed_message",
)


@dataclass(frozen=True, slots=True)
class Applied:
    """What applying one snapshot did."""

    moved: bool  # the state moved forward
    # The invoice now says at least what the snapshot says, so the events that led to reading
    # it are dealt with. False only for an older snapshot whose payment flags disagree with
    # the invoice's: its reader cannot tell whose is right and must read Stripe again.
    current: bool


PaymentFlags = tuple[bool, str | None]  # (a bank debit is processing, last failure's message)


def _moment(remote: StripeInvoice, target: InvoiceState, now: dt.datetime) -> dt.datetime:
    return {
        S.OPEN: remote.finalized_at,
        S.PAID: remote.paid_at,
        S.VOID: remote.voided_at,
        S.UNCOLLECTIBLE: remote.marked_uncollectible_at,
    }.get(target) or now


def payment_flags(state: InvoiceState, payments: list[StripeInvoicePayment]) -> PaymentFlags:
    """Processing bank debits and the last failure, from the invoice's payment attempts."""
    attempts = sorted(payments, key=lambda p: p.created)
    processing = state == S.OPEN and any(p.processing for p in attempts)
    failed: str | None = None
    if attempts and state == S.OPEN and not processing:
        last = attempts[-1]
        if last.status != PAYMENT_PAID and last.error_message:
            failed = last.error_message
    return processing, failed


def _flags_of(
    remote: StripeInvoice, state: InvoiceState, payments: list[StripeInvoicePayment] | None
) -> PaymentFlags | None:
    """The flags this snapshot implies; None when it says nothing about them."""
    if remote.status == INVOICE_PAID:
        return False, None
    return payment_flags(state, payments) if payments is not None else None


def _set_flags(
    session: Session, invoice: Invoice, flags: PaymentFlags, seen_at: dt.datetime
) -> None:
    processing, failed = flags
    if processing and not invoice.payment_processing:
        state_moves.add_timeline(session, invoice, "processing", seen_at)
    invoice.payment_processing = processing
    invoice.payment_failed_message = failed


def _lock(session: Session, invoice: Invoice) -> None:
    # Compare what is in the database inside this write transaction: SQLite's BEGIN
    # IMMEDIATE (session_scope(write=True)) holds the file, a server database the row.
    session.flush()
    session.refresh(invoice, attribute_names=_COMPARED, with_for_update=True)


def _major(minor: int, currency: str) -> str:
    return f"{currency} {format(Money(minor, currency).to_major(), 'f')}"


def _conflict(invoice: Invoice, reason: str) -> Applied:
    # What the local history cannot reach: logged and shown, never papered over. Reading
    # again would not help, so the events are dealt with.
    log.warning("invoice %s: %s", invoice.id, reason)
    invoice.last_error = reason
    return Applied(moved=False, current=True)


def apply_remote(
    session: Session,
    invoice: Invoice,
    remote: StripeInvoice,
    now: dt.datetime,
    payments: list[StripeInvoicePayment] | None = None,
    *,
    fetched_at: dt.datetime,
    stripe_time: dt.datetime | None = None,
) -> Applied:
    """Bring `invoice` forward to what Stripe reports, never back.

    `fetched_at` is when the request that returned `remote` was sent, taken just before it:
    Stripe answered with a state at least that recent. `stripe_time`, when known, is Stripe's
    time of the newest event that led to this read: it dates what the invoice itself does
    not (a bank debit's start), so the timeline keeps Stripe's order. Call inside
    `session_scope(write=True)`, so the compare and the write are one transaction.
    """
    _lock(session, invoice)
    current = InvoiceState(invoice.state)
    if is_behind(current, remote.status):
        log.debug("invoice %s: older snapshot (%s) ignored", invoice.id, remote.status)
        return Applied(moved=False, current=True)
    try:
        steps = reconcile(current, remote.status)
    except IllegalTransition as exc:
        return _conflict(invoice, str(exc))
    finalized = current in FINALIZED
    if finalized and remote.status != INVOICE_DRAFT and remote.total != invoice.total_minor:
        return _conflict(
            invoice,
            f"Stripe reports a total of {_major(remote.total, invoice.currency)} for this "
            f"invoice, finalized at {_major(invoice.total_minor, invoice.currency)}",
        )
    stored = invoice.remote_fetched_at
    newer = bool(steps) or stored is None or fetched_at >= stored
    _merge_amounts(invoice, remote, finalized)
    if not newer:
        # The same state, seen earlier than the snapshot applied last (or by a clock behind
        # its writer's). Amounts only moved forward above; the flags stay as they are.
        flags = _flags_of(remote, current, payments)
        shown = (invoice.payment_processing, invoice.payment_failed_message)
        return Applied(moved=False, current=flags is None or flags == shown)
    invoice.stripe_invoice_id = remote.id
    invoice.stripe_customer_id = remote.customer_id or invoice.stripe_customer_id
    invoice.number = remote.number or invoice.number
    invoice.hosted_invoice_url = remote.hosted_invoice_url or invoice.hosted_invoice_url
    invoice.invoice_pdf_url = remote.invoice_pdf or invoice.invoice_pdf_url
    invoice.due_at = remote.due_date or invoice.due_at
    invoice.finalized_at = remote.finalized_at or invoice.finalized_at
    invoice.paid_at = remote.paid_at or invoice.paid_at
    invoice.last_synced_at = now
    # Never lowered: a clock behind another writer's cannot reopen the flags to older news.
    invoice.remote_fetched_at = fetched_at if stored is None else max(stored, fetched_at)
    for target in steps:
        state_moves.move_to(session, invoice, target, _moment(remote, target, now))
    after = InvoiceState(invoice.state)
    if after in FINALIZED:
        invoice.last_error = None  # Stripe and the invoice agree again
    flags = _flags_of(remote, after, payments)
    if flags is not None:
        _set_flags(session, invoice, flags, stripe_time or fetched_at)
    return Applied(moved=bool(steps), current=True)


def _merge_amounts(invoice: Invoice, remote: StripeInvoice, finalized: bool) -> None:
    if remote.status == INVOICE_DRAFT:
        return  # the local lines are the truth until Stripe finalizes
    if not finalized:
        invoice.total_minor = remote.total
        invoice.amount_paid_minor = remote.amount_paid
        invoice.amount_remaining_minor = remote.amount_remaining
        return
    # Finalized: the total is fixed (checked by the caller); paid only grows, due only shrinks.
    invoice.amount_paid_minor = max(invoice.amount_paid_minor, remote.amount_paid)
    invoice.amount_remaining_minor = min(invoice.amount_remaining_minor, remote.amount_remaining)


def import_remote(
    session: Session,
    profile_id: int,
    remote: StripeInvoice,
    customer: StripeCustomer | None,
    now: dt.datetime,
    *,
    fetched_at: dt.datetime,
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
        amount_paid_minor=remote.amount_paid,
        amount_remaining_minor=remote.amount_remaining,
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
    state_moves.add_timeline(session, invoice, "imported", now)
    state_moves.add_timeline(session, invoice, "finalized", remote.finalized_at or remote.created)
    apply_remote(session, invoice, remote, now, fetched_at=fetched_at)
    return invoice
