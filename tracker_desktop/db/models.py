"""SQLAlchemy 2.0 typed models. Money is integer minor units plus an ISO currency code.

Every row that belongs to a dealer carries its profile id, so every query can be scoped.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from tracker_desktop.db.column_types import INVOICE_STATE, WATCH_STATUS, UTCDateTime
from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.watch_status import WatchStatus

if TYPE_CHECKING:
    from tracker_desktop.db.credit_models import CreditNote
    from tracker_desktop.db.sale_models import TradeIn


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# Stable constraint names, so Alembic's batch mode on SQLite can find them again.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        dt.datetime: UTCDateTime(),
        int: Integer(),
        str: String(),
        bool: Boolean(),
        InvoiceState: INVOICE_STATE,
        WatchStatus: WATCH_STATUS,
    }


class Profile(Base):
    """One business / Stripe account. Its key lives in the OS keychain, never here."""

    __tablename__ = "profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16), default="stripe")  # stripe | practice
    default_currency: Mapped[str] = mapped_column(String(3), default="USD")
    default_due_days: Mapped[int] = mapped_column(default=14)
    invoice_footer: Mapped[str] = mapped_column(Text, default="")
    stripe_account_id: Mapped[str | None] = mapped_column(String(64))
    stripe_account_name: Mapped[str | None] = mapped_column(String(200))
    livemode: Mapped[bool | None] = mapped_column()
    key_last4: Mapped[str | None] = mapped_column(String(4))
    live_confirmed: Mapped[bool] = mapped_column(default=False)
    sales_goal_minor: Mapped[int | None] = mapped_column(BigInteger)  # None: the default goal
    sales_goal_currency: Mapped[str | None] = mapped_column(String(3))
    deposit_threshold_minor: Mapped[int | None] = mapped_column(BigInteger)
    deposit_fixed_minor: Mapped[int | None] = mapped_column(BigInteger)
    deposit_percent_bp: Mapped[int | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Contact(Base):
    """A client. The address is in Stripe's shape so it syncs field for field."""

    __tablename__ = "contacts"
    __table_args__ = (
        UniqueConstraint("profile_id", "stripe_customer_id"),
        Index("ix_contacts_profile_email", "profile_id", "email"),
        Index("ix_contacts_profile_name", "profile_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    company: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    address_line1: Mapped[str] = mapped_column(String(200), default="")
    address_line2: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    state: Mapped[str] = mapped_column(String(120), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    stripe_customer_id: Mapped[str | None] = mapped_column(String(64))
    payment_method_summary: Mapped[str | None] = mapped_column(String(120))
    needs_sync: Mapped[bool] = mapped_column(default=False)
    sync_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Watch(Base):
    """A watch in inventory. Its status follows the invoice it is on."""

    __tablename__ = "watches"
    __table_args__ = (UniqueConstraint("profile_id", "serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    brand: Mapped[str] = mapped_column(String(120))
    model: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str] = mapped_column(String(80), default="")
    serial: Mapped[str] = mapped_column(String(80))
    year: Mapped[int | None] = mapped_column()
    condition: Mapped[str] = mapped_column(String(40), default="")
    has_box: Mapped[bool] = mapped_column(default=False)
    has_papers: Mapped[bool] = mapped_column(default=False)
    currency: Mapped[str] = mapped_column(String(3))
    purchase_cost_minor: Mapped[int | None] = mapped_column(BigInteger)
    asking_price_minor: Mapped[int | None] = mapped_column(BigInteger)
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[WatchStatus] = mapped_column(default=WatchStatus.IN_STOCK)
    # On memo: with whom; on memo or in service: since when (empty and None otherwise).
    away_with: Mapped[str] = mapped_column(String(200), default="", server_default="")
    away_since: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# The Dashboard's sums of a year read only these columns (index-only scans; 0006_sales_goal).
_DASHBOARD_SUMS = ("profile_id", "state", "created_at", "currency", "total_minor", "contact_id")
_SOLD_LINES = ("invoice_id", "watch_id", "quantity", "unit_amount_minor")


class Invoice(Base):
    """A local invoice and, once pushed, its Stripe twin.

    `uuid` seeds every idempotency key of the push; `push_step` records the last step that
    succeeded so a retry after a crash continues where it stopped.
    """

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("profile_id", "stripe_invoice_id"),
        Index("ix_invoices_profile_state", "profile_id", "state"),
        Index("ix_invoices_profile_created", "profile_id", "created_at"),
        # The history sorts by every column in SQL, a page at a time (id breaks ties).
        Index("ix_invoices_profile_number", "profile_id", "number"),
        Index("ix_invoices_profile_customer", "profile_id", "customer_name"),
        Index("ix_invoices_profile_total", "profile_id", "currency", "total_minor"),
        Index("ix_invoices_profile_due", "profile_id", "due_at"),
        Index("ix_invoices_profile_synced", "profile_id", "last_synced_at"),
        Index("ix_invoices_dashboard", *_DASHBOARD_SUMS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="RESTRICT"), index=True
    )
    # The customer as billed, kept even for one-off customers and if the client changes later.
    customer_name: Mapped[str] = mapped_column(String(200), default="")
    customer_email: Mapped[str] = mapped_column(String(320), default="")
    customer_address_json: Mapped[str] = mapped_column(Text, default="{}")
    currency: Mapped[str] = mapped_column(String(3))
    days_until_due: Mapped[int] = mapped_column(default=14)
    memo: Mapped[str] = mapped_column(Text, default="")
    footer: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[InvoiceState] = mapped_column(default=InvoiceState.LOCAL_DRAFT)
    push_step: Mapped[str | None] = mapped_column(String(32))
    # Who runs the push now and until when (a lease: a dead owner's expires, see push_lease).
    push_owner: Mapped[str | None] = mapped_column(String(64))
    push_lease_until: Mapped[dt.datetime | None] = mapped_column()
    # When this identity's first request went to Stripe: dates its idempotency keys.
    push_started_at: Mapped[dt.datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)
    stripe_customer_id: Mapped[str | None] = mapped_column(String(64))
    stripe_invoice_id: Mapped[str | None] = mapped_column(String(64))
    number: Mapped[str | None] = mapped_column(String(64))
    hosted_invoice_url: Mapped[str | None] = mapped_column(Text)
    invoice_pdf_url: Mapped[str | None] = mapped_column(Text)
    pdf_path: Mapped[str | None] = mapped_column(Text)
    total_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    amount_paid_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    amount_remaining_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    due_at: Mapped[dt.datetime | None] = mapped_column()
    finalized_at: Mapped[dt.datetime | None] = mapped_column()
    paid_at: Mapped[dt.datetime | None] = mapped_column()
    payment_processing: Mapped[bool] = mapped_column(default=False)
    payment_failed_message: Mapped[str | None] = mapped_column(Text)
    paid_out_of_band_note: Mapped[str | None] = mapped_column(Text)
    last_synced_at: Mapped[dt.datetime | None] = mapped_column()
    # When the Stripe snapshot last applied was requested: an older one changes nothing.
    remote_fetched_at: Mapped[dt.datetime | None] = mapped_column()
    # Folded copies of the searched fields, indexed for substring search (db/search_text).
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    search_serials: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice",
        cascade="all, delete-orphan",
        order_by="InvoiceLine.position",
    )
    # The timeline in Stripe's order: entries from Stripe carry Stripe's times, so however
    # late or out of order they were applied, they read in the order they happened.
    events: Mapped[list[InvoiceEvent]] = relationship(
        back_populates="invoice",
        cascade="all, delete-orphan",
        order_by="(InvoiceEvent.occurred_at, InvoiceEvent.id)",
    )
    credit_notes: Mapped[list[CreditNote]] = relationship(
        "CreditNote", cascade="all, delete-orphan", order_by="CreditNote.id", lazy="selectin"
    )


class InvoiceLine(Base):
    __tablename__ = "invoice_lines"
    __table_args__ = (Index("ix_invoice_lines_sold", *_SOLD_LINES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoices.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column()
    watch_id: Mapped[int | None] = mapped_column(
        ForeignKey("watches.id", ondelete="RESTRICT"), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[int] = mapped_column(default=1)
    unit_amount_minor: Mapped[int] = mapped_column(BigInteger)
    restocked: Mapped[bool] = mapped_column(default=False, server_default=false())  # returned

    invoice: Mapped[Invoice] = relationship(back_populates="lines")
    trade_in: Mapped[TradeIn | None] = relationship(
        back_populates="line", cascade="all, delete-orphan", uselist=False
    )


class InvoiceEvent(Base):
    """The status timeline shown on an invoice: finalized, sent, payment failed, paid, ..."""

    __tablename__ = "invoice_events"
    __table_args__ = (UniqueConstraint("invoice_id", "kind", "stripe_event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoices.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[dt.datetime] = mapped_column()
    detail: Mapped[str] = mapped_column(Text, default="")
    stripe_event_id: Mapped[str | None] = mapped_column(String(64))

    invoice: Mapped[Invoice] = relationship(back_populates="events")


# Registers the Session hook that keeps Invoice.search_text in step (it uses the models above),
# and the models that live beside these (they need Base): credit notes, a watch's provenance,
# the poller's own state, and a sale's parts and trade-ins.
from tracker_desktop.db import credit_models as _credit_models  # noqa: E402, F401
from tracker_desktop.db import sale_models as _sale_models  # noqa: E402, F401
from tracker_desktop.db import search_text as _search_text  # noqa: E402, F401
from tracker_desktop.db.provenance_models import ProvenanceCheck as ProvenanceCheck  # noqa: E402
from tracker_desktop.db.provenance_models import WatchDocument as WatchDocument  # noqa: E402
from tracker_desktop.db.sync_models import ProcessedStripeEvent as ProcessedStripeEvent  # noqa: E402
from tracker_desktop.db.sync_models import SyncState as SyncState  # noqa: E402
