"""One invoice: lines, the status timeline, and the actions Stripe allows in its state.

A disabled action says why twice: in its tooltip and in a grey line under the button.
The panel only shows and asks; the page runs the actions (it owns the task runner).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.domain.invoice_state import FINALIZED, Action
from tracker_desktop.domain.money_format import format_money
from tracker_desktop.services.invoices import InvoiceDetail
from tracker_desktop.ui.invoices.dates import local_date, local_datetime
from tracker_desktop.ui.invoices.table_model import STATUS_COLOURS
from tracker_desktop.ui.watches.common import NOTE_STYLE, FieldError

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


# Shown only before Stripe has the invoice, and only after: the others cannot apply then,
# and a column of reasons why not would hide the ones that matter.
DRAFT_ONLY = frozenset({Action.EDIT_DRAFT, Action.DELETE_DRAFT, Action.RETRY_PUSH})
FINALIZED_ONLY = frozenset(
    {
        Action.OPEN_PAYMENT_PAGE,
        Action.SEND_EMAIL,
        Action.RECORD_WIRE,
        Action.VOID,
        Action.MARK_UNCOLLECTIBLE,
    }
)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


NO_PDF_YET = "Stripe makes the PDF when the invoice is finalized."
PDF_TIP = "Open the invoice PDF kept on this computer (Ctrl+P)"
PDF_NEXT_SYNC = (
    "The PDF is downloaded when the invoice is finalized; it will be fetched on the next sync."
)


class InvoiceDetailPanel(QWidget):
    action_requested = Signal(object)  # an Action
    open_pdf_requested = Signal()

    def __init__(self, locale: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._locale = locale
        self.detail: InvoiceDetail | None = None
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

        self.buttons: dict[Action, QPushButton] = {}
        self.reasons: dict[Action, QLabel] = {}
        # Open PDF is local (works offline), so it is not one of the state machine's Actions.
        self.pdf_button, self.pdf_reason = _action_cell("Open PDF", "open_pdf")
        self.pdf_button.setToolTip(PDF_TIP)
        self.pdf_button.clicked.connect(self.open_pdf_requested.emit)
        cells = []
        for action, text in ACTIONS:
            button, reason = _action_cell(text, action.value)
            button.clicked.connect(lambda _=False, a=action: self.action_requested.emit(a))
            self.buttons[action] = button
            self.reasons[action] = reason
            cells.append((button, reason))
            if action is Action.OPEN_PAYMENT_PAGE:
                cells.append((self.pdf_button, self.pdf_reason))
        grid = QGridLayout()
        grid.setVerticalSpacing(2)
        for i, (button, reason) in enumerate(cells):
            row, col = divmod(i, 3)
            grid.addWidget(button, row * 2, col)
            grid.addWidget(reason, row * 2 + 1, col)
        for col in range(3):
            grid.setColumnStretch(col, 1)
        self.message = FieldError("action")
        self.info = QLabel()
        self.info.setObjectName("actionInfo")
        self.info.setWordWrap(True)
        self.info.setStyleSheet("color: #027a48;")

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("<b>Lines</b>"))
        layout.addWidget(self.lines)
        layout.addWidget(QLabel("<b>Timeline</b>"))
        layout.addWidget(self.timeline)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        layout.addWidget(self.info)
        layout.addStretch(1)
        self.show_invoice(None)

    def show_invoice(self, detail: InvoiceDetail | None) -> None:
        self.detail = detail
        self.message.clear_message()
        if detail is None:
            self.heading.setText("<h3>No invoice selected</h3>")
            self.summary.setText("Select an invoice, or press Ctrl+N for a new one.")
            self.lines.setRowCount(0)
            self.timeline.setText("")
            for action, _ in ACTIONS:
                self._set_action(action, False, "")
            self._set_pdf(None)
            return
        colour = STATUS_COLOURS.get(detail.status.kind, "#101828")
        number = _escape(detail.number or f"Draft #{detail.id}")
        self.heading.setText(
            f"<h3>{number} &nbsp;<span style='color:{colour}'>{detail.status.label}</span></h3>"
        )
        self.summary.setText(self._summary(detail))
        self._fill_lines(detail)
        self.timeline.setText(self._timeline(detail))
        finalized = detail.state in FINALIZED
        for action, _ in ACTIONS:
            relevant = not (
                (action in DRAFT_ONLY and finalized) or (action in FINALIZED_ONLY and not finalized)
            )
            self.buttons[action].setVisible(relevant)
            self.reasons[action].setVisible(relevant)
            check = detail.can(action)
            reason = check.reason or ""
            if (
                action is Action.OPEN_PAYMENT_PAGE
                and check.allowed
                and not detail.hosted_invoice_url
            ):
                reason = "Stripe has not given this invoice a payment page yet"
            self._set_action(action, check.allowed and not reason, reason)
        self._set_pdf(detail)

    def set_busy(self, busy: bool) -> None:
        if busy:
            for button in self.buttons.values():
                button.setEnabled(False)
        else:
            self.show_invoice(self.detail)

    def _set_action(self, action: Action, allowed: bool, reason: str) -> None:
        button = self.buttons[action]
        button.setEnabled(allowed)
        button.setToolTip("" if allowed else reason)
        self.reasons[action].setText("" if allowed else reason)

    def _set_pdf(self, d: InvoiceDetail | None) -> None:
        ready = d is not None and d.pdf_on_disk
        if d is None:
            reason = ""
        elif not ready:
            reason = PDF_NEXT_SYNC if d.invoice_pdf_url else NO_PDF_YET
        elif not (d.pdf_path or "").endswith(f"-{d.state.value}.pdf"):
            # Stripe's PDF changes with the status; until the new one is here, say which.
            reason = "This PDF is from before the last change; the new one comes with the sync."
        else:
            reason = ""
        self.pdf_button.setEnabled(ready)
        self.pdf_button.setToolTip(PDF_TIP if ready else reason)
        self.pdf_reason.setText(reason)

    def _summary(self, d: InvoiceDetail) -> str:
        loc = self._locale
        parts = [f"<b>{_escape(d.customer_name)}</b> &lt;{_escape(d.customer_email)}&gt;"]
        money = f"Total <b>{format_money(d.total, loc)}</b>"
        if d.amount_paid.minor:
            money += f" · paid {format_money(d.amount_paid, loc)}"
        if d.number and d.amount_remaining.minor:
            money += f" · due {format_money(d.amount_remaining, loc)}"
        parts.append(money)
        dates = f"Created {local_date(d.created_at, loc)}"
        if d.due_at is not None:
            dates += f" · due {local_date(d.due_at, loc)}"
        else:
            dates += f" · due {d.days_until_due} days after it is sent"
        if d.last_synced_at is not None:
            dates += f" · last sync {local_datetime(d.last_synced_at, loc)}"
        parts.append(dates)
        if d.status.detail:
            parts.append(f"<span style='color:#b42318'>{_escape(d.status.detail)}</span>")
        if d.last_error:
            # Past sending, last_error is a disagreement with Stripe that sync cannot settle.
            failed = d.status.kind.value == "push_failed"
            said = "Stripe said" if failed else "Out of step with Stripe"
            parts.append(f"<span style='color:#b42318'>{said}: {_escape(d.last_error)}</span>")
        if d.paid_out_of_band_note:
            parts.append(f"Paid outside Stripe: {_escape(d.paid_out_of_band_note)}")
        if d.memo:
            parts.append(f"<i>{_escape(d.memo)}</i>")
        return "<br>".join(parts)

    def _fill_lines(self, d: InvoiceDetail) -> None:
        self.lines.setRowCount(len(d.lines))
        for row, line in enumerate(d.lines):
            cells = (
                line.description,
                str(line.quantity),
                format_money(line.unit_price, self._locale),
                format_money(line.amount, self._locale),
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.lines.setItem(row, col, item)

    def _timeline(self, d: InvoiceDetail) -> str:
        if not d.timeline:
            return f"<span style='{NOTE_STYLE}'>Nothing has happened yet.</span>"
        rows = []
        for entry in d.timeline:
            when = local_datetime(entry.occurred_at, self._locale)
            extra = f" — {_escape(entry.detail)}" if entry.detail else ""
            rows.append(
                f"<span style='{NOTE_STYLE}'>{when}</span> &nbsp;{_escape(entry.label)}{extra}"
            )
        return "<br>".join(rows)


def _action_cell(text: str, name: str) -> tuple[QPushButton, QLabel]:
    """A button and, under it, the grey line saying why it is disabled."""
    button = QPushButton(text)
    button.setObjectName(f"action_{name}")
    reason = QLabel()
    reason.setObjectName(f"why_{name}")
    reason.setWordWrap(True)
    reason.setStyleSheet(f"{NOTE_STYLE} font-size: 11px;")
    reason.setAlignment(Qt.AlignmentFlag.AlignTop)
    return button, reason
