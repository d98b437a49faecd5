"""A fault at each step of a credit note (Stripe's answer lost after it applied the request,
a request that never arrived, the invoice re-read failing, the app dying before it saved
Stripe's answer), then Retry: one credit note at Stripe, at most one refund, the amounts
right, on open and paid invoices, whole and per line."""

from __future__ import annotations

import pytest

from tracker_desktop.domain.errors import GatewayError
from tracker_desktop.domain.money import Money
from tracker_desktop.services.credit import credit_apply
from tracker_desktop.services.credit.values import (
    CreditLineRequest,
    CreditNoteState,
    CreditReason,
    CreditRequest,
)

from .conftest import PRICE, STRAP, Credits

RETURN = frozenset({0})  # the watch's line
STRAP_PART = (CreditLineRequest(1, Money(9_000, "USD")),)
CASES = {
    "open-whole": (False, CreditRequest(CreditReason.ORDER_CHANGE, restock=RETURN), PRICE + STRAP),
    "open-line": (False, CreditRequest(CreditReason.DUPLICATE, lines=STRAP_PART), 9_000),
    "paid-whole": (True, CreditRequest(CreditReason.ORDER_CHANGE, restock=RETURN), PRICE + STRAP),
    "paid-line": (
        True,
        CreditRequest(CreditReason.ORDER_CHANGE, lines=(CreditLineRequest(0),), restock=RETURN),
        PRICE,
    ),
}
# (kind, phase, methods, path): the POST lost before or after Stripe applied it, or the
# invoice read afterwards (and, per line, the read of Stripe's lines before) failing.
FAULTS = {
    "post-500-before": ("500", "before", ["POST"], "/v1/credit_notes"),
    "post-drop-after": ("drop", "after", ["POST"], "/v1/credit_notes"),
    "post-timeout-after": ("timeout", "after", ["POST"], "/v1/credit_notes"),
    "read-500": ("500", "before", ["GET"], "/v1/invoices/"),
}


class Crash(BaseException):
    """The app dying: nothing after it runs, not even an except clause."""


def _issue(credits: Credits, paid: bool, request: CreditRequest) -> tuple[int, str]:
    inv_id, _watch = credits.paid_invoice() if paid else credits.open_invoice()
    return inv_id, credits.stripe_id(inv_id)


def _assert_one(credits: Credits, inv_id: int, paid: bool, amount: int, refunds: int) -> None:
    env = credits.env
    [local] = credits.service.for_invoice(env.profile_id, inv_id)
    assert local.state is CreditNoteState.ISSUED
    assert local.total == Money(amount, "USD")
    remote = credits.stripe_notes(credits.stripe_id(inv_id))
    assert [n.id for n in remote] == [local.stripe_credit_note_id]
    assert remote[0].total == amount
    assert credits.refunds_made() == refunds + (1 if paid else 0)
    assert local.refunded == Money(amount if paid else 0, "USD")
    detail = env.service.get(env.profile_id, inv_id)
    assert detail.credits is not None
    assert detail.credits.credited == Money(amount, "USD")
    timeline = [e.kind for e in detail.timeline]
    assert timeline.count("credit_note") == 1


@pytest.mark.parametrize("fault", FAULTS, ids=str)
@pytest.mark.parametrize("case", CASES, ids=str)
def test_fault_then_retry_makes_one_credit_note(credits: Credits, case: str, fault: str) -> None:
    env = credits.env
    paid, request, amount = CASES[case]
    inv_id, _stripe_id = _issue(credits, paid, request)
    refunds = credits.refunds_made()
    kind, phase, methods, path = FAULTS[fault]
    env.timeout = 0.5
    env.sb.inject_faults(
        next=1, kinds=[kind], phase=phase, methods=methods, path_prefix=path, timeout_seconds=1.0
    )
    with pytest.raises(GatewayError):
        credits.run(lambda c: c.issue(env.profile_id, inv_id, request))
    env.sb.clear_faults()
    [pending] = credits.service.for_invoice(env.profile_id, inv_id)
    assert pending.state is CreditNoteState.PENDING
    assert pending.last_error
    # A second credit note cannot be started over it: Retry finishes this one.
    assert credits.service.pending_id(env.profile_id, inv_id) == pending.id

    env.timeout = 10.0
    credits.run(lambda c: c.retry(env.profile_id, pending.id))
    _assert_one(credits, inv_id, paid, amount, refunds)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_crash_after_stripe_answered_before_the_save(
    credits: Credits, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = credits.env
    paid, request, amount = CASES[case]
    inv_id, _stripe_id = _issue(credits, paid, request)
    refunds = credits.refunds_made()

    def die(*_args: object, **_kw: object) -> None:
        raise Crash

    monkeypatch.setattr(credit_apply, "record_issued", die)
    with pytest.raises(Crash):
        credits.run(lambda c: c.issue(env.profile_id, inv_id, request))
    monkeypatch.undo()
    [pending] = credits.service.for_invoice(env.profile_id, inv_id)
    assert pending.state is CreditNoteState.PENDING
    assert len(credits.stripe_notes(credits.stripe_id(inv_id))) == 1  # Stripe made it

    credits.run(lambda c: c.retry(env.profile_id, pending.id))
    _assert_one(credits, inv_id, paid, amount, refunds)


def test_the_poller_adopts_a_credit_note_whose_answer_was_lost(credits: Credits) -> None:
    env = credits.env
    paid, request, amount = CASES["paid-whole"]
    inv_id, _stripe_id = _issue(credits, paid, request)
    refunds = credits.refunds_made()
    env.timeout = 0.5
    env.sb.inject_faults(
        next=1, kinds=["drop"], phase="after", methods=["POST"], path_prefix="/v1/credit_notes"
    )
    with pytest.raises(GatewayError):
        credits.run(lambda c: c.issue(env.profile_id, inv_id, request))
    env.sb.clear_faults()
    env.timeout = 10.0
    env.poll()  # credit_note.created names it by our metadata: issued, no Retry needed
    _assert_one(credits, inv_id, paid, amount, refunds)
