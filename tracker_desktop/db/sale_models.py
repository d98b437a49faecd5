"""The models of a sale over several invoices, and of a watch taken in part exchange.

A profile's usual deposit is three columns of `profiles` (`deposit_threshold_minor`,
`deposit_fixed_minor`, `deposit_percent_bp`: domain.sale_math.DepositRule in the profile's
default currency; None, no rule)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker_desktop.db.models import Base, Invoice, InvoiceLine, utcnow


class TradeIn(Base):
    """The watch a trade-in line takes in part exchange. It becomes a Watch (`watch_id`) when
    its invoice is finalized, with the allowance (minus the line's price) as purchase cost."""

    __tablename__ = "trade_ins"

    invoice_line_id: Mapped[int] = mapped_column(
        ForeignKey("invoice_lines.id", ondelete="CASCADE"), primary_key=True
    )
    brand: Mapped[str] = mapped_column(String(120))
    model: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str] = mapped_column(String(80), default="")
    serial: Mapped[str] = mapped_column(String(80))
    year: Mapped[int | None] = mapped_column()
    watch_id: Mapped[int | None] = mapped_column(
        ForeignKey("watches.id", ondelete="SET NULL"), index=True
    )

    line: Mapped[InvoiceLine] = relationship(back_populates="trade_in")


class Sale(Base):
    """One sale over several invoices (a deposit and its balance, or parts under Stripe's
    cap). `total_minor` is what the buyer owes for the whole sale."""

    __tablename__ = "sales"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # domain.sale_math.SaleKind
    currency: Mapped[str] = mapped_column(String(3))
    total_minor: Mapped[int] = mapped_column(BigInteger)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    links: Mapped[list[SaleInvoice]] = relationship(
        back_populates="sale", cascade="all, delete-orphan", order_by="SaleInvoice.part"
    )


class SaleInvoice(Base):
    """An invoice's place in its sale: its role and, for parts, which of how many."""

    __tablename__ = "sale_invoices"

    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoices.id", ondelete="CASCADE"), primary_key=True
    )
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # domain.sale_math.SaleRole
    part: Mapped[int] = mapped_column(default=1)
    parts: Mapped[int] = mapped_column(default=1)

    sale: Mapped[Sale] = relationship(back_populates="links")
    invoice: Mapped[Invoice] = relationship()
