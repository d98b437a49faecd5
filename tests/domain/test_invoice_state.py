from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from tracker_desktop.domain.errors import ActionNotAllowed, IllegalTransition
from tracker_desktop.domain.invoice_state import (
    TERMINAL,
    TRANSITIONS,
    Action,
    DisplayKind,
    InvoiceState,
    check_action,
    display_status,
    require_action,
    transition,
)
from tracker_desktop.domain.stripe_status import reconcile, state_for_stripe_status

S = InvoiceState

LEGAL = {
    (S.LOCAL_DRAFT, S.PUSHING),
    (S.PUSHING, S.OPEN),
    (S.PUSHING, S.PUSH_FAILED),
    (S.PUSH_FAILED, S.PUSHING),
    (S.PUSH_FAILED, S.LOCAL_DRAFT),
    (S.PUSH_FAILED, S.OPEN),
    (S.OPEN, S.PAID),
    (S.OPEN, S.VOID),
    (S.OPEN, S.UNCOLLECTIBLE),
    (S.UNCOLLECTIBLE, S.PAID),
    (S.UNCOLLECTIBLE, S.VOID),
}


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_transition_table(current: S, target: S) -> None:
    if (current, target) in LEGAL:
        assert transition(current, target) is target
    else:
        with pytest.raises(IllegalTransition, match=f"{current.value} to {target.value}"):
            transition(current, target)


def test_terminal_states() -> None:
    assert {S.PAID, S.VOID} == TERMINAL
    assert transition("open", "paid") == "paid"  # type: ignore[arg-type]


def test_stripe_status_mapping() -> None:
    assert state_for_stripe_status("open") is S.OPEN
    assert state_for_stripe_status("uncollectible") is S.UNCOLLECTIBLE
    assert state_for_stripe_status("draft") is None
    with pytest.raises(ValueError, match="deleted"):
        state_for_stripe_status("deleted")


def test_reconcile_walks_legal_steps() -> None:
    assert reconcile(S.PUSH_FAILED, "paid") == (S.OPEN, S.PAID)
    assert reconcile(S.PUSHING, "void") == (S.OPEN, S.VOID)
    assert reconcile(S.OPEN, "open") == ()
    assert reconcile(S.PUSHING, "draft") == ()
    assert reconcile(S.UNCOLLECTIBLE, "paid") == (S.PAID,)
    with pytest.raises(IllegalTransition):
        reconcile(S.PAID, "open")
    with pytest.raises(IllegalTransition):
        reconcile(S.OPEN, "draft")


@given(
    start=st.sampled_from(list(S)),
    status=st.sampled_from(["open", "paid", "void", "uncollectible", "draft"]),
)
def test_reconcile_paths_are_legal(start: S, status: str) -> None:
    try:
        path = reconcile(start, status)
    except IllegalTransition:
        return
    state = start
    for step in path:
        state = transition(state, step)
    expected = state_for_stripe_status(status)
    assert state is (expected if expected is not None else start)


class InvoiceLife(RuleBasedStateMachine):
    """Random moves: legal ones are taken, illegal ones refused; the state stays coherent."""

    def __init__(self) -> None:
        super().__init__()
        self.state = S.LOCAL_DRAFT
        self.ended_in: S | None = None

    @rule(goal=st.sampled_from(list(S)))
    def move(self, goal: S) -> None:
        before = self.state
        try:
            self.state = transition(self.state, goal)
        except IllegalTransition:
            assert goal not in TRANSITIONS[before]
            assert self.state is before
        else:
            assert goal in TRANSITIONS[before]
        if self.state in TERMINAL and self.ended_in is None:
            self.ended_in = self.state

    @precondition(lambda self: self.state in TERMINAL)
    @rule(goal=st.sampled_from(list(S)))
    def terminal_refuses_everything(self, goal: S) -> None:
        with pytest.raises(IllegalTransition):
            transition(self.state, goal)

    @invariant()
    def terminal_stays_terminal(self) -> None:
        assert self.state in set(S)
        if self.ended_in is not None:
            assert self.state is self.ended_in


TestInvoiceLife = InvoiceLife.TestCase


NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def test_display_status_on_open() -> None:
    past, future = NOW - timedelta(days=1), NOW + timedelta(days=1)
    assert display_status(S.OPEN, future, NOW).label == "Open"
    assert display_status(S.OPEN, None, NOW).label == "Open"
    assert display_status(S.OPEN, past, NOW).label == "Overdue"
    assert display_status(S.OPEN, past, NOW, processing=True).label == "Processing"
    failed = display_status(S.OPEN, past, NOW, failed_message="Your card was declined.")
    assert (failed.kind, failed.label) == (DisplayKind.PAYMENT_FAILED, "Payment failed")
    assert failed.detail == "Your card was declined."
    assert display_status(S.OPEN, past, NOW, True, "declined").kind is DisplayKind.PROCESSING


def test_display_status_compares_instants() -> None:
    zurich = timezone(timedelta(hours=1))
    due = datetime(2026, 11, 26, 12, 30, tzinfo=zurich)  # 11:30 UTC, before NOW
    assert display_status(S.OPEN, due, NOW).kind is DisplayKind.OVERDUE
    with pytest.raises(ValueError, match="timezone-aware"):
        display_status(S.OPEN, datetime(2026, 1, 1), NOW)
    with pytest.raises(ValueError, match="timezone-aware"):
        display_status(S.OPEN, None, datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("state", "label"),
    [
        (S.LOCAL_DRAFT, "Draft"),
        (S.PUSHING, "Sending…"),
        (S.PUSH_FAILED, "Not sent"),
        (S.PAID, "Paid"),
        (S.VOID, "Void"),
        (S.UNCOLLECTIBLE, "Uncollectible"),
    ],
)
def test_display_labels_outside_open(state: S, label: str) -> None:
    past = NOW - timedelta(days=9)
    assert display_status(state, past, NOW, True, "declined").label == label


def test_action_reasons() -> None:
    check = check_action(Action.VOID, S.PAID)
    assert not check
    assert check.reason == "Only an open or uncollectible invoice can be voided; this one is paid"
    assert check_action(Action.VOID, S.UNCOLLECTIBLE).allowed
    assert not check_action(Action.RECORD_WIRE, S.OPEN, processing=True)
    # Allowed even when Stripe may hold a draft: the service takes it back first.
    assert check_action(Action.EDIT_DRAFT, S.PUSH_FAILED).allowed
    assert check_action(Action.DELETE_DRAFT, S.PUSH_FAILED).allowed
    with pytest.raises(ActionNotAllowed, match="this one is void"):
        require_action(Action.SEND_EMAIL, S.VOID)


def allowed_actions(state: S, *, processing: bool = False) -> set[Action]:
    # As the detail view asks: check_action for every action (services/invoicing/views).
    return {a for a in Action if check_action(a, state, processing=processing).allowed}


def test_allowed_actions_per_state() -> None:
    A = Action
    assert allowed_actions(S.LOCAL_DRAFT) == {A.PUSH, A.EDIT_DRAFT, A.DELETE_DRAFT, A.DUPLICATE}
    assert allowed_actions(S.PUSHING) == {A.DUPLICATE}
    assert allowed_actions(S.PUSH_FAILED) == {
        A.RETRY_PUSH,
        A.EDIT_DRAFT,
        A.DELETE_DRAFT,
        A.DUPLICATE,
    }
    assert allowed_actions(S.OPEN) == {
        A.OPEN_PAYMENT_PAGE,
        A.SEND_EMAIL,
        A.VOID,
        A.MARK_UNCOLLECTIBLE,
        A.RECORD_WIRE,
        A.DUPLICATE,
    }
    assert allowed_actions(S.OPEN, processing=True) == {
        A.OPEN_PAYMENT_PAGE,
        A.SEND_EMAIL,
        A.DUPLICATE,
    }
    assert allowed_actions(S.UNCOLLECTIBLE) == {
        A.OPEN_PAYMENT_PAGE,
        A.VOID,
        A.RECORD_WIRE,
        A.DUPLICATE,
    }
    assert allowed_actions(S.PAID) == allowed_actions(S.VOID) == {A.DUPLICATE}


@given(state=st.sampled_from(list(S)), action=st.sampled_from(list(Action)), busy=st.booleans())
def test_every_refusal_has_a_reason(state: S, action: Action, busy: bool) -> None:
    check = check_action(
        action,
        state,
        processing=busy,
    )
    assert check.allowed == (check.reason is None)
