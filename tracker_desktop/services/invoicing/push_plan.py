"""The push's plan: its steps in order and their labels, how far a stored step got, and the
small writes each step saves (push.py runs them)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from enum import StrEnum

from sqlalchemy.orm import Session

from tracker_desktop.db.models import Invoice
from tracker_desktop.db.repositories import sales

BUSY_ELSEWHERE = (
    "This invoice is being sent from another window or computer right now; its status "
    "follows when that finishes."
)
# The metadata key that ties a one-off buyer's Stripe customer to its invoice.
ONE_OFF_KEY = "tracker_invoice_id"


class PushTakenOver(Exception):
    """This run lost the invoice's lease (it stalled past the lease, another run took over):
    it must write nothing more."""


class PushStep(StrEnum):
    """The push's steps, in order. Invoice.push_step stores the last one that succeeded."""

    CUSTOMER = "customer"
    CREATE_INVOICE = "create_invoice"
    ADD_LINES = "add_lines"
    FINALIZE = "finalize"
    DONE = "done"

    @property
    def label(self) -> str:
        return _STEP_LABELS[self]


_STEP_LABELS: Mapping[PushStep, str] = {
    PushStep.CUSTOMER: "Preparing the customer in Stripe…",
    PushStep.CREATE_INVOICE: "Creating the invoice…",
    PushStep.ADD_LINES: "Adding the lines…",
    PushStep.FINALIZE: "Finalizing…",
    PushStep.DONE: "Ready for payment",
}


# Called as each step starts (and with DONE at the end), for the composer's progress text.
PushProgress = Callable[[PushStep], None]
# Stripe keeps idempotency keys 24 hours; an hour of margin for clocks and long runs.
KEYS_TRUSTED_FOR = dt.timedelta(hours=23)
ORDER = (PushStep.CUSTOMER, PushStep.CREATE_INVOICE, PushStep.ADD_LINES, PushStep.FINALIZE)


def steps_done(step: str | None) -> int:
    """How many steps are done, from the stored push_step."""
    if step is None:
        return 0
    if step == PushStep.DONE:
        return len(ORDER)
    return ORDER.index(PushStep(step)) + 1


def customer_fingerprint(invoice: Invoice) -> str:
    """Part of the create-customer key: an edited one-off customer is a new request."""
    raw = json.dumps([invoice.customer_name, invoice.customer_email, invoice.customer_address_json])
    return hashlib.sha256(raw.encode()).hexdigest()[:12]


def set_customer(customer_id: str) -> Callable[[Invoice], None]:
    def apply(inv: Invoice) -> None:
        inv.stripe_customer_id = customer_id

    return apply


def set_stripe_id(stripe_id: str) -> Callable[[Invoice], None]:
    def apply(inv: Invoice) -> None:
        inv.stripe_invoice_id = stripe_id

    return apply


def sale_metadata(session: Session, invoice: Invoice) -> dict[str, str]:
    """The sale an invoice belongs to, as Stripe's metadata shows it beside the invoice."""
    link = sales.link_of(session, invoice.id)
    if link is None:
        return {}
    return {
        "tracker_sale_id": str(link.sale_id),
        "tracker_sale_role": link.role,
        "tracker_sale_part": f"{link.part} of {link.parts}",
    }
