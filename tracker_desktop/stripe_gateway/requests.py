"""Request bodies built as the SDK's typed params, so mypy checks every field we send."""

from __future__ import annotations

from collections.abc import Sequence

from stripe.params import (
    CustomerCreateParams,
    CustomerCreateParamsAddress,
    CustomerUpdateParams,
    CustomerUpdateParamsAddress,
    InvoiceAddLinesParams,
    InvoiceAddLinesParamsLine,
    InvoiceCreateParams,
)

from tracker_desktop.domain.stripe_types import CustomerDraft, LineDraft

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
        "metadata": {TRACKER_INVOICE_ID: tracker_invoice_id},
    }
    if memo:
        params["description"] = memo
    if footer:
        params["footer"] = footer
    return params


def add_lines(lines: Sequence[LineDraft]) -> InvoiceAddLinesParams:
    """All lines in one request; each as price_data so quantity and unit price show on the PDF."""
    if not lines:
        raise ValueError("an invoice needs at least one line")
    currencies = {line.unit_price.currency for line in lines}
    if len(currencies) != 1:
        raise ValueError("every line of an invoice must be in the same currency")
    built: list[InvoiceAddLinesParamsLine] = []
    for line in lines:
        if line.quantity < 1:
            raise ValueError("a line quantity must be at least 1")
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
