"""An invoice's credit notes in its detail: what was credited, refunded and returned outside
Stripe, the net, and each credit note (a pending one says it waits for Retry)."""

from __future__ import annotations

from tracker_desktop.domain.money_format import format_money
from tracker_desktop.services.credit.values import CreditNoteState
from tracker_desktop.services.invoicing.invoice_service import InvoiceDetail

CREDIT_TIP = "Credit all or part of this invoice, and refund the buyer (Ctrl+Shift+R)"
_STATE_WORDS = {
    CreditNoteState.ISSUED: "issued",
    CreditNoteState.VOID: "voided",
    CreditNoteState.REFUSED: "refused by Stripe",
    CreditNoteState.PENDING: "not confirmed by Stripe yet: Retry credit note finishes it",
}


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def credit_lines(d: InvoiceDetail, locale: str) -> list[str]:
    """Rich-text lines for the detail's summary; none when the invoice has no credit note."""
    if not d.credit_notes:
        return []
    lines = []
    totals = d.credits
    if totals is not None and totals.any:
        money = f"Credited <b>{format_money(totals.credited, locale)}</b>"
        if totals.refunded.minor:
            money += f" · refunded {format_money(totals.refunded, locale)}"
        if totals.out_of_band.minor:
            money += f" · returned outside Stripe {format_money(totals.out_of_band, locale)}"
        money += f" · net <b>{format_money(totals.net, locale)}</b>"
        lines.append(money)
    for note in d.credit_notes:
        name = _escape(note.number or "Credit note")
        text = f"{name}: {format_money(note.total, locale)}, {_STATE_WORDS[note.state]}"
        if note.state is CreditNoteState.REFUSED and note.last_error:
            text += f" ({_escape(note.last_error)})"
        if note.pdf_on_disk:
            text += " · PDF kept on this computer"
        lines.append(text)
    return lines
