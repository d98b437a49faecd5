"""Customer calls of the gateway."""

from __future__ import annotations

from typing import Final

from stripe.params import CustomerListParams

from tracker_desktop.domain.errors import InvalidRequest, NotFound, PermissionDenied
from tracker_desktop.domain.stripe_types import CustomerDraft, CustomerPage, StripeCustomer
from tracker_desktop.stripe_gateway import mapping, requests
from tracker_desktop.stripe_gateway.core import PAGE_LIMIT, GatewayCore, require_key

# A customer's default payment method, expanded to show "Visa ending 4242".
_CUSTOMER_EXPAND: Final = ["invoice_settings.default_payment_method"]
# Search lags about a minute behind creation; a just-made customer is among the newest.
_FIND_RECENT_PAGES: Final = 3


class CustomerCalls(GatewayCore):
    async def create_customer(
        self, draft: CustomerDraft, *, idempotency_key: str
    ) -> StripeCustomer:
        options = require_key(idempotency_key)
        params = requests.customer_create(draft)
        params["expand"] = list(_CUSTOMER_EXPAND)
        cust = await self._call(
            "POST",
            "/v1/customers",
            lambda: self._client.v1.customers.create_async(params, options),
        )
        return mapping.customer(cust)

    async def update_customer(
        self, customer_id: str, draft: CustomerDraft, *, idempotency_key: str
    ) -> StripeCustomer:
        """Put a revision into the key's step when the same contact is edited again."""
        options = require_key(idempotency_key)
        params = requests.customer_update(draft)
        params["expand"] = list(_CUSTOMER_EXPAND)
        cust = await self._call(
            "POST",
            f"/v1/customers/{customer_id}",
            lambda: self._client.v1.customers.update_async(customer_id, params, options),
        )
        return mapping.customer(cust)

    async def retrieve_customer(self, customer_id: str) -> StripeCustomer:
        cust = await self._call(
            "GET",
            f"/v1/customers/{customer_id}",
            lambda: self._client.v1.customers.retrieve_async(
                customer_id, {"expand": list(_CUSTOMER_EXPAND)}
            ),
        )
        if mapping.optional(cust, "deleted"):
            raise NotFound("This customer was deleted in Stripe.", code="resource_missing")
        return mapping.customer(cust)

    async def list_customers(
        self,
        *,
        limit: int = PAGE_LIMIT,
        starting_after: str | None = None,
    ) -> CustomerPage:
        """One page, newest first; pass the last id as `starting_after` for the next."""
        params: CustomerListParams = {"limit": max(1, min(limit, PAGE_LIMIT))}
        if starting_after:
            params["starting_after"] = starting_after
        page = await self._call(
            "GET", "/v1/customers", lambda: self._client.v1.customers.list_async(params)
        )
        return CustomerPage([mapping.customer(c) for c in page.data], page.has_more)

    async def find_customer_by_metadata(self, key: str, value: str) -> StripeCustomer | None:
        """The customer whose metadata[key] is value, if any: asked before re-creating one
        whose create may have reached Stripe though its answer was lost. Search first, then
        the newest customers (search lags behind creation)."""
        if "'" not in value and "\\" not in value:
            query = f"metadata['{key}']:'{value}'"
            try:
                result = await self._call(
                    "GET",
                    "/v1/customers/search",
                    lambda: self._client.v1.customers.search_async({"query": query, "limit": 10}),
                )
            except (NotFound, InvalidRequest, PermissionDenied):
                result = None  # search not offered here: the list scan decides
            for cust in result.data if result is not None else []:
                found = mapping.customer(cust)
                if found.metadata.get(key) == value:
                    return found
        after: str | None = None
        for _ in range(_FIND_RECENT_PAGES):
            page = await self.list_customers(starting_after=after)
            for customer in page.customers:
                if customer.metadata.get(key) == value:
                    return customer
            if not page.has_more or not page.customers:
                return None
            after = page.customers[-1].id
        return None
