"""The resumable, idempotent push of one local invoice to Stripe (ARCHITECTURE.md "Push").

Each step commits as soon as Stripe answers, so a retry (after a failure, a timeout or a
crash) continues where it stopped. Every POST carries `<uuid>:<step>` as its idempotency key,
so a replay within Stripe's 24 hours gets the same object back. Past that window a key may
be forgotten, so a resumed push first asks Stripe what it already holds (by id, or by the
invoice's tracker_invoice_id metadata) before creating anything.

One run at a time: a run holds the invoice's lease (push_lease) from its first to its last
write, renews it on a timer, and every save checks it still holds it, so a second window or
workstation can neither run the same push nor overwrite it. An edit gives the invoice a new
uuid (services/invoicing/take_back), so its keys never replay older content.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Contact, Invoice
from tracker_desktop.db.repositories.invoices import get_invoice
from tracker_desktop.domain.errors import (
    ActionNotAllowed,
    GatewayError,
    ValidationError,
)
from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.stripe_types import (
    INVOICE_DRAFT,
    CustomerDraft,
    LineDraft,
    StripeInvoice,
)
from tracker_desktop.services.clients.stripe_customers import ClientCustomers
from tracker_desktop.services.invoicing import push_lease, state_moves
from tracker_desktop.services.invoicing.push_plan import (
    BUSY_ELSEWHERE,
    KEYS_TRUSTED_FOR,
    ONE_OFF_KEY,
    ORDER,
    PushProgress,
    PushStep,
    PushTakenOver,
    customer_fingerprint,
    sale_metadata,
    set_customer,
    set_stripe_id,
    steps_done,
)
from tracker_desktop.services.invoicing.stripe_state import apply_remote
from tracker_desktop.stripe_gateway import StripeGateway, idempotency_key

log = logging.getLogger(__name__)
S = InvoiceState
T = TypeVar("T")

# The plan (steps, order, labels) lives in push_plan; callers import these names from here.
__all__ = ["BUSY_ELSEWHERE", "ONE_OFF_KEY", "Push", "PushProgress", "PushStep", "PushTakenOver"]


class Push:
    """One push run, owning the invoice's lease while it runs."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        gateway: StripeGateway,
        profile_id: int,
        invoice_id: int,
        now: Callable[[], dt.datetime],
        progress: PushProgress | None = None,
        *,
        customers: ClientCustomers | None = None,
    ) -> None:
        self._sessions = sessions
        self._gw = gateway
        self._profile_id = profile_id
        self._invoice_id = invoice_id
        self._now = now
        self._progress = progress
        self._customers = customers or ClientCustomers(sessions)
        self._owner = push_lease.new_owner()
        self._lost_lease = False

    def _load(self, session: Session) -> Invoice:
        invoice = get_invoice(session, self._profile_id, self._invoice_id)
        if invoice is None:
            raise ValidationError("That invoice no longer exists.")
        return invoice

    def _say(self, step: PushStep) -> None:
        if self._progress is not None:
            self._progress(step)

    async def run(self) -> None:
        resumed = self._begin()
        try:
            async with push_lease.renewing(
                self._sessions, self._invoice_id, self._owner, self._now, self._lose_lease
            ):
                await self._steps(resumed)
        except PushTakenOver:
            raise ActionNotAllowed(BUSY_ELSEWHERE, action="push") from None
        except GatewayError as exc:
            self._fail(str(exc))
            raise
        except Exception as exc:
            self._fail(f"Sending stopped unexpectedly ({type(exc).__name__}); try again.")
            raise
        finally:
            with session_scope(self._sessions, write=True) as session:
                push_lease.release(session, self._invoice_id, self._owner)

    def _begin(self) -> bool:
        """Take the lease and move to pushing; True when this resumes an earlier run."""
        with session_scope(self._sessions, write=True) as session:
            return push_lease.begin(session, self._load(session), self._owner, self._now())

    def _lose_lease(self) -> None:
        self._lost_lease = True

    async def _ask(self, request: Awaitable[T]) -> T:
        """Send one request, only while this run still owns the push."""
        if self._lost_lease:
            if asyncio.iscoroutine(request):
                request.close()
            raise PushTakenOver
        return await request

    def _owned(self, session: Session) -> Invoice:
        invoice = self._load(session)
        if invoice.push_owner != self._owner:
            raise PushTakenOver
        return invoice

    def _fail(self, reason: str) -> None:
        with session_scope(self._sessions, write=True) as session:
            invoice = self._load(session)
            if invoice.state == S.PUSHING and invoice.push_owner == self._owner:
                state_moves.move_to(session, invoice, S.PUSH_FAILED, self._now(), detail=reason)
                invoice.last_error = reason

    def _save(self, step: PushStep, apply: Callable[[Invoice], None]) -> None:
        """Record a step Stripe confirmed. A crash before this line is what resuming covers."""
        with session_scope(self._sessions, write=True) as session:
            invoice = self._owned(session)
            apply(invoice)
            invoice.push_step = step.value
            push_lease.renew(session, self._invoice_id, self._owner, self._now())

    async def _steps(self, resumed: bool) -> None:
        with self._sessions() as session:
            inv = self._load(session)
            uuid, step = inv.uuid, inv.push_step
            customer_id, stripe_id = inv.stripe_customer_id, inv.stripe_invoice_id
            contact_id, fingerprint = inv.contact_id, customer_fingerprint(inv)
            contact = session.get(Contact, contact_id) if contact_id is not None else None
            customer = CustomerDraft(
                name=inv.customer_name,
                email=inv.customer_email or None,
                address=json.loads(inv.customer_address_json or "{}"),
                metadata={ONE_OFF_KEY: uuid}
                if contact is None
                else {"tracker_contact_id": str(contact.id)},
            )
            contact_customer = contact.stripe_customer_id if contact is not None else None
            lines = [
                LineDraft(ln.description, Money(ln.unit_amount_minor, inv.currency), ln.quantity)
                for ln in inv.lines
            ]
            create_args = {
                "currency": inv.currency,
                "days_until_due": inv.days_until_due,
                "memo": inv.memo or None,
                "footer": inv.footer or None,
                "metadata": sale_metadata(session, inv),
            }
            expected_total = inv.total_minor
            created_at = inv.created_at
            started_at = inv.push_started_at

        done = steps_done(step)
        remote: StripeInvoice | None = None
        # Replaying a key younger than Stripe's 24 hours returns what it made, so no look-up
        # is needed; an older one may be forgotten, so Stripe is asked what it holds.
        trusted = started_at is not None and self._now() - started_at < KEYS_TRUSTED_FOR
        if (resumed or done) and not trusted:
            if stripe_id is not None:
                remote = await self._ask(self._gw.retrieve_invoice(stripe_id))
            elif customer_id is not None:
                remote = await self._ask(
                    self._gw.find_invoice_by_tracker_id(
                        uuid,
                        customer_id=customer_id,
                        created_gte=created_at - dt.timedelta(days=1),
                    )
                )
            if remote is not None:
                done, customer_id = self._adopt(remote, expected_total), remote.customer_id
                stripe_id = remote.id

        if done < 1:
            self._say(PushStep.CUSTOMER)
            if contact_id is not None:
                customer_id = contact_customer or await self._ask(
                    self._customers.ensure(self._gw, self._profile_id, contact_id)
                )
            elif customer_id is not None:
                # A one-off buyer's customer kept from before an edit: send the edit to it.
                await self._ask(
                    self._gw.update_customer(
                        customer_id,
                        customer,
                        idempotency_key=idempotency_key(uuid, f"update-customer-{fingerprint}"),
                    )
                )
            else:
                found = None
                if resumed and not trusted:
                    found = await self._ask(self._gw.find_customer_by_metadata(ONE_OFF_KEY, uuid))
                if found is None:
                    found = await self._ask(
                        self._gw.create_customer(
                            customer,
                            idempotency_key=idempotency_key(uuid, f"create-customer-{fingerprint}"),
                        )
                    )
                customer_id = found.id
            assert customer_id is not None
            self._save(PushStep.CUSTOMER, set_customer(customer_id))
        assert customer_id is not None
        if done < 2:
            self._say(PushStep.CREATE_INVOICE)
            made = await self._ask(
                self._gw.create_invoice(
                    customer_id=customer_id,
                    tracker_invoice_id=uuid,
                    idempotency_key=idempotency_key(uuid, "create-invoice"),
                    **create_args,  # type: ignore[arg-type]
                )
            )
            remote, stripe_id = made, made.id
            self._save(PushStep.CREATE_INVOICE, set_stripe_id(stripe_id))
        assert stripe_id is not None
        if done < 3:
            self._say(PushStep.ADD_LINES)
            remote = await self._ask(
                self._gw.add_lines(
                    stripe_id, lines, idempotency_key=idempotency_key(uuid, "add-lines")
                )
            )
            self._save(PushStep.ADD_LINES, lambda inv: None)
        asked_at = self._now()  # the moment Stripe's last answer describes, at the latest
        if done < 4:
            self._say(PushStep.FINALIZE)
            asked_at = self._now()
            remote = await self._ask(
                self._gw.finalize_invoice(
                    stripe_id, idempotency_key=idempotency_key(uuid, "finalize")
                )
            )
        if remote is None or remote.status == INVOICE_DRAFT:
            # finalized by an earlier run
            asked_at = self._now()
            remote = await self._ask(self._gw.retrieve_invoice(stripe_id))
        self._finish(remote, asked_at)
        self._say(PushStep.DONE)

    def _adopt(self, remote: StripeInvoice, expected_total: int) -> int:
        """Record what Stripe holds for this invoice; returns how many steps are done."""
        if remote.status != INVOICE_DRAFT:
            done = 4
        elif remote.total == expected_total and remote.has_lines:
            # One request adds every line: again would double it (an even trade-in totals 0)
            done = 3
        else:
            done = 2
        step = ORDER[done - 1]

        def apply(inv: Invoice) -> None:
            inv.stripe_customer_id = remote.customer_id
            inv.stripe_invoice_id = remote.id

        self._save(step, apply)
        return done

    def _finish(self, remote: StripeInvoice, fetched_at: dt.datetime) -> None:
        with session_scope(self._sessions, write=True) as session:
            invoice = self._owned(session)
            invoice.push_step = PushStep.DONE.value
            invoice.last_error = None
            apply_remote(session, invoice, remote, self._now(), fetched_at=fetched_at)
