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
    """One invoice line: a watch or a service. `unit_price` carries the invoice currency.

    A negative `unit_price` is a credit line (a trade-in allowance), sent to Stripe as a
    negative `amount` with quantity 1: Stripe's `price_data` takes non-negative prices only."""

    description: str
    unit_price: Money
    quantity: int = 1

    @property
    def is_credit(self) -> bool:
        return self.unit_price.minor < 0


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
    # What credit notes took off before payment (lowering amount_due) and after it.
    pre_payment_credit_notes_amount: int = 0
    post_payment_credit_notes_amount: int = 0
    # Whether any line is on it: an even trade-in totals 0 with its lines, as an empty draft.
    has_lines: bool = False

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


@dataclass(frozen=True, slots=True)
class StripeInvoiceLine:
    """One line of a Stripe invoice, as a credit note names it (`invoice_line_item`)."""

    id: str
    description: str | None
    amount: int  # negative for a credit line
    quantity: int | None
    currency: str


# Stripe's reasons for a credit note (the SDK types them as `Literal[...] | str`).
CREDIT_DUPLICATE = "duplicate"
CREDIT_FRAUDULENT = "fraudulent"
CREDIT_ORDER_CHANGE = "order_change"
CREDIT_PRODUCT_UNSATISFACTORY = "product_unsatisfactory"
CREDIT_REASONS = (
    CREDIT_DUPLICATE,
    CREDIT_FRAUDULENT,
    CREDIT_ORDER_CHANGE,
    CREDIT_PRODUCT_UNSATISFACTORY,
)
CREDIT_NOTE_ISSUED = "issued"
CREDIT_NOTE_VOID = "void"


@dataclass(frozen=True, slots=True)
class CreditLineDraft:
    """One line of a credit note: part of an invoice line, or a line of its own.

    For an invoice line give `invoice_line_id` and either `amount` or `quantity`; for a
    custom line give `description` and `amount` (the unit amount, times `quantity`)."""

    invoice_line_id: str | None = None
    amount: Money | None = None
    quantity: int | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class CreditNoteDraft:
    """What the app asks Stripe to credit on one finalized invoice.

    On an open invoice the credit first lowers what is due; whatever exceeds it (on a paid
    invoice, all of it) must be settled exactly by `refund` (back to the card that paid),
    `out_of_band` (money returned outside Stripe, such as a wire) and `balance_credit` (the
    buyer's Stripe balance, used by their next invoice). Give `lines`, `amount` or both."""

    invoice_id: str
    currency: str
    lines: tuple[CreditLineDraft, ...] = ()
    amount: Money | None = None
    reason: str | None = None
    memo: str | None = None
    refund: Money | None = None
    out_of_band: Money | None = None
    balance_credit: Money | None = None
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StripeCreditNoteLine:
    id: str
    # "invoice_line_item" or "custom_line_item"
    type: str
    invoice_line_id: str | None
    description: str | None
    amount: int
    quantity: int | None


@dataclass(frozen=True, slots=True)
class StripeCreditNote:
    id: str
    number: str
    invoice_id: str
    currency: str
    total: int
    # The part that lowered what was due, and the part settled by the three amounts below.
    pre_payment_amount: int
    post_payment_amount: int
    refund_amount: int
    out_of_band_amount: int
    # Stripe shows no balance credit on the credit note; it is what the other two leave.
    balance_credit_amount: int
    refund_ids: tuple[str, ...]
    reason: str | None
    memo: str | None
    # "issued" or "void"
    status: str
    pdf: str
    lines: tuple[StripeCreditNoteLine, ...]
    metadata: dict[str, str]
    created: datetime
    voided_at: datetime | None
