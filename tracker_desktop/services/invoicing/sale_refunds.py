"""Cancelling a sale gives back what the buyer paid, when the dealer asks: one credit note
for the whole of each paid invoice of the sale, refunded to the card or bank account that
paid it or, for a wire, recorded as returned outside Stripe (Stripe holds no payment of a
wire to refund).

Cancel again after a failure part-way credits nothing twice: a credit note Stripe has not
confirmed is finished with its own key (`CreditNoteService.retry`), and an invoice already
credited in full is passed over.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.services.credit.credit_note_service import CreditNoteService
from tracker_desktop.services.credit.credit_plan import credited_minor, paid_by_wire
from tracker_desktop.services.credit.values import CreditReason, CreditRequest, Settlement
from tracker_desktop.services.invoicing.sale_views import SaleView
from tracker_desktop.services.invoicing.stripe_actions import load_invoice

CANCEL_MEMO = "The sale was cancelled."


async def give_back_paid(
    credit_notes: CreditNoteService,
    sessions: sessionmaker[Session],
    profile_id: int,
    sale: SaleView,
) -> None:
    """Credit note and refund for every paid invoice of `sale` not yet credited in full.

    Raises what `issue` raises (a credit note the invoice cannot take now, with the reason;
    Stripe's refusal); the invoices before it keep their credit notes."""
    for part in sale.invoices:
        if part.state is not InvoiceState.PAID:
            continue
        pending = credit_notes.pending_id(profile_id, part.invoice_id)
        if pending is not None:
            await credit_notes.retry(profile_id, pending)
            continue
        with sessions() as session:
            invoice = load_invoice(session, profile_id, part.invoice_id)
            if invoice.total_minor - credited_minor(invoice) <= 0:
                continue
            by_wire = paid_by_wire(invoice)
        request = CreditRequest(
            reason=CreditReason.ORDER_CHANGE,
            settlement=Settlement.OUT_OF_BAND if by_wire else Settlement.REFUND,
            memo=CANCEL_MEMO,
        )
        await credit_notes.issue(profile_id, part.invoice_id, request)
