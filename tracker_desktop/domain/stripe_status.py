"""Stripe's invoice status against the local state machine (invoice_state): which state each
status means, the legal steps that bring an invoice to it, and the rank that tells an old
snapshot from a conflict."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from enum import StrEnum

from tracker_desktop.domain.errors import IllegalTransition
from tracker_desktop.domain.invoice_state import FINALIZED, TRANSITIONS, InvoiceState

S = InvoiceState


class StripeInvoiceStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    PAID = "paid"
    VOID = "void"
    UNCOLLECTIBLE = "uncollectible"


# A Stripe draft has no local counterpart of its own: it is a push in progress or failed.
STRIPE_TO_STATE: Mapping[StripeInvoiceStatus, InvoiceState | None] = {
    StripeInvoiceStatus.DRAFT: None,
    StripeInvoiceStatus.OPEN: S.OPEN,
    StripeInvoiceStatus.PAID: S.PAID,
    StripeInvoiceStatus.VOID: S.VOID,
    StripeInvoiceStatus.UNCOLLECTIBLE: S.UNCOLLECTIBLE,
}


def state_for_stripe_status(status: str) -> InvoiceState | None:
    """Local state for Stripe's `invoice.status`; None for `draft`. Unknown -> ValueError."""
    try:
        return STRIPE_TO_STATE[StripeInvoiceStatus(status)]
    except ValueError:
        raise ValueError(f"Unknown Stripe invoice status {status!r}") from None


def reconcile(current: InvoiceState, stripe_status: str) -> tuple[InvoiceState, ...]:
    """The legal steps that bring `current` to what Stripe reports (empty if nothing changes).

    The poller applies them in order, e.g. push_failed + Stripe "paid" -> (open, paid), so each
    step keeps its side effects (a watch reserved on open, sold on paid). Raises
    IllegalTransition when Stripe reports something the local history cannot reach. Check
    `is_behind` first: a status the invoice has left behind (open after paid) is an old
    snapshot, not a conflict; what remains (void after paid) is one to log and show.
    """
    cur = InvoiceState(current)
    target = state_for_stripe_status(stripe_status)
    if target is None:
        if cur in FINALIZED:
            raise IllegalTransition(f"Stripe reports a draft for an invoice that is {cur.value}")
        return ()
    if target == cur:
        return ()
    path = _shortest_path(cur, target)
    if path is None:
        raise IllegalTransition(
            f"An invoice cannot go from {cur.value} to {target.value} (Stripe reports it)"
        )
    return path


def _shortest_path(start: InvoiceState, goal: InvoiceState) -> tuple[InvoiceState, ...] | None:
    # Never walk back through local_draft or push_failed: Stripe's word moves forward only.
    avoid = {S.LOCAL_DRAFT, S.PUSH_FAILED}
    queue: deque[tuple[InvoiceState, tuple[InvoiceState, ...]]] = deque([(start, ())])
    seen = {start}
    while queue:
        state, path = queue.popleft()
        for nxt in sorted(TRANSITIONS[state]):
            if nxt in seen or nxt in avoid:
                continue
            if nxt == goal:
                return (*path, nxt)
            seen.add(nxt)
            queue.append((nxt, (*path, nxt)))
    return None


# How far along its one-way life an invoice is. Stripe's status never goes down this order
# (draft -> open -> uncollectible -> paid | void), so a Stripe snapshot ranked below the local
# state is older than the one that brought the invoice there: stale, not a conflict.
RANK: Mapping[InvoiceState, int] = {
    S.LOCAL_DRAFT: 0,
    S.PUSHING: 0,
    S.PUSH_FAILED: 0,
    S.OPEN: 1,
    S.UNCOLLECTIBLE: 2,
    S.PAID: 3,
    S.VOID: 3,
}


def state_rank(state: InvoiceState) -> int:
    return RANK[InvoiceState(state)]


def stripe_status_rank(stripe_status: str) -> int:
    """The rank of Stripe's status (a draft ranks with the states before finalizing)."""
    target = state_for_stripe_status(stripe_status)
    return 0 if target is None else RANK[target]


def is_behind(current: InvoiceState, stripe_status: str) -> bool:
    """True when Stripe's status is one the invoice has already left behind: the snapshot
    saying it was taken before the one applied last, and must change nothing."""
    return stripe_status_rank(stripe_status) < state_rank(current)
