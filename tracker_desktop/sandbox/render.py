"""What the buyer sees: the hosted invoice page (plain HTML form) and the invoice PDF (fpdf2).

The page lists the simulator's test cards (from payments.py, so the list is what it does)
and what each one does, as Stripe's test-mode documentation lists its own.
"""

from __future__ import annotations

import html
import time
from decimal import Decimal
from typing import Any

from fpdf import FPDF

from .facts import exponent
from .payments import DECLINES, GOOD_CARDS
from .state import Obj

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def money(amount: int, cur: str, symbols: bool = True) -> str:
    places, code = exponent(cur), cur.upper()
    text = f"{Decimal(abs(amount)).scaleb(-places):,.{places}f}"
    sign = "-" if amount < 0 else ""
    if symbols and code in SYMBOLS:
        return f"{sign}{SYMBOLS[code]}{text}"
    return f"{sign}{code} {text}"


_BRANDS = {"visa": "Visa", "mastercard": "Mastercard", "amex": "American Express"}
_DECLINED = {
    "generic_decline": "declined",
    "insufficient_funds": "declined: insufficient funds",
    "expired_card": "declined: expired card",
}
# The cards listed for the buyer, in this order: each outcome once.
_LISTED = ("4242424242424242", "4000000000000002", "4000000000009995", "4000000000000069")
BANK_DEBIT = (
    "Pay by US bank account",
    "the payment stays processing, as a real bank debit does for days: the seller sees "
    "Processing, never Paid early",
)


def spaced(number: str) -> str:
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


def listed_cards() -> list[tuple[str, str]]:
    """(card number as typed, what happens), then the bank debit button and its outcome."""
    cards: list[tuple[str, str]] = []
    for number in _LISTED:
        if number in GOOD_CARDS:
            cards.append((spaced(number), f"succeeds ({_BRANDS[GOOD_CARDS[number]]})"))
        elif number in DECLINES:
            code, message = DECLINES[number]
            cards.append((spaced(number), f"{_DECLINED.get(code, 'declined')} ({message})"))
    return [*cards, BANK_DEBIT]


def _cards_html() -> str:
    e = html.escape
    rows = "".join(
        f"<tr><td><code>{e(number)}</code></td><td>{e(outcome)}</td></tr>"
        for number, outcome in listed_cards()
    )
    return (
        "<section id='test-cards'><h2>Test cards</h2>"
        "<p>Any of these card numbers, or the bank account button; nothing is charged.</p>"
        f"<table><tr><th>Card number</th><th>What happens</th></tr>{rows}</table></section>"
    )


def day(ts: int | None) -> str:
    return time.strftime("%B %d, %Y", time.gmtime(ts)) if ts else "—"


_STYLE = """body{font-family:sans-serif;max-width:640px;margin:2em auto;color:#222}
table{width:100%;border-collapse:collapse}td{padding:4px;border-bottom:1px solid #ddd}
.amt{text-align:right}.due{font-size:1.6em;font-weight:bold}#result{margin:1em 0;
padding:.6em;background:#f3f3f3}form{margin:1em 0}"""


def page(
    inv: Obj, account_name: str, token: str, result: str | None = None, processing: bool = False
) -> str:
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(str(li['description'] or ''))}</td><td>{li['quantity']}</td>"
        f"<td class='amt'>{e(money(li['amount'], inv['currency']))}</td></tr>"
        for li in inv["lines"]["data"]
    )
    status: str = inv["status"]
    state: str
    if processing:
        state = "Payment processing (bank debit)"
    else:
        state = {
            "open": "Awaiting payment",
            "paid": "Paid",
            "void": "Void",
            "uncollectible": "Awaiting payment",
        }.get(status, status)
    can_pay = status in ("open", "uncollectible") and not processing
    forms = ""
    if can_pay:
        due = e(money(inv["amount_remaining"], inv["currency"]))
        forms = (
            f"<form id='card-form' method='post' action='/i/{token}/pay'>"
            "<input type='hidden' name='method' value='card'>"
            "<label for='card-number'>Card number</label> "
            "<input id='card-number' name='card_number' autocomplete='cc-number' "
            "inputmode='numeric' placeholder='4242 4242 4242 4242'> "
            f"<button id='pay-card' type='submit'>Pay {due}"
            "</button></form>"
            f"<form id='bank-form' method='post' action='/i/{token}/pay'>"
            "<input type='hidden' name='method' value='us_bank_account'>"
            "<button id='pay-bank-debit' type='submit'>Pay by US bank account (ACH debit)"
            "</button></form>"
        )
    result_html = f"<p id='result' role='status'>{e(result)}</p>" if result else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Invoice {e(inv["number"] or "")}</title>
<style>{_STYLE}</style></head><body>
<h1 id="account-name">{e(account_name)}</h1>
<p>Invoice <span id="invoice-number">{e(inv["number"] or "")}</span>
 &middot; <span id="invoice-status">{e(state)}</span></p>
<p class="due"><span id="amount-due">{e(money(inv["amount_remaining"], inv["currency"]))}</span>
 due <span id="due-date">{e(day(inv["due_date"]))}</span></p>
<p>Billed to {e(inv["customer_name"] or inv["customer_email"] or "")}</p>
<table id="lines"><tr><th>Description</th><th>Qty</th><th class="amt">Amount</th></tr>{rows}
<tr><td colspan="2">Total</td><td class="amt" id="total">{e(money(inv["total"], inv["currency"]))}
</td></tr></table>
{result_html}{forms}{_cards_html() if can_pay else ""}
<p><a id="download-pdf" href="/pdf/{token}">Download invoice (PDF)</a></p>
<p><small>Sandbox: nothing here is a real payment.</small></p>
</body></html>"""


def gone_page() -> str:
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Link expired</title></head>"
        "<body><p id='result'>This invoice link has expired. Contact the seller for a new "
        "copy.</p></body></html>"
    )


def _latin1(text: Any) -> str:
    # the core PDF fonts only carry Latin-1
    return str(text).encode("latin-1", "replace").decode("latin-1")


def _headed_page(title: str, account_name: str, facts: tuple[tuple[str, Any], ...]) -> FPDF:
    """A one-page document: the account's name, then one label and value per row."""
    doc = FPDF()
    doc.set_title(_latin1(title))
    doc.add_page()
    doc.set_font("helvetica", "B", 18)
    doc.cell(0, 10, _latin1(account_name), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("helvetica", "", 11)
    for label, value in facts:
        doc.cell(45, 7, _latin1(label))
        doc.cell(0, 7, _latin1(value), new_x="LMARGIN", new_y="NEXT")
    doc.ln(4)
    return doc


def _amount_row(doc: FPDF, height: int, amount: int, currency: str) -> None:
    """The amount at the right margin, ending the row."""
    doc.cell(0, height, money(amount, currency, symbols=False), align="R",
             new_x="LMARGIN", new_y="NEXT")  # fmt: skip


def _closing(doc: FPDF, label: str, amount: int, currency: str, small_print: str) -> bytes:
    doc.set_font("helvetica", "B", 12)
    doc.cell(140, 10, label)
    _amount_row(doc, 10, amount, currency)
    if small_print:
        doc.set_font("helvetica", "", 9)
        doc.multi_cell(0, 5, _latin1(small_print))
    return bytes(doc.output())


def pdf(inv: Obj, account_name: str) -> bytes:
    doc = _headed_page(
        f"Invoice {inv['number']}",
        account_name,
        (
            ("Invoice number", inv["number"]),
            ("Date of issue", day(inv["status_transitions"]["finalized_at"])),
            ("Date due", day(inv["due_date"])),
            ("Bill to", inv["customer_name"] or inv["customer_email"] or ""),
            ("Status", inv["status"]),
        ),
    )
    doc.set_font("helvetica", "B", 11)
    doc.cell(120, 8, "Description", border="B")
    doc.cell(20, 8, "Qty", border="B", align="R")
    doc.cell(0, 8, "Amount", border="B", align="R", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("helvetica", "", 11)
    for li in inv["lines"]["data"]:
        doc.cell(120, 8, _latin1(li["description"] or ""))
        doc.cell(20, 8, str(li["quantity"]), align="R")
        _amount_row(doc, 8, li["amount"], inv["currency"])
    return _closing(doc, "Amount due", inv["amount_remaining"], inv["currency"], inv["footer"])


def credit_note_pdf(note: Obj, inv: Obj, account_name: str) -> bytes:
    doc = _headed_page(
        f"Credit note {note['number']}",
        account_name,
        (
            ("Credit note number", note["number"]),
            ("Invoice number", inv["number"]),
            ("Date of issue", day(note["effective_at"] or note["created"])),
            ("Credit to", inv["customer_name"] or inv["customer_email"] or ""),
            ("Reason", (note["reason"] or "").replace("_", " ")),
            ("Status", note["status"]),
        ),
    )
    for li in note["lines"]["data"]:
        doc.cell(140, 8, _latin1(li["description"] or ""))
        _amount_row(doc, 8, li["amount"], note["currency"])
    return _closing(doc, "Total credited", note["total"], note["currency"], note["memo"])
