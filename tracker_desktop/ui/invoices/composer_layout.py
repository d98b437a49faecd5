"""The composer's widgets and how they sit; ComposerDialog (composer.py) gives them behaviour.

Bill to beside Terms, the lines under them, then the total, the form-wide messages, the
push's steps and the buttons.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.services.inventory.watch_service import ProfileDefaults
from tracker_desktop.ui.invoices.composer_sale_box import SaleBox
from tracker_desktop.ui.invoices.composer_sections import LinesBox, TermsBox
from tracker_desktop.ui.invoices.customer_panel import CustomerPanel
from tracker_desktop.ui.invoices.push_steps import PushStepList
from tracker_desktop.ui.theme import note_style
from tracker_desktop.ui.widgets.locale_and_fields import FieldError


class ComposerLayout(QDialog):
    def __init__(
        self,
        customer: CustomerPanel,
        defaults: ProfileDefaults,
        locale: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.resize(980, 760)

        self.customer = customer
        bill_to = QGroupBox("Bill to")
        QVBoxLayout(bill_to).addWidget(self.customer)

        terms = TermsBox(defaults)
        self.currency = terms.currency
        self.days_until_due = terms.days_until_due
        self.memo = terms.memo
        self.footer = terms.footer
        self.errors = terms.errors

        lines_group = LinesBox(locale)
        self.lines = lines_group.lines
        self.add_watch_button = lines_group.add_watch_button
        self.add_line_button = lines_group.add_line_button

        self.total_label = QLabel()
        self.total_label.setObjectName("total")
        self.total_label.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.total_error = FieldError("total")
        self.sale_box = SaleBox()
        self.steps = PushStepList()
        self.steps.setVisible(False)
        self.push_error = FieldError("push")
        self.status = QLabel()
        self.status.setStyleSheet(note_style())
        self.form_error = FieldError("form")

        self.cancel_button = QPushButton("Cancel")
        self.save_button = QPushButton("Save draft")
        self.save_button.setToolTip("Keep it on this computer; nothing is sent (Ctrl+S)")
        self.retry_button = QPushButton("Retry")
        self.retry_button.setToolTip("Continue from the step that failed")
        self.retry_button.setVisible(False)
        self.create_button = QPushButton("Create and open payment page")
        self.create_button.setToolTip(
            "Create the invoice in Stripe and open its payment page (Ctrl+Enter)"
        )
        self.create_button.setStyleSheet("font-weight: bold;")
        for button in (self.cancel_button, self.save_button, self.retry_button):
            button.setAutoDefault(False)
        self.create_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.steps)
        buttons.addStretch(1)
        for button in (self.cancel_button, self.save_button, self.retry_button):
            buttons.addWidget(button)
        buttons.addWidget(self.create_button)

        grid = QGridLayout()
        grid.addWidget(bill_to, 0, 0)
        # The deposit, trade-in and split sit under the terms, where the form has room.
        right = QVBoxLayout()
        right.addWidget(terms)
        right.addWidget(self.sale_box)
        right.addStretch(1)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(lines_group, 1)
        layout.addWidget(self.total_label)
        layout.addWidget(self.total_error)
        layout.addWidget(self.form_error)
        layout.addWidget(self.push_error)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
