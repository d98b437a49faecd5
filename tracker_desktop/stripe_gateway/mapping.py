"""Stripe objects to the app's plain dataclasses. Nothing from the SDK leaks past this module."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import stripe

from tracker_desktop.domain.stripe_types import (
    ADDRESS_KEYS,
    INVOICE_DRAFT,
    PAYMENT_OPEN,
    StripeAccount,
    StripeCreditNote,
    StripeCreditNoteLine,
    StripeCustomer,
    StripeEvent,
    StripeInvoice,
    StripeInvoiceLine,
    StripeInvoicePayment,
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def utc(ts: int | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, tz=UTC)


def _created(ts: int | None) -> datetime:
    return utc(ts) or _EPOCH


def _id(field: str | stripe.StripeObject | None) -> str | None:
    """An expandable field holds either an id or the expanded object."""
    if field is None or isinstance(field, str):
        return field
    value = optional(field, "id")
    return value if isinstance(value, str) else None


def _strings(obj: stripe.StripeObject | None) -> dict[str, str]:
    if obj is None:
        return {}
    return {str(k): str(v) for k, v in obj.to_dict().items() if v is not None}


def optional(obj: stripe.StripeObject | None, key: str) -> Any:
    """A field a simulator or an older object may leave out (None when absent)."""
    if obj is None:
        return None
    try:
        return obj[key]
    except KeyError:
        return None


def account(acct: stripe.Account, livemode: bool) -> StripeAccount:
    name = optional(optional(optional(acct, "settings"), "dashboard"), "display_name")
    if not name:
        name = optional(optional(acct, "business_profile"), "name")
    if not name:
        name = optional(acct, "email")
    return StripeAccount(
        account_id=acct.id, display_name=str(name) if name else None, livemode=livemode
    )


def payment_method_summary(pm: str | stripe.PaymentMethod | None) -> str | None:
    """'Visa ending 4242' when the default payment method was expanded; None otherwise."""
    if pm is None or isinstance(pm, str):
        return None
    card = optional(pm, "card")
    if card is not None:
        brand = str(optional(card, "brand") or "Card")
        label = "American Express" if brand == "amex" else brand.replace("_", " ").title()
        last4 = optional(card, "last4")
        return f"{label} ending {last4}" if last4 else label
    bank = optional(pm, "us_bank_account") or optional(pm, "sepa_debit")
    if optional(bank, "last4"):
        bank_name = optional(bank, "bank_name") or "Bank"
        return f"{bank_name} account ending {bank['last4']}"
    kind = optional(pm, "type")
    return str(kind).replace("_", " ").capitalize() if kind else None


def customer(cust: stripe.Customer) -> StripeCustomer:
    address: dict[str, str] = {}
    if cust.address is not None:
        raw = cust.address.to_dict()
        address = {k: str(raw[k]) for k in ADDRESS_KEYS if raw.get(k)}
    default_pm = optional(optional(cust, "invoice_settings"), "default_payment_method")
    return StripeCustomer(
        id=cust.id,
        name=cust.name,
        email=cust.email,
        phone=cust.phone,
        address=address,
        metadata=_strings(cust.metadata),
        payment_method_summary=payment_method_summary(default_pm),
        created=_created(cust.created),
    )


def invoice(inv: stripe.Invoice) -> StripeInvoice:
    transitions = optional(inv, "status_transitions")

    def moment(key: str) -> datetime | None:
        if transitions is None or key not in transitions:
            return None
        value = transitions[key]
        return utc(int(value)) if value is not None else None

    error_message = optional(optional(inv, "last_finalization_error"), "message")
    return StripeInvoice(
        id=inv.id,
        number=inv.number,
        status=inv.status or INVOICE_DRAFT,
        currency=inv.currency.upper(),
        total=inv.total,
        amount_due=inv.amount_due,
        amount_paid=inv.amount_paid,
        amount_remaining=inv.amount_remaining,
        customer_id=_id(inv.customer),
        due_date=utc(inv.due_date),
        finalized_at=moment("finalized_at"),
        paid_at=moment("paid_at"),
        voided_at=moment("voided_at"),
        marked_uncollectible_at=moment("marked_uncollectible_at"),
        hosted_invoice_url=inv.hosted_invoice_url,
        invoice_pdf=inv.invoice_pdf,
        metadata=_strings(inv.metadata),
        last_error_message=str(error_message) if error_message else None,
        created=_created(inv.created),
        livemode=bool(optional(inv, "livemode")),
        pre_payment_credit_notes_amount=int(optional(inv, "pre_payment_credit_notes_amount") or 0),
        post_payment_credit_notes_amount=int(
            optional(inv, "post_payment_credit_notes_amount") or 0
        ),
        has_lines=bool(optional(optional(inv, "lines"), "data")),
    )


def invoice_line(line: stripe.InvoiceLineItem) -> StripeInvoiceLine:
    return StripeInvoiceLine(
        id=line.id,
        description=line.description,
        amount=line.amount,
        quantity=line.quantity,
        currency=line.currency.upper(),
    )


def credit_note(note: stripe.CreditNote) -> StripeCreditNote:
    refunds = list(note.refunds or [])
    refunded = sum(r.amount_refunded for r in refunds)
    out_of_band = note.out_of_band_amount or 0
    return StripeCreditNote(
        id=note.id,
        number=note.number,
        invoice_id=_id(note.invoice) or "",
        currency=note.currency.upper(),
        total=note.total,
        pre_payment_amount=note.pre_payment_amount,
        post_payment_amount=note.post_payment_amount,
        refund_amount=refunded,
        out_of_band_amount=out_of_band,
        # Stripe requires refunds + out of band + balance credit to equal the post-payment part.
        balance_credit_amount=max(0, note.post_payment_amount - refunded - out_of_band),
        refund_ids=tuple(rid for r in refunds if (rid := _id(optional(r, "refund")))),
        reason=note.reason,
        memo=note.memo,
        status=str(note.status),
        pdf=note.pdf,
        lines=tuple(
            StripeCreditNoteLine(
                id=li.id,
                type=str(li.type),
                invoice_line_id=li.invoice_line_item,
                description=li.description,
                amount=li.amount,
                quantity=li.quantity,
            )
            for li in note.lines.data
        ),
        metadata=_strings(note.metadata),
        created=_created(note.created),
        voided_at=utc(note.voided_at),
    )


def open_intent_id(payment: stripe.InvoicePayment) -> str | None:
    """The PaymentIntent behind a still-open attempt, whose state the invoice does not show."""
    link = optional(payment, "payment")
    if payment.status != PAYMENT_OPEN or optional(link, "type") != "payment_intent":
        return None
    intent = optional(link, "payment_intent")
    return intent if isinstance(intent, str) else _id(intent)


def invoice_payment(
    payment: stripe.InvoicePayment, intent: stripe.PaymentIntent | None = None
) -> StripeInvoicePayment:
    link = optional(payment, "payment")
    payment_type = str(optional(link, "type") or "unknown")
    if intent is None:
        embedded = optional(link, "payment_intent")
        intent = None if isinstance(embedded, str) else embedded
    processing = False
    method_type: str | None = None
    error_message: str | None = None
    if intent is not None:
        processing = optional(intent, "status") == "processing"
        # The method actually used; the intent's list of allowed types does not say which.
        pm = optional(intent, "payment_method")
        if pm is not None and not isinstance(pm, str) and optional(pm, "type"):
            method_type = str(pm["type"])
        message = optional(optional(intent, "last_payment_error"), "message")
        error_message = str(message) if message else None
    amount = payment.amount_paid if payment.amount_paid is not None else payment.amount_requested
    return StripeInvoicePayment(
        id=payment.id,
        status=payment.status,
        amount=amount,
        currency=payment.currency.upper(),
        payment_type=payment_type,
        method_type=method_type,
        processing=processing,
        error_message=error_message,
        created=_created(payment.created),
    )


def event(evt: stripe.Event) -> StripeEvent:
    obj = optional(optional(evt, "data"), "object")
    object_id = optional(obj, "id")
    object_type = optional(obj, "object")
    return StripeEvent(
        id=evt.id,
        type=str(evt.type),
        created=_created(evt.created),
        object_id=str(object_id) if object_id is not None else None,
        object_type=str(object_type) if object_type is not None else None,
    )
