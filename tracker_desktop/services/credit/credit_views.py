"""Credit notes as the windows see them, made from the rows (values.py holds the values).

Imported by the invoice detail (services/invoicing/view_making) too, so it imports nothing
of the services but the values."""

from __future__ import annotations

import os

from tracker_desktop.db.credit_models import CreditNote
from tracker_desktop.db.models import Invoice
from tracker_desktop.domain.money import Money
from tracker_desktop.services.credit.values import (
    CreditLineView,
    CreditNoteState,
    CreditNoteView,
    CreditReason,
    CreditTotals,
)


def view_of(note: CreditNote, positions: dict[int, int]) -> CreditNoteView:
    cur = note.currency
    return CreditNoteView(
        id=note.id,
        state=CreditNoteState(note.state),
        number=note.number,
        total=Money(note.total_minor, cur),
        pre_payment=Money(note.pre_payment_minor, cur),
        refunded=Money(note.refund_minor, cur),
        out_of_band=Money(note.out_of_band_minor, cur),
        reason=CreditReason(note.reason) if note.reason else None,
        memo=note.memo,
        created_at=note.created_at,
        issued_at=note.issued_at,
        stripe_credit_note_id=note.stripe_credit_note_id,
        last_error=note.last_error,
        pdf_path=note.pdf_path,
        pdf_on_disk=bool(note.pdf_path) and os.path.isfile(note.pdf_path or ""),
        lines=tuple(
            CreditLineView(
                description=ln.description,
                amount=Money(ln.amount_minor, cur),
                invoice_line_position=positions.get(ln.invoice_line_id or -1),
                restock=ln.restock,
            )
            for ln in note.lines
        ),
    )


def views_of(invoice: Invoice) -> tuple[CreditNoteView, ...]:
    positions = {ln.id: ln.position for ln in invoice.lines}
    return tuple(view_of(n, positions) for n in invoice.credit_notes)


def totals_of(invoice: Invoice) -> CreditTotals:
    """Credited, refunded, returned outside Stripe and net, from the issued credit notes."""
    cur = invoice.currency
    issued = [n for n in invoice.credit_notes if n.state == CreditNoteState.ISSUED]
    credited = sum(n.total_minor for n in issued)
    return CreditTotals(
        credited=Money(credited, cur),
        refunded=Money(sum(n.refund_minor for n in issued), cur),
        out_of_band=Money(sum(n.out_of_band_minor for n in issued), cur),
        net=Money(invoice.total_minor - credited, cur),
    )
