"""An edit after Stripe applied a push step whose answer was lost: the invoice is taken back
(Stripe's unfinished draft deleted, a new identity), edited, and sent again. The buyer's page
shows the edited invoice and Stripe holds exactly one live invoice and one customer for it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
import pytest

from tracker_desktop.domain.errors import ActionNotAllowed, GatewayError
from tracker_desktop.domain.invoice_state import Action, InvoiceState
from tracker_desktop.domain.money import Money
from tracker_desktop.services.invoicing.invoice_service import DraftInput, DraftLineInput, PushStep

from .conftest import Env, draft


def _raw(env: Env, path: str) -> dict[str, Any]:
    """Stripe's own JSON for an object, as the Dashboard would show it."""
    resp = httpx.get(
        f"{env.sb.base_url}{path}", headers={"Authorization": f"Bearer {env.key}"}, timeout=10
    )
    resp.raise_for_status()
    body: dict[str, Any] = resp.json()
    return body


def _lose_answer_at(env: Env, inv_id: int, step: PushStep) -> None:
    def strike(at: PushStep) -> None:
        if at is step:
            env.sb.inject_faults(next=1, kinds=["drop"], phase="after", methods=["POST"])

    with pytest.raises(GatewayError):
        env.run(lambda s: s.push(env.profile_id, inv_id, strike))
    env.sb.clear_faults()
    assert env.service.get(env.profile_id, inv_id).state is InvoiceState.PUSH_FAILED


def _edited(base: DraftInput, kind: str) -> DraftInput:
    if kind == "memo":
        return dataclasses.replace(base, memo="Collected in person on Friday")
    if kind == "currency":
        return dataclasses.replace(
            base,
            currency="EUR",
            lines=[dataclasses.replace(ln, unit_price=Money(ln.unit_price.minor, "EUR"))
                   for ln in base.lines],
        )  # fmt: skip
    if kind == "customer":
        return dataclasses.replace(
            base, customer_name="Katherine Johnson", customer_email="kj@example.com"
        )
    assert kind == "lines"
    return dataclasses.replace(
        base,
        lines=[*base.lines, DraftLineInput("Service and polish", 1, Money(45_000, "USD"), None)],
    )


@pytest.mark.parametrize("step", [PushStep.CREATE_INVOICE, PushStep.ADD_LINES])
@pytest.mark.parametrize("kind", ["memo", "currency", "customer", "lines"])
def test_edit_after_lost_answer_sends_one_edited_invoice(
    env: Env, step: PushStep, kind: str
) -> None:
    watch = env.add_watch(f"TB-{kind}-{step.value}")
    base = draft(("Cartier Santos WSSA0018", 780_000, watch))
    inv_id = env.service.save_draft(env.profile_id, base)
    _lose_answer_at(env, inv_id, step)
    old_uuid = env.invoice_row(inv_id).uuid
    assert len(env.stripe_invoices()) == 1  # Stripe holds a draft the app never heard of

    # An edit without taking back first is refused: it could fork the invoice.
    with pytest.raises(ActionNotAllowed, match="unfinished copy"):
        env.service.update_draft(env.profile_id, inv_id, _edited(base, kind))

    taken = env.run(lambda s: s.take_back(env.profile_id, inv_id))
    assert taken.state is InvoiceState.LOCAL_DRAFT
    assert env.watch_status(watch) == "in_stock"
    assert env.stripe_invoices() == []  # its draft was deleted in Stripe
    assert env.invoice_row(inv_id).uuid != old_uuid

    edited = _edited(base, kind)
    env.service.update_draft(env.profile_id, inv_id, edited)
    sent = env.run(lambda s: s.push(env.profile_id, inv_id))

    assert sent.state is InvoiceState.OPEN
    live = env.stripe_invoices()
    assert len(live) == 1
    assert live[0].id == sent.stripe_invoice_id
    raw = _raw(env, f"/v1/invoices/{live[0].id}")
    assert raw["currency"] == edited.currency.lower()
    assert raw["description"] == edited.memo
    assert raw["total"] == sum(ln.unit_price.minor * ln.quantity for ln in edited.lines)
    # One customer for the one-off buyer, carrying the edited name.
    customers = env.stripe_customers()
    assert len(customers) == 1
    assert customers[0].name == edited.customer_name

    page = httpx.get(sent.hosted_invoice_url or "", timeout=10).text  # the buyer's page
    assert f"Billed to {edited.customer_name}" in page
    for line in edited.lines:
        assert line.description in page
    assert ("€" if edited.currency == "EUR" else "$") in page


def test_take_back_of_an_invoice_stripe_finalized_adopts_it_instead(env: Env) -> None:
    watch = env.add_watch("TB-finalized")
    inv_id = env.service.save_draft(env.profile_id, draft(("Tudor Black Bay 58", 390_000, watch)))
    _lose_answer_at(env, inv_id, PushStep.FINALIZE)

    with pytest.raises(ActionNotAllowed, match="already finalized"):
        env.run(lambda s: s.take_back(env.profile_id, inv_id))

    adopted = env.service.get(env.profile_id, inv_id)
    assert adopted.state is InvoiceState.OPEN
    assert adopted.hosted_invoice_url
    assert env.watch_status(watch) == "reserved"
    assert [i.status for i in env.stripe_invoices()] == ["open"]


def test_delete_after_lost_answer_leaves_nothing_in_stripe(env: Env) -> None:
    watch = env.add_watch("TB-delete")
    inv_id = env.service.save_draft(env.profile_id, draft(("IWC Portugieser", 850_000, watch)))
    _lose_answer_at(env, inv_id, PushStep.CREATE_INVOICE)
    detail = env.service.get(env.profile_id, inv_id)
    assert detail.can(Action.DELETE_DRAFT)

    env.run(lambda s: s.delete_unsent(env.profile_id, inv_id))

    assert env.stripe_invoices() == []
    assert env.watch_status(watch) == "in_stock"
    assert env.service.list(env.profile_id).total == 0


def test_take_back_while_offline_changes_nothing(env: Env) -> None:
    watch = env.add_watch("TB-offline")
    inv_id = env.service.save_draft(env.profile_id, draft(("Zenith El Primero", 720_000, watch)))
    _lose_answer_at(env, inv_id, PushStep.CREATE_INVOICE)
    before = env.invoice_row(inv_id)

    env.sb.inject_faults(rate=1.0, kinds=["500"], phase="before", methods=["GET", "POST"])
    try:
        with pytest.raises(GatewayError):
            env.run(lambda s: s.take_back(env.profile_id, inv_id))
    finally:
        env.sb.clear_faults()

    after = env.invoice_row(inv_id)
    assert (after.state, after.uuid, after.push_owner) == ("push_failed", before.uuid, None)
    assert env.watch_status(watch) == "reserved"
    # Once Stripe answers again, the same take-back works.
    assert env.run(lambda s: s.take_back(env.profile_id, inv_id)).state is InvoiceState.LOCAL_DRAFT
