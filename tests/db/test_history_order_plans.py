"""The history's page in every order, as the window asks for it, is read off an index on the
PostgreSQL server: the plan of the exact statement has no sort of every match (a sort of
the rows sharing one sort value, an Incremental Sort, is fine). With sorting and sequential
scans priced out, the planner still sorts when no index gives the order."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import event

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.repositories import invoice_history, profiles

DB_BACKENDS = ("postgresql",)  # SQLite orders empty values first already (migration 0008)
ORDERS = [k for k in invoice_history.SORT_KEYS if k != "status"]  # status: by state, in turn


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", ORDERS)
def test_each_order_reads_its_page_off_an_index(db: Any, sort: str, descending: bool) -> None:
    with session_scope(db.sessions, write=True) as session:
        profile_id = profiles.create_profile(session, "Geneva shop").id
    query = invoice_history.HistoryQuery(
        profile_id=profile_id, now=dt.datetime.now(dt.UTC), sort=sort, descending=descending
    )
    sent: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cursor: Any, statement: str, params: Any, *_rest: Any) -> None:
        sent.append((statement, params))

    with db.sessions() as session:
        stmt = invoice_history.history_query(session, query)
        event.listen(db.engine, "before_cursor_execute", grab)
        try:
            invoice_history.page_ids(session, stmt, query, offset=0, limit=60)
        finally:
            event.remove(db.engine, "before_cursor_execute", grab)
        [(statement, params)] = sent
        conn = session.connection()
        conn.exec_driver_sql("SET LOCAL enable_sort = off")
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = [row[0] for row in conn.exec_driver_sql("EXPLAIN " + statement, params)]
    full_sorts = [line for line in plan if re.match(r"\s*(->\s*)?Sort\s+\(", line)]
    assert full_sorts == [], "\n".join(plan)
    assert any("Index" in line for line in plan), "\n".join(plan)


def test_the_search_columns_keep_a_histogram_fine_enough_for_short_words(db: Any) -> None:
    # Migration 0009: without it a rare three-letter serial is planned as if one invoice in
    # a hundred matched, and the page walks the newest invoices instead of the index.
    with db.sessions() as session:
        rows = session.connection().exec_driver_sql(
            "SELECT attname, attstattarget FROM pg_attribute "
            "WHERE attrelid = 'invoices'::regclass AND attname IN ('search_text', 'search_serials')"
        )
        targets = {name: target for name, target in rows}
    assert targets == {"search_text": 1000, "search_serials": 1000}
