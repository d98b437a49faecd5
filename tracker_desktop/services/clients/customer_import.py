"""Import the Stripe account's existing customers as clients.

Customers are read newest first, one page at a time. Each page is applied and committed
together with the cursor (SyncState.customers_import_cursor), so a failure or a cancel keeps
what was imported and the next import continues after the last page done. A customer is
linked to the local client with the same email (any case), or becomes a new client; one
already linked is never imported twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Contact
from tracker_desktop.db.repositories import contacts_sync
from tracker_desktop.db.repositories.sync import get_sync_state
from tracker_desktop.domain.errors import GatewayError, InvalidRequest
from tracker_desktop.domain.stripe_types import StripeCustomer
from tracker_desktop.domain.validation import country_codes
from tracker_desktop.services.events import ClientsChanged, EventHub
from tracker_desktop.services.profiles.stripe_access import GatewayProvider

PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class Skipped:
    customer_id: str
    label: str  # the customer's name or email
    reason: str


@dataclass(slots=True)
class ImportReport:
    read: int = 0
    linked: list[str] = field(default_factory=list)  # client names linked by email
    created: list[str] = field(default_factory=list)  # clients made from customers
    already: int = 0  # customers already linked to their client (an earlier import)
    skipped: list[Skipped] = field(default_factory=list)
    resumed: bool = False  # continued where an earlier import stopped
    cancelled: bool = False
    error: str | None = None  # why it stopped early; what was done is kept
    finished: bool = False

    def summary(self) -> str:
        parts = [
            f"{len(self.linked)} linked by email",
            f"{len(self.created)} new clients",
            f"{len(self.skipped)} skipped",
        ]
        if self.already:
            parts.append(f"{self.already} already linked")
        text = f"Read {self.read} Stripe customers: " + ", ".join(parts) + "."
        if self.error:
            text += f" Stopped: {self.error} Import again to continue where it stopped."
        elif self.cancelled:
            text += " Cancelled; import again to continue where it stopped."
        return text


Progress = Callable[[ImportReport], None]


def _label(customer: StripeCustomer) -> str:
    return customer.name or customer.email or customer.id


class CustomerImport:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        gateways: GatewayProvider,
        hub: EventHub | None = None,
        *,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self._sessions = session_factory
        self._gateways = gateways
        self._hub = hub
        self._page_size = page_size

    async def run(
        self,
        profile_id: int,
        *,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> ImportReport:
        """Import page by page. Failures end the run with `report.error`, never half a page."""
        gateway = self._gateways.gateway(profile_id)  # NoStripeKey: nothing started
        with session_scope(self._sessions) as session:
            cursor = get_sync_state(session, profile_id).customers_import_cursor
        report = ImportReport(resumed=cursor is not None)
        while True:
            if cancelled():
                report.cancelled = True
                break
            try:
                page = await gateway.list_customers(limit=self._page_size, starting_after=cursor)
            except InvalidRequest as exc:
                if cursor is not None and exc.param == "starting_after":
                    cursor = None  # the customer we stopped at is gone: start over, safely
                    report.resumed = False
                    continue
                report.error = str(exc)
                break
            except GatewayError as exc:
                report.error = str(exc)
                break
            last = page.customers[-1].id if page.customers else cursor
            done = not page.has_more or not page.customers
            self._apply_page(profile_id, page.customers, report, None if done else last)
            cursor = last
            if progress is not None:
                progress(report)
            if done:
                report.finished = True
                break
        if report.linked or report.created:
            self._changed(profile_id)
        return report

    def _changed(self, profile_id: int) -> None:
        if self._hub is not None:
            self._hub.publish(ClientsChanged(profile_id))

    def _apply_page(
        self,
        profile_id: int,
        customers: list[StripeCustomer],
        report: ImportReport,
        next_cursor: str | None,
    ) -> None:
        """One transaction: the page's links and new clients, and the cursor after them."""
        with session_scope(self._sessions, write=True) as session:
            by_customer = contacts_sync.contacts_by_customer_ids(
                session, profile_id, [c.id for c in customers]
            )
            by_email = contacts_sync.contacts_by_emails(
                session, profile_id, [c.email or "" for c in customers]
            )
            for customer in customers:
                report.read += 1
                self._apply_one(session, profile_id, customer, by_customer, by_email, report)
            get_sync_state(session, profile_id).customers_import_cursor = next_cursor

    def _apply_one(
        self,
        session: Session,
        profile_id: int,
        customer: StripeCustomer,
        by_customer: dict[str, Contact],
        by_email: dict[str, list[Contact]],
        report: ImportReport,
    ) -> None:
        if customer.id in by_customer:
            report.already += 1
            return
        email = (customer.email or "").strip().lower()
        matches = by_email.get(email, []) if email else []
        if len(matches) > 1:
            names = ", ".join(c.name for c in matches[:3])
            report.skipped.append(
                Skipped(customer.id, _label(customer), f"several clients have this email ({names})")
            )
            return
        if matches:
            contact = matches[0]
            if contact.stripe_customer_id:
                report.skipped.append(
                    Skipped(
                        customer.id,
                        _label(customer),
                        f"{contact.name} is already linked to another Stripe customer "
                        f"({contact.stripe_customer_id})",
                    )
                )
                return
            contact.stripe_customer_id = customer.id
            contact.payment_method_summary = customer.payment_method_summary
            contact.sync_error = None
            by_customer[customer.id] = contact
            report.linked.append(contact.name)
            return
        contact = _new_contact(profile_id, customer)
        session.add(contact)
        session.flush()
        by_customer[customer.id] = contact
        if email:
            by_email[email] = [contact]
        report.created.append(contact.name)


def _new_contact(profile_id: int, customer: StripeCustomer) -> Contact:
    address = customer.address
    country = (address.get("country") or "").strip().upper()
    return Contact(
        profile_id=profile_id,
        name=(_label(customer))[:200],
        email=(customer.email or "")[:320],
        phone=(customer.phone or "")[:40],
        address_line1=(address.get("line1") or "")[:200],
        address_line2=(address.get("line2") or "")[:200],
        city=(address.get("city") or "")[:120],
        state=(address.get("state") or "")[:120],
        postal_code=(address.get("postal_code") or "")[:20],
        country=country if country in country_codes() else "",
        stripe_customer_id=customer.id,
        payment_method_summary=customer.payment_method_summary,
    )
