"""The front desk driven like a dealer in the real app: Settings → Front desk switched on, the
Dashboard shows no margin chart and no margin per sale and says they are hidden at the front
desk; the Watches table has no purchase cost column and the watch form no cost box. Switched
back (after a Yes; a No keeps them hidden), both show the figures again."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from dashboard_seed import seed_year
from modal_dialogs import answer_question
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from tracker_desktop.ui.dashboard.page import DashboardPage
from tracker_desktop.ui.settings.front_desk_section import FrontDeskSection
from tracker_desktop.ui.watches.page import WatchesPage
from tracker_desktop.ui.watches.table_model import COL_COST

DASH_1_COST = "$20,000.00"  # the seeded Rolex DASH-1's purchase cost


def front_desk_switch(app: Any) -> FrontDeskSection:
    settings = app.window.show_page("settings")
    section = settings.findChild(FrontDeskSection)
    assert isinstance(section, FrontDeskSection)
    return section


def shown_dashboard(qtbot: QtBot, app: Any, margins_hidden: bool) -> DashboardPage:
    page = app.window.show_page("dashboard")
    assert isinstance(page, DashboardPage)
    qtbot.waitUntil(
        lambda: (
            page.board is not None
            and not page.loading
            and (page.board.margins is None) == margins_hidden
        )
    )
    return page


def shown_watches(app: Any) -> WatchesPage:
    page = app.window.show_page("watches")
    assert isinstance(page, WatchesPage)
    return page


def texts_on_screen(page: WatchesPage) -> list[str]:
    model = page.model
    return [
        str(model.index(row, col).data())
        for row in range(model.rowCount())
        for col in range(model.columnCount())
        if not page.table.isColumnHidden(col)
    ]


def test_the_front_desk_hides_cost_and_margin_until_switched_back(
    qtbot: QtBot, start_app: Any
) -> None:
    app = start_app(practice=True)
    profile_id = app.services.base.active.id
    seed_year(app.services.base.session_factory, profile_id, dt.datetime.now(dt.UTC))
    page = shown_dashboard(qtbot, app, margins_hidden=False)
    assert page.margin_chart.isVisibleTo(page)
    assert page.sales.isVisibleTo(page)
    assert not page.margin_hidden.isVisibleTo(page)
    assert DASH_1_COST in texts_on_screen(shown_watches(app))

    switch = front_desk_switch(app)
    switch.hide_cost.click()
    assert switch.hide_cost.isChecked()
    kept = json.loads(app.services.base.paths.settings_file.read_text())
    assert kept["front_desk_profiles"] == [profile_id]

    page = shown_dashboard(qtbot, app, margins_hidden=True)
    assert not page.margin_chart.isVisibleTo(page)
    assert not page.sales.isVisibleTo(page)
    assert page.margin_hidden.isVisibleTo(page)
    assert "hidden at the front desk" in page.margin_hidden.text()
    assert page.sales_chart.isVisibleTo(page)  # paid sales are not cost

    watches = shown_watches(app)
    assert watches.table.isColumnHidden(COL_COST)
    assert "purchase cost hidden at the front desk" in watches.count_label.text()
    assert DASH_1_COST not in texts_on_screen(watches)
    watches.table.selectRow(watches.model.row_of(_dash_1(watches)))
    watches.edit_selected()
    dialog = watches.dialog
    assert dialog is not None
    assert dialog.purchase_cost.isHidden()
    assert any(
        label.text() == "Hidden at the front desk" and label.isVisibleTo(dialog)
        for label in dialog.findChildren(QLabel)
    )
    dialog.reject()

    switch = front_desk_switch(app)
    switch.hide_cost.click()
    answer_question(qtbot, QMessageBox.StandardButton.No)
    assert switch.hide_cost.isChecked()  # No: still the front desk
    assert app.services.front_desk.hides_cost(profile_id)
    switch.hide_cost.click()
    assert "Show what each watch cost" in answer_question(qtbot)
    assert not switch.hide_cost.isChecked()
    kept = json.loads(app.services.base.paths.settings_file.read_text())
    assert kept["front_desk_profiles"] == []

    page = shown_dashboard(qtbot, app, margins_hidden=False)
    assert page.margin_chart.isVisibleTo(page)
    assert not page.margin_hidden.isVisibleTo(page)
    watches = shown_watches(app)
    assert not watches.table.isColumnHidden(COL_COST)
    assert DASH_1_COST in texts_on_screen(watches)


def _dash_1(page: WatchesPage) -> int:
    for row in range(page.model.rowCount()):
        watch = page.model.row_at(row)
        if watch is not None and watch.serial == "DASH-1":
            return watch.id
    raise AssertionError("the seeded DASH-1 is not in the table")
