"""The Clients window's widgets and how they sit; ClientsPage (page.py) gives them behaviour.

Top row: heading, search, New / Edit / Delete / Import. Under it the no-key banner, the
message line and the import bar (hidden until needed), then the table beside the selected
client's panel, and the count of clients.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.ui.clients.import_bar import ImportBar
from tracker_desktop.ui.clients.panel import ClientPanel
from tracker_desktop.ui.clients.table_model import (
    COL_COMPANY,
    COL_EMAIL,
    COL_NAME,
    COL_PHONE,
    COL_PLACE,
    COL_STRIPE,
    ClientsTableModel,
)
from tracker_desktop.ui.theme import Tone, banner_style

# Fixed starting widths; Email takes what is left, so the Stripe column stays in sight.
# Email stretches; the rest start narrow enough that it stays readable at 1280 px.
_WIDTHS = {COL_NAME: 145, COL_COMPANY: 120, COL_PHONE: 128, COL_PLACE: 100, COL_STRIPE: 170}
# The message line's levels, as banner tones (tinted, following the palette).
_MESSAGE_TONES: dict[str, Tone] = {"info": "success", "warning": "warning", "error": "error"}


class ClientsPageLayout(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.addLayout(self._build_top_row())
        outer.addWidget(self._build_key_banner())
        self.message = QLabel()
        self.message.setObjectName("clientsMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        outer.addWidget(self.message)
        self.import_bar = ImportBar()
        outer.addWidget(self.import_bar)
        self.model = ClientsTableModel()
        self.table = self._build_table()
        self.panel = ClientPanel()
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setSizes([940, 260])
        outer.addWidget(splitter, 1)
        self.count_label = QLabel()
        self.count_label.setObjectName("clientCount")
        outer.addWidget(self.count_label)
        self.setTabOrder(self.search, self.table)

    def _build_top_row(self) -> QHBoxLayout:
        self.search = QLineEdit()
        self.search.setObjectName("clientSearch")
        self.search.setAccessibleName("Search clients")
        self.search.setPlaceholderText("Search name, company, email, phone, city (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.new_button = QPushButton("New client")
        self.new_button.setToolTip("Ctrl+N")
        self.edit_button = QPushButton("Edit")
        self.edit_button.setToolTip("Enter")
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setToolTip("Delete")
        self.import_button = QPushButton("Import from Stripe…")
        top = QHBoxLayout()
        top.addWidget(QLabel("<h2>Clients</h2>"))
        top.addWidget(self.search, 1)
        for button in (self.new_button, self.edit_button, self.delete_button, self.import_button):
            top.addWidget(button)
        return top

    def _build_key_banner(self) -> QWidget:
        """Says why Stripe is out of reach (no key, keychain locked), with a way to Settings."""
        self.key_banner = QWidget()
        banner = QHBoxLayout(self.key_banner)
        banner.setContentsMargins(8, 4, 8, 4)
        self.key_banner.setObjectName("noKeyBanner")
        self.key_banner.setStyleSheet(banner_style("info", "QWidget#noKeyBanner"))
        self.key_message = QLabel()
        self.key_message.setObjectName("noKeyMessage")
        self.key_message.setWordWrap(True)
        self.settings_button = QPushButton("Open Settings")
        banner.addWidget(self.key_message, 1)
        banner.addWidget(self.settings_button)
        self.key_banner.hide()
        return self.key_banner

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("clientsTable")
        table.setAccessibleName("Clients")
        table.setModel(self.model)
        table.setSortingEnabled(True)
        table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        vertical = table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(26)
        header = table.horizontalHeader()
        header.setMinimumSectionSize(60)
        for column, width in _WIDTHS.items():
            table.setColumnWidth(column, width)
        header.setSectionResizeMode(COL_EMAIL, QHeaderView.ResizeMode.Stretch)
        return table

    def show_message(self, text: str, level: str = "info", details: str = "") -> None:
        """The message line under the top row: info (green), warning (amber), error (red)."""
        self.message.setText(text)
        self.message.setToolTip(details)
        self.message.setProperty("tone", _MESSAGE_TONES[level])
        self.message.setStyleSheet(banner_style(_MESSAGE_TONES[level], "QLabel#clientsMessage"))
        self.message.setVisible(bool(text))
