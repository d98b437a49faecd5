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
import contextlib
import datetime as dt
import hashlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from enum import StrEnum
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Contact, Invoice
from tracker_desktop.db.repositories.invoices import get_invoice
from tracker_desktop.domain.errors import (
    ActionNotAllowed,
    GatewayError,
    TrackerError,
    ValidationError,
)
from tracker_desktop.domain.invoice_state import Action, InvoiceState, require_action
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.stripe_types import (
    INVOICE_DRAFT,
    CustomerDraft,
    LineDraft,
    StripeInvoice,
)
from tracker_desktop.services.clients.stripe_customers import ClientCustomers
from tracker_desktop.services.invoicing import push_lease, state_moves
from tracker_desktop.services.invoicing.stripe_state import apply_remote
from tracker_desktop.stripe_gateway import StripeGateway, idempotency_key

log = logging.getLogger(__name__)
S = InvoiceState
T = TypeVar("T")

BUSY_ELSEWHERE = (
    "This invoice is being sent from another window or computer right now; its status "
    "follows when that finishes."
)
# The metadata key that ties a one-off buyer's Stripe customer to its invoice.
ONE_OFF_KEY = "tracker_invoice_id"


class PushTakenOver(Exception):
    """This run lost the invoice's lease (it stalled past the lease, another run took over):
    it must write nothing more."""


class PushStep(StrEnum):
    """The push's steps, in order. Invoice.push_step stores the last one that succeeded."""

    CUSTOMER = "customer"
    CREATE_INVOICE = "create_invoice"
    ADD_LINES = "add_lines"
    FINALIZE = "finalize"
    DONE = "done"

    @property
    def label(self) -> str:
        return _STEP_LABELS[self]


_STEP_LABELS: Mapping[PushStep, str] = {
    PushStep.CUSTOMER: "Preparing the customer in Stripe…",
    PushStep.CREATE_INVOICE: "Creating the invoice…",
    PushStep.ADD_LINES: "Adding the lines…",
    PushStep.FINALIZE: "Finalizing…",
    PushStep.DONE: "Ready for payment",
}

# Called as each step starts (and with DONE at the end), for the composer's progress text.
PushProgress = Callable[[PushStep], None]
# Stripe keeps idempotency keys 24 hours; an hour of margin for clocks and long runs.
KEYS_TRUSTED_FOR = dt.timedelta(hours=23)
ORDER = (PushStep.CUSTOMER, PushStep.CREATE_INVOICE, PushStep.ADD_LINES, PushStep.FINALIZE)


def _done(step: str | None) -> int:
    """How many steps are done, from the stored push_step."""
    if step is None:
        return 0
    if step == PushStep.DONE:
        return len(ORDER)
    return ORDER.index(PushStep(step)) + 1


def customer_fingerprint(invoice: Invoice) -> str:
    """Part of the create-customer key: an edited one-off customer is a new request."""
    raw = json.dumps([invoice.customer_name, invoice.customer_email, invoice.customer_address_json])
    return hashlib.sha256(raw.encode()).hexdigest()[:12]


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
            async with self._heartbeat():
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
        """Take the lease and move to pushing (reserving the watches); True when this
        resumes an earlier run (one that failed, or one whose owner died)."""
        with session_scope(self._sessions, write=True) as session:
            invoice = self._load(session)
            state, now = InvoiceState(invoice.state), self._now()
            if state is S.PUSHING:
                if push_lease.is_live(invoice, now):
                    raise ActionNotAllowed(BUSY_ELSEWHERE, action="push")
                resumed = True  # its run died (crash, killed app): carry on from its step
            else:
                action = Action.RETRY_PUSH if state is S.PUSH_FAILED else Action.PUSH
                require_action(action, state)
                if state is S.LOCAL_DRAFT:
                    watch_ids = [ln.watch_id for ln in invoice.lines if ln.watch_id is not None]
                    state_moves.refuse_taken_watches(
                        session, self._profile_id, watch_ids, except_invoice=invoice.id
                    )
                resumed = state is S.PUSH_FAILED
            if not push_lease.take(session, invoice, self._owner, now):
                raise ActionNotAllowed(BUSY_ELSEWHERE, action="push")
            if state is not S.PUSHING:
                state_moves.move_to(session, invoice, S.PUSHING, now)
            invoice.last_error = None
            if invoice.push_started_at is None:
                invoice.push_started_at = now  # dates this identity's idempotency keys
            return resumed

    @contextlib.asynccontextmanager
    async def _heartbeat(self) -> AsyncIterator[None]:
        async def beat() -> None:
            while True:
                await asyncio.sleep(push_lease.HEARTBEAT.total_seconds())
                try:
                    with session_scope(self._sessions, write=True) as session:
                        renewed = push_lease.renew(
                            session, self._invoice_id, self._owner, self._now()
                        )
                except TrackerError:
                    # The database was busy or full for a moment: the lease still has 45 s,
                    # the next beat tries again (and every save renews it too).
                    log.info("push lease of invoice %s not renewed this time", self._invoice_id)
                    continue
                if not renewed:
                    self._lost_lease = True
                    return

        task = asyncio.ensure_future(beat())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

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
            }
            expected_total = inv.total_minor
            created_at = inv.created_at
            started_at = inv.push_started_at

        done = _done(step)
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
            self._save(PushStep.CUSTOMER, _set_customer(customer_id))
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
            self._save(PushStep.CREATE_INVOICE, _set_stripe_id(stripe_id))
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
        elif remote.total == expected_total and remote.total > 0:
            done = 3  # the lines are on it: adding them again would double the invoice
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


def _set_customer(customer_id: str) -> Callable[[Invoice], None]:
    def apply(inv: Invoice) -> None:
        inv.stripe_customer_id = customer_id

    return apply


def _set_stripe_id(stripe_id: str) -> Callable[[Invoice], None]:
    def apply(inv: Invoice) -> None:
        inv.stripe_invoice_id = stripe_id

    return apply
