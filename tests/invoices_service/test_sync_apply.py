"""apply_remote with snapshots read from the simulator at different moments: an older one, applied
after a newer one, changes nothing it should not, whatever the fetch times say."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import InvoiceEvent
from tracker_desktop.db.repositories.invoices import get_invoice
from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.stripe_types import StripeInvoice, StripeInvoicePayment
from tracker_desktop.services.invoicing import state_moves
from tracker_desktop.services.invoicing.stripe_state import Applied, apply_remote
from tracker_desktop.ui.invoices.detail import InvoiceDetailPanel

from .conftest import Env, draft

DECLINED = "4000000000000002"
SECOND = dt.timedelta(seconds=1)


@dataclasses.dataclass(frozen=True)
class Snapshot:
    fetched_at: dt.datetime
    invoice: StripeInvoice
    payments: list[StripeInvoicePayment] | None


def _pushed(env: Env, serial: str) -> tuple[int, int, str]:
    watch = env.add_watch(serial)
    inv_id = env.service.save_draft(env.profile_id, draft(("Omega Speedmaster", 640_000, watch)))
    detail = env.run(lambda s: s.push(env.profile_id, inv_id))
    assert detail.stripe_invoice_id is not None
    return inv_id, watch, detail.stripe_invoice_id


def _read(env: Env, stripe_id: str, *, with_payments: bool = True) -> Snapshot:
    """What a poller reads: the invoice, and its payment attempts while it is open."""

    async def body() -> Snapshot:
        async with env.gateway() as gw:
            fetched_at = env.now()
            invoice = await gw.retrieve_invoice(stripe_id)
            payments = None
            if with_payments and invoice.status == "open":
                payments = await gw.list_invoice_payments(stripe_id)
            return Snapshot(fetched_at, invoice, payments)

    return asyncio.run(body())


def _apply(env: Env, inv_id: int, snap: Snapshot, *, fetched_at: dt.datetime | None = None) -> Any:
    with session_scope(env.sessions, write=True) as session:
        invoice = get_invoice(session, env.profile_id, inv_id)
        assert invoice is not None
        return apply_remote(
            session,
            invoice,
            snap.invoice,
            env.now(),
            snap.payments,
            fetched_at=fetched_at or snap.fetched_at,
        )


def _everything(env: Env, inv_id: int, watch: int) -> tuple[object, ...]:
    """Every column of the invoice, its timeline and its watch: to show nothing moved."""
    row = env.invoice_row(inv_id)
    columns = tuple(getattr(row, c.key) for c in row.__table__.columns)
    with env.sessions() as s:
        timeline = [
            (e.kind, e.occurred_at, e.detail, e.stripe_event_id)
            for e in s.query(InvoiceEvent).filter_by(invoice_id=inv_id).order_by(InvoiceEvent.id)
        ]
    return columns, tuple(timeline), env.watch_status(watch)


@pytest.mark.parametrize("clock", ["earlier", "later"])
def test_an_open_snapshot_read_before_the_payment_changes_nothing_on_a_paid_invoice(
    env: Env, clock: str
) -> None:
    inv_id, watch, stripe_id = _pushed(env, f"STALE-{clock}")
    before_payment = _read(env, stripe_id)
    env.sb.pay_as_buyer(stripe_id)
    paid = _read(env, stripe_id)
    assert _apply(env, inv_id, paid) == Applied(moved=True, current=True)
    settled = _everything(env, inv_id, watch)
    # "later": the older snapshot's reader has a clock ahead of the other's, so its fetch
    # time says newer. Stripe never goes from paid back to open: it is older all the same.
    fetched_at = paid.fetched_at + (-SECOND if clock == "earlier" else dt.timedelta(hours=1))
    result = _apply(env, inv_id, before_payment, fetched_at=fetched_at)
    assert result == Applied(moved=False, current=True)
    assert _everything(env, inv_id, watch) == settled
    row = env.invoice_row(inv_id)
    assert (row.state, row.amount_paid_minor, row.amount_remaining_minor) == ("paid", 640_000, 0)
    assert row.last_error is None
    assert env.watch_status(watch) == "sold"


def test_a_draft_snapshot_of_a_finalized_invoice_is_old_not_a_conflict(env: Env) -> None:
    inv_id, watch, stripe_id = _pushed(env, "STALE-DRAFT")
    now = _read(env, stripe_id)
    assert _apply(env, inv_id, now).current
    settled = _everything(env, inv_id, watch)
    # What the push's create-invoice answer said, arriving late (a draft has no amounts due).
    as_draft = dataclasses.replace(now.invoice, status="draft", number=None, amount_remaining=0)
    late = Snapshot(now.fetched_at - SECOND, as_draft, None)
    assert _apply(env, inv_id, late) == Applied(moved=False, current=True)
    assert _everything(env, inv_id, watch) == settled
    assert env.invoice_row(inv_id).last_error is None


def test_payment_flags_come_only_from_a_snapshot_read_no_earlier(env: Env) -> None:
    inv_id, watch, stripe_id = _pushed(env, "FLAGS-1")
    quiet = _read(env, stripe_id)
    env.sb.start_bank_debit(stripe_id)
    processing = _read(env, stripe_id)
    assert processing.fetched_at > quiet.fetched_at
    assert _apply(env, inv_id, processing) == Applied(moved=False, current=True)
    assert env.service.get(env.profile_id, inv_id).status.label == "Processing"
    settled = _everything(env, inv_id, watch)
    # Read before the debit started, written after: it disagrees, so its reader must read
    # again rather than take the invoice as up to date; it changes nothing.
    assert _apply(env, inv_id, quiet) == Applied(moved=False, current=False)
    assert _everything(env, inv_id, watch) == settled
    # An older snapshot that agrees leaves nothing to read again.
    agreeing = dataclasses.replace(processing, fetched_at=processing.fetched_at - SECOND)
    assert _apply(env, inv_id, agreeing) == Applied(moved=False, current=True)
    # A newer one moves the flags back and forth as Stripe does.
    env.sb.release_debit(stripe_id, succeed=False)
    failed = _read(env, stripe_id)
    assert _apply(env, inv_id, failed).current
    detail = env.service.get(env.profile_id, inv_id)
    assert detail.status.label == "Payment failed"
    assert not detail.payment_processing
    assert [e.kind for e in detail.timeline].count("processing") == 1
    row = env.invoice_row(inv_id)
    assert row.remote_fetched_at == failed.fetched_at
    assert row.last_synced_at is not None


def test_what_is_paid_never_shrinks_and_what_is_due_never_grows(env: Env) -> None:
    inv_id, _watch, stripe_id = _pushed(env, "AMOUNTS-1")
    unpaid = _read(env, stripe_id)
    # Part paid outside the simulator's model (it has no partial payments): the same
    # snapshot with 200.00 paid, read later.
    part_paid = dataclasses.replace(
        unpaid,
        fetched_at=unpaid.fetched_at + SECOND,
        invoice=dataclasses.replace(unpaid.invoice, amount_paid=20_000, amount_remaining=620_000),
    )
    assert _apply(env, inv_id, part_paid).current
    # The unpaid one arrives last, from a reader whose clock is ahead: the amounts stay.
    _apply(env, inv_id, unpaid, fetched_at=unpaid.fetched_at + dt.timedelta(minutes=5))
    row = env.invoice_row(inv_id)
    assert (row.total_minor, row.amount_paid_minor, row.amount_remaining_minor) == (
        640_000,
        20_000,
        620_000,
    )


def test_a_changed_total_after_finalizing_is_a_conflict_logged_and_kept(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    inv_id, watch, stripe_id = _pushed(env, "TOTAL-1")
    now = _read(env, stripe_id)
    wrong = dataclasses.replace(
        now,
        fetched_at=now.fetched_at + SECOND,
        invoice=dataclasses.replace(now.invoice, total=1, amount_remaining=1),
    )
    with caplog.at_level(logging.WARNING, logger="tracker_desktop.services.invoicing.stripe_state"):
        assert _apply(env, inv_id, wrong) == Applied(moved=False, current=True)
    detail = env.service.get(env.profile_id, inv_id)
    assert detail.total.minor == 640_000
    assert detail.amount_remaining.minor == 640_000
    assert detail.last_error == (
        "Stripe reports a total of USD 0.01 for this invoice, finalized at USD 6400.00"
    )
    assert detail.last_error in caplog.text
    assert env.watch_status(watch) == "reserved"
    # Once Stripe and the invoice agree again, the conflict is no longer shown.
    assert _apply(env, inv_id, _read(env, stripe_id)).current
    assert env.service.get(env.profile_id, inv_id).last_error is None


def test_void_reported_for_a_paid_invoice_is_shown_never_applied(
    env: Env, caplog: pytest.LogCaptureFixture, qtbot: QtBot
) -> None:
    inv_id, watch, stripe_id = _pushed(env, "CONFLICT-1")
    env.sb.pay_as_buyer(stripe_id)
    paid = _read(env, stripe_id)
    _apply(env, inv_id, paid)
    voided = dataclasses.replace(
        paid,
        fetched_at=paid.fetched_at + SECOND,
        invoice=dataclasses.replace(paid.invoice, status="void"),
    )
    with caplog.at_level(logging.WARNING, logger="tracker_desktop.services.invoicing.stripe_state"):
        _apply(env, inv_id, voided)
    detail = env.service.get(env.profile_id, inv_id)
    assert detail.state is InvoiceState.PAID
    assert detail.last_error == "An invoice cannot go from paid to void (Stripe reports it)"
    assert detail.last_error in caplog.text
    assert env.watch_status(watch) == "sold"
    panel = InvoiceDetailPanel("en_US")
    qtbot.addWidget(panel)
    panel.show_invoice(detail)
    assert f"Out of step with Stripe: {detail.last_error}" in panel.summary.text()


def test_the_timeline_reads_in_stripes_order_whatever_order_it_was_written(env: Env) -> None:
    inv_id, _watch, stripe_id = _pushed(env, "ORDER-1")
    env.sb.pay_as_buyer(stripe_id, card=DECLINED)
    env.sb.pay_as_buyer(stripe_id)
    _apply(env, inv_id, _read(env, stripe_id))  # paid, dated by Stripe's paid_at
    paid_at = env.invoice_row(inv_id).paid_at
    assert paid_at is not None
    # The failure's event applied afterwards (replayed late) carries Stripe's earlier time.
    with session_scope(env.sessions, write=True) as session:
        invoice = get_invoice(session, env.profile_id, inv_id)
        assert invoice is not None
        state_moves.add_timeline(
            session, invoice, "payment_failed", paid_at - SECOND, "Declined", "evt_late"
        )
    kinds = [e.kind for e in env.service.get(env.profile_id, inv_id).timeline]
    assert kinds.index("payment_failed") < kinds.index("paid")
    with env.sessions() as s:
        invoice = get_invoice(s, env.profile_id, inv_id)
        assert invoice is not None
        loaded = [(e.occurred_at, e.id) for e in invoice.events]
    assert loaded == sorted(loaded)
