"""Credit notes made outside the app (Stripe's Dashboard, here the gateway directly) reach the
local record through the poller: the note with its lines and timeline entry, an open invoice
credited to 0 paid, a void credit note void with the amount due again."""

from __future__ import annotations

import asyncio
import threading

from sqlalchemy import event

from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.stripe_types import CreditNoteDraft, StripeCreditNote
from tracker_desktop.services.credit.values import CreditNoteState, CreditReason
from tracker_desktop.stripe_gateway import idempotency_key

from .conftest import PRICE, STRAP, Credits

TOTAL = PRICE + STRAP


def _dashboard_note(credits: Credits, stripe_id: str, amount: int, key: str) -> StripeCreditNote:
    async def body() -> StripeCreditNote:
        async with credits.env.gateway() as gw:
            draft = CreditNoteDraft(
                invoice_id=stripe_id,
                currency="USD",
                amount=Money(amount, "USD"),
                reason=CreditReason.DUPLICATE.value,
            )
            return await gw.create_credit_note(draft, idempotency_key=idempotency_key(key, "cn"))

    return asyncio.run(body())


def test_a_credit_note_made_in_stripe_appears_after_a_poll(credits: Credits) -> None:
    env = credits.env
    inv_id, _watch = credits.open_invoice()
    env.poll()
    made = _dashboard_note(credits, credits.stripe_id(inv_id), 20_000, env.key + "a")
    env.poll()
    [note] = credits.service.for_invoice(env.profile_id, inv_id)
    assert note.state is CreditNoteState.ISSUED
    assert note.stripe_credit_note_id == made.id
    assert note.total == note.pre_payment == Money(20_000, "USD")
    assert note.reason is CreditReason.DUPLICATE
    detail = env.service.get(env.profile_id, inv_id)
    assert detail.amount_remaining == Money(TOTAL - 20_000, "USD")
    assert [e.kind for e in detail.timeline].count("credit_note") == 1
    env.poll()  # polled again: nothing twice
    assert len(credits.service.for_invoice(env.profile_id, inv_id)) == 1


def test_an_open_invoice_credited_to_zero_in_stripe_is_paid_here(credits: Credits) -> None:
    env = credits.env
    inv_id, watch_id = credits.open_invoice()
    env.poll()
    _dashboard_note(credits, credits.stripe_id(inv_id), TOTAL, env.key + "b")
    env.poll()
    detail = env.service.get(env.profile_id, inv_id)
    assert detail.state is InvoiceState.PAID
    assert detail.amount_remaining == Money(0, "USD")
    assert detail.credits is not None
    assert detail.credits.net == Money(0, "USD")
    assert watch_id is not None
    assert env.watch_status(watch_id) == "sold"  # not returned: nobody said so


def test_a_credit_note_voided_in_stripe_is_void_here(credits: Credits) -> None:
    env = credits.env
    inv_id, _watch = credits.open_invoice()
    made = _dashboard_note(credits, credits.stripe_id(inv_id), 30_000, env.key + "c")
    env.poll()

    async def void() -> None:
        async with env.gateway() as gw:
            await gw.void_credit_note(made.id, idempotency_key=idempotency_key(env.key, "void"))

    asyncio.run(void())
    env.poll()
    [note] = credits.service.for_invoice(env.profile_id, inv_id)
    assert note.state is CreditNoteState.VOID
    detail = env.service.get(env.profile_id, inv_id)
    assert detail.amount_remaining == Money(TOTAL, "USD")  # due again
    assert detail.credits is not None
    assert detail.credits.credited == Money(0, "USD")
    assert "credit_note_voided" in [e.kind for e in detail.timeline]


def test_a_poll_that_brings_credit_notes_runs_every_statement_off_the_loop(
    credits: Credits,
) -> None:
    env = credits.env
    inv_id, _watch = credits.open_invoice()
    env.poll()
    made = _dashboard_note(credits, credits.stripe_id(inv_id), 10_000, env.key + "d")

    async def void() -> None:
        async with env.gateway() as gw:
            await gw.void_credit_note(made.id, idempotency_key=idempotency_key(env.key, "v2"))

    asyncio.run(void())
    _dashboard_note(credits, credits.stripe_id(inv_id), TOTAL, env.key + "e")  # to 0: paid

    on_loop: list[str] = []
    off_loop: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        here = threading.current_thread() is threading.main_thread()
        (on_loop if here else off_loop).append(statement.split(None, 1)[0])

    engine = env.sessions.kw["bind"]
    event.listen(engine, "before_cursor_execute", record)
    try:
        env.poll()  # the loop runs on this, the main thread
    finally:
        event.remove(engine, "before_cursor_execute", record)

    notes = credits.service.for_invoice(env.profile_id, inv_id)
    states = {n.stripe_credit_note_id == made.id: n.state for n in notes}
    assert len(notes) == 2
    assert states == {True: CreditNoteState.VOID, False: CreditNoteState.ISSUED}
    assert env.service.get(env.profile_id, inv_id).state is InvoiceState.PAID
    assert "INSERT" in off_loop  # the credit notes were written, and not from the loop
    assert on_loop == []
