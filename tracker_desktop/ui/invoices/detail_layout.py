"""The invoice detail's widgets and how they sit; InvoiceDetailPanel (detail.py) gives them
behaviour.

Heading and summary, the lines, the timeline, the payment link, then the action buttons in a
grid of three (Copy link and Open PDF beside Open payment page), the line saying why some are
disabled, and the panel's message and progress lines.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.domain.invoice_state import Action
from tracker_desktop.ui.theme import note_style, tone_style
from tracker_desktop.ui.widgets.locale_and_fields import FieldError

# (action, button text); the order is the order a dealer reaches for them.
ACTIONS: tuple[tuple[Action, str], ...] = (
    (Action.OPEN_PAYMENT_PAGE, "Open payment page"),
    (Action.SEND_EMAIL, "Send by email"),
    (Action.RECORD_WIRE, "Record wire payment…"),
    (Action.VOID, "Void…"),
    (Action.MARK_UNCOLLECTIBLE, "Mark uncollectible…"),
    (Action.DUPLICATE, "Duplicate as new draft"),
    (Action.EDIT_DRAFT, "Edit draft"),
    (Action.DELETE_DRAFT, "Delete draft…"),
    (Action.RETRY_PUSH, "Retry sending"),
)

COPY_TIP = "Copy the payment link, to send it to the buyer yourself (Ctrl+Shift+C)"
PDF_TIP = "Open the invoice PDF kept on this computer (Ctrl+P)"


class InvoiceDetailLayout(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setObjectName("invoiceHeading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.lines = QTableWidget(0, 4)
        self.lines.setHorizontalHeaderLabels(["Description", "Qty", "Unit price", "Amount"])
        self.lines.verticalHeader().setVisible(False)
        self.lines.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lines.setAccessibleName("Invoice lines")
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.lines.setMaximumHeight(150)
        self.timeline = QLabel()
        self.timeline.setObjectName("timeline")
        self.timeline.setTextFormat(Qt.TextFormat.RichText)
        self.timeline.setWordWrap(True)
        self.timeline.setAlignment(Qt.AlignmentFlag.AlignTop)

        # The payment link, selectable, to read out or copy by hand.
        self.link_label = QLabel("Payment link")
        self.link = QLineEdit()
        self.link.setObjectName("paymentLink")
        self.link.setReadOnly(True)
        self.link.setFrame(False)
        self.link.setAccessibleName("Payment link")
        self.link_label.setBuddy(self.link)

        self.buttons: dict[Action, QPushButton] = {}
        # Open PDF and Copy link are local (they work offline): not the state machine's Actions.
        self.pdf_button = _action_button("Open PDF", "open_pdf")
        self.pdf_button.setToolTip(PDF_TIP)
        self.copy_link_button = _action_button("Copy link", "copy_link")
        self.copy_link_button.setToolTip(COPY_TIP)
        # Credit notes are services/credit's, not a state-machine Action (credit_actions).
        self.credit_button = _action_button("Issue credit note…", "credit_note")
        self._cells: list[QPushButton] = []
        for action, text in ACTIONS:
            button = _action_button(text, action.value)
            self.buttons[action] = button
            self._cells.append(button)
            if action is Action.OPEN_PAYMENT_PAGE:
                self._cells += [self.copy_link_button, self.pdf_button]
            if action is Action.VOID:
                self._cells.append(self.credit_button)
        self.grid = QGridLayout()
        self.grid.setVerticalSpacing(4)
        for col in range(3):
            self.grid.setColumnStretch(col, 1)
        for i, button in enumerate(self._cells):
            self.grid.addWidget(button, *divmod(i, 2))  # parented now, placed by _place_buttons
        # One short line for the invoice as a whole; each button's tooltip has its own reason.
        self.why = QLabel()
        self.why.setObjectName("actionsReason")
        self.why.setWordWrap(True)
        self.why.setStyleSheet(note_style())
        self.message = FieldError("action")
        self.info = QLabel()
        self.info.setObjectName("actionInfo")
        self.info.setWordWrap(True)
        self.info.setStyleSheet(tone_style("success"))
        link_row = QGridLayout()
        link_row.addWidget(self.link_label, 0, 0)
        link_row.addWidget(self.link, 0, 1)
        link_row.setColumnStretch(1, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("<b>Lines</b>"))
        layout.addWidget(self.lines)
        layout.addWidget(QLabel("<b>Timeline</b>"))
        layout.addWidget(self.timeline)
        layout.addLayout(link_row)
        layout.addLayout(self.grid)
        layout.addWidget(self.why)
        layout.addWidget(self.message)
        layout.addWidget(self.info)
        layout.addStretch(1)


def _action_button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(f"action_{name}")
    return button
