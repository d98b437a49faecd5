"""The Dashboard's sums on each database the app runs on (SQLite, and PostgreSQL where the
test server is there): the same seeded year gives the same figures, per currency."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dashboard_seed import seed_year

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.repositories.profiles import create_profile
from tracker_desktop.domain.invoice_state import DisplayKind
from tracker_desktop.services.dashboard import DashboardService


def test_the_years_sums_per_currency(db: Any) -> None:
    with session_scope(db.sessions, write=True) as session:
        profile_id = create_profile(session, "Geneva Fine Watches").id
    now = dt.datetime.now(dt.UTC)
    seeded = seed_year(db.sessions, profile_id, now)
    board = DashboardService(db.sessions, clock=lambda: now).read(profile_id)
    assert {s.currency: s.paid_this_year.minor for s in board.sales} == {
        "USD": 15_475_000,
        "EUR": 1_500_000,
    }
    assert {m.currency: m.total.minor for m in board.margins} == {"USD": 950_000, "EUR": 220_000}
    overdue = {o.currency: o.minor for o in board.owed if o.kind is DisplayKind.OVERDUE}
    assert overdue == {"USD": 250_000, "EUR": 90_000}
    assert sum(o.minor for o in board.owed if o.currency == "USD") == 720_000
    assert board.oldest[0].invoice_id == seeded.oldest_open
    assert {(c.name, c.currency) for c in board.clients} >= {("Amelia Hart", "USD")}
