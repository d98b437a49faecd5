"""One StripeGateway per profile key: every Stripe call the app makes, as coroutines."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from types import TracebackType
from typing import Final, Self, TypeVar
from urllib.parse import urlsplit

import httpx
import stripe
from stripe.params import (
    CustomerListParams,
    EventListParams,
    InvoiceListParams,
    InvoiceListParamsCreated,
    InvoicePaymentListParams,
)

from tracker_desktop.domain.errors import (
    GatewayError,
    InvalidRequest,
    NotFound,
    Offline,
    PermissionDenied,
    StripeUnavailable,
)
from tracker_desktop.domain.stripe_types import (
    CustomerDraft,
    CustomerPage,
    EventPage,
    InvoicePage,
    LineDraft,
    StripeAccount,
    StripeCustomer,
    StripeInvoice,
    StripeInvoicePayment,
)
from tracker_desktop.stripe_gateway import mapping, requests
from tracker_desktop.stripe_gateway.errors import OFFLINE_MESSAGE, UNAVAILABLE_MESSAGE, map_error
from tracker_desktop.stripe_gateway.keys import (
    MAX_IDEMPOTENCY_KEY_LENGTH,
    install_log_scrubber,
    key_kind,
)

log = logging.getLogger("tracker.stripe")
T = TypeVar("T")

DEFAULT_TIMEOUT: Final = 30.0
DEFAULT_RETRIES: Final = 2
PAGE_LIMIT: Final = 100
# Stripe's search sees new objects only after about a minute; the list fallback is exact.
_FIND_MAX_PAGES: Final = 20
# A customer's default payment method, expanded to show "Visa ending 4242".
_CUSTOMER_EXPAND: Final = ["invoice_settings.default_payment_method"]


def _request_id(obj: object) -> str | None:
    response = getattr(obj, "last_response", None)
    value = getattr(response, "request_id", None)
    return value if isinstance(value, str) else None


def _require_key(idempotency_key: str) -> stripe.RequestOptions:
    key = idempotency_key.strip()
    if not key or len(key) > MAX_IDEMPOTENCY_KEY_LENGTH:
        raise ValueError("every Stripe POST needs an idempotency key of 1..255 characters")
    return {"idempotency_key": key}


class StripeGateway:
    """Wraps a StripeClient for one key. Never touches the global `stripe.api_key`.

    `api_base` points it at the simulator (tests, practice mode). Use as
    `async with StripeGateway(key) as gw:` or call `await gw.close()` when done.
    """

    def __init__(
        self,
        api_key: str,
        *,
        api_base: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_network_retries: int = DEFAULT_RETRIES,
    ) -> None:
        kind = key_kind(api_key)  # refuses pk_ and junk before anything is sent
        self.livemode: bool = kind.livemode
        self.restricted: bool = kind.restricted
        self.api_base = api_base.rstrip("/") if api_base else None
        self._timeout = timeout
        install_log_scrubber()
        self._http = stripe.HTTPXClient(timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)))
        self._client = stripe.StripeClient(
            api_key.strip(),
            http_client=self._http,
            max_network_retries=max_network_retries,
            base_addresses={"api": self.api_base} if self.api_base else None,
        )
        self._closed = False

    def __repr__(self) -> str:
        # Never any part of the key.
        mode = "live" if self.livemode else "test"
        return f"StripeGateway(mode={mode!r}, base={self.api_base or 'stripe'!r})"

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            await self._http.close_async()  # type: ignore[no-untyped-call]  # SDK leaves it untyped

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- the one place every call goes through ----------------------------------------------

    async def _call(self, method: str, path: str, op: Callable[[], Awaitable[T]]) -> T:
        """Runs a call, logs method/path/request id/duration, maps failures.

        The project error is raised outside the `except` block so it carries neither
        `__cause__` nor `__context__`: the SDK exception (with headers) goes no further.
        """
        started = time.monotonic()
        failure: GatewayError | None = None
        try:
            result = await op()
        except (stripe.StripeError, httpx.HTTPError, OSError, TimeoutError) as exc:
            failure = map_error(exc)
        elapsed_ms = (time.monotonic() - started) * 1000
        if failure is not None:
            log.warning(
                "%s %s failed: %s %s (%s) %.0f ms",
                method,
                path,
                type(failure).__name__,
                failure.code or "",
                failure.request_id or "no request id",
                elapsed_ms,
            )
            raise failure
        log.info("%s %s %s %.0f ms", method, path, _request_id(result) or "-", elapsed_ms)
        return result

    # -- account -------------------------------------------------------------------------

    async def verify_key(self) -> StripeAccount:
        """Checks the key works and says whose account and which mode it is."""
        v1 = self._client.v1
        try:
            acct = await self._call(
                "GET", "/v1/account", lambda: v1.accounts.retrieve_current_async()
            )
        except PermissionDenied:
            if not self.restricted:
                raise
            # A restricted key may not read the account; listing customers proves it works.
            await self._call("GET", "/v1/customers", lambda: v1.customers.list_async({"limit": 1}))
            return StripeAccount(account_id=None, display_name=None, livemode=self.livemode)
        reported = mapping.optional(acct, "livemode")
        if reported is not None and bool(reported) != self.livemode:
            raise InvalidRequest(
                "This key's prefix and the account Stripe reports disagree on test or live mode."
            )
        return mapping.account(acct, self.livemode)

    # -- customers -----------------------------------------------------------------------

    async def create_customer(
        self, draft: CustomerDraft, *, idempotency_key: str
    ) -> StripeCustomer:
        options = _require_key(idempotency_key)
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
        options = _require_key(idempotency_key)
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
        email: str | None = None,
        limit: int = PAGE_LIMIT,
        starting_after: str | None = None,
    ) -> CustomerPage:
        """One page, newest first; pass the last id as `starting_after` for the next."""
        params: CustomerListParams = {"limit": max(1, min(limit, PAGE_LIMIT))}
        if email:
            params["email"] = email
        if starting_after:
            params["starting_after"] = starting_after
        page = await self._call(
            "GET", "/v1/customers", lambda: self._client.v1.customers.list_async(params)
        )
        return CustomerPage([mapping.customer(c) for c in page.data], page.has_more)

    async def find_customers_by_email(self, email: str) -> list[StripeCustomer]:
        """Every customer with exactly this email (Stripe matches it case-sensitively)."""
        found: list[StripeCustomer] = []
        after: str | None = None
        while True:
            page = await self.list_customers(email=email.strip(), starting_after=after)
            found.extend(page.customers)
            if not page.has_more or not page.customers:
                return found
            after = page.customers[-1].id

    # -- invoices ------------------------------------------------------------------------

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
    ) -> StripeInvoice:
        """A draft, send_invoice invoice tagged with the local invoice id."""
        options = _require_key(idempotency_key)
        params = requests.invoice_create(
            customer_id=customer_id,
            currency=currency,
            days_until_due=days_until_due,
            tracker_invoice_id=tracker_invoice_id,
            memo=memo,
            footer=footer,
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
        options = _require_key(idempotency_key)
        params = requests.add_lines(lines)
        inv = await self._call(
            "POST",
            f"/v1/invoices/{invoice_id}/add_lines",
            lambda: self._client.v1.invoices.add_lines_async(invoice_id, params, options),
        )
        return mapping.invoice(inv)

    async def finalize_invoice(self, invoice_id: str, *, idempotency_key: str) -> StripeInvoice:
        """Finalizes without auto-advance: Stripe neither emails nor charges on its own."""
        options = _require_key(idempotency_key)
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
        options = _require_key(idempotency_key)
        inv = await self._call(
            "POST",
            f"/v1/invoices/{invoice_id}/send",
            lambda: self._client.v1.invoices.send_invoice_async(invoice_id, None, options),
        )
        return mapping.invoice(inv)

    async def void_invoice(self, invoice_id: str, *, idempotency_key: str) -> StripeInvoice:
        options = _require_key(idempotency_key)
        inv = await self._call(
            "POST",
            f"/v1/invoices/{invoice_id}/void",
            lambda: self._client.v1.invoices.void_invoice_async(invoice_id, None, options),
        )
        return mapping.invoice(inv)

    async def mark_uncollectible(self, invoice_id: str, *, idempotency_key: str) -> StripeInvoice:
        options = _require_key(idempotency_key)
        inv = await self._call(
            "POST",
            f"/v1/invoices/{invoice_id}/mark_uncollectible",
            lambda: self._client.v1.invoices.mark_uncollectible_async(invoice_id, None, options),
        )
        return mapping.invoice(inv)

    async def pay_out_of_band(self, invoice_id: str, *, idempotency_key: str) -> StripeInvoice:
        """Records a payment made outside Stripe (a wire): the invoice becomes paid."""
        options = _require_key(idempotency_key)
        inv = await self._call(
            "POST",
            f"/v1/invoices/{invoice_id}/pay",
            lambda: self._client.v1.invoices.pay_async(
                invoice_id, {"paid_out_of_band": True}, options
            ),
        )
        return mapping.invoice(inv)

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

        Search answers fast but lags about a minute behind creation and is missing in some
        regions and in the simulator, so a miss falls back to an exact, bounded list scan
        (narrow it with the customer and a creation lower bound when known).
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

    # -- events --------------------------------------------------------------------------

    async def list_events(
        self,
        *,
        types: Sequence[str] = (),
        ending_before: str | None = None,
        starting_after: str | None = None,
        created_gte: datetime | None = None,
        limit: int = PAGE_LIMIT,
    ) -> EventPage:
        """One page of events, newest first. Cursors are exclusive, as in Stripe."""
        params: EventListParams = {"limit": max(1, min(limit, PAGE_LIMIT))}
        if types:
            params["types"] = list(types)
        if ending_before:
            params["ending_before"] = ending_before
        if starting_after:
            params["starting_after"] = starting_after
        if created_gte is not None:
            params["created"] = {"gte": int(created_gte.timestamp())}
        page = await self._call(
            "GET", "/v1/events", lambda: self._client.v1.events.list_async(params)
        )
        return EventPage([mapping.event(e) for e in page.data], page.has_more)

    # -- the invoice PDF -----------------------------------------------------------------

    async def download_invoice_pdf(self, invoice_pdf_url: str) -> bytes:
        """The PDF behind `invoice_pdf`. The link needs no key, so none is sent with it."""
        self._check_pdf_url(invoice_pdf_url)
        path = urlsplit(invoice_pdf_url).path
        started = time.monotonic()
        failure: GatewayError | None = None
        content = b""
        try:
            async with httpx.AsyncClient(
                timeout=httpx.Timeout(self._timeout * 2, connect=min(self._timeout, 10.0)),
                follow_redirects=True,
            ) as client:
                response = await client.get(invoice_pdf_url)
            if response.status_code in (404, 410):
                failure = NotFound("Stripe has no PDF at this link any more.")
            elif response.status_code >= 500:
                failure = StripeUnavailable(UNAVAILABLE_MESSAGE)
            elif response.status_code >= 400:
                failure = GatewayError(
                    f"Stripe refused the invoice PDF download ({response.status_code})."
                )
            else:
                content = response.content
        except (httpx.HTTPError, OSError):
            failure = Offline(OFFLINE_MESSAGE)
        elapsed_ms = (time.monotonic() - started) * 1000
        if failure is not None:
            log.warning("GET %s failed: %s %.0f ms", path, type(failure).__name__, elapsed_ms)
            raise failure
        if not content.startswith(b"%PDF"):
            raise GatewayError("Stripe's invoice PDF link did not return a PDF.")
        log.info("GET %s %d bytes %.0f ms", path, len(content), elapsed_ms)
        return content

    def _check_pdf_url(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme == "https" and parts.hostname:
            return
        # Plain http only towards the simulator this gateway already talks to.
        base = urlsplit(self.api_base) if self.api_base else None
        if parts.scheme == "http" and base is not None and parts.hostname == base.hostname:
            return
        raise InvalidRequest("This is not an invoice PDF link from Stripe.", param="invoice_pdf")
