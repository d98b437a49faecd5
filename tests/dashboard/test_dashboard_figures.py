"""The Dashboard's figures are the database's: paid this year, margin over purchase cost,
what is owed and what is overdue, each currency on its own, equal to sums worked out here
from the same file, invoice by invoice. A click on a bar, a total or a client opens the
Invoices window filtered to exactly the invoices behind it."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any
from uuid import uuid4

from dashboard_seed import SeededYear, seed_year
from invoice_window import settled
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tracker_desktop.db.credit_models import CreditNote, CreditNoteLine
from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Invoice, Watch
from tracker_desktop.db.repositories import dashboard_ranks as ranks
from tracker_desktop.domain.invoice_state import DisplayKind, InvoiceState, display_status
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import format_money
from tracker_desktop.ui.dashboard.charts import MonthBars
from tracker_desktop.ui.dashboard.page import DashboardPage
from tracker_desktop.ui.invoices.page import InvoicesPage


def independent_sums(app: Any, now: dt.datetime) -> dict[str, Counter[str]]:
    """Invoice by invoice in Python, from the same database the Dashboard read."""
    profile_id, year = app.services.base.active.id, now.astimezone().year
    sums: dict[str, Counter[str]] = {k: Counter() for k in ("paid", "margin", "owed", "overdue")}
    with app.services.base.session_factory() as session:
        for invoice in session.scalars(select(Invoice).where(Invoice.profile_id == profile_id)):
            code = invoice.currency
            if invoice.state == InvoiceState.PAID and invoice.created_at.astimezone().year == year:
                credited = sum(n.total_minor for n in invoice.credit_notes if n.state == "issued")
                sums["paid"][code] += invoice.total_minor - credited
                for line in invoice.lines:
                    if line.restocked:  # returned by credit note: not sold
                        continue
                    watch = session.get(Watch, line.watch_id) if line.watch_id else None
                    if watch and watch.purchase_cost_minor is not None and watch.currency == code:
                        sold = line.quantity * line.unit_amount_minor
                        sums["margin"][code] += sold - watch.purchase_cost_minor
            if invoice.state == InvoiceState.OPEN:
                sums["owed"][code] += invoice.amount_remaining_minor
                shown = display_status(
                    invoice.state,
                    invoice.due_at,
                    now,
                    invoice.payment_processing,
                    invoice.payment_failed_message,
                )
                if shown.kind is DisplayKind.OVERDUE:
                    sums["overdue"][code] += invoice.amount_remaining_minor
    return sums


def open_dashboard(
    qtbot: QtBot, start_app: Any, before: Callable[[Any], None] = lambda _app: None
) -> tuple[Any, DashboardPage, SeededYear]:
    app = start_app(practice=True)
    now = dt.datetime.now(dt.UTC)
    seeded = seed_year(app.services.base.session_factory, app.services.base.active.id, now)
    before(app)
    page = app.window.show_page("dashboard")
    assert isinstance(page, DashboardPage)
    qtbot.waitUntil(lambda: page.board is not None and not page.loading, timeout=10_000)
    return app, page, seeded


def test_the_figures_are_the_databases_sums_in_each_currency(qtbot: QtBot, start_app: Any) -> None:
    app, page, _seeded = open_dashboard(qtbot, start_app)
    board = page.board
    assert board is not None
    sums = independent_sums(app, dt.datetime.now(dt.UTC))
    # What the seed holds, so a seed that no longer says this fails here, not silently.
    assert sums["paid"] == {"USD": 15_475_000, "EUR": 1_500_000}
    assert sums["margin"] == {"USD": 950_000, "EUR": 220_000}
    assert sums["owed"] == {"USD": 720_000, "EUR": 90_000}
    assert sums["overdue"] == {"USD": 250_000, "EUR": 90_000}

    assert {s.currency: s.paid_this_year.minor for s in board.sales} == sums["paid"]
    assert {m.currency: m.total.minor for m in board.margins} == sums["margin"]
    owed: Counter[str] = Counter()
    overdue: Counter[str] = Counter()
    for row in board.owed:
        owed[row.currency] += row.minor
        if row.kind is DisplayKind.OVERDUE:
            overdue[row.currency] += row.minor
    assert owed == sums["owed"]
    assert overdue == sums["overdue"]

    # And the window says so, each currency in its own words, never converted.
    locale = app.services.base.locale()

    def shown(minor: int, code: str) -> str:
        return format_money(Money(minor, code), locale)

    paid_text = page.goal.paid.text()
    for code, minor in sums["paid"].items():
        assert shown(minor, code) in paid_text
    assert board.goal == Money(10_000_000, "USD")  # the default: 100,000 in the currency
    assert shown(15_475_000, "USD") in page.goal.figure.text()
    assert page.goal.progress.format() == "154%"  # 15,475,000 of 10,000,000 minor units
    assert shown(1_500_000, "EUR") in page.goal.others.text()  # beside, not counted
    for code, minor in sums["overdue"].items():
        button = page.owed.buttons[(DisplayKind.OVERDUE, code)]
        assert shown(minor, code) in button.text()
    margin_note = page.sales.note.text()
    for code, minor in sums["margin"].items():
        assert shown(minor, code) in margin_note
    # The open invoice due longest ago comes first.
    assert page.owed.oldest.item(0).data(Qt.ItemDataRole.UserRole) == _seeded.oldest_open


def test_credit_notes_and_returned_watches_leave_the_figures(qtbot: QtBot, start_app: Any) -> None:
    returned: dict[str, int] = {}

    def credit_one_sale(app: Any) -> None:
        """A paid USD sale of this year credited in part, its watch returned."""
        profile_id = app.services.base.active.id
        with session_scope(app.services.base.session_factory, write=True) as session:
            paid = session.scalars(
                select(Invoice).where(
                    Invoice.profile_id == profile_id,
                    Invoice.state == InvoiceState.PAID,
                    Invoice.currency == "USD",
                )
            ).all()
            invoice, line = next(
                (inv, ln)
                for inv in paid
                if inv.created_at.astimezone().year == dt.datetime.now().year
                for ln in inv.lines
                if ln.watch_id is not None
            )
            watch = session.get(Watch, line.watch_id)
            assert watch is not None
            assert watch.purchase_cost_minor is not None
            line.restocked = True
            returned["margin"] = line.quantity * line.unit_amount_minor - watch.purchase_cost_minor
            for state, total in (("issued", 123_400), ("pending", 999), ("void", 555)):
                # As the app records a return: the note's line names the invoice line.
                returned_line = CreditNoteLine(
                    position=1, invoice_line_id=line.id, amount_minor=total, restock=True
                )
                session.add(
                    CreditNote(
                        uuid=str(uuid4()),
                        profile_id=profile_id,
                        invoice_id=invoice.id,
                        state=state,
                        currency="USD",
                        total_minor=total,
                        lines=[returned_line],
                    )
                )

    app, page, _seeded = open_dashboard(qtbot, start_app, credit_one_sale)
    board = page.board
    assert board is not None
    sums = independent_sums(app, dt.datetime.now(dt.UTC))
    # Only the issued note counts: one asked but unconfirmed, or voided, takes nothing off.
    assert sums["paid"]["USD"] == 15_475_000 - 123_400
    assert sums["margin"]["USD"] == 950_000 - returned["margin"]
    assert {s.currency: s.paid_this_year.minor for s in board.sales} == sums["paid"]
    margins = {m.currency: m.total.minor for m in board.margins if m.total.minor}
    assert margins == {code: minor for code, minor in sums["margin"].items() if minor}

    # The best clients too: every client's paid total, less its issued credit notes.
    year = dt.datetime.now().year
    expected: Counter[tuple[int | None, str, str]] = Counter()
    with app.services.base.session_factory() as session:
        for inv in session.scalars(select(Invoice).where(Invoice.state == InvoiceState.PAID)):
            if inv.created_at.astimezone().year != year:
                continue
            key = (inv.contact_id, "" if inv.contact_id else inv.customer_name, inv.currency)
            credited = sum(n.total_minor for n in inv.credit_notes if n.state == "issued")
            expected[key] += inv.total_minor - credited
        ranked = ranks.clients_paid(
            session, app.services.base.active.id, board.starts[12], board.starts[24], top=1000
        )
    got = {(r.contact_id, "" if r.contact_id else r.name, r.currency): r.minor for r in ranked}
    assert got == dict(expected)


def click_bar(view: MonthBars, set_index: int, month: int) -> None:
    """A real mouse click in the middle of one bar (two sets share each month's slot)."""
    chart = view.chart()
    bars = view.sets[set_index]
    series = chart.series()[0]
    width = 0.5 / len(view.sets)  # QBarSeries' default bar width, shared by the sets
    x = month - 0.25 + width * (set_index + 0.5)
    point = chart.mapToPosition(QPointF(x, bars.at(month) / 2), series)
    spot = view.mapFromScene(chart.mapToScene(point))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)


def shown_ids(qtbot: QtBot, invoices: InvoicesPage, expected: set[int]) -> None:
    def showing() -> bool:
        ids = {invoices.model.row_at(r).id for r in range(invoices.model.rowCount())}
        return settled(invoices) and ids == expected

    qtbot.waitUntil(showing, timeout=10_000)


def test_a_click_on_a_bar_a_total_or_a_client_opens_the_invoices_behind_it(
    qtbot: QtBot, start_app: Any
) -> None:
    app, page, seeded = open_dashboard(qtbot, start_app)
    board = page.board
    assert board is not None
    page.resize(1200, 800)
    qtbot.waitUntil(lambda: page.sales_chart.isVisible())

    click_bar(page.sales_chart, 1, 0)  # this year's January
    qtbot.waitUntil(lambda: app.window.stack.currentWidget() is not page)
    invoices = app.window.page("invoices")
    assert isinstance(invoices, InvoicesPage)
    assert app.window.stack.currentWidget() is invoices
    filters = invoices.filters.filters()
    assert filters.statuses == (DisplayKind.PAID,)
    assert (filters.created_from, filters.created_before) == (board.starts[12], board.starts[13])
    shown_ids(qtbot, invoices, set(seeded.january))

    app.window.show_page("dashboard")
    page.owed.buttons[(DisplayKind.OVERDUE, "EUR")].click()  # a total
    assert invoices.filters.filters().statuses == (DisplayKind.OVERDUE,)
    shown_ids(qtbot, invoices, set(seeded.overdue))

    app.window.show_page("dashboard")
    items = page.clients.items
    row = next(i for i in range(items.count()) if items.item(i).text().startswith("Amelia"))
    rect = items.visualItemRect(items.item(row))
    QTest.mouseClick(items.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert invoices.filters.filters().contact_id == seeded.contact_id
    assert invoices.filters.client.currentText() == "Amelia Hart"
    shown_ids(qtbot, invoices, set(seeded.amelia_paid))
