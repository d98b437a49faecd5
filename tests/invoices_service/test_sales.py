"""One sale over several invoices, over the simulator by HTTP: a deposit then its balance,
parts under Stripe's cap, a trade-in, cancelling; faults on the new POSTs create nothing
twice."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from tracker_desktop.db.models import Watch
from tracker_desktop.domain.draft import TradeIn
from tracker_desktop.domain.errors import ActionNotAllowed, GatewayError, ValidationError
from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.sale_math import DepositRule
from tracker_desktop.domain.watch_status import WatchStatus
from tracker_desktop.services.invoicing.invoice_service import DraftLineInput, InvoiceService
from tracker_desktop.services.invoicing.sale_making import DepositChoice
from tracker_desktop.services.invoicing.sales import SaleService
from tracker_desktop.services.invoicing.views import DraftInvalid
from tracker_desktop.services.sync.poller import Poller

from .conftest import Env, draft

S = InvoiceState


def _sales(env: Env, service: InvoiceService | None = None) -> SaleService:
    return SaleService(env.sessions, service or env.service, env.hub, env.now)


def _stripe_id(env: Env, invoice_id: int) -> str:
    stripe_id = env.invoice_row(invoice_id).stripe_invoice_id
    assert stripe_id is not None
    return stripe_id


def test_deposit_paid_by_card_then_balance_paid_sells_the_watch(env: Env) -> None:
    watch = env.add_watch("DEP-1")
    made = _sales(env).save_deposit_sale(
        env.profile_id,
        draft(("Rolex Submariner 126610LN", 1_250_000, watch)),
        DepositChoice(percent_bp=2_000),
    )
    deposit_id, balance_id = made.invoice_ids
    assert env.invoice_row(deposit_id).total_minor == 250_000
    assert env.invoice_row(balance_id).total_minor == 1_000_000
    assert env.watch_status(watch) == WatchStatus.IN_STOCK  # drafts reserve nothing

    env.run(lambda s: _sales(env, s).send_first(env.profile_id, made.sale_id))
    assert env.invoice_row(deposit_id).state == S.OPEN
    assert env.invoice_row(balance_id).state == S.LOCAL_DRAFT  # sent when asked or paid
    assert env.watch_status(watch) == WatchStatus.RESERVED

    remote = {r.id: r for r in env.stripe_invoices()}
    meta = remote[_stripe_id(env, deposit_id)].metadata
    assert meta["tracker_sale_id"] == str(made.sale_id)
    assert (meta["tracker_sale_role"], meta["tracker_sale_part"]) == ("deposit", "1 of 2")

    env.sb.pay_as_buyer(_stripe_id(env, deposit_id))

    async def poll_then_balances(service: InvoiceService) -> None:
        async with env.gateway() as gw:
            poller = Poller(env.sessions, lambda _p: gw, env.profile_id, env.hub, clock=env.now)
            await poller.poll_now()
        await _sales(env, service).balances_due(env.profile_id)

    env.run(poll_then_balances)
    assert env.invoice_row(deposit_id).state == S.PAID
    assert env.invoice_row(balance_id).state == S.OPEN  # the paid deposit sent the balance
    assert env.watch_status(watch) == WatchStatus.RESERVED  # not sold on the deposit alone
    view = _sales(env).get(env.profile_id, made.sale_id)
    assert (view.paid.minor, view.remaining.minor, view.paid_in_full) == (250_000, 1_000_000, False)
    balance_meta = {r.id: r for r in env.stripe_invoices()}[_stripe_id(env, balance_id)].metadata
    assert balance_meta["tracker_sale_role"] == "balance"

    env.sb.pay_as_buyer(_stripe_id(env, balance_id))
    env.poll()
    view = _sales(env).get(env.profile_id, made.sale_id)
    assert view.paid_in_full
    assert view.remaining.minor == 0
    assert [inv.state for inv in view.invoices] == [S.PAID, S.PAID]
    assert env.watch_status(watch) == WatchStatus.SOLD


def test_deposit_problems_are_shown_beside_the_deposit(env: Env) -> None:
    sales = _sales(env)
    one = draft(("Tudor Black Bay", 400_000, None))
    for choice in (
        DepositChoice(amount=Money(400_000, "USD")),
        DepositChoice(amount=Money(0, "USD")),
        DepositChoice(by_rule=True),  # this profile has no rule
        DepositChoice(),
    ):
        with pytest.raises(DraftInvalid) as refused:
            sales.save_deposit_sale(env.profile_id, one, choice)
        assert set(refused.value.errors) == {"deposit"}
    assert env.stripe_invoices() == []


@pytest.mark.parametrize(
    ("code", "total", "parts"),
    [
        ("USD", 250_000_001, [83_333_334, 83_333_334, 83_333_333]),
        ("JPY", 120_000_000, [60_000_000, 60_000_000]),
        ("KWD", 150_000_010, [75_000_010, 75_000_000]),
    ],
)
def test_a_sale_above_the_cap_is_split_and_each_part_accepted(
    env: Env, code: str, total: int, parts: list[int]
) -> None:
    watch = env.add_watch(f"SPLIT-{code}", currency=code)
    made = _sales(env).save_split_sale(
        env.profile_id, draft(("Patek Philippe 5270P", total, watch), currency=code)
    )
    env.run(lambda s: _sales(env, s).send_first(env.profile_id, made.sale_id))
    remote = {r.id: r for r in env.stripe_invoices()}
    sent = [remote[_stripe_id(env, inv_id)] for inv_id in made.invoice_ids]
    assert [r.total for r in sent] == parts
    assert sum(r.total for r in sent) == total
    assert [r.metadata["tracker_sale_part"] for r in sent] == [
        f"{n} of {len(parts)}" for n in range(1, len(parts) + 1)
    ]
    assert env.watch_status(watch) == WatchStatus.RESERVED
    for inv_id in made.invoice_ids[:-1]:
        env.sb.pay_as_buyer(_stripe_id(env, inv_id))
    env.poll()
    assert env.watch_status(watch) == WatchStatus.RESERVED  # one part still to pay
    env.sb.pay_as_buyer(_stripe_id(env, made.invoice_ids[-1]))
    env.poll()
    assert _sales(env).get(env.profile_id, made.sale_id).paid_in_full
    assert env.watch_status(watch) == WatchStatus.SOLD


def test_trade_in_reduces_the_total_and_stocks_the_watch_at_its_allowance(env: Env) -> None:
    watch = env.add_watch("SOLD-1")
    sale = draft(("Rolex Daytona 126500LN", 3_200_000, watch))
    sale.lines.append(
        DraftLineInput(
            "Trade-in: Omega Speedmaster 310.30",
            1,
            Money(-450_000, "USD"),
            trade_in=TradeIn(brand="Omega", model="Speedmaster", serial="OM-TRADE-1"),
        )
    )
    inv_id = env.service.save_draft(env.profile_id, sale)
    # The finalize fails: nothing is taken into stock from a half-sent invoice.
    env.sb.inject_faults(
        next=1, kinds=["500"], phase="before", methods=["POST"], path_prefix="/v1/invoices/in_"
    )

    def fail_at_finalize(service: InvoiceService) -> object:
        return service.push(env.profile_id, inv_id)

    with pytest.raises(GatewayError):
        env.run(fail_at_finalize)
    env.sb.clear_faults()
    assert env.invoice_row(inv_id).state == S.PUSH_FAILED
    assert _watches_with_serial(env, "OM-TRADE-1") == []

    env.run(lambda s: s.push(env.profile_id, inv_id))
    env.run(lambda s: s.refresh(env.profile_id, inv_id))  # applied again: still one watch
    env.poll()
    remote = {r.id: r for r in env.stripe_invoices()}[_stripe_id(env, inv_id)]
    assert remote.total == 3_200_000 - 450_000
    assert env.invoice_row(inv_id).total_minor == 2_750_000
    traded = _watches_with_serial(env, "OM-TRADE-1")
    assert [(w.status, w.purchase_cost_minor, w.currency) for w in traded] == [
        (WatchStatus.IN_STOCK, 450_000, "USD")
    ]
    assert env.watch_status(watch) == WatchStatus.RESERVED


def test_a_trade_in_of_a_serial_in_stock_is_refused_beside_its_field(env: Env) -> None:
    env.add_watch("IN-STOCK-1")
    sale = draft(("Rolex Daytona", 3_200_000, None))
    sale.lines.append(
        DraftLineInput(
            "Trade-in",
            1,
            Money(-1_000, "USD"),
            trade_in=TradeIn(brand="Rolex", model="Submariner", serial="in-stock-1"),
        )
    )
    with pytest.raises(DraftInvalid) as refused:
        env.service.save_draft(env.profile_id, sale)
    assert set(refused.value.errors) == {"lines[1].trade_in.serial"}


def test_cancelling_after_the_deposit_voids_and_puts_the_watch_back(env: Env) -> None:
    watch = env.add_watch("CANCEL-1")
    made = _sales(env).save_deposit_sale(
        env.profile_id,
        draft(("Cartier Santos", 800_000, watch)),
        DepositChoice(amount=Money(100_000, "USD")),
    )
    env.run(lambda s: _sales(env, s).send_first(env.profile_id, made.sale_id))
    assert env.watch_status(watch) == WatchStatus.RESERVED
    with pytest.raises(ActionNotAllowed, match="part of a sale"):
        env.service.delete_draft(env.profile_id, made.invoice_ids[1])  # the balance alone
    view = env.run(lambda s: _sales(env, s).cancel(env.profile_id, made.sale_id))
    assert view.cancelled
    assert [inv.state for inv in view.invoices] == [S.VOID]  # the unsent balance is gone
    assert env.watch_status(watch) == WatchStatus.IN_STOCK
    assert [r.status for r in env.stripe_invoices()] == ["void"]


@pytest.mark.parametrize("kind", ["drop", "timeout"])
def test_lost_answers_on_a_sales_posts_create_nothing_twice(env: Env, kind: str) -> None:
    env.timeout = 0.5
    made = _sales(env).save_split_sale(
        env.profile_id, draft(("Richard Mille RM 27", 300_000_000, None))
    )
    # One answer lost at each kind of POST in turn; each time the dealer presses Retry.
    for prefix in ("/v1/customers", "/v1/invoices", "/v1/invoices/in_", "/v1/customers"):
        env.sb.inject_faults(
            next=1,
            kinds=[kind],
            phase="after",
            methods=["POST"],
            timeout_seconds=1.0,
            path_prefix=prefix,
        )
        with pytest.raises(GatewayError):
            env.run(lambda s: _sales(env, s).send_first(env.profile_id, made.sale_id))
        env.sb.clear_faults()
    env.run(lambda s: _sales(env, s).send_first(env.profile_id, made.sale_id))
    view = _sales(env).get(env.profile_id, made.sale_id)
    assert all(inv.state == S.OPEN for inv in view.invoices)
    remote = env.stripe_invoices()
    assert len(remote) == len(view.invoices) == 4
    assert max(Counter(r.tracker_invoice_id for r in remote).values()) == 1
    assert len(env.stripe_customers()) == 1


def _watches_with_serial(env: Env, serial: str) -> list[Watch]:
    with env.sessions() as session:
        return list(session.scalars(select(Watch).where(Watch.serial == serial)))


def test_the_profiles_deposit_rule_decides_the_deposit(env: Env) -> None:
    sales = _sales(env)
    with pytest.raises(ValidationError):
        sales.set_deposit_rule(
            env.profile_id, DepositRule(Money(10, "EUR"), Money(5, "EUR"), percent_bp=1_000)
        )
    rule = DepositRule(Money(2_000_000, "USD"), Money(100_000, "USD"), percent_bp=3_000)
    sales.set_deposit_rule(env.profile_id, rule)
    assert sales.deposit_rule(env.profile_id) == rule
    by_rule = DepositChoice(by_rule=True)
    small = draft(("Tudor Pelagos", 450_000, None))
    large = draft(("Rolex Daytona", 3_200_000, None))
    assert sales.deposit_for(env.profile_id, small, by_rule) == Money(100_000, "USD")
    made = sales.save_deposit_sale(env.profile_id, large, by_rule)
    assert env.invoice_row(made.invoice_ids[0]).total_minor == 960_000
    assert env.invoice_row(made.invoice_ids[1]).total_minor == 3_200_000 - 960_000
    sales.set_deposit_rule(env.profile_id, None)
    assert sales.deposit_rule(env.profile_id) is None
