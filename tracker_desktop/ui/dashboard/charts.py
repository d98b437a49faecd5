"""The Dashboard's two bar charts (QtCharts): paid sales by month, this year beside last
year, and the margin over purchase cost by month. One currency at a time; the bars are
drawn from minor units scaled to the currency's major unit, the labels formatted by babel.
A click on a bar says which month (and year) it was.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

from tracker_desktop.domain.currencies import currency

THIS_YEAR = QColor("#2e6fd8")
LAST_YEAR = QColor("#a9bfe6")
MARGIN = QColor("#2f9e6b")


def _major(minor: int, code: str) -> float:
    # Bar heights only: every amount shown as text is formatted from its minor units.
    return float(minor) / float(10 ** currency(code).exponent)


def _months() -> list[str]:
    locale = QLocale()
    return [locale.monthName(m, QLocale.FormatType.ShortFormat) for m in range(1, 13)]


class MonthBars(QChartView):
    """Bars per month for one or two years; `bar_clicked(month 0-11, last_year)`."""

    bar_clicked = Signal(int, bool)

    def __init__(self, title: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(title)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(240)
        chart = QChart()
        chart.setTitle(title)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.setChart(chart)
        self.sets: list[QBarSet] = []  # the shown sets, last year's first when there is one

    def show_years(
        self,
        code: str,
        years: Sequence[tuple[str, Sequence[int], bool, QColor]],
    ) -> None:
        """`years`: (legend, twelve monthly amounts in minor units, is last year, colour)."""
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        series = QBarSeries()
        self.sets = []
        top = 0.0
        for legend, months, last_year, colour in years:
            bars = QBarSet(legend)
            bars.setColor(colour)
            for minor in months:
                value = _major(minor, code)
                bars.append(value)
                top = max(top, value)
            bars.clicked.connect(lambda index, past=last_year: self.bar_clicked.emit(index, past))
            series.append(bars)
            self.sets.append(bars)
        chart.addSeries(series)
        months_axis = QBarCategoryAxis()
        months_axis.append(_months())
        small = months_axis.labelsFont()
        small.setPointSizeF(small.pointSizeF() * 0.85)  # twelve names fit a half-width chart
        months_axis.setLabelsFont(small)
        chart.addAxis(months_axis, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(months_axis)
        values = QValueAxis()
        values.setLabelFormat("%.0f")
        values.setTitleText(code)
        lowest = min((b.at(i) for b in self.sets for i in range(b.count())), default=0.0)
        values.setRange(min(0.0, lowest) * 1.1, top * 1.1 if top > 0 else 1.0)
        values.applyNiceNumbers()
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(values)
