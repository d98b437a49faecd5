"""What the inventory and the windows pass each other: plain values, never an ORM object."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tracker_desktop.db.models import Contact, Watch
from tracker_desktop.db.repositories import watches_extra
from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.watch_status import WatchStatus


@dataclass(frozen=True, slots=True)
class WatchRow:
    """A watch as shown: plain values, never an ORM object."""

    id: int
    brand: str
    model: str
    reference: str
    serial: str
    year: int | None
    condition: str
    has_box: bool
    has_papers: bool
    currency: str
    purchase_cost: Money | None  # None when unknown, or hidden at the front desk (cost_hidden)
    asking_price: Money | None
    notes: str
    status: WatchStatus
    away_with: str = ""  # on memo: with whom
    away_since: dt.date | None = None  # on memo or in service: since when
    invoice_id: int | None = None  # the invoice that holds it (not void), if any
    invoice_number: str | None = None
    invoice_state: InvoiceState | None = None
    cost_hidden: bool = False  # this workstation is the front desk (services/front_desk)

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def title(self) -> str:
        """ "Rolex Submariner Date 126610LN": brand, model and reference."""
        return " ".join(p for p in (self.brand, self.model, self.reference) if p)

    @property
    def line_description(self) -> str:
        """The invoice line text: "Rolex Submariner Date 126610LN, serial 7S2A9XXX"."""
        return f"{self.title}, serial {self.serial}"

    @property
    def held_by(self) -> str:
        """Which invoice holds it, in words: "INV-0042", "Draft #7", or ""."""
        if self.invoice_id is None:
            return ""
        return self.invoice_number or f"Draft #{self.invoice_id}"

    @property
    def why_not_invoiceable(self) -> str:
        if self.status is WatchStatus.RESERVED:
            return f"Reserved on {self.held_by or 'an open invoice'}"
        if self.status is WatchStatus.SOLD:
            return f"Sold on {self.held_by or 'a paid invoice'}"
        if self.status.away:
            return f"{self.away_words}; it can be invoiced once it is back in stock"
        return ""

    @property
    def away_words(self) -> str:
        """ "On memo with Galerie Koch since 2026-11-03", "In service since ...", or ""."""
        if not self.status.away:
            return ""
        text = self.status.label
        if self.status is WatchStatus.ON_MEMO and self.away_with:
            text += f" with {self.away_with}"
        if self.away_since is not None:
            text += f" since {self.away_since.isoformat()}"
        return text


@dataclass(frozen=True, slots=True)
class ClientChoice:
    id: int
    name: str
    company: str
    email: str
    city: str
    country: str

    @property
    def label(self) -> str:
        extra = ", ".join(p for p in (self.company, self.email) if p)
        return f"{self.name} ({extra})" if extra else self.name


@dataclass(frozen=True, slots=True)
class ProfileDefaults:
    name: str
    currency: str
    days_until_due: int
    footer: str


def row_of(
    watch: Watch, holding: watches_extra.HoldingInvoice | None, hide_cost: bool = False
) -> WatchRow:
    """The watch as shown; at the front desk (`hide_cost`) without its purchase cost."""

    def money(minor: int | None) -> Money | None:
        return None if minor is None else Money(minor, watch.currency)

    return WatchRow(
        id=watch.id,
        brand=watch.brand,
        model=watch.model,
        reference=watch.reference,
        serial=watch.serial,
        year=watch.year,
        condition=watch.condition,
        has_box=watch.has_box,
        has_papers=watch.has_papers,
        currency=watch.currency,
        purchase_cost=None if hide_cost else money(watch.purchase_cost_minor),
        asking_price=money(watch.asking_price_minor),
        notes=watch.notes,
        status=watch.status,
        away_with=watch.away_with,
        away_since=watch.away_since,
        invoice_id=holding.invoice_id if holding else None,
        invoice_number=holding.number if holding else None,
        invoice_state=holding.state if holding else None,
        cost_hidden=hide_cost,
    )


def client_of(contact: Contact) -> ClientChoice:
    return ClientChoice(
        id=contact.id,
        name=contact.name,
        company=contact.company,
        email=contact.email,
        city=contact.city,
        country=contact.country,
    )
