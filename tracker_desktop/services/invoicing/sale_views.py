"""A sale as the windows see it: each invoice, what is paid and what remains."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from tracker_desktop.db.repositories import sales
from tracker_desktop.db.sale_models import Sale
from tracker_desktop.domain.invoice_state import InvoiceState, state_words
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.sale_math import SaleKind, SaleRole

S = InvoiceState
# Invoices of a sale that Stripe still takes money for, or that are still to be sent.
_STILL_TO_PAY = frozenset({S.LOCAL_DRAFT, S.PUSHING, S.PUSH_FAILED, S.OPEN, S.UNCOLLECTIBLE})


@dataclass(frozen=True, slots=True)
class SaleInvoiceView:
    invoice_id: int
    role: SaleRole
    part: int
    parts: int
    number: str | None
    state: InvoiceState
    total: Money
    paid: Money
    remaining: Money

    @property
    def label(self) -> str:
        if self.role == SaleRole.PART:
            return f"Part {self.part} of {self.parts}"
        return self.role.value.capitalize()

    @property
    def state_text(self) -> str:
        return state_words(self.state)


@dataclass(frozen=True, slots=True)
class SaleView:
    sale_id: int
    kind: SaleKind
    total: Money
    paid: Money
    remaining: Money
    cancelled: bool
    invoices: tuple[SaleInvoiceView, ...]

    @property
    def paid_in_full(self) -> bool:
        return not self.cancelled and self.paid.minor >= self.total.minor

    @property
    def balance_to_send(self) -> SaleInvoiceView | None:
        """The balance, while it waits as a draft (Send the balance creates it at Stripe)."""
        for inv in self.invoices:
            if inv.role == SaleRole.BALANCE and inv.state == S.LOCAL_DRAFT:
                return inv
        return None

    @property
    def open_parts(self) -> tuple[SaleInvoiceView, ...]:
        return tuple(inv for inv in self.invoices if inv.state in _STILL_TO_PAY)


def sale_view(session: Session, sale: Sale) -> SaleView:
    code = sale.currency
    rows: list[SaleInvoiceView] = []
    for link, inv in sales.sale_invoices(session, sale.id):
        state = InvoiceState(inv.state)
        remaining = inv.amount_remaining_minor if state != S.VOID else 0
        rows.append(
            SaleInvoiceView(
                invoice_id=inv.id,
                role=SaleRole(link.role),
                part=link.part,
                parts=link.parts,
                number=inv.number,
                state=state,
                total=Money(inv.total_minor, code),
                paid=Money(inv.amount_paid_minor, code),
                remaining=Money(remaining if state in _STILL_TO_PAY else 0, code),
            )
        )
    paid = sum(row.paid.minor for row in rows)
    return SaleView(
        sale_id=sale.id,
        kind=SaleKind(sale.kind),
        total=Money(sale.total_minor, code),
        paid=Money(paid, code),
        remaining=Money(max(sale.total_minor - paid, 0), code)
        if sale.cancelled_at is None
        else Money(0, code),
        cancelled=sale.cancelled_at is not None,
        invoices=tuple(rows),
    )
