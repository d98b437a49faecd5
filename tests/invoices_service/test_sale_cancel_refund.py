"""A sale cancelled after its deposit was paid: the balance is voided or dropped, the deposit
refunded by a credit note, the watch back in stock; cancelling again credits nothing twice.
Over the simulator by HTTP, the buyer paying the deposit on the hosted page."""

from __future__ import annotations

import asyncio

from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.stripe_types import StripeCreditNote
from tracker_desktop.domain.watch_status import WatchStatus
from tracker_desktop.services.credit.credit_note_service import CreditNoteService
from tracker_desktop.services.invoicing.invoice_service import InvoiceService
from tracker_desktop.services.invoicing.sale_making import DepositChoice
from tracker_desktop.services.invoicing.sale_refunds import CANCEL_MEMO
from tracker_desktop.services.invoicing.sale_views import SaleView
from tracker_desktop.services.invoicing.sales import SaleService

from .conftest import Env, draft

S = InvoiceState


def _cancel(env: Env, sale_id: int, *, give_back_paid: bool) -> SaleView:
    async def main() -> SaleView:
        async with env.gateway() as gw:
            invoices = InvoiceService(env.sessions, lambda _pid: gw, env.hub, env.now)
            notes = CreditNoteService(env.sessions, lambda _pid: gw, env.hub, env.now)
            sales = SaleService(env.sessions, invoices, env.hub, env.now, credit_notes=notes)
            return await sales.cancel(env.profile_id, sale_id, give_back_paid=give_back_paid)

    return asyncio.run(main())


def _notes(env: Env, stripe_invoice_id: str) -> list[StripeCreditNote]:
    async def main() -> list[StripeCreditNote]:
        async with env.gateway() as gw:
            return await gw.list_credit_notes(stripe_invoice_id)

    return asyncio.run(main())


def _refunds(env: Env) -> int:
    async def main() -> int:
        async with env.gateway() as gw:
            return len((await gw.list_events(types=["refund.created"])).events)

    return asyncio.run(main())


def test_a_sale_cancelled_after_its_deposit_refunds_it_once(env: Env) -> None:
    watch = env.add_watch("REFUND-1")
    sales = SaleService(env.sessions, env.service, env.hub, env.now)
    made = sales.save_deposit_sale(
        env.profile_id,
        draft(("Omega Speedmaster 310.30.42", 700_000, watch)),
        DepositChoice(amount=Money(150_000, "USD")),
    )
    deposit_id, balance_id = made.invoice_ids
    env.run(lambda s: SaleService(env.sessions, s, env.hub, env.now).send_first(
        env.profile_id, made.sale_id))  # fmt: skip
    deposit_stripe = env.invoice_row(deposit_id).stripe_invoice_id
    assert deposit_stripe is not None
    env.sb.pay_as_buyer(deposit_stripe)
    env.poll()
    assert env.invoice_row(deposit_id).state == S.PAID
    assert env.watch_status(watch) == WatchStatus.RESERVED

    view = _cancel(env, made.sale_id, give_back_paid=True)
    assert view.cancelled
    assert env.watch_status(watch) == WatchStatus.IN_STOCK
    states = {inv.invoice_id: inv.state for inv in view.invoices}
    assert balance_id not in states or states[balance_id] == S.VOID  # never sent: dropped
    [note] = _notes(env, deposit_stripe)
    assert (note.total, note.refund_amount, note.reason) == (150_000, 150_000, "order_change")
    assert note.memo == CANCEL_MEMO
    assert _refunds(env) == 1

    _cancel(env, made.sale_id, give_back_paid=True)  # again, as after a failure part-way
    assert len(_notes(env, deposit_stripe)) == 1
    assert _refunds(env) == 1


def test_a_sale_cancelled_keeping_the_payment_makes_no_credit_note(env: Env) -> None:
    watch = env.add_watch("REFUND-2")
    sales = SaleService(env.sessions, env.service, env.hub, env.now)
    made = sales.save_deposit_sale(
        env.profile_id,
        draft(("Tudor Pelagos 25600TN", 450_000, watch)),
        DepositChoice(amount=Money(50_000, "USD")),
    )
    env.run(lambda s: SaleService(env.sessions, s, env.hub, env.now).send_first(
        env.profile_id, made.sale_id))  # fmt: skip
    deposit_stripe = env.invoice_row(made.invoice_ids[0]).stripe_invoice_id
    assert deposit_stripe is not None
    env.sb.pay_as_buyer(deposit_stripe)
    env.poll()

    view = _cancel(env, made.sale_id, give_back_paid=False)
    assert view.cancelled
    assert _notes(env, deposit_stripe) == []
    assert env.invoice_row(made.invoice_ids[0]).state == S.PAID
