"""Credit note calls of the gateway: issue, read, list and void, and an invoice's lines.

A credit note is how a finalized invoice is corrected: on an open one it lowers what is due,
on a paid one it refunds the card, records money returned outside Stripe, or credits the
buyer's balance. Each POST carries the caller's deterministic key, so a retry after a lost
answer gets the same credit note (and the same refund) back instead of a second one.
"""

from __future__ import annotations

from stripe.params import CreditNoteListParams, InvoiceListLinesParams

from tracker_desktop.domain.stripe_types import (
    CreditNoteDraft,
    StripeCreditNote,
    StripeInvoiceLine,
)
from tracker_desktop.stripe_gateway import mapping, requests
from tracker_desktop.stripe_gateway.core import PAGE_LIMIT, GatewayCore, require_key


class CreditNoteCalls(GatewayCore):
    async def create_credit_note(
        self, draft: CreditNoteDraft, *, idempotency_key: str
    ) -> StripeCreditNote:
        """Issue one credit note; Stripe's refusal (over what is due, amounts that do not add
        up, an invoice in the wrong state) comes back as InvalidRequest with its reason."""
        options = require_key(idempotency_key)
        params = requests.credit_note_create(draft)
        note = await self._call(
            "POST",
            "/v1/credit_notes",
            lambda: self._client.v1.credit_notes.create_async(params, options),
        )
        return mapping.credit_note(note)

    async def retrieve_credit_note(self, credit_note_id: str) -> StripeCreditNote:
        note = await self._call(
            "GET",
            f"/v1/credit_notes/{credit_note_id}",
            lambda: self._client.v1.credit_notes.retrieve_async(credit_note_id),
        )
        return mapping.credit_note(note)

    async def list_credit_notes(self, invoice_id: str) -> list[StripeCreditNote]:
        """Every credit note of one invoice, void ones included, newest first."""
        params: CreditNoteListParams = {"invoice": invoice_id, "limit": PAGE_LIMIT}
        found: list[StripeCreditNote] = []
        while True:
            page = await self._call(
                "GET",
                "/v1/credit_notes",
                lambda: self._client.v1.credit_notes.list_async(params),
            )
            found.extend(mapping.credit_note(n) for n in page.data)
            if not page.has_more or not page.data:
                return found
            params["starting_after"] = page.data[-1].id

    async def void_credit_note(
        self, credit_note_id: str, *, idempotency_key: str
    ) -> StripeCreditNote:
        """Void an issued credit note (what it took off the invoice is due again)."""
        options = require_key(idempotency_key)
        note = await self._call(
            "POST",
            f"/v1/credit_notes/{credit_note_id}/void",
            lambda: self._client.v1.credit_notes.void_credit_note_async(
                credit_note_id, None, options
            ),
        )
        return mapping.credit_note(note)

    async def list_invoice_lines(self, invoice_id: str) -> list[StripeInvoiceLine]:
        """Every line of an invoice in the order added: the ids a per-line credit names."""
        params: InvoiceListLinesParams = {"limit": PAGE_LIMIT}
        found: list[StripeInvoiceLine] = []
        while True:
            page = await self._call(
                "GET",
                f"/v1/invoices/{invoice_id}/lines",
                lambda: self._client.v1.invoices.line_items.list_async(invoice_id, params),
            )
            found.extend(mapping.invoice_line(li) for li in page.data)
            if not page.has_more or not page.data:
                return found
            params["starting_after"] = page.data[-1].id
