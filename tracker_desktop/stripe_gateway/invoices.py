"""Invoice calls of the gateway: create, add lines, finalize, send, void, pay, find."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Final

import stripe
from stripe.params import InvoiceListParams, InvoiceListParamsCreated, InvoicePaymentListParams

from tracker_desktop.domain.errors import InvalidRequest, NotFound, PermissionDenied
from tracker_desktop.domain.stripe_types import (
    InvoicePage,
    LineDraft,
    StripeInvoice,
    StripeInvoicePayment,
)
from tracker_desktop.stripe_gateway import mapping, requests
from tracker_desktop.stripe_gateway.core import PAGE_LIMIT, GatewayCore, require_key

# Stripe's search sees new objects only after about a minute; the list fallback is exact.
_FIND_MAX_PAGES: Final = 20


class InvoiceCalls(GatewayCore):
    async def create_invoice(
        self,
        *,
        customer_id: str,
        currency: str,
        days_until_due: int,
        tracker_invoice_id: str,
        idempotency_key: str,
        memo: str | None = None,
        footer: str | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> StripeInvoice:
        """A draft, send_invoice invoice tagged with the local invoice id (and any other
        `metadata`, such as its sale's)."""
        options = require_key(idempotency_key)
        params = requests.invoice_create(
            customer_id=customer_id,
            currency=currency,
            days_until_due=days_until_due,
            tracker_invoice_id=tracker_invoice_id,
            memo=memo,
            footer=footer,
            metadata=metadata,
        )
        inv = await self._call(
            "POST",
            "/v1/invoices",
            lambda: self._client.v1.invoices.create_async(params, options),
        )
        return mapping.invoice(inv)

    async def add_lines(
        self, invoice_id: str, lines: Sequence[LineDraft], *, idempotency_key: str
    ) -> StripeInvoice:
        """All lines in one request, so a retry can never add half of them twice."""
        options = require_key(idempotency_key)
        params = requests.add_lines(lines)
        inv = await self._call(
            "POST",
            f"/v1/invoices/{invoice_id}/add_lines",
            lambda: self._client.v1.invoices.add_lines_async(invoice_id, params, options),
        )
        return mapping.invoice(inv)

    async def finalize_invoice(self, invoice_id: str, *, idempotency_key: str) -> StripeInvoice:
        """Finalizes without auto-advance: Stripe neither emails nor charges on its own."""
        options = require_key(idempotency_key)
        inv = await self._call(
            "POST",
            f"/v1/invoices/{invoice_id}/finalize",
            lambda: self._client.v1.invoices.finalize_invoice_async(
                invoice_id, {"auto_advance": False}, options
            ),
        )
        return mapping.invoice(inv)

    async def send_invoice(self, invoice_id: str, *, idempotency_key: str) -> StripeInvoice:
        """Stripe emails the buyer the hosted page link (live mode only sends real mail)."""
        options = require_key(idempotency_key)
        inv = await self._call(
            "POST",
            f"/v1/invoices/{invoice_id}/send",
            lambda: self._client.v1.invoices.send_invoice_async(invoice_id, None, options),
        )
        return mapping.invoice(inv)

    async def void_invoice(self, invoice_id: str, *, idempotency_key: str) -> StripeInvoice:
        options = require_key(idempotency_key)
        inv = await self._call(
            "POST",
            f"/v1/invoices/{invoice_id}/void",
            lambda: self._client.v1.invoices.void_invoice_async(invoice_id, None, options),
        )
        return mapping.invoice(inv)

    async def mark_uncollectible(self, invoice_id: str, *, idempotency_key: str) -> StripeInvoice:
        options = require_key(idempotency_key)
        inv = await self._call(
            "POST",
            f"/v1/invoices/{invoice_id}/mark_uncollectible",
            lambda: self._client.v1.invoices.mark_uncollectible_async(invoice_id, None, options),
        )
        return mapping.invoice(inv)

    async def pay_out_of_band(self, invoice_id: str, *, idempotency_key: str) -> StripeInvoice:
        """Records a payment made outside Stripe (a wire): the invoice becomes paid."""
        options = require_key(idempotency_key)
        inv = await self._call(
            "POST",
            f"/v1/invoices/{invoice_id}/pay",
            lambda: self._client.v1.invoices.pay_async(
                invoice_id, {"paid_out_of_band": True}, options
            ),
        )
        return mapping.invoice(inv)

    async def delete_draft_invoice(self, invoice_id: str, *, idempotency_key: str) -> None:
        """Delete a draft (Stripe refuses once it is finalized). One already gone is fine:
        deleting is what was wanted."""
        options = require_key(idempotency_key)
        try:
            await self._call(
                "DELETE",
                f"/v1/invoices/{invoice_id}",
                lambda: self._client.v1.invoices.delete_async(invoice_id, None, options),
            )
        except NotFound:
            return

    async def retrieve_invoice(self, invoice_id: str) -> StripeInvoice:
        inv = await self._call(
            "GET",
            f"/v1/invoices/{invoice_id}",
            lambda: self._client.v1.invoices.retrieve_async(invoice_id),
        )
        return mapping.invoice(inv)

    async def list_invoices(
        self,
        *,
        customer_id: str | None = None,
        created_gte: datetime | None = None,
        created_lt: datetime | None = None,
        limit: int = PAGE_LIMIT,
        starting_after: str | None = None,
    ) -> InvoicePage:
        """One page, newest first; pass the last id as `starting_after` for the next."""
        params: InvoiceListParams = {"limit": max(1, min(limit, PAGE_LIMIT))}
        if customer_id:
            params["customer"] = customer_id
        created: InvoiceListParamsCreated = {}
        if created_gte is not None:
            created["gte"] = int(created_gte.timestamp())
        if created_lt is not None:
            created["lt"] = int(created_lt.timestamp())
        if created:
            params["created"] = created
        if starting_after:
            params["starting_after"] = starting_after
        page = await self._call(
            "GET", "/v1/invoices", lambda: self._client.v1.invoices.list_async(params)
        )
        return InvoicePage([mapping.invoice(i) for i in page.data], page.has_more)

    async def find_invoice_by_tracker_id(
        self,
        tracker_invoice_id: str,
        *,
        customer_id: str | None = None,
        created_gte: datetime | None = None,
    ) -> StripeInvoice | None:
        """The Stripe invoice made for a local invoice, if any: checked before re-creating.

        Search answers fast but lags up to a minute behind writes and is missing in some
        regions, so a miss falls back to an exact, bounded list scan (narrow it with the
        customer and a creation lower bound when known).
        """
        found = await self._search_invoice(tracker_invoice_id)
        if found is not None:
            return found
        after: str | None = None
        for _ in range(_FIND_MAX_PAGES):
            page = await self.list_invoices(
                customer_id=customer_id, created_gte=created_gte, starting_after=after
            )
            for inv in page.invoices:
                if inv.tracker_invoice_id == tracker_invoice_id:
                    return inv
            if not page.has_more or not page.invoices:
                return None
            after = page.invoices[-1].id
        return None

    async def _search_invoice(self, tracker_invoice_id: str) -> StripeInvoice | None:
        if '"' in tracker_invoice_id or "'" in tracker_invoice_id:
            return None
        query = f"metadata['{requests.TRACKER_INVOICE_ID}']:'{tracker_invoice_id}'"
        try:
            result = await self._call(
                "GET",
                "/v1/invoices/search",
                lambda: self._client.v1.invoices.search_async({"query": query, "limit": 10}),
            )
        except (NotFound, InvalidRequest, PermissionDenied):
            return None  # search not offered here: the list scan decides
        for inv in result.data:
            mapped = mapping.invoice(inv)
            if mapped.tracker_invoice_id == tracker_invoice_id:
                return mapped
        return None

    async def list_invoice_payments(self, invoice_id: str) -> list[StripeInvoicePayment]:
        """Every payment attempt on an invoice, with processing bank debits told apart.

        Open attempts backed by a PaymentIntent are looked up one by one: only the intent says
        whether a bank debit is processing and why the last try failed. Few are ever open.
        """
        params: InvoicePaymentListParams = {"invoice": invoice_id, "limit": PAGE_LIMIT}
        payments: list[stripe.InvoicePayment] = []
        while True:
            page = await self._call(
                "GET",
                "/v1/invoice_payments",
                lambda: self._client.v1.invoice_payments.list_async(params),
            )
            payments.extend(page.data)
            if not page.has_more or not page.data:
                break
            params["starting_after"] = page.data[-1].id
        found: list[StripeInvoicePayment] = []
        for payment in payments:
            intent_id = mapping.open_intent_id(payment)
            intent = await self._retrieve_intent(intent_id) if intent_id else None
            found.append(mapping.invoice_payment(payment, intent))
        return found

    async def _retrieve_intent(self, intent_id: str) -> stripe.PaymentIntent:
        return await self._call(
            "GET",
            f"/v1/payment_intents/{intent_id}",
            lambda: self._client.v1.payment_intents.retrieve_async(
                intent_id, {"expand": ["payment_method"]}
            ),
        )
