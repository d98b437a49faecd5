"""Request bodies built as the SDK's typed params, so mypy checks every field we send."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from stripe.params import (
    CreditNoteCreateParams,
    CreditNoteCreateParamsLine,
    CustomerCreateParams,
    CustomerCreateParamsAddress,
    CustomerUpdateParams,
    CustomerUpdateParamsAddress,
    InvoiceAddLinesParams,
    InvoiceAddLinesParamsLine,
    InvoiceCreateParams,
)

from tracker_desktop.domain.money import Money
from tracker_desktop.domain.stripe_types import (
    CREDIT_REASONS,
    CreditLineDraft,
    CreditNoteDraft,
    CustomerDraft,
    LineDraft,
)

# Our own constants for Stripe's enum strings (the SDK types them as `Literal[...] | str`).
SEND_INVOICE = "send_invoice"
TRACKER_INVOICE_ID = "tracker_invoice_id"


def _address(draft: CustomerDraft) -> CustomerCreateParamsAddress:
    address: CustomerCreateParamsAddress = {}
    a = draft.address
    if a.get("line1"):
        address["line1"] = a["line1"]
    if a.get("line2"):
        address["line2"] = a["line2"]
    if a.get("city"):
        address["city"] = a["city"]
    if a.get("state"):
        address["state"] = a["state"]
    if a.get("postal_code"):
        address["postal_code"] = a["postal_code"]
    if a.get("country"):
        address["country"] = a["country"]
    return address


def customer_create(draft: CustomerDraft) -> CustomerCreateParams:
    params: CustomerCreateParams = {"name": draft.name}
    if draft.email:
        params["email"] = draft.email
    if draft.phone:
        params["phone"] = draft.phone
    address = _address(draft)
    if address:
        params["address"] = address
    if draft.metadata:
        params["metadata"] = dict(draft.metadata)
    return params


def customer_update(draft: CustomerDraft) -> CustomerUpdateParams:
    """A full replacement of what the app manages: cleared fields are cleared in Stripe too."""
    params: CustomerUpdateParams = {
        "name": draft.name,
        "email": draft.email or "",
        "phone": draft.phone or "",
    }
    address = _address(draft)
    if address:
        update_address: CustomerUpdateParamsAddress = {**address}
        params["address"] = update_address
    else:
        params["address"] = ""
    if draft.metadata:
        params["metadata"] = dict(draft.metadata)
    return params


def invoice_create(
    *,
    customer_id: str,
    currency: str,
    days_until_due: int,
    tracker_invoice_id: str,
    memo: str | None,
    footer: str | None,
    metadata: Mapping[str, str] | None = None,
) -> InvoiceCreateParams:
    params: InvoiceCreateParams = {
        "customer": customer_id,
        "currency": currency.lower(),
        "collection_method": SEND_INVOICE,
        "days_until_due": days_until_due,
        # Stripe must not finalize or email on its own: the app decides when.
        "auto_advance": False,
        # Pending invoice items of this customer must not slip into a dealer's invoice.
        "pending_invoice_items_behavior": "exclude",
        "metadata": {**(metadata or {}), TRACKER_INVOICE_ID: tracker_invoice_id},
    }
    if memo:
        params["description"] = memo
    if footer:
        params["footer"] = footer
    return params


def add_lines(lines: Sequence[LineDraft]) -> InvoiceAddLinesParams:
    """All lines in one request; each as price_data so quantity and unit price show on the PDF.

    A credit line (negative price) goes as a negative `amount`, the one way Stripe takes it."""
    if not lines:
        raise ValueError("an invoice needs at least one line")
    currencies = {line.unit_price.currency for line in lines}
    if len(currencies) != 1:
        raise ValueError("every line of an invoice must be in the same currency")
    built: list[InvoiceAddLinesParamsLine] = []
    for line in lines:
        if line.quantity < 1:
            raise ValueError("a line quantity must be at least 1")
        if line.is_credit:
            if line.quantity != 1:
                raise ValueError("a credit line has a quantity of 1")
            built.append({"description": line.description, "amount": line.unit_price.minor})
            continue
        built.append(
            {
                "description": line.description,
                "quantity": line.quantity,
                "price_data": {
                    "currency": line.unit_price.currency.lower(),
                    "unit_amount": line.unit_price.minor,
                    "product_data": {"name": line.description},
                },
            }
        )
    return {"lines": built}


def _minor(money: Money | None, currency: str, what: str) -> int | None:
    if money is None:
        return None
    if money.currency != currency:
        raise ValueError(f"the {what} is in {money.currency}; the credit note is in {currency}")
    if money.minor < 0:
        raise ValueError(f"the {what} cannot be negative")
    return money.minor


def _credit_line(line: CreditLineDraft, currency: str) -> CreditNoteCreateParamsLine:
    amount = _minor(line.amount, currency, "line amount")
    if line.invoice_line_id is not None:
        if (amount is None) == (line.quantity is None):
            raise ValueError("credit an invoice line by an amount or by a quantity, not both")
        built: CreditNoteCreateParamsLine = {
            "type": "invoice_line_item",
            "invoice_line_item": line.invoice_line_id,
        }
        if amount is not None:
            built["amount"] = amount
        else:
            built["quantity"] = line.quantity or 0
        return built
    if amount is None or not line.description:
        raise ValueError("a custom credit line needs a description and an amount")
    custom: CreditNoteCreateParamsLine = {
        "type": "custom_line_item",
        "description": line.description,
        "unit_amount": amount,
    }
    if line.quantity is not None:
        custom["quantity"] = line.quantity
    return custom


def credit_note_create(draft: CreditNoteDraft) -> CreditNoteCreateParams:
    """The credit note as Stripe takes it; amounts in the invoice's currency, none negative."""
    currency = draft.currency.upper()
    if not draft.lines and draft.amount is None:
        raise ValueError("a credit note needs lines, an amount, or both")
    if draft.reason is not None and draft.reason not in CREDIT_REASONS:
        raise ValueError(f"Stripe knows no credit note reason {draft.reason!r}")
    params: CreditNoteCreateParams = {"invoice": draft.invoice_id}
    if draft.lines:
        params["lines"] = [_credit_line(line, currency) for line in draft.lines]
    amount = _minor(draft.amount, currency, "amount")
    if amount is not None:
        params["amount"] = amount
    refund = _minor(draft.refund, currency, "refund")
    if refund:
        params["refund_amount"] = refund
    out_of_band = _minor(draft.out_of_band, currency, "amount returned outside Stripe")
    if out_of_band:
        params["out_of_band_amount"] = out_of_band
    credit = _minor(draft.balance_credit, currency, "balance credit")
    if credit:
        params["credit_amount"] = credit
    if draft.reason:
        params["reason"] = draft.reason
    if draft.memo:
        params["memo"] = draft.memo
    if draft.metadata:
        params["metadata"] = dict(draft.metadata)
    return params
