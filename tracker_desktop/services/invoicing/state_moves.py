"""An invoice's state moves, with what follows them: the watches' status and the timeline.

Every state change of an invoice goes through `move_to`, whether the dealer acted, the push
finished or the poller learned it from Stripe, so a watch can never be left reserved on a
void invoice or in stock on a paid one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tracker_desktop.db.models import Invoice, InvoiceEvent, InvoiceLine, Watch
from tracker_desktop.db.repositories import sales
from tracker_desktop.db.repositories.watches import describe
from tracker_desktop.domain.errors import ValidationError
from tracker_desktop.domain.invoice_state import InvoiceState, state_words, transition
from tracker_desktop.domain.watch_status import WatchStatus
from tracker_desktop.services.invoicing import sale_watches, trade_in_intake

S = InvoiceState

W = WatchStatus

# The watch status each invoice state implies; None: the invoice holds no watch.
WATCH_STATUS_FOR: Mapping[InvoiceState, WatchStatus | None] = {
    S.LOCAL_DRAFT: None,  # a draft reserves nothing: two drafts may propose the same watch
    S.PUSHING: W.RESERVED,  # from here Stripe may hold it: nobody else may invoice it
    S.PUSH_FAILED: W.RESERVED,
    S.OPEN: W.RESERVED,
    S.UNCOLLECTIBLE: W.RESERVED,  # Stripe still takes payment for it
    S.PAID: W.SOLD,
    S.VOID: None,
}

# The timeline entry a move into each state writes (kind, label).
TIMELINE_FOR: Mapping[InvoiceState, tuple[str, str]] = {
    S.OPEN: ("finalized", "Finalized"),
    S.PAID: ("paid", "Paid"),
    S.VOID: ("voided", "Voided"),
    S.UNCOLLECTIBLE: ("uncollectible", "Marked uncollectible"),
    S.PUSH_FAILED: ("push_failed", "Sending to Stripe failed"),
}

LABELS: Mapping[str, str] = {
    "created": "Saved as draft",
    "imported": "Imported from Stripe",
    "sent": "Sent by email",
    "processing": "Bank payment processing",
    "payment_failed": "Payment failed",
    "paid_by_wire": "Paid by wire (recorded)",
    "overdue": "Overdue",
    "taken_back": "Taken back for editing (Stripe's unfinished draft removed)",
    "credit_note": "Credit note issued",
    "credit_note_voided": "Credit note voided",
    **{kind: label for kind, label in TIMELINE_FOR.values()},
}

# Kinds that happen once in an invoice's life: a replayed event never adds them twice.
ONCE = frozenset({"created", "imported", "finalized", "paid", "voided", "uncollectible"})


def holder(
    session: Session, profile_id: int, watch_id: int, *, except_invoice: int | None = None
) -> Invoice | None:
    """The invoice that keeps this watch from a new invoice (reserved or sold), if any."""
    holding = [s.value for s, status in WATCH_STATUS_FOR.items() if status is not None]
    stmt = (
        select(Invoice)
        .join(InvoiceLine, InvoiceLine.invoice_id == Invoice.id)
        .where(
            Invoice.profile_id == profile_id,
            InvoiceLine.watch_id == watch_id,
            InvoiceLine.restocked.is_(False),  # its watch came back by a credit note
            Invoice.state.in_(holding),
        )
        .order_by(Invoice.created_at.desc())
    )
    # The invoice asking, and the rest of its sale: one sale holds its watch once.
    excluded = _sale_of(session, except_invoice)
    if excluded:
        stmt = stmt.where(Invoice.id.not_in(excluded))
    found = session.scalars(stmt.limit(1)).first()
    if found is not None:
        return found
    # A sale's balance waits as a local draft while its deposit holds the watch.
    drafts = select(Invoice).join(InvoiceLine, InvoiceLine.invoice_id == Invoice.id)
    drafts = drafts.where(
        Invoice.profile_id == profile_id,
        InvoiceLine.watch_id == watch_id,
        Invoice.state == S.LOCAL_DRAFT.value,
    )
    for draft in session.scalars(drafts):
        if draft.id not in excluded and watch_status_of(session, draft) is not None:
            return draft
    return None


def _sale_of(session: Session, invoice_id: int | None) -> set[int]:
    """`invoice_id` with the other invoices of its sale (none for None)."""
    if invoice_id is None:
        return set()
    link = sales.link_of(session, invoice_id)
    if link is None:
        return {invoice_id}
    return {invoice.id for _link, invoice in sales.sale_invoices(session, link.sale_id)}


def watch_status_of(session: Session, invoice: Invoice) -> WatchStatus | None:
    """The status `invoice` gives its watches: its own state's, or its sale's."""
    link = sales.link_of(session, invoice.id)
    if link is None:
        return WATCH_STATUS_FOR[InvoiceState(invoice.state)]
    return sale_watches.sale_status(session, link.sale, WATCH_STATUS_FOR)


def invoice_name(invoice: Invoice) -> str:
    return (
        f"invoice {invoice.number}"
        if invoice.number
        else f"Draft #{invoice.id} ({state_words(invoice.state)})"
    )


def refuse_taken_watches(
    session: Session, profile_id: int, watch_ids: list[int], *, except_invoice: int | None = None
) -> None:
    """ValidationError naming the invoice when a watch is reserved or sold elsewhere."""
    for index, watch_id in enumerate(watch_ids):
        watch = session.get(Watch, watch_id)
        if watch is None or watch.profile_id != profile_id:
            raise ValidationError("A watch on this invoice is no longer in inventory.")
        if WatchStatus(watch.status).away:
            raise ValidationError(away_message(watch), field=f"watch:{index}")
        other = holder(session, profile_id, watch_id, except_invoice=except_invoice)
        if other is not None:
            word = (watch_status_of(session, other) or W.RESERVED).words
            raise ValidationError(
                f"{describe(watch)} is {word} on {invoice_name(other)}.", field=f"watch:{index}"
            )


def away_message(watch: Watch) -> str:
    """The refusal: "… is on memo with X since …; it can be invoiced once it is back"."""
    status = WatchStatus(watch.status)
    where = status.words
    if status is W.ON_MEMO and watch.away_with:
        where += f" with {watch.away_with}"
    if watch.away_since is not None:
        where += f" since {watch.away_since.isoformat()}"
    return f"{describe(watch)} is {where}; it can be invoiced once it is back in stock."


def sync_watches(session: Session, invoice: Invoice) -> None:
    """Set the status of every watch on `invoice` (and on the rest of its sale) from its
    state, its sale's, and other invoices'."""
    link = sales.link_of(session, invoice.id)
    if link is None:
        _sync_own_watches(session, invoice)
        return
    session.flush()  # the sale's status reads this invoice's new state
    for _link, member in sales.sale_invoices(session, link.sale_id):
        _sync_own_watches(session, member)


def _sync_own_watches(session: Session, invoice: Invoice) -> None:
    status = watch_status_of(session, invoice)
    for line in invoice.lines:
        if line.watch_id is None or line.restocked:
            continue
        if status is None:
            # Back in stock, unless another invoice holds it (it was duplicated, say).
            other = holder(session, invoice.profile_id, line.watch_id, except_invoice=invoice.id)
            new = W.IN_STOCK if other is None else (watch_status_of(session, other) or W.IN_STOCK)
        else:
            new = status
        session.execute(
            update(Watch)
            .where(Watch.id == line.watch_id, Watch.profile_id == invoice.profile_id)
            .values(status=new)
        )


def add_timeline(
    session: Session,
    invoice: Invoice,
    kind: str,
    occurred_at: dt.datetime,
    detail: str = "",
    stripe_event_id: str | None = None,
) -> bool:
    """Add a timeline entry unless it is already there. An entry the app wrote itself
    (no event id) is claimed by the Stripe event that reports the same thing, and takes
    Stripe's time, so the timeline reads in Stripe's order."""
    events = session.scalars(
        select(InvoiceEvent).where(InvoiceEvent.invoice_id == invoice.id, InvoiceEvent.kind == kind)
    ).all()
    if stripe_event_id is not None:
        if any(e.stripe_event_id == stripe_event_id for e in events):
            return False
        unclaimed = [e for e in events if e.stripe_event_id is None]
        if unclaimed:
            unclaimed[-1].stripe_event_id = stripe_event_id
            unclaimed[-1].occurred_at = occurred_at
            return False
    if kind in ONCE and events:
        return False
    session.add(
        InvoiceEvent(
            invoice_id=invoice.id,
            kind=kind,
            occurred_at=occurred_at,
            detail=detail,
            stripe_event_id=stripe_event_id,
        )
    )
    session.flush()
    return True


def move_to(
    session: Session,
    invoice: Invoice,
    target: InvoiceState,
    occurred_at: dt.datetime,
    *,
    detail: str = "",
    stripe_event_id: str | None = None,
) -> None:
    """One legal state move (IllegalTransition otherwise) with its watch and timeline."""
    new = transition(InvoiceState(invoice.state), target)
    invoice.state = new
    entry = TIMELINE_FOR.get(new)
    if entry is not None:
        add_timeline(session, invoice, entry[0], occurred_at, detail, stripe_event_id)
    sync_watches(session, invoice)
    if new == S.OPEN:
        # Finalized: a traded watch enters the inventory in this same transaction.
        trade_in_intake.take_in(session, invoice)
