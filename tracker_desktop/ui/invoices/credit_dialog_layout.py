"""The credit-note dialog's widgets and how they sit; CreditNoteDialog (credit_dialog.py) gives
them behaviour.

What to credit (the whole invoice, or chosen lines with an amount each and, for a watch,
"Put the watch back in stock"), Stripe's reason, where the money goes back (a refund to
the payment, or returned outside Stripe), a note, and a message line for Stripe's answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.domain.validation import MEMO_MAX
from tracker_desktop.services.credit.values import CreditReason
from tracker_desktop.ui.theme import note_style
from tracker_desktop.ui.widgets.locale_and_fields import FieldError

ISSUE_TEXT = "Issue credit note"


@dataclass
class LineRow:
    """One invoice line in the dialog: its widgets and the position it names."""

    position: int
    pick: QCheckBox
    amount: QLineEdit
    restock: QCheckBox | None
    error: FieldError


class CreditNoteLayout(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("creditNoteDialog")
        self.setWindowTitle("Issue credit note")
        self.heading = QLabel()
        self.heading.setWordWrap(True)

        self.whole = QRadioButton("The whole invoice")
        self.whole.setObjectName("credit_whole")
        self.per_line = QRadioButton("Chosen lines")
        self.per_line.setObjectName("credit_per_line")
        self.scope = QButtonGroup(self)
        self.scope.addButton(self.whole)
        self.scope.addButton(self.per_line)
        self.whole.setChecked(True)
        scope_box = QWidget()
        scope_row = QVBoxLayout(scope_box)
        scope_row.setContentsMargins(0, 0, 0, 0)
        scope_row.addWidget(self.whole)
        scope_row.addWidget(self.per_line)

        self.lines_box = QWidget()
        self.lines_grid = QGridLayout(self.lines_box)
        self.lines_grid.setContentsMargins(0, 0, 0, 0)
        self.rows: list[LineRow] = []
        self.lines_error = FieldError("credit_lines")

        self.reason = QComboBox()
        self.reason.setObjectName("credit_reason")
        for reason in CreditReason:
            self.reason.addItem(reason.words, reason)
        self.reason.setCurrentIndex(list(CreditReason).index(CreditReason.ORDER_CHANGE))

        self.refund = QRadioButton("Refund to the card or account that paid")
        self.refund.setObjectName("credit_refund")
        self.outside = QRadioButton("Returned outside Stripe (for example a wire back)")
        self.outside.setObjectName("credit_outside")
        self.settle = QButtonGroup(self)
        self.settle.addButton(self.refund)
        self.settle.addButton(self.outside)
        self.refund.setChecked(True)
        self.settle_note = QLabel()
        self.settle_note.setWordWrap(True)
        self.settle_note.setStyleSheet(note_style())
        self.settle_error = FieldError("credit_settlement")
        settle_box = QWidget()
        settle_col = QVBoxLayout(settle_box)
        settle_col.setContentsMargins(0, 0, 0, 0)
        for widget in (self.refund, self.outside, self.settle_note, self.settle_error):
            settle_col.addWidget(widget)

        self.memo = QLineEdit()
        self.memo.setObjectName("credit_memo")
        self.memo.setMaxLength(MEMO_MAX)
        self.memo.setPlaceholderText("Shown on the credit note, e.g. “Returned unworn”")
        self.memo_error = FieldError("credit_memo")

        self.message = FieldError("credit_message")
        self.info = QLabel()
        self.info.setObjectName("creditInfo")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.issue_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.issue_button.setText(ISSUE_TEXT)
        self.issue_button.setObjectName("credit_issue")

        form = QFormLayout()
        form.addRow("What to credit", scope_box)
        form.addRow("Lines", self.lines_box)
        form.addRow("", self.lines_error)
        form.addRow("Reason", self.reason)
        form.addRow("Money back", settle_box)
        form.addRow("Note", self.memo)
        form.addRow("", self.memo_error)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.info)
        layout.addWidget(self.buttons)

    def add_line_row(self, position: int, text: str, left: str, has_watch: bool) -> LineRow:
        """One line of the invoice: pick it, the amount to credit (empty: all that is left)."""
        row = len(self.rows) * 2
        pick = QCheckBox(text)
        pick.setObjectName(f"credit_line_{position}")
        amount = QLineEdit()
        amount.setObjectName(f"credit_amount_{position}")
        amount.setPlaceholderText(left)
        amount.setAccessibleName(f"Amount to credit on {text}")
        restock = None
        if has_watch:
            restock = QCheckBox("Put the watch back in stock")
            restock.setObjectName(f"credit_restock_{position}")
        error = FieldError(f"credit_line_{position}")
        self.lines_grid.addWidget(pick, row, 0)
        self.lines_grid.addWidget(amount, row, 1)
        if restock is not None:
            self.lines_grid.addWidget(restock, row, 2)
        self.lines_grid.addWidget(error, row + 1, 0, 1, 3)
        line = LineRow(position, pick, amount, restock, error)
        self.rows.append(line)
        return line
