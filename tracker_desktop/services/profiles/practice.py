"""Practice mode: the local simulator stands in for Stripe, as an account of its own.

It is started at most once per run. It keeps nothing after the app closes, so when a fresh
one starts, the Practice profile's invoices and Stripe links are cleared here too; its clients
and watches stay. ProfileService.start_practice drives this and switches to the profile.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, update

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Contact, Invoice, ProcessedStripeEvent, SyncState, Watch
from tracker_desktop.domain.errors import TrackerError
from tracker_desktop.domain.watch_status import WatchStatus
from tracker_desktop.services.app_services import Foundation
from tracker_desktop.services.events import ClientsChanged, InvoicesChanged, WatchesChanged
from tracker_desktop.services.profiles.stripe_access import GatewayProvider

__all__ = ["PRACTICE_FOOTER", "PRACTICE_NAME", "PracticeMode", "PracticeStarter"]

PRACTICE_NAME = "Practice"
PRACTICE_FOOTER = "Practice invoice: made with the local simulator, no real money."
# Starts the simulator (once per run) and gives its base address and key.
PracticeStarter = Callable[[], tuple[str, str]]


class PracticeMode:
    def __init__(
        self, base: Foundation, gateways: GatewayProvider, starter: PracticeStarter | None
    ) -> None:
        self._base = base
        self._gateways = gateways
        self._starter = starter

    @property
    def running(self) -> bool:
        return bool(self._gateways.practice_base_url and self._gateways.practice_key)

    @property
    def available(self) -> bool:
        return self.running or self._starter is not None

    def start_simulator(self) -> bool:
        """Start the simulator unless it runs already; True when it was started just now."""
        if self.running:
            return False
        if self._starter is None:
            raise TrackerError("Practice mode is not available in this build.")
        base_url, key = self._starter()
        self._gateways.set_practice(base_url, key)
        return True

    def clear_stripe_data(self, profile_id: int) -> None:
        """Forget what only the previous simulator knew: invoices, links, sync cursors."""
        with session_scope(self._base.session_factory, write=True) as session:
            session.execute(delete(Invoice).where(Invoice.profile_id == profile_id))
            session.execute(
                update(Watch)
                .where(
                    Watch.profile_id == profile_id,
                    Watch.status.in_((WatchStatus.RESERVED, WatchStatus.SOLD)),
                )  # on memo or in service stays: the dealer set it, not an invoice
                .values(status=WatchStatus.IN_STOCK)
            )
            session.execute(
                update(Contact)
                .where(Contact.profile_id == profile_id)
                .values(stripe_customer_id=None, payment_method_summary=None, sync_error=None)
            )
            for table in (SyncState, ProcessedStripeEvent):
                session.execute(delete(table).where(table.profile_id == profile_id))
        for changed in (InvoicesChanged, WatchesChanged, ClientsChanged):
            self._base.hub.publish(changed(profile_id))
