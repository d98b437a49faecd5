"""The Invoices window's widgets and how they sit; InvoicesPage (page.py) gives them behaviour.

Top row: heading, Export CSV and New invoice. Under it the filters, the banner and the
message line, then the history table (with its count) beside the selected invoice's detail.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.ui.invoices.detail import InvoiceDetailPanel
from tracker_desktop.ui.invoices.filters import InvoiceFilterBar
from tracker_desktop.ui.invoices.status_pill import StatusPillDelegate
from tracker_desktop.ui.invoices.table_model import (
    COL_CLIENT,
    COL_CREATED,
    COL_STATUS,
    InvoiceTableModel,
)
from tracker_desktop.ui.theme import note_style
from tracker_desktop.ui.widgets.banner import Banner
from tracker_desktop.ui.widgets.geometry import FITS_OWN_COLUMNS
from tracker_desktop.ui.widgets.locale_and_fields import FieldError

LOADING = "Loading…"


class InvoicesPageLayout(QWidget):
    def __init__(self, locale: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.new_button = QPushButton("New invoice")
        self.new_button.setToolTip("Compose a new invoice (Ctrl+N)")
        self.new_button.setStyleSheet("font-weight: bold;")
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setObjectName("exportCsv")
        self.export_button.setToolTip("Save the invoices these filters show as CSV (Ctrl+E)")
        self.filters = InvoiceFilterBar()
        top = QHBoxLayout()
        top.addWidget(QLabel("<h2>Invoices</h2>"))
        top.addStretch(1)
        top.addWidget(self.export_button)
        top.addWidget(self.new_button)

        self.model = InvoiceTableModel(locale)
        self.table = QTableView()
        self.table.setObjectName("invoiceTable")
        self.table.setAccessibleName("Invoices")
        self.table.setItemDelegateForColumn(COL_STATUS, StatusPillDelegate(self.table))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)  # one line per invoice; long names end in "…"
        header = self.table.horizontalHeader()
        # Columns sized once from the header and a sample of rows, not from every row read.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_CLIENT, QHeaderView.ResizeMode.Stretch)
        header.setResizeContentsPrecision(40)  # sized from the first rows, not all of them
        header.setSortIndicator(COL_CREATED, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)  # the model sorts in the database
        self.table.setProperty(FITS_OWN_COLUMNS, True)  # see _size_columns
        self.count_label = QLabel(LOADING)
        self.count_label.setObjectName("invoiceCount")
        self.count_label.setStyleSheet(note_style())
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        left_box.addLayout(bottom)

        self.detail = InvoiceDetailPanel(locale)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        # The list gets the larger share at first, so client names stay readable at 1280 px;
        # the detail wraps its text and sets its buttons two to a row, so it fits a third.
        splitter.setSizes([740, 360])
        self.splitter = splitter

        self.banner = Banner("invoiceBanner")
        self.message = FieldError("page")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.filters)
        layout.addWidget(self.banner)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
