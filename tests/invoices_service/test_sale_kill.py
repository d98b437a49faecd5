"""kill -9 the push of a sale's invoices in its own process, before and after Stripe applied
a step; then start again, poll and Retry: one Stripe invoice each, one traded watch in stock
at its allowance, the balance's lines (less the deposit) on once."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tracker_desktop.db.models import Watch
from tracker_desktop.domain.draft import TradeIn
from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.watch_status import WatchStatus
from tracker_desktop.services.invoicing.invoice_service import DraftLineInput
from tracker_desktop.services.invoicing.sale_making import DepositChoice, share_customer
from tracker_desktop.services.invoicing.sales import SaleService

from .conftest import Env, draft
from .test_push_kill import Kill, _ours, _run_and_kill

KILLS = [
    Kill("at-add_lines", "step add_lines"),
    Kill("applied-create_invoice", "step create_invoice", 0.4, hang_at="create_invoice"),
    Kill("applied-finalize", "step finalize", 0.4, hang_at="finalize"),
    Kill("at-finalize", "step finalize"),
]


def _restart_and_retry(env: Env, inv_id: int) -> None:
    env.sb.clear_faults()
    env.service.release_dead_pushes(env.profile_id)
    env.poll()  # may adopt a finalize that reached Stripe
    if env.service.get(env.profile_id, inv_id).state is not InvoiceState.OPEN:
        env.run(lambda s: s.push(env.profile_id, inv_id))
    assert env.service.get(env.profile_id, inv_id).state is InvoiceState.OPEN


@pytest.mark.parametrize("kill", KILLS, ids=str)
def test_kill_9_mid_trade_in_push_takes_the_watch_in_once(env: Env, db: Any, kill: Kill) -> None:
    serial = f"TRADE-{kill.name}"
    sale = draft(("Rolex GMT-Master II 126710BLRO", 1_850_000, env.add_watch(f"S-{kill.name}")))
    sale.lines.append(
        DraftLineInput(
            "Trade-in: Tudor Black Bay",
            1,
            Money(-260_000, "USD"),
            trade_in=TradeIn(brand="Tudor", model="Black Bay", serial=serial),
        )
    )
    inv_id = env.service.save_draft(env.profile_id, sale)
    uuid = env.invoice_row(inv_id).uuid
    _run_and_kill(env, db.url, inv_id, kill)
    _restart_and_retry(env, inv_id)
    env.poll()

    remote = _ours(env.stripe_invoices(), uuid)
    assert len(remote) == 1
    assert remote[0].total == 1_590_000
    with env.sessions() as session:
        traded = list(session.scalars(select(Watch).where(Watch.serial == serial)))
        assert [(w.status, w.purchase_cost_minor) for w in traded] == [
            (WatchStatus.IN_STOCK, 260_000)
        ]


@pytest.mark.parametrize("kill", KILLS[1:3], ids=str)
def test_kill_9_mid_balance_push_sends_the_balance_once(env: Env, db: Any, kill: Kill) -> None:
    watch = env.add_watch(f"B-{kill.name}")
    sales = SaleService(env.sessions, env.service, env.hub, env.now)
    made = sales.save_deposit_sale(
        env.profile_id,
        draft(("Audemars Piguet Royal Oak 15510ST", 4_200_000, watch)),
        DepositChoice(amount=Money(1_000_000, "USD")),
    )
    deposit_id, balance_id = made.invoice_ids
    env.run(
        lambda s: SaleService(env.sessions, s, env.hub, env.now).send_first(
            env.profile_id, made.sale_id
        )
    )
    with env.sessions() as session, session.begin():
        share_customer(session, balance_id)  # as send_balance does before its push
    _run_and_kill(env, db.url, balance_id, kill)
    _restart_and_retry(env, balance_id)

    balance = _ours(env.stripe_invoices(), env.invoice_row(balance_id).uuid)
    assert len(balance) == 1
    assert balance[0].total == 3_200_000
    assert balance[0].metadata["tracker_sale_role"] == "balance"
    assert (
        env.invoice_row(balance_id).stripe_customer_id
        == env.invoice_row(deposit_id).stripe_customer_id
    )
    assert len(env.stripe_customers()) == 1
    assert env.watch_status(watch) == WatchStatus.RESERVED
