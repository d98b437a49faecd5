"""The Dashboard page: the goal and its progress, paid sales by month (this year and last),
margin over purchase cost by month and per sale, what is still owed (oldest first), the
best clients and brands.

Every figure is read on the database worker (`LatestCall`, services/dashboard) while the
page says "Loading…"; it is read again when the page is shown and when the profile's
invoices or watches change while it is in view. A bar, a total or a client opens the
Invoices window with the filters that show exactly the invoices behind it
(`filters_wanted`); an open invoice or a sale opens that invoice (`invoice_wanted`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from tracker_desktop.domain.invoice_state import DisplayKind
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import format_money
from tracker_desktop.services.dashboard import Dashboard, DashboardService, owed_filters
from tracker_desktop.services.front_desk import HIDDEN
from tracker_desktop.ui.bridge import Changes
from tracker_desktop.ui.dashboard.charts import LAST_YEAR, MARGIN, THIS_YEAR, MonthBars
from tracker_desktop.ui.dashboard.sections import GoalPanel, OwedPanel, RankList
from tracker_desktop.ui.tasks import LatestCall, describe_error
from tracker_desktop.ui.theme import error_style, note_style

LOADING = "Loading…"


class DashboardPage(QWidget):
    filters_wanted = Signal(object, str)  # InvoiceFilters, the client's name if one is set
    invoice_wanted = Signal(int)
    figures_shown = Signal()  # a read's figures are in the widgets (benchmarks, tests)

    def __init__(
        self,
        service: DashboardService,
        profile_id: Callable[[], int | None],
        locale: str,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardPage")
        self._service = service
        self._profile_id = profile_id
        self._locale = locale
        self._clock = clock
        self.board: Dashboard | None = None
        self._stale = True
        self.reader = LatestCall(self)

        self.status = QLabel(LOADING)
        self.status.setObjectName("dashboardStatus")
        self.status.setStyleSheet(note_style())
        self.currency = QComboBox()
        self.currency.setObjectName("chartCurrency")
        self.currency.setAccessibleName("Currency of the charts")
        self.goal = GoalPanel()
        self.sales_chart = MonthBars("Paid sales by month", "salesChart")
        self.margin_chart = MonthBars("Margin over purchase cost by month", "marginChart")
        self.owed = OwedPanel()
        self.clients = RankList("Best clients this year", "bestClients")
        self.brands = RankList("Best-selling brands this year", "bestBrands")
        self.sales = RankList("Margin per sale (newest)", "saleMargins")
        # At the front desk the service reads no margin; this says so where the chart was.
        self.margin_hidden = QLabel(f"Margin over purchase cost: {HIDDEN}.")
        self.margin_hidden.setObjectName("marginHidden")
        self.margin_hidden.setStyleSheet(note_style())
        self.margin_hidden.setVisible(False)

        header = QHBoxLayout()
        header.addWidget(QLabel("<h2>Dashboard</h2>"))
        header.addWidget(self.status, 1)
        header.addWidget(QLabel("Charts in"))
        header.addWidget(self.currency)
        charts = QHBoxLayout()
        charts.addWidget(self.sales_chart, 1)
        charts.addWidget(self.margin_chart, 1)
        charts.addWidget(self.margin_hidden, 1)
        grid = QGridLayout()
        for column, box in enumerate((self.owed, self.clients, self.brands, self.sales)):
            grid.addWidget(box, 0, column)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.goal)
        layout.addLayout(charts, 3)
        layout.addLayout(grid, 2)

        self.currency.currentIndexChanged.connect(lambda _i: self._show_charts())
        self.goal.paid_clicked.connect(self._paid_clicked)
        self.sales_chart.bar_clicked.connect(self._month_clicked)
        self.margin_chart.bar_clicked.connect(
            lambda month, _past: self._month_clicked(month, False)
        )
        self.owed.kind_clicked.connect(self._owed_clicked)
        self.owed.invoice_clicked.connect(self.invoice_wanted)
        self.clients.picked.connect(self._client_clicked)
        self.sales.picked.connect(lambda invoice_id: self.invoice_wanted.emit(int(invoice_id)))

    # -- reading ----------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self.reader.busy

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        hidden = self._service.front_desk.hides_cost(self._profile_id())
        if self._stale or (self.board is not None and hidden != (self.board.margins is None)):
            self.reload()  # or the front desk was switched in Settings meanwhile

    def on_data_changed(self, changes: Changes) -> None:
        profile_id = self._profile_id()
        if profile_id in changes.invoices or profile_id in changes.watches:
            self._reload_when_seen()

    def on_profile_changed(self, _profile_id: object) -> None:
        self._reload_when_seen()

    def _reload_when_seen(self) -> None:
        self._stale = True
        if self.isVisible():
            self.reload()

    def reload(self) -> None:
        profile_id = self._profile_id()
        self._stale = False
        if profile_id is None:
            self.status.setText("No profile yet: add one in Settings.")
            return
        self.status.setText(LOADING)
        self.status.setStyleSheet(note_style())
        service = self._service
        self.reader.ask(lambda: service.read(profile_id), self._show, self._failed)

    def _failed(self, exc: Exception) -> None:
        self.status.setText(f"The figures could not be read: {describe_error(exc)}")
        self.status.setStyleSheet(error_style())

    def _show(self, board: Dashboard) -> None:
        self.board = board
        locale = self._locale
        self.status.setText("")
        self.goal.show_figures(board, locale)
        wanted = self.currency.currentText() or board.goal.currency
        self.currency.blockSignals(True)
        self.currency.clear()
        codes = [s.currency for s in board.sales]
        codes += [m.currency for m in board.margins or () if m.currency not in codes]
        hidden = board.margins is None
        self.margin_chart.setVisible(not hidden)
        self.sales.setVisible(not hidden)
        self.margin_hidden.setVisible(hidden)
        self.currency.addItems(codes)
        self.currency.setCurrentIndex(max(0, self.currency.findText(wanted)))
        self.currency.blockSignals(False)
        self._show_charts()
        self.owed.show_figures(board, locale, self._clock())
        self._show_lists(board, locale)
        self.figures_shown.emit()

    def _show_charts(self) -> None:
        board = self.board
        if board is None:
            return
        code = self.currency.currentText() or board.goal.currency
        zero = (0,) * 12
        sales = next((s for s in board.sales if s.currency == code), None)
        self.sales_chart.show_years(
            code,
            [
                (str(board.year - 1), sales.last_year if sales else zero, True, LAST_YEAR),
                (str(board.year), sales.this_year if sales else zero, False, THIS_YEAR),
            ],
        )
        margin = next((m for m in board.margins or () if m.currency == code), None)
        self.margin_chart.show_years(
            code, [(f"Margin {board.year}", margin.margin if margin else zero, False, MARGIN)]
        )

    def _show_lists(self, board: Dashboard, locale: str) -> None:
        def money(minor: int, code: str) -> str:
            return format_money(Money(minor, code), locale)

        self.clients.show_rows(
            [
                (f"{c.name} · {money(c.minor, c.currency)} ({c.count})", (c.contact_id, c.name))
                for c in board.clients
            ],
            "No paid sales yet this year.",
        )
        self.brands.show_rows(
            [
                (
                    f"{brand}: {count} sold · " + ", ".join(format_money(m, locale) for m in sums),
                    None,
                )
                for brand, count, sums in board.brands
            ],
            "No watches sold yet this year.",
        )
        margins = ", ".join(format_money(m.total, locale) for m in board.margins or ())
        self.sales.show_rows(
            [
                (
                    f"{s.number or 'Draft'} · {s.customer_name} · margin "
                    f"{money(s.sold_minor - s.cost_minor, s.currency)} on "
                    f"{money(s.sold_minor, s.currency)}",
                    s.invoice_id,
                )
                for s in board.sale_margins or ()
            ],
            "No paid sale this year has a watch with a purchase cost.",
            f"This year's margin: {margins}." if margins else "",
        )

    # -- clicks ---------------------------------------------------------------------------
    def _month_clicked(self, month: int, last_year: bool) -> None:
        if self.board is not None:
            self.filters_wanted.emit(self.board.month_filters(month, last_year), "")

    def _paid_clicked(self) -> None:
        if self.board is not None:
            self.filters_wanted.emit(self.board.year_filters(), "")

    def _owed_clicked(self, kind: DisplayKind) -> None:
        self.filters_wanted.emit(owed_filters(kind), "")

    def _client_clicked(self, payload: object) -> None:
        if self.board is None or not isinstance(payload, tuple):
            return
        contact_id, name = payload
        if contact_id is None:  # a one-off buyer: found by name
            self.filters_wanted.emit(self.board.year_filters(text=str(name)), "")
        else:
            self.filters_wanted.emit(self.board.year_filters(contact_id=contact_id), str(name))
