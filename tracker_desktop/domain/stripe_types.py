"""Plain values that cross layers when talking to Stripe: what the gateway takes and returns.

No Stripe objects leave the gateway; amounts stay integer minor units beside a currency code
(upper case, as the rest of the app uses). Times are aware UTC datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tracker_desktop.domain.money import Money

# Invoice statuses as Stripe names them (kept here so no layer types the strings by hand).
INVOICE_DRAFT = "draft"
INVOICE_OPEN = "open"
INVOICE_PAID = "paid"
INVOICE_VOID = "void"
INVOICE_UNCOLLECTIBLE = "uncollectible"
# An invoice payment's (one attempt's) statuses.
PAYMENT_OPEN = "open"
PAYMENT_PAID = "paid"
PAYMENT_CANCELED = "canceled"

# Address keys Stripe accepts on a customer.
ADDRESS_KEYS = ("line1", "line2", "city", "state", "postal_code", "country")


@dataclass(frozen=True, slots=True)
class StripeAccount:
    """Who a key belongs to. `account_id` is None when a restricted key may not read it."""

    account_id: str | None
    display_name: str | None
    livemode: bool


@dataclass(frozen=True, slots=True)
class CustomerDraft:
    """What the app sends to create or update a Stripe customer."""

    name: str
    email: str | None = None
    phone: str | None = None
    address: dict[str, str] = field(default_factory=dict)
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StripeCustomer:
    id: str
    name: str | None
    email: str | None
    phone: str | None
    address: dict[str, str]
    metadata: dict[str, str]
    # e.g. "Visa ending 4242", from the customer's default payment method when Stripe shows it.
    payment_method_summary: str | None
    created: datetime


@dataclass(frozen=True, slots=True)
class CustomerPage:
    customers: list[StripeCustomer]
    has_more: bool


@dataclass(frozen=True, slots=True)
class LineDraft:
    """One invoice line: a watch or a service. `unit_price` carries the invoice currency."""

    description: str
    unit_price: Money
    quantity: int = 1


@dataclass(frozen=True, slots=True)
class StripeInvoice:
    id: str
    number: str | None
    status: str
    currency: str
    total: int
    amount_due: int
    amount_paid: int
    amount_remaining: int
    customer_id: str | None
    due_date: datetime | None
    finalized_at: datetime | None
    paid_at: datetime | None
    voided_at: datetime | None
    marked_uncollectible_at: datetime | None
    hosted_invoice_url: str | None
    invoice_pdf: str | None
    metadata: dict[str, str]
    # Stripe's message for the last failed attempt (finalization or payment), if any.
    last_error_message: str | None
    created: datetime
    livemode: bool

    @property
    def tracker_invoice_id(self) -> str | None:
        return self.metadata.get("tracker_invoice_id")


@dataclass(frozen=True, slots=True)
class InvoicePage:
    invoices: list[StripeInvoice]
    has_more: bool


@dataclass(frozen=True, slots=True)
class StripeInvoicePayment:
    id: str
    # Stripe's invoice-payment status: PAYMENT_OPEN, PAYMENT_PAID or PAYMENT_CANCELED.
    status: str
    amount: int
    currency: str
    # "payment_intent", "charge" or "payment_record" (how Stripe links the payment).
    payment_type: str
    # The payment method kind when Stripe shows it ("card", "us_bank_account"...).
    method_type: str | None
    # True while a bank debit is on its way: the invoice stays open, never shown as paid.
    processing: bool
    error_message: str | None
    created: datetime


@dataclass(frozen=True, slots=True)
class StripeEvent:
    id: str
    type: str
    created: datetime
    object_id: str | None
    object_type: str | None


@dataclass(frozen=True, slots=True)
class EventPage:
    """Events newest first, as Stripe lists them."""

    events: list[StripeEvent]
    has_more: bool
