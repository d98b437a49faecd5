"""The history filters: status, date range, client, serial and free text.

`typed` is emitted as the text or the serial is typed (the page waits for a pause in the
typing before it searches); `changed` when a choice is made (status, client, dates).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QWidget

from tracker_desktop.domain.invoice_state import LABELS, DisplayKind
from tracker_desktop.services.inventory.watch_service import ClientChoice
from tracker_desktop.services.invoicing.invoice_service import InvoiceFilters

_NO_DATE = QDate(2000, 1, 1)  # the minimum means "no limit", shown as "Any"


def _date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setMinimumDate(_NO_DATE)
    edit.setSpecialValueText("Any")
    edit.setDate(_NO_DATE)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _local_midnight(day: QDate) -> dt.datetime:
    # The dealer's calendar day starts at local midnight; stored instants are UTC.
    return dt.datetime(day.year(), day.month(), day.day()).astimezone().astimezone(dt.UTC)


def _local_day(moment: dt.datetime) -> QDate:
    local = moment.astimezone()
    return QDate(local.year, local.month, local.day)


class InvoiceFilterBar(QWidget):
    changed = Signal()
    typed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QComboBox()
        self.status.addItem("All statuses", None)
        for kind in DisplayKind:
            self.status.addItem(LABELS[kind], kind)
        self.date_from = _date_edit()
        self.date_to = _date_edit()
        self.client = QComboBox()
        self.client.setMinimumWidth(150)
        self.client.addItem("All clients", None)
        self.serial = QLineEdit()
        self.serial.setPlaceholderText("Serial")
        self.serial.setFixedWidth(110)
        self.text = QLineEdit()
        self.text.setObjectName("invoiceSearch")
        self.text.setPlaceholderText("Number, client, email, memo, line, serial…  (Ctrl+F)")
        self.text.setClearButtonEnabled(True)
        for widget, name in (
            (self.text, "Search invoices"),
            (self.status, "Status"),
            (self.date_from, "Created from"),
            (self.date_to, "Created to"),
            (self.client, "Client"),
            (self.serial, "Serial"),
        ):
            widget.setAccessibleName(name)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text, 2)
        layout.addWidget(self.status)
        layout.addWidget(QLabel("Created"))
        layout.addWidget(self.date_from)
        layout.addWidget(QLabel("to"))
        layout.addWidget(self.date_to)
        layout.addWidget(self.client)
        layout.addWidget(self.serial)
        self.status.currentIndexChanged.connect(self.changed)
        self.client.currentIndexChanged.connect(self.changed)
        self.date_from.dateChanged.connect(self.changed)
        self.date_to.dateChanged.connect(self.changed)
        self.serial.textChanged.connect(self.typed)
        self.text.textChanged.connect(self.typed)

    def set_clients(self, clients: list[ClientChoice]) -> None:
        current = self.client.currentData()
        self.client.blockSignals(True)
        self.client.clear()
        self.client.addItem("All clients", None)
        for choice in clients:
            self.client.addItem(choice.name, choice.id)
        index = self.client.findData(current) if current is not None else 0
        self.client.setCurrentIndex(max(index, 0))
        self.client.blockSignals(False)

    def select_status(self, kind: DisplayKind | None) -> None:
        self.status.setCurrentIndex(max(self.status.findData(kind), 0))

    def filters(self) -> InvoiceFilters:
        kind = self.status.currentData()  # Qt hands the enum back as its plain value
        start, end = self.date_from.date(), self.date_to.date()
        return InvoiceFilters(
            statuses=(DisplayKind(kind),) if kind is not None else (),
            created_from=None if start == _NO_DATE else _local_midnight(start),
            created_before=None if end == _NO_DATE else _local_midnight(end.addDays(1)),
            contact_id=self.client.currentData(),
            serial=self.serial.text().strip(),
            text=self.text.text().strip(),
        )

    def active(self) -> bool:
        """Whether any filter hides invoices."""
        return self.filters() != InvoiceFilters()

    def clear(self) -> None:
        """Every filter off, without signals (the caller reloads once)."""
        self.blockSignals(True)
        try:
            self.select_status(None)
            self.client.setCurrentIndex(0)
            self.date_from.setDate(_NO_DATE)
            self.date_to.setDate(_NO_DATE)
            self.text.clear()
            self.serial.clear()
        finally:
            self.blockSignals(False)

    def apply(self, wanted: InvoiceFilters, client_name: str = "") -> None:
        """Show these filters (the Dashboard's clicks ask for them), then `changed` once.
        Dates are taken as the local days they fall on; `created_before` is excluded."""
        self.clear()
        self.blockSignals(True)
        try:
            self.select_status(wanted.statuses[0] if wanted.statuses else None)
            if wanted.contact_id is not None:
                if self.client.findData(wanted.contact_id) < 0:  # the list is read with rows
                    self.client.addItem(client_name or "Client", wanted.contact_id)
                self.client.setCurrentIndex(self.client.findData(wanted.contact_id))
            if wanted.created_from is not None:
                self.date_from.setDate(_local_day(wanted.created_from))
            if wanted.created_before is not None:
                self.date_to.setDate(_local_day(wanted.created_before).addDays(-1))
            self.text.setText(wanted.text)
            self.serial.setText(wanted.serial)
        finally:
            self.blockSignals(False)
        self.changed.emit()

    def focus_text(self) -> None:
        self.text.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.text.selectAll()
