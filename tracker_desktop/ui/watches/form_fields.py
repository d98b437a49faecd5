"""Fields of the watch form that are more than a line edit: the currency list and the
dealer's own status (in stock, on memo with whom and since when, in service since when)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.domain.currencies import COMMON, KNOWN
from tracker_desktop.domain.watch_status import DEALER_SET, WatchStatus
from tracker_desktop.services.inventory.watch_service import WATCH_TEXT_MAX, WatchRow

CONDITIONS = ("Unworn", "Mint", "Excellent", "Very good", "Good", "Fair", "For parts")


def currency_combo(selected: str) -> QComboBox:
    """Common dealer currencies first, then every code Stripe takes."""
    combo = QComboBox()
    for code in (*COMMON, *sorted(KNOWN - set(COMMON))):
        combo.addItem(code)
    combo.setCurrentText(selected)
    return combo


class StatusFields:
    """The status box and the two fields it asks for. A watch an invoice holds (reserved,
    sold) shows that status, disabled: it follows the invoice, and the form leaves it."""

    def __init__(self, watch: WatchRow | None) -> None:
        self.combo = QComboBox()
        self.away_with = QLineEdit()
        self.away_with.setMaxLength(WATCH_TEXT_MAX["away_with"])
        self.away_with.setPlaceholderText("The dealer or client who has it on approval")
        self.since = QDateEdit()
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        self.since.setMaximumDate(QDate.currentDate())
        self.since.setDate(QDate.currentDate())
        held = watch is not None and watch.status not in DEALER_SET
        self.held = held
        if held:
            assert watch is not None
            self.combo.addItem(watch.status.label, watch.status.value)
            self.combo.setEnabled(False)
            self.combo.setToolTip(f"{watch.why_not_invoiceable}: its status follows that invoice")
        else:
            for status in DEALER_SET:
                self.combo.addItem(status.label, status.value)
        if watch is not None:
            self.combo.setCurrentIndex(max(self.combo.findData(watch.status.value), 0))
            self.away_with.setText(watch.away_with)
            if watch.away_since is not None:
                since = watch.away_since
                self.since.setDate(QDate(since.year, since.month, since.day))
        self.combo.currentIndexChanged.connect(self._enable)
        self._enable()

    def status(self) -> WatchStatus | None:
        """What the form asks for; None leaves a held watch's status to its invoice."""
        if self.held:
            return None
        value = self.combo.currentData()  # Qt hands a str enum back as its str
        return WatchStatus(value) if isinstance(value, str) else WatchStatus.IN_STOCK

    def since_date(self) -> dt.date | None:
        status = self.status()
        if status is None or not status.away:
            return None
        qdate = self.since.date()
        return dt.date(qdate.year(), qdate.month(), qdate.day())

    def with_whom(self) -> str:
        return self.away_with.text() if self.status() is WatchStatus.ON_MEMO else ""

    def _enable(self, *_args: object) -> None:
        status = self.status()
        self.away_with.setEnabled(status is WatchStatus.ON_MEMO)
        self.since.setEnabled(status is not None and status.away)


def with_error(widget: QWidget, error: QLabel) -> QWidget:
    """A field with its message line under it, as one form row's field."""
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(widget)
    column.addWidget(error)
    return holder


def button_row(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row
