"""A poll never runs a database statement on the loop's thread: in the app that thread is
Qt's GUI thread (qasync), and a statement there freezes the window, for as long as SQLite's
busy timeout when another process holds the write lock."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import event

from tracker_desktop.domain.invoice_state import InvoiceState

from .conftest import Env, draft


def test_a_poll_that_applies_a_payment_runs_every_statement_off_the_loop(env: Env) -> None:
    watch = env.add_watch("OFF-LOOP-1")
    inv_id = env.service.save_draft(env.profile_id, draft(("Tudor Black Bay", 420_000, watch)))
    stripe_id = env.run(lambda s: s.push(env.profile_id, inv_id)).stripe_invoice_id or ""
    env.poll()
    env.sb.pay_as_buyer(stripe_id)

    on_loop: list[str] = []
    off_loop: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        here = threading.current_thread() is threading.main_thread()
        (on_loop if here else off_loop).append(statement.split(None, 1)[0])

    engine = env.sessions.kw["bind"]
    event.listen(engine, "before_cursor_execute", record)
    try:
        result = env.poll()  # the loop runs on this, the main thread
    finally:
        event.remove(engine, "before_cursor_execute", record)

    assert result.invoices_changed == 1
    assert env.service.get(env.profile_id, inv_id).state is InvoiceState.PAID
    assert "UPDATE" in off_loop  # the payment was written, and not from the loop
    assert on_loop == []
