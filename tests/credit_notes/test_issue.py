"""Credit notes issued through CreditNoteService on open and paid invoices, whole and per
line, over real HTTP against the simulator: the local record, Stripe's record, the refund,
the timeline, the totals and the watch back in stock."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker_desktop.domain.errors import InvalidRequest
from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.money import Money
from tracker_desktop.services.credit.values import (
    CreditLineRequest,
    CreditNoteInvalid,
    CreditNoteState,
    CreditReason,
    CreditRequest,
    Settlement,
)

from .conftest import PRICE, STRAP, Credits

TOTAL = PRICE + STRAP
WHOLE = CreditRequest(CreditReason.ORDER_CHANGE, restock=frozenset({0}))


def _usd(minor: int) -> Money:
    return Money(minor, "USD")


def test_whole_open_invoice_credited_to_zero_is_paid_and_the_watch_back(
    credits: Credits,
) -> None:
    env = credits.env
    inv_id, watch_id = credits.open_invoice()
    note = credits.run(lambda c: c.issue(env.profile_id, inv_id, WHOLE))

    assert note.state is CreditNoteState.ISSUED
    assert note.total == _usd(TOTAL)
    assert note.pre_payment == _usd(TOTAL)
    assert note.refunded == _usd(0)
    assert note.number
    detail = env.service.get(env.profile_id, inv_id)
    assert detail.state is InvoiceState.PAID  # credited to 0: Stripe says paid, nothing charged
    assert detail.amount_remaining == _usd(0)
    assert detail.credits is not None
    assert detail.credits.credited == _usd(TOTAL)
    assert detail.credits.net == _usd(0)
    assert "Credit note issued" in [e.label for e in detail.timeline]
    assert watch_id is not None
    assert env.watch_status(watch_id) == "in_stock"
    remote = credits.stripe_notes(detail.stripe_invoice_id or "")
    assert [n.id for n in remote] == [note.stripe_credit_note_id]
    # Stripe's PDF is kept on this computer for offline review.
    kept = credits.service.get(env.profile_id, note.id)
    assert kept.pdf_on_disk
    assert Path(kept.pdf_path or "").read_bytes().startswith(b"%PDF")
    # The watch is free to sell again: a new invoice may take it.
    env.service.save_draft(env.profile_id, _draft_with(watch_id))


def _draft_with(watch_id: int) -> object:
    from invoices_service.conftest import draft

    return draft(("Rolex again", PRICE, watch_id))


def test_open_invoice_per_line_lowers_what_is_due(credits: Credits) -> None:
    env = credits.env
    inv_id, watch_id = credits.open_invoice()
    request = CreditRequest(
        CreditReason.PRODUCT_UNSATISFACTORY, lines=(CreditLineRequest(1, _usd(15_000)),)
    )
    note = credits.run(lambda c: c.issue(env.profile_id, inv_id, request))
    assert note.total == note.pre_payment == _usd(15_000)
    detail = env.service.get(env.profile_id, inv_id)
    assert detail.state is InvoiceState.OPEN
    assert detail.amount_remaining == _usd(TOTAL - 15_000)
    assert watch_id is not None
    assert env.watch_status(watch_id) == "reserved"
    [remote] = credits.stripe_notes(detail.stripe_invoice_id or "")
    assert remote.total == 15_000
    assert remote.lines[0].amount == 15_000
    # What is left of the strap line can still be credited, no more.
    too_much = CreditRequest(CreditReason.ORDER_CHANGE, lines=(CreditLineRequest(1, _usd(30_000)),))
    with pytest.raises(CreditNoteInvalid) as bad:
        credits.service.check(env.profile_id, inv_id, too_much)
    assert "lines[0].amount" in bad.value.errors


def test_paid_by_card_whole_is_refunded_once(credits: Credits) -> None:
    env = credits.env
    inv_id, watch_id = credits.paid_invoice()
    refunds = credits.refunds_made()
    note = credits.run(lambda c: c.issue(env.profile_id, inv_id, WHOLE))
    assert note.refunded == note.total == _usd(TOTAL)
    assert note.pre_payment == _usd(0)
    assert credits.refunds_made() == refunds + 1
    detail = env.service.get(env.profile_id, inv_id)
    assert detail.credits is not None
    assert detail.credits.refunded == _usd(TOTAL)
    assert watch_id is not None
    assert env.watch_status(watch_id) == "in_stock"


def test_paid_by_card_per_line_refunds_that_line(credits: Credits) -> None:
    env = credits.env
    inv_id, watch_id = credits.paid_invoice()
    request = CreditRequest(
        CreditReason.ORDER_CHANGE, lines=(CreditLineRequest(0),), restock=frozenset({0})
    )
    note = credits.run(lambda c: c.issue(env.profile_id, inv_id, request))
    assert note.refunded == note.total == _usd(PRICE)
    assert watch_id is not None
    assert env.watch_status(watch_id) == "in_stock"
    detail = env.service.get(env.profile_id, inv_id)
    assert detail.credits is not None
    assert detail.credits.net == _usd(STRAP)


def test_wire_paid_is_settled_outside_stripe_only(credits: Credits) -> None:
    env = credits.env
    inv_id, _watch = credits.paid_invoice(wire=True)
    with pytest.raises(CreditNoteInvalid) as bad:
        credits.service.check(env.profile_id, inv_id, WHOLE)
    assert "settlement" in bad.value.errors
    outside = CreditRequest(CreditReason.DUPLICATE, settlement=Settlement.OUT_OF_BAND)
    note = credits.run(lambda c: c.issue(env.profile_id, inv_id, outside))
    assert note.out_of_band == note.total == _usd(TOTAL)
    assert note.refunded == _usd(0)


def test_stripes_refusal_is_kept_with_its_reason_and_nothing_made(credits: Credits) -> None:
    env = credits.env
    inv_id, _watch = credits.open_invoice()
    # The buyer paid a moment ago; this window has not heard yet, so it asks for an open
    # invoice's credit, which Stripe refuses for a paid one.
    env.sb.pay_as_buyer(credits.stripe_id(inv_id))
    with pytest.raises(InvalidRequest) as refused:
        credits.run(lambda c: c.issue(env.profile_id, inv_id, WHOLE))
    [note] = credits.service.for_invoice(env.profile_id, inv_id)
    assert note.state is CreditNoteState.REFUSED
    assert note.last_error == str(refused.value)
    assert credits.stripe_notes(credits.stripe_id(inv_id)) == []


def test_nothing_is_recorded_for_bad_input(credits: Credits) -> None:
    env = credits.env
    inv_id, _watch = credits.open_invoice()
    bad = CreditRequest(
        CreditReason.ORDER_CHANGE,
        lines=(CreditLineRequest(1, _usd(0)), CreditLineRequest(7)),
        restock=frozenset({1}),
        memo="x" * 600,
    )
    with pytest.raises(CreditNoteInvalid) as invalid:
        credits.run(lambda c: c.issue(env.profile_id, inv_id, bad))
    assert set(invalid.value.errors) == {"lines[0].amount", "lines[1]", "restock[1]", "memo"}
    assert credits.service.for_invoice(env.profile_id, inv_id) == ()
