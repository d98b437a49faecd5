"""How far along its one-way life an invoice is: a Stripe status below the local state is old."""

from __future__ import annotations

import pytest

from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.stripe_status import is_behind, state_rank

S = InvoiceState


@pytest.mark.parametrize(
    ("local", "stripe_status", "behind"),
    [
        (S.PAID, "open", True),
        (S.PAID, "uncollectible", True),
        (S.VOID, "open", True),
        (S.OPEN, "draft", True),
        (S.UNCOLLECTIBLE, "open", True),
        (S.OPEN, "open", False),
        (S.OPEN, "paid", False),
        (S.PUSH_FAILED, "draft", False),
        (S.PUSHING, "open", False),
        (S.PAID, "void", False),  # not older: a conflict, for reconcile to refuse
    ],
)
def test_a_status_the_invoice_has_left_behind_is_behind(
    local: InvoiceState, stripe_status: str, behind: bool
) -> None:
    assert is_behind(local, stripe_status) is behind


def test_every_state_has_a_rank_and_terminal_ones_rank_highest() -> None:
    ranks = {state: state_rank(state) for state in S}
    assert ranks[S.PAID] == ranks[S.VOID] == max(ranks.values())
    assert ranks[S.LOCAL_DRAFT] == ranks[S.PUSHING] == ranks[S.PUSH_FAILED] == 0
