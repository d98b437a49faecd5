"""What the inventory and the windows pass each other: plain values, never an ORM object."""

from __future__ import annotations

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
    purchase_cost: Money | None
    asking_price: Money | None
    notes: str
    status: WatchStatus
    invoice_id: int | None = None  # the invoice that holds it (not void), if any
    invoice_number: str | None = None
    invoice_state: InvoiceState | None = None

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
        return ""


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


def row_of(watch: Watch, holding: watches_extra.HoldingInvoice | None) -> WatchRow:
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
        purchase_cost=money(watch.purchase_cost_minor),
        asking_price=money(watch.asking_price_minor),
        notes=watch.notes,
        status=watch.status,
        invoice_id=holding.invoice_id if holding else None,
        invoice_number=holding.number if holding else None,
        invoice_state=holding.state if holding else None,
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
