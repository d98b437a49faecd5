"""Taking back an invoice whose sending failed, before the dealer edits or deletes it.

Once a push has started, Stripe may hold a draft of the invoice even when its answer never
arrived. An edit must neither finalize the old content nor leave two live invoices, so the
rule is: **delete Stripe's unfinished draft, then give the local invoice a new identity**
(a new uuid, so none of the old idempotency keys can replay the old content). Updating the
draft in place was the other way; it was not taken because Stripe cannot change an
invoice's customer or currency after creation, so it would cover only some edits, while a
Stripe draft has no number and no payment page yet: deleting it loses nothing the buyer saw.

If Stripe had already finalized it (the finalize's answer was lost), nothing is deleted: the
invoice is adopted as open, and the dealer is told to void it to change it.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Invoice
from tracker_desktop.db.repositories.invoices import get_invoice
from tracker_desktop.domain.errors import ActionNotAllowed, NotFound, ValidationError
from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.stripe_types import INVOICE_DRAFT, StripeInvoice
from tracker_desktop.services.invoicing import push_lease, state_moves
from tracker_desktop.services.invoicing.push import BUSY_ELSEWHERE, ONE_OFF_KEY
from tracker_desktop.services.invoicing.stripe_state import apply_remote
from tracker_desktop.stripe_gateway import StripeGateway, idempotency_key

S = InvoiceState


@dataclass(frozen=True, slots=True)
class _Held:
    uuid: str
    stripe_invoice_id: str | None
    stripe_customer_id: str | None
    one_off: bool
    created_at: dt.datetime
    started: bool


async def take_back(
    sessions: sessionmaker[Session],
    gateway_for: Callable[[], StripeGateway],
    profile_id: int,
    invoice_id: int,
    now: Callable[[], dt.datetime],
) -> None:
    """Bring a push_failed invoice back to a local draft with nothing at Stripe.

    Raises ActionNotAllowed when Stripe had finalized it (it is then open locally too) or
    another run is sending it; GatewayError when Stripe cannot be asked (nothing changed)."""
    owner = push_lease.new_owner()
    held = _claim(sessions, profile_id, invoice_id, owner, now())
    if held is None:
        return  # a plain local draft: nothing to take back
    try:
        if held.started:
            gateway = gateway_for()
            remote = await _find(gateway, held)
            if remote is not None and remote.status != INVOICE_DRAFT:
                _adopt(sessions, profile_id, invoice_id, owner, remote, now())
                number = remote.number or remote.id
                raise ActionNotAllowed(
                    f"Stripe had already finalized this invoice (its answer was lost): it is "
                    f"open as {number} with the content that was sent. To change it, void it "
                    "and duplicate it as a new draft.",
                    action="edit_draft",
                )
            if remote is not None:
                await gateway.delete_draft_invoice(
                    remote.id, idempotency_key=idempotency_key(held.uuid, "delete-draft")
                )
            customer_id = held.stripe_customer_id
            if held.one_off and customer_id is None:
                # The buyer's customer may exist though its answer was lost: keep using it.
                found = await gateway.find_customer_by_metadata(ONE_OFF_KEY, held.uuid)
                customer_id = found.id if found is not None else None
        else:
            customer_id = held.stripe_customer_id
        _renew_identity(sessions, profile_id, invoice_id, owner, customer_id, now())
    finally:
        with session_scope(sessions, write=True) as session:
            push_lease.release(session, invoice_id, owner)


def _claim(
    sessions: sessionmaker[Session],
    profile_id: int,
    invoice_id: int,
    owner: str,
    now: dt.datetime,
) -> _Held | None:
    with session_scope(sessions, write=True) as session:
        invoice = get_invoice(session, profile_id, invoice_id)
        if invoice is None:
            raise ValidationError("That invoice no longer exists.")
        if invoice.state == S.LOCAL_DRAFT and invoice.push_started_at is None:
            return None
        if invoice.state not in (S.PUSH_FAILED, S.LOCAL_DRAFT):
            raise ActionNotAllowed(
                "Only a draft or an invoice whose sending failed can be edited or deleted.",
                action="edit_draft",
            )
        if not push_lease.take(session, invoice, owner, now):
            raise ActionNotAllowed(BUSY_ELSEWHERE, action="edit_draft")
        return _Held(
            uuid=invoice.uuid,
            stripe_invoice_id=invoice.stripe_invoice_id,
            stripe_customer_id=invoice.stripe_customer_id,
            one_off=invoice.contact_id is None,
            created_at=invoice.created_at,
            started=invoice.push_started_at is not None,
        )


async def _find(gateway: StripeGateway, held: _Held) -> StripeInvoice | None:
    if held.stripe_invoice_id is not None:
        try:
            return await gateway.retrieve_invoice(held.stripe_invoice_id)
        except NotFound:
            return None  # deleted in the Dashboard meanwhile
    if held.stripe_customer_id is None:
        return None  # no customer yet: no create-invoice was ever sent
    return await gateway.find_invoice_by_tracker_id(
        held.uuid,
        customer_id=held.stripe_customer_id,
        created_gte=held.created_at - dt.timedelta(days=1),
    )


def _owned(session: Session, profile_id: int, invoice_id: int, owner: str) -> Invoice:
    invoice = get_invoice(session, profile_id, invoice_id)
    if invoice is None:
        raise ValidationError("That invoice no longer exists.")
    if invoice.push_owner != owner:
        raise ActionNotAllowed(BUSY_ELSEWHERE, action="edit_draft")
    return invoice


def _adopt(
    sessions: sessionmaker[Session],
    profile_id: int,
    invoice_id: int,
    owner: str,
    remote: StripeInvoice,
    now: dt.datetime,
) -> None:
    with session_scope(sessions, write=True) as session:
        invoice = _owned(session, profile_id, invoice_id, owner)
        invoice.push_step = "done"
        invoice.last_error = None
        apply_remote(session, invoice, remote, now, fetched_at=now)


def _renew_identity(
    sessions: sessionmaker[Session],
    profile_id: int,
    invoice_id: int,
    owner: str,
    customer_id: str | None,
    now: dt.datetime,
) -> None:
    with session_scope(sessions, write=True) as session:
        invoice = _owned(session, profile_id, invoice_id, owner)
        if invoice.state == S.PUSH_FAILED:
            state_moves.move_to(session, invoice, S.LOCAL_DRAFT, now)  # watches released
            state_moves.add_timeline(session, invoice, "taken_back", now)
        invoice.uuid = str(uuidlib.uuid4())
        invoice.push_step = None
        invoice.push_started_at = None
        invoice.stripe_invoice_id = None
        invoice.stripe_customer_id = customer_id
        invoice.last_error = None
