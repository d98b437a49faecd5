"""The strip shown while Stripe customers are imported: progress, counts and Cancel."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from tracker_desktop.services.clients.customer_import import ImportReport


class ImportBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.progress.setRange(0, 0)  # Stripe gives no total: a busy bar plus the counts
        self.progress.setMaximumWidth(220)
        self.label = QLabel("Reading customers from Stripe…")
        self.label.setObjectName("importLabel")
        self.cancel_button = QPushButton("Cancel import")
        self.cancel_button.setObjectName("cancelImportButton")
        layout.addWidget(self.progress)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.cancel_button)
        self.cancel_requested = False
        self.cancel_button.clicked.connect(self._cancel)
        self.hide()

    def start(self) -> None:
        self.cancel_requested = False
        self.cancel_button.setEnabled(True)
        self.label.setText("Reading customers from Stripe…")
        self.show()

    def update_report(self, report: ImportReport) -> None:
        self.label.setText(
            f"{report.read} customers read: {len(report.linked)} linked, "
            f"{len(report.created)} new, {len(report.skipped)} skipped"
        )

    def _cancel(self) -> None:
        self.cancel_requested = True
        self.cancel_button.setEnabled(False)
        self.label.setText("Stopping after this page…")
