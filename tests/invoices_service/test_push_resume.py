"""A push interrupted at every step, then retried: one Stripe invoice, never two.

Faults are injected in the simulator for the next POST as a step starts, either before the
simulator applies it (nothing changed) or after (applied, answer lost). A "crash" kills the
run between Stripe's answer and the local save, as a killed app would.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest

from tracker_desktop.domain.draft import TradeIn
from tracker_desktop.domain.errors import GatewayError
from tracker_desktop.domain.invoice_state import Action, InvoiceState
from tracker_desktop.domain.money import Money
from tracker_desktop.services.invoicing import push as invoice_push
from tracker_desktop.services.invoicing.invoice_service import DraftLineInput, PushStep

from .conftest import Env, draft

STEPS = [PushStep.CUSTOMER, PushStep.CREATE_INVOICE, PushStep.ADD_LINES, PushStep.FINALIZE]


class Crash(BaseException):
    """The app dying mid-push: nothing after it runs, not even an except clause."""


def _three_line_draft(env: Env) -> int:
    watch = env.add_watch("W-" + env.key[-6:])
    return env.service.save_draft(
        env.profile_id,
        draft(
            ("Patek Philippe Nautilus 5711/1A", 9_500_000, watch),
            ("Original box and papers", 1, None),
            ("Insured shipping", 35_000, None),
        ),
    )


def _assert_one_open_invoice(env: Env, inv_id: int) -> None:
    detail = env.service.get(env.profile_id, inv_id)
    assert detail.state is InvoiceState.OPEN
    assert detail.number
    assert detail.hosted_invoice_url
    remote = env.stripe_invoices()
    assert len(remote) == 1, [r.id for r in remote]
    assert remote[0].id == detail.stripe_invoice_id
    assert remote[0].status == "open"
    assert remote[0].total == 9_535_001  # the lines went on once
    # One customer made for the one-off buyer, however often the push was retried.
    assert env.stripe_customer_count() == 1


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.value)
@pytest.mark.parametrize(
    ("kind", "phase"), [("500", "before"), ("drop", "after"), ("timeout", "after")]
)
def test_fault_at_each_step_then_retry_makes_one_invoice(
    env: Env, step: PushStep, kind: str, phase: str
) -> None:
    env.timeout = 0.5
    inv_id = _three_line_draft(env)

    def strike(at: PushStep) -> None:
        if at is step:
            env.sb.inject_faults(
                next=1, kinds=[kind], phase=phase, methods=["POST"], timeout_seconds=1.0
            )

    with pytest.raises(GatewayError) as failure:
        env.run(lambda s: s.push(env.profile_id, inv_id, strike))
    env.sb.clear_faults()

    failed = env.service.get(env.profile_id, inv_id)
    assert failed.state is InvoiceState.PUSH_FAILED
    assert failed.last_error == str(failure.value)
    assert failed.status.label == "Not sent"
    assert failed.can(Action.RETRY_PUSH)
    assert "Sending to Stripe failed" in [e.label for e in failed.timeline]

    env.run(lambda s: s.push(env.profile_id, inv_id))
    _assert_one_open_invoice(env, inv_id)


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.value)
def test_crash_after_stripe_answered_before_local_save(
    env: Env, step: PushStep, monkeypatch: pytest.MonkeyPatch
) -> None:
    inv_id = _three_line_draft(env)
    real_save = invoice_push.Push._save

    def save_then_die(self: invoice_push.Push, done: PushStep, apply: object) -> None:
        if done is step:
            raise Crash
        real_save(self, done, apply)  # type: ignore[arg-type]

    # FINALIZE has no step save of its own: the crash is in the final save.
    target = "_finish" if step is PushStep.FINALIZE else "_save"
    if step is PushStep.FINALIZE:

        def finish_then_die(self: invoice_push.Push, remote: object, fetched_at: object) -> None:
            raise Crash

        monkeypatch.setattr(invoice_push.Push, target, finish_then_die)
    else:
        monkeypatch.setattr(invoice_push.Push, target, save_then_die)
    with pytest.raises(Crash):
        env.run(lambda s: s.push(env.profile_id, inv_id))
    monkeypatch.undo()
    # The run died: the invoice is still "pushing", as a killed app leaves it.
    assert env.invoice_row(inv_id).state == "pushing"

    env.run(lambda s: s.push(env.profile_id, inv_id))  # the next start of the app
    _assert_one_open_invoice(env, inv_id)


def test_progress_callback_failure_leaves_a_retryable_invoice(env: Env) -> None:
    inv_id = _three_line_draft(env)

    def broken(step: PushStep) -> None:
        if step is PushStep.ADD_LINES:
            raise RuntimeError("window closed")

    with pytest.raises(RuntimeError):
        env.run(lambda s: s.push(env.profile_id, inv_id, broken))
    assert env.service.get(env.profile_id, inv_id).state is InvoiceState.PUSH_FAILED
    env.run(lambda s: s.push(env.profile_id, inv_id))
    _assert_one_open_invoice(env, inv_id)


def test_retry_after_idempotency_keys_expired_finds_invoice_by_metadata(env: Env) -> None:
    inv_id = _three_line_draft(env)

    def strike(at: PushStep) -> None:
        if at is PushStep.CREATE_INVOICE:
            env.sb.inject_faults(next=1, kinds=["500"], phase="after", methods=["POST"])

    with pytest.raises(GatewayError):
        env.run(lambda s: s.push(env.profile_id, inv_id, strike))
    env.sb.clear_faults()
    assert env.invoice_row(inv_id).stripe_invoice_id is None  # its answer was lost
    env.advance(dt.timedelta(hours=30))  # Stripe has forgotten the idempotency keys

    searched = env.sb.request_count("GET", "/v1/invoices/search")
    listed = env.sb.request_count("GET", "/v1/invoices")
    env.run(lambda s: s.push(env.profile_id, inv_id))
    # found by Stripe's search (long indexed by now), without scanning the invoice list
    assert env.sb.request_count("GET", "/v1/invoices/search") == searched + 1
    assert env.sb.request_count("GET", "/v1/invoices") == listed
    _assert_one_open_invoice(env, inv_id)


def test_an_even_trade_resumed_after_the_keys_expired_gets_its_lines_once(env: Env) -> None:
    # A trade-in worth exactly the watch sold: the invoice totals 0 with its lines on, as a
    # fresh draft does without them, so the total alone cannot tell whether they went on.
    sale = draft(("Omega Speedmaster 310.30.42", 620_000, env.add_watch("EVEN-" + env.key[-6:])))
    sale.lines.append(
        DraftLineInput(
            "Trade-in: Omega Seamaster 300",
            1,
            Money(-620_000, "USD"),
            trade_in=TradeIn(brand="Omega", model="Seamaster 300", serial="EVEN-T"),
        )
    )
    inv_id = env.service.save_draft(env.profile_id, sale)

    def strike(at: PushStep) -> None:
        if at is PushStep.ADD_LINES:  # Stripe adds the lines; their answer is lost
            env.sb.inject_faults(next=1, kinds=["drop"], phase="after", methods=["POST"])

    with pytest.raises(GatewayError):
        env.run(lambda s: s.push(env.profile_id, inv_id, strike))
    env.sb.clear_faults()
    env.advance(dt.timedelta(hours=30))  # Stripe has forgotten the idempotency keys
    env.run(lambda s: s.push(env.profile_id, inv_id))

    stripe_id = env.invoice_row(inv_id).stripe_invoice_id
    assert stripe_id is not None

    async def lines() -> list[Any]:
        async with env.gateway() as gw:
            return await gw.list_invoice_lines(stripe_id)

    on_stripe = asyncio.run(lines())
    assert sorted(line.amount for line in on_stripe) == [-620_000, 620_000]
    assert [r.total for r in env.stripe_invoices()] == [0]
