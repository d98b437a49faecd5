"""The invoice state machine, the status a dealer sees and what the dealer may do (Stripe's
statuses are mapped onto it in stripe_status).

local_draft -> pushing -> open -> paid | void | uncollectible, as in Stripe once pushed.
A failed push waits in push_failed for a retry, or goes back to local_draft for editing once
the app has removed whatever unfinished draft Stripe holds for it (services/invoicing/take_back).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from tracker_desktop.domain.errors import ActionNotAllowed, IllegalTransition


class InvoiceState(StrEnum):
    LOCAL_DRAFT = "local_draft"
    PUSHING = "pushing"
    PUSH_FAILED = "push_failed"
    OPEN = "open"
    PAID = "paid"
    VOID = "void"
    UNCOLLECTIBLE = "uncollectible"


S = InvoiceState

TRANSITIONS: Mapping[InvoiceState, frozenset[InvoiceState]] = {
    S.LOCAL_DRAFT: frozenset({S.PUSHING}),
    # pushing never returns to local_draft: a running push could still add to Stripe while the
    # dealer edits. It ends as open or push_failed first.
    S.PUSHING: frozenset({S.OPEN, S.PUSH_FAILED}),
    # push_failed -> open: the finalize reached Stripe though its answer was lost, and the
    # poller or a look-up by metadata finds the invoice open.
    S.PUSH_FAILED: frozenset({S.PUSHING, S.LOCAL_DRAFT, S.OPEN}),
    S.OPEN: frozenset({S.PAID, S.VOID, S.UNCOLLECTIBLE}),
    # Stripe lets an uncollectible invoice still be paid or be voided.
    S.UNCOLLECTIBLE: frozenset({S.PAID, S.VOID}),
    S.PAID: frozenset(),
    S.VOID: frozenset(),
}

TERMINAL: frozenset[InvoiceState] = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)
# States in which Stripe holds a finalized invoice: amounts and lines can no longer change.
FINALIZED: frozenset[InvoiceState] = frozenset({S.OPEN, S.PAID, S.VOID, S.UNCOLLECTIBLE})


def transition(current: InvoiceState, target: InvoiceState) -> InvoiceState:
    """Return `target` if the move is legal, else raise IllegalTransition naming both."""
    cur, tgt = InvoiceState(current), InvoiceState(target)
    if tgt not in TRANSITIONS[cur]:
        raise IllegalTransition(f"An invoice cannot go from {cur.value} to {tgt.value}")
    return tgt


# --- What the dealer sees ---------------------------------------------------------------


class DisplayKind(StrEnum):
    DRAFT = "draft"
    SENDING = "sending"
    PUSH_FAILED = "push_failed"
    OPEN = "open"
    OVERDUE = "overdue"
    PROCESSING = "processing"
    PAYMENT_FAILED = "payment_failed"
    PAID = "paid"
    VOID = "void"
    UNCOLLECTIBLE = "uncollectible"


LABELS: Mapping[DisplayKind, str] = {
    DisplayKind.DRAFT: "Draft",
    DisplayKind.SENDING: "Sending…",
    DisplayKind.PUSH_FAILED: "Not sent",
    DisplayKind.OPEN: "Open",
    DisplayKind.OVERDUE: "Overdue",
    DisplayKind.PROCESSING: "Processing",
    DisplayKind.PAYMENT_FAILED: "Payment failed",
    DisplayKind.PAID: "Paid",
    DisplayKind.VOID: "Void",
    DisplayKind.UNCOLLECTIBLE: "Uncollectible",
}

_PLAIN_KIND: Mapping[InvoiceState, DisplayKind] = {
    S.LOCAL_DRAFT: DisplayKind.DRAFT,
    S.PUSHING: DisplayKind.SENDING,
    S.PUSH_FAILED: DisplayKind.PUSH_FAILED,
    S.OPEN: DisplayKind.OPEN,
    S.PAID: DisplayKind.PAID,
    S.VOID: DisplayKind.VOID,
    S.UNCOLLECTIBLE: DisplayKind.UNCOLLECTIBLE,
}


@dataclass(frozen=True, slots=True)
class DisplayStatus:
    kind: DisplayKind
    # Stripe's message for a failed payment; None otherwise.
    detail: str | None = None

    @property
    def label(self) -> str:
        return LABELS[self.kind]


def display_status(
    state: InvoiceState,
    due_at: datetime | None,
    now: datetime,
    processing: bool = False,
    failed_message: str | None = None,
) -> DisplayStatus:
    """The status shown for an invoice. Only an open invoice gets a derived status.

    Precedence on open: processing (money is on its way: never nag, never show paid early),
    then payment failed (the dealer can act on it), then overdue, then open.
    Datetimes must be timezone-aware; they are compared as instants.
    """
    _require_aware(now, "now")
    st = InvoiceState(state)
    if st is not S.OPEN:
        return DisplayStatus(_PLAIN_KIND[st])
    if processing:
        return DisplayStatus(DisplayKind.PROCESSING)
    if failed_message is not None:
        return DisplayStatus(DisplayKind.PAYMENT_FAILED, failed_message.strip() or None)
    if due_at is not None:
        _require_aware(due_at, "due_at")
        if now.astimezone(UTC) > due_at.astimezone(UTC):
            return DisplayStatus(DisplayKind.OVERDUE)
    return DisplayStatus(DisplayKind.OPEN)


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (UTC), got a naive datetime")


# --- What the dealer may do ---------------------------------------------------------------


class Action(StrEnum):
    PUSH = "push"
    EDIT_DRAFT = "edit_draft"
    DELETE_DRAFT = "delete_draft"
    RETRY_PUSH = "retry_push"
    OPEN_PAYMENT_PAGE = "open_payment_page"
    SEND_EMAIL = "send_email"
    VOID = "void"
    MARK_UNCOLLECTIBLE = "mark_uncollectible"
    RECORD_WIRE = "record_wire"
    DUPLICATE = "duplicate"


@dataclass(frozen=True, slots=True)
class ActionCheck:
    allowed: bool
    reason: str | None = None  # why not, in words for the dealer

    def __bool__(self) -> bool:
        return self.allowed


_ALLOWED_IN: Mapping[Action, frozenset[InvoiceState]] = {
    Action.PUSH: frozenset({S.LOCAL_DRAFT}),
    Action.EDIT_DRAFT: frozenset({S.LOCAL_DRAFT, S.PUSH_FAILED}),
    Action.DELETE_DRAFT: frozenset({S.LOCAL_DRAFT, S.PUSH_FAILED}),
    Action.RETRY_PUSH: frozenset({S.PUSH_FAILED}),
    # Stripe's hosted page still takes payment for an uncollectible invoice.
    Action.OPEN_PAYMENT_PAGE: frozenset({S.OPEN, S.UNCOLLECTIBLE}),
    Action.SEND_EMAIL: frozenset({S.OPEN}),
    Action.VOID: frozenset({S.OPEN, S.UNCOLLECTIBLE}),
    Action.MARK_UNCOLLECTIBLE: frozenset({S.OPEN}),
    Action.RECORD_WIRE: frozenset({S.OPEN, S.UNCOLLECTIBLE}),
    Action.DUPLICATE: frozenset(InvoiceState),
}

_WHAT: Mapping[Action, str] = {
    Action.PUSH: "Only a draft can be sent to Stripe",
    Action.EDIT_DRAFT: "Only a draft can be edited",
    Action.DELETE_DRAFT: "Only a draft can be deleted",
    Action.RETRY_PUSH: "Only an invoice whose sending failed can be retried",
    Action.OPEN_PAYMENT_PAGE: "Only an open or uncollectible invoice has a payment page",
    Action.SEND_EMAIL: "Only an open invoice can be emailed",
    Action.VOID: "Only an open or uncollectible invoice can be voided",
    Action.MARK_UNCOLLECTIBLE: "Only an open invoice can be marked uncollectible",
    Action.RECORD_WIRE: "Only an open or uncollectible invoice can be recorded as paid by wire",
    Action.DUPLICATE: "",
}

_STATE_WORDS: Mapping[InvoiceState, str] = {
    S.LOCAL_DRAFT: "a draft",
    S.PUSHING: "being sent to Stripe",
    S.PUSH_FAILED: "waiting after a failed send",
    S.OPEN: "open",
    S.PAID: "paid",
    S.VOID: "void",
    S.UNCOLLECTIBLE: "uncollectible",
}


def state_words(state: InvoiceState | str) -> str:
    """The state in a dealer's words: "a draft", "being sent to Stripe", "paid"..."""
    return _STATE_WORDS[InvoiceState(state)]


# Moves that would collect twice or race Stripe while a bank debit is on its way.
_BLOCKED_WHILE_PROCESSING = frozenset({Action.VOID, Action.MARK_UNCOLLECTIBLE, Action.RECORD_WIRE})


def check_action(
    action: Action,
    state: InvoiceState,
    *,
    processing: bool = False,
) -> ActionCheck:
    """Whether `action` is allowed now, and if not, why (e.g. "Only an open invoice can be
    voided; this one is paid")."""
    act, st = Action(action), InvoiceState(state)
    if st not in _ALLOWED_IN[act]:
        return ActionCheck(False, f"{_WHAT[act]}; this one is {_STATE_WORDS[st]}")
    if act in _BLOCKED_WHILE_PROCESSING and processing:
        return ActionCheck(
            False, "A bank payment is processing for this invoice; wait until it clears or fails"
        )
    return ActionCheck(True)


def require_action(
    action: Action,
    state: InvoiceState,
    *,
    processing: bool = False,
) -> None:
    """Raise ActionNotAllowed with the reason when `action` is not allowed."""
    check = check_action(action, state, processing=processing)
    if not check.allowed:
        raise ActionNotAllowed(check.reason or "Not allowed", action=Action(action).value)
