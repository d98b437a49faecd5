"""The plain values of credit notes: what a caller asks for and what the windows are shown.

No ORM object and nothing of Qt: the Invoices window, the deposit flow's "cancel the sale"
and the tests all hand in a CreditRequest and get CreditNoteView back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from tracker_desktop.domain.errors import FormInvalid
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.stripe_types import (
    CREDIT_DUPLICATE,
    CREDIT_FRAUDULENT,
    CREDIT_NOTE_ISSUED,
    CREDIT_NOTE_VOID,
    CREDIT_ORDER_CHANGE,
    CREDIT_PRODUCT_UNSATISFACTORY,
)


class CreditReason(StrEnum):
    """Stripe's reasons for a credit note, with the words a dealer reads."""

    DUPLICATE = CREDIT_DUPLICATE
    FRAUDULENT = CREDIT_FRAUDULENT
    ORDER_CHANGE = CREDIT_ORDER_CHANGE
    PRODUCT_UNSATISFACTORY = CREDIT_PRODUCT_UNSATISFACTORY

    @property
    def words(self) -> str:
        return {
            CreditReason.DUPLICATE: "Duplicate invoice",
            CreditReason.FRAUDULENT: "Fraudulent",
            CreditReason.ORDER_CHANGE: "Order changed (returned or corrected)",
            CreditReason.PRODUCT_UNSATISFACTORY: "Buyer not satisfied",
        }[self]


class Settlement(StrEnum):
    """How the part of a credit note beyond what is still due goes back to the buyer."""

    REFUND = "refund"  # to the card or bank account that paid (a Stripe refund)
    OUT_OF_BAND = "out_of_band"  # returned outside Stripe, such as a wire back


class CreditNoteState(StrEnum):
    PENDING = "pending"  # recorded and asked; Stripe's answer not yet recorded
    ISSUED = CREDIT_NOTE_ISSUED  # Stripe's own words for these two
    VOID = CREDIT_NOTE_VOID
    REFUSED = "refused"  # Stripe refused it: nothing was made


@dataclass(frozen=True, slots=True)
class CreditLineRequest:
    """Credit one line of the invoice (by its position), all of it or `amount` of it."""

    position: int
    amount: Money | None = None


@dataclass(frozen=True, slots=True)
class CreditRequest:
    """A credit note to issue on one open or paid invoice.

    No `lines`: the whole invoice (what earlier credit notes left). `restock`: positions of
    watch lines whose watch goes back in stock; each must be credited in full."""

    reason: CreditReason
    lines: tuple[CreditLineRequest, ...] = ()
    settlement: Settlement = Settlement.REFUND
    restock: frozenset[int] = frozenset()
    memo: str = ""


class CreditNoteInvalid(FormInvalid):
    """Every problem with a CreditRequest at once. Keys: "lines", "lines[2].amount",
    "restock[0]", "settlement", "reason", "memo", "invoice"."""


@dataclass(frozen=True, slots=True)
class CreditLineView:
    description: str
    amount: Money
    invoice_line_position: int | None
    restock: bool


@dataclass(frozen=True, slots=True)
class CreditNoteView:
    id: int
    state: CreditNoteState
    number: str | None
    total: Money
    pre_payment: Money  # lowered what was due
    refunded: Money
    out_of_band: Money
    reason: CreditReason | None
    memo: str
    created_at: dt.datetime
    issued_at: dt.datetime | None
    stripe_credit_note_id: str | None
    last_error: str | None
    pdf_path: str | None
    pdf_on_disk: bool
    lines: tuple[CreditLineView, ...]


@dataclass(frozen=True, slots=True)
class CreditTotals:
    """What the issued credit notes of one invoice add up to (void and refused ones not)."""

    credited: Money
    refunded: Money
    out_of_band: Money
    net: Money  # the invoice's total less what was credited

    @property
    def any(self) -> bool:
        return self.credited.minor > 0
