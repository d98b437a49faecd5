"""One StripeGateway per profile key: every Stripe call the app makes, as coroutines."""

from __future__ import annotations

from tracker_desktop.domain.errors import PermissionDenied
from tracker_desktop.domain.stripe_types import StripeAccount
from tracker_desktop.stripe_gateway import mapping
from tracker_desktop.stripe_gateway.credit_notes import CreditNoteCalls
from tracker_desktop.stripe_gateway.customers import CustomerCalls
from tracker_desktop.stripe_gateway.events import EventCalls
from tracker_desktop.stripe_gateway.invoices import InvoiceCalls


class StripeGateway(CustomerCalls, InvoiceCalls, CreditNoteCalls, EventCalls):
    """Wraps a StripeClient for one key. Never touches the global `stripe.api_key`.

    `api_base` points it at the simulator (tests, practice mode). Use as
    `async with StripeGateway(key) as gw:` or call `await gw.close()` when done.
    The calls live in mixins by topic (customers, invoices, credit notes, events and the
    PDF); the client, `_call` and the key checks live in core.GatewayCore.
    """

    # -- account -------------------------------------------------------------------------

    async def verify_key(self) -> StripeAccount:
        """Checks the key works and says whose account and which mode it is.

        The mode is the key's prefix: Stripe's Account object has no `livemode` (objects
        answered later are checked against the prefix in `_call`)."""
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
        return mapping.account(acct, self.livemode)
