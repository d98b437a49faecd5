"""The dealer's actions on a pushed invoice, with Stripe's and the state machine's refusals."""

from __future__ import annotations

import pytest

from tracker_desktop.domain.errors import ActionNotAllowed, ValidationError
from tracker_desktop.domain.invoice_state import Action, InvoiceState
from tracker_desktop.services.invoicing.invoice_service import DraftInvalid

from .conftest import Env, draft


def _pushed(env: Env, serial: str) -> tuple[int, int]:
    watch = env.add_watch(serial)
    inv_id = env.service.save_draft(
        env.profile_id, draft(("Rolex GMT-Master II", 1_900_000, watch))
    )
    env.run(lambda s: s.push(env.profile_id, inv_id))
    return inv_id, watch


def test_void_puts_the_watch_back_in_stock(env: Env) -> None:
    inv_id, watch = _pushed(env, "VOID-1")
    assert env.watch_status(watch) == "reserved"
    detail = env.run(lambda s: s.void(env.profile_id, inv_id))
    assert detail.state is InvoiceState.VOID
    assert detail.status.label == "Void"
    assert env.watch_status(watch) == "in_stock"
    assert detail.timeline[-1].label == "Voided"
    assert env.stripe_invoices()[0].status == "void"
    assert not detail.can(Action.RECORD_WIRE)
    # Back in stock: the watch can go on a new invoice.
    assert env.service.save_draft(env.profile_id, draft(("Same watch", 1_850_000, watch)))


def test_uncollectible_then_wire_makes_it_paid_and_the_watch_sold(env: Env) -> None:
    inv_id, watch = _pushed(env, "WIRE-1")
    detail = env.run(lambda s: s.mark_uncollectible(env.profile_id, inv_id))
    assert detail.state is InvoiceState.UNCOLLECTIBLE
    assert env.watch_status(watch) == "reserved"  # Stripe still takes payment for it
    assert detail.can(Action.RECORD_WIRE)
    paid = env.run(lambda s: s.record_wire(env.profile_id, inv_id, "UBS ref 4471-A"))
    assert paid.state is InvoiceState.PAID
    assert paid.status.label == "Paid"
    assert paid.paid_out_of_band_note == "UBS ref 4471-A"
    labels = [e.label for e in paid.timeline]
    assert labels[-3:] == ["Marked uncollectible", "Paid by wire (recorded)", "Paid"]
    assert env.watch_status(watch) == "sold"
    assert env.stripe_invoices()[0].status == "paid"


def test_send_by_email_adds_sent_to_the_timeline(env: Env) -> None:
    inv_id, _ = _pushed(env, "SEND-1")
    detail = env.run(lambda s: s.send_email(env.profile_id, inv_id))
    assert detail.state is InvoiceState.OPEN
    assert detail.timeline[-1].label == "Sent by email"
    again = env.run(lambda s: s.send_email(env.profile_id, inv_id))  # a second, later send
    assert [e.kind for e in again.timeline].count("sent") == 2


def test_refusals_carry_the_reason(env: Env) -> None:
    inv_id, _watch = _pushed(env, "REF-1")
    env.run(lambda s: s.record_wire(env.profile_id, inv_id, ""))
    posts = env.sb.request_count("POST")
    with pytest.raises(
        ActionNotAllowed,
        match="Only an open or uncollectible invoice can be voided; this one is paid",
    ):
        env.run(lambda s: s.void(env.profile_id, inv_id))
    with pytest.raises(ActionNotAllowed, match="Only a draft can be edited"):
        env.service.update_draft(env.profile_id, inv_id, draft(("x", 100, None)))
    with pytest.raises(ActionNotAllowed, match="Only a draft can be deleted"):
        env.service.delete_draft(env.profile_id, inv_id)
    assert env.sb.request_count("POST") == posts  # refused before anything reached Stripe
    # A sold watch cannot go on a new invoice; the message names the invoice that has it.
    number = env.service.get(env.profile_id, inv_id).number
    with pytest.raises(DraftInvalid) as refused:
        env.service.duplicate(env.profile_id, inv_id)
    assert refused.value.field == "lines[0].watch"
    assert f"sold on invoice {number}" in str(refused.value)
    assert isinstance(refused.value, ValidationError)


def test_draft_checks_and_release_on_delete(env: Env) -> None:
    watch = env.add_watch("DRAFT-1")
    with pytest.raises(DraftInvalid) as bad:
        env.service.save_draft(env.profile_id, draft(currency="USD"))
    assert bad.value.errors["lines"] == "Add at least one line"
    with pytest.raises(DraftInvalid) as too_dear:
        env.service.save_draft(
            env.profile_id,
            draft(("Richard Mille RM 011", 60_000_000, None), ("RM 035", 60_000_000, None)),
        )
    assert "999,999.99" in too_dear.value.errors["total"]
    first = env.service.save_draft(env.profile_id, draft(("A", 1_000_000, watch)))
    second = env.service.save_draft(env.profile_id, draft(("B", 1_000_000, watch)))  # drafts: ok
    env.run(lambda s: s.push(env.profile_id, first))
    with pytest.raises(ValidationError, match="is reserved on invoice"):
        env.run(lambda s: s.push(env.profile_id, second))
    copy = env.service.draft_input(env.profile_id, first)
    assert copy.lines[0].watch_id == watch
    assert copy.footer == "Wire details on request"
    env.service.delete_draft(env.profile_id, second)
    assert env.watch_status(watch) == "reserved"  # the open invoice still holds it
