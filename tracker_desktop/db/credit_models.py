"""Credit notes kept locally: what the dealer asked Stripe to credit, and what Stripe issued.

A row is written *before* the request goes to Stripe (state `pending`), so a crash or a lost
answer leaves a record of the intent; its `uuid` seeds the request's idempotency key and is
sent as metadata, so a retry (or the poller) finds the one credit note Stripe made. Credit
notes made elsewhere (Stripe's Dashboard) are recorded by the poller, with no intent behind.
Money is integer minor units in the invoice's currency.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker_desktop.db.models import Base, utcnow


class CreditNote(Base):
    __tablename__ = "credit_notes"
    __table_args__ = (UniqueConstraint("profile_id", "stripe_credit_note_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoices.id", ondelete="CASCADE"), index=True
    )
    # pending (asked, not confirmed) | issued | void | refused (Stripe said no: nothing made)
    state: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    total_minor: Mapped[int] = mapped_column(BigInteger)
    # What lowered the amount due, and what was settled after payment (refund or outside).
    pre_payment_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    post_payment_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    refund_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    out_of_band_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    reason: Mapped[str | None] = mapped_column(String(32))
    memo: Mapped[str] = mapped_column(Text, default="")
    # The request as asked (JSON), so a retry sends exactly the same parameters.
    request_json: Mapped[str] = mapped_column(Text, default="{}")
    # Who sends the request now and until when (as the push's lease, push_lease).
    run_owner: Mapped[str | None] = mapped_column(String(64))
    run_lease_until: Mapped[dt.datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)
    stripe_credit_note_id: Mapped[str | None] = mapped_column(String(64))
    number: Mapped[str | None] = mapped_column(String(64))
    pdf_url: Mapped[str | None] = mapped_column(Text)
    pdf_path: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    issued_at: Mapped[dt.datetime | None] = mapped_column()
    voided_at: Mapped[dt.datetime | None] = mapped_column()

    lines: Mapped[list[CreditNoteLine]] = relationship(
        cascade="all, delete-orphan", order_by="CreditNoteLine.position", lazy="selectin"
    )


class CreditNoteLine(Base):
    """One credited line: part or all of an invoice line, or Stripe's line of a credit note
    made elsewhere (then no invoice line is known)."""

    __tablename__ = "credit_note_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_note_id: Mapped[int] = mapped_column(
        ForeignKey("credit_notes.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column()
    invoice_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("invoice_lines.id", ondelete="SET NULL"), index=True
    )
    description: Mapped[str] = mapped_column(Text, default="")
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    # Put this line's watch back in stock once Stripe confirms the credit note.
    restock: Mapped[bool] = mapped_column(default=False)
