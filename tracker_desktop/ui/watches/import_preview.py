"""The inventory import's preview: every row of the file with what is wrong with it. Import
is enabled only for a file with no problem at all, and writes every watch or none."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.services.inventory.inventory_csv import ImportPreview
from tracker_desktop.ui.theme import error_style, tone
from tracker_desktop.ui.widgets.accessibility import tab_in_layout_order
from tracker_desktop.ui.widgets.locale_and_fields import FieldError

# The CSV column each problem is about, as the dealer sees it in a spreadsheet.
_COLUMN = {"purchase_cost": "purchase cost", "asking_price": "asking price", "row": "row"}


class ImportPreviewDialog(QDialog):
    def __init__(self, preview: ImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import watches from CSV")
        self.resize(900, 520)
        self.preview = preview
        bad = len(preview.bad_rows)
        if preview.problem:
            summary = f"{preview.problem} Nothing was imported."
        elif bad:
            summary = (
                f"{bad} of {len(preview.rows)} rows have problems, listed below. Fix them in "
                "the file and import it again; nothing was imported."
            )
        else:
            summary = f"{len(preview.rows)} watches are ready to import."
        self.summary = QLabel(summary)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        if not preview.ok:
            self.summary.setStyleSheet(error_style())
        self.table = QTableWidget(len(preview.rows), 4)
        self.table.setObjectName("importRows")
        self.table.setAccessibleName("Rows of the file")
        self.table.setHorizontalHeaderLabels(["Line", "Serial", "Watch", "Problems"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for index, row in enumerate(preview.rows):
            problems = "; ".join(
                f"{_COLUMN.get(name, name.replace('_', ' '))}: {text}"
                for name, text in row.errors.items()
            )
            cells = (str(row.line), row.serial, row.title, problems or "OK")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if row.errors and column == 3:
                    item.setForeground(tone("error"))
                self.table.setItem(index, column, item)
        self.table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton(
            f"Import {len(preview.rows)} watches", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(preview.ok)
        self.error = FieldError("form")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        tab_in_layout_order(self)
