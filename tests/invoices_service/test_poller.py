"""The poller against the simulator: what the buyer does on Stripe's page shows up locally."""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx

from tracker_desktop.domain.invoice_state import Action, InvoiceState
from tracker_desktop.services.events import (
    InvoicesChanged,
    PollFinished,
    SyncStatus,
    WatchesChanged,
)
from tracker_desktop.services.invoicing.invoice_service import InvoiceFilters
from tracker_desktop.services.sync.poller import Poller

from .conftest import Env, draft

DECLINED = "4000000000000002"


def _pushed(env: Env, serial: str) -> tuple[int, int, str]:
    watch = env.add_watch(serial)
    inv_id = env.service.save_draft(env.profile_id, draft(("IWC Portugieser", 1_100_000, watch)))
    detail = env.run(lambda s: s.push(env.profile_id, inv_id))
    env.poll()  # the push's own events, once
    return inv_id, watch, detail.stripe_invoice_id or ""


def test_buyer_pays_then_poll_marks_paid_and_the_watch_sold(env: Env) -> None:
    inv_id, watch, stripe_id = _pushed(env, "PAY-1")
    env.sb.pay_as_buyer(stripe_id)
    env.published.clear()
    result = env.poll()
    assert result.invoices_changed == 1
    detail = env.service.get(env.profile_id, inv_id)
    assert detail.state is InvoiceState.PAID
    assert detail.status.label == "Paid"
    assert detail.amount_paid.minor == 1_100_000
    assert detail.timeline[-1].label == "Paid"
    assert env.watch_status(watch) == "sold"
    said, *changed = env.published
    assert said == SyncStatus(said.text, ok=True)
    assert said.text.startswith("Synced ")
    # What moved, then that the poll ended (the PDF cache catches up on the last one).
    assert changed == [
        InvoicesChanged(env.profile_id),
        WatchesChanged(env.profile_id),
        PollFinished(env.profile_id, invoices_changed=1),
    ]


def test_declined_card_shows_payment_failed_with_stripes_reason(env: Env) -> None:
    inv_id, watch, stripe_id = _pushed(env, "DECL-1")
    shown_to_buyer = env.sb.pay_as_buyer(stripe_id, card=DECLINED)
    env.poll()
    detail = env.service.get(env.profile_id, inv_id)
    assert detail.state is InvoiceState.OPEN
    assert detail.status.label == "Payment failed"
    assert detail.status.detail
    assert "declined" in detail.status.detail.lower()
    failed = [e for e in detail.timeline if e.kind == "payment_failed"]
    assert len(failed) == 1
    assert "declined" in failed[0].detail.lower()
    assert "declined" in shown_to_buyer.lower()
    assert env.watch_status(watch) == "reserved"


def test_bank_debit_is_processing_not_paid_until_released(env: Env) -> None:
    inv_id, watch, stripe_id = _pushed(env, "ACH-1")
    env.sb.start_bank_debit(stripe_id)
    env.poll()
    detail = env.service.get(env.profile_id, inv_id)
    assert detail.state is InvoiceState.OPEN
    assert detail.status.label == "Processing"
    assert "bank payment is processing" in (detail.can(Action.VOID).reason or "")
    assert env.watch_status(watch) == "reserved"
    env.sb.release_debit(stripe_id)
    env.poll()
    paid = env.service.get(env.profile_id, inv_id)
    assert paid.state is InvoiceState.PAID
    assert not paid.payment_processing
    assert env.watch_status(watch) == "sold"


def test_clock_past_due_date_shows_overdue(env: Env) -> None:
    inv_id, _, _ = _pushed(env, "LATE-1")
    env.advance(dt.timedelta(days=15))  # due in 14
    env.poll()
    detail = env.service.get(env.profile_id, inv_id)
    assert detail.status.label == "Overdue"
    assert "Overdue" in [e.label for e in detail.timeline]
    overdue = env.service.list(env.profile_id, InvoiceFilters(statuses=(detail.status.kind,)))
    assert [r.id for r in overdue.rows] == [inv_id]


def test_idle_poll_is_one_request_and_events_apply_once(env: Env) -> None:
    inv_id, _, _stripe_id = _pushed(env, "IDLE-1")
    env.run(lambda s: s.send_email(env.profile_id, inv_id))
    first = env.poll()
    assert first.events_applied >= 1
    before = env.sb.request_count()
    idle = env.poll()
    assert env.sb.request_count() - before == 1
    assert idle.requests == 1
    assert idle.events_applied == 0
    # The overlap window re-reads recent events; none is applied twice.
    sent = [e for e in env.service.get(env.profile_id, inv_id).timeline if e.kind == "sent"]
    assert len(sent) == 1


def test_invoice_made_in_the_dashboard_is_imported(env: Env) -> None:
    env.poll()  # a cursor exists
    auth = {"Authorization": f"Bearer {env.key}"}
    with httpx.Client(base_url=env.sb.base_url, headers=auth) as http:
        cus = http.post("/v1/customers", data={"name": "Walk-in buyer", "email": "w@example.com"})
        inv = http.post(
            "/v1/invoices",
            data={
                "customer": cus.json()["id"],
                "collection_method": "send_invoice",
                "days_until_due": "7",
                "currency": "chf",
            },
        ).json()
        http.post(
            f"/v1/invoices/{inv['id']}/add_lines",
            data={
                "lines[0][description]": "Strap",
                "lines[0][price_data][currency]": "chf",
                "lines[0][price_data][unit_amount]": "25000",
                "lines[0][price_data][product_data][name]": "Strap",
            },
        ).raise_for_status()
        http.post(f"/v1/invoices/{inv['id']}/finalize").raise_for_status()
    env.poll()
    [row] = env.service.list(env.profile_id).rows
    assert row.customer_name == "Walk-in buyer"
    assert row.total.minor == 25_000
    assert row.total.currency == "CHF"
    assert row.status.label == "Open"
    detail = env.service.get(env.profile_id, row.id)
    assert detail.number
    # Finalized when Stripe says; imported when the app learned it (its own clock). Which
    # comes first on the timeline depends on the two clocks, so only both are asserted.
    labels = [entry.label for entry in detail.timeline]
    assert labels.count("Imported from Stripe") == 1
    assert labels.count("Finalized") == 1


def test_loop_backs_off_while_offline_and_goes_fast_after_a_page_opened(env: Env) -> None:
    texts: list[str] = []
    env.hub.subscribe(SyncStatus, lambda status: texts.append(status.text))

    async def body(poller: Poller) -> float:
        env.sb.inject_faults(next=3, kinds=["500"], methods=["GET"])
        poller.start()
        while not any(t.startswith("Synced") for t in texts):
            await asyncio.sleep(0.01)
        poller.go_fast(1)
        delay = poller.next_delay()
        await poller.stop()
        return delay

    delay = env.poll(body)
    assert texts[0] == "Stripe is unavailable — retrying in 0 s"
    assert any(t.startswith("Synced") for t in texts)
    assert delay == 0.01  # the fast interval
