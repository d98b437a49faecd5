"""One invoice: lines, the status timeline, its payment link, and the actions Stripe allows
in its state.

A disabled action says why in its tooltip; one short line under the buttons says why for
the invoice as a whole (ui/invoices/action_reasons). The panel only shows and asks; the
page runs the actions (it owns the task runner). Its widgets are made in detail_layout.py.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTableWidgetItem, QWidget

from tracker_desktop.domain.invoice_state import FINALIZED, Action, DisplayKind, InvoiceState
from tracker_desktop.domain.money_format import format_money
from tracker_desktop.services.credit.values import CreditNoteState
from tracker_desktop.services.invoicing.invoice_service import InvoiceDetail
from tracker_desktop.ui.invoices.action_reasons import reason_line
from tracker_desktop.ui.invoices.credit_summary import CREDIT_TIP, credit_lines
from tracker_desktop.ui.invoices.dates import local_date, local_datetime
from tracker_desktop.ui.invoices.detail_layout import (
    ACTIONS,
    COPY_TIP,
    PDF_TIP,
    InvoiceDetailLayout,
)
from tracker_desktop.ui.theme import muted, pill_html, tone
from tracker_desktop.ui.widgets.accessibility import tab_in_layout_order

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
NO_LINK_YET = "Stripe gives the invoice a payment link when it is created there."
PDF_NEXT_SYNC = (
    "The PDF is downloaded when the invoice is finalized; it will be fetched on the next sync."
)


class InvoiceDetailPanel(InvoiceDetailLayout):
    action_requested = Signal(object)  # an Action
    open_pdf_requested = Signal()
    copy_link_requested = Signal()
    credit_requested = Signal()

    def __init__(self, locale: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._locale = locale
        self.detail: InvoiceDetail | None = None
        self.credit_available = False  # set by the page's CreditNoteActions
        self.pdf_button.clicked.connect(self.open_pdf_requested.emit)
        self.copy_link_button.clicked.connect(self.copy_link_requested.emit)
        self.credit_button.clicked.connect(self.credit_requested.emit)
        for action, button in self.buttons.items():
            button.clicked.connect(lambda _=False, a=action: self.action_requested.emit(a))
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
                self.buttons[action].setVisible(False)  # nothing to act on: no grey wall
            self._set_pdf(None)
            self.pdf_button.setVisible(False)
            self.credit_button.setVisible(False)
            self._set_link(None)
            self._place_buttons()
            self.why.setText("")
            return
        number = _escape(detail.number or f"Draft #{detail.id}")
        self.heading.setText(
            f"<h3>{number} &nbsp;{pill_html(detail.status.kind, detail.status.label)}</h3>"
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
        self.pdf_button.setVisible(True)
        self._set_credit(detail, finalized)
        self._set_link(detail)
        self._place_buttons()
        self.why.setText(reason_line(self._disabled_reasons()))

    def set_busy(self, busy: bool) -> None:
        if busy:
            for button in self.buttons.values():
                button.setEnabled(False)
            self.credit_button.setEnabled(False)
        else:
            self.show_invoice(self.detail)

    def _set_action(self, action: Action, allowed: bool, reason: str) -> None:
        button = self.buttons[action]
        button.setEnabled(allowed)
        button.setToolTip("" if allowed else reason)

    def _disabled_reasons(self) -> list[str]:
        return [
            b.toolTip()
            for b in self._cells
            if not b.isHidden() and not b.isEnabled() and b.toolTip()
        ]

    def _place_buttons(self) -> None:
        """The visible buttons, two to a row, with no gaps where hidden ones were: three to a
        row made the panel so wide that the list's Client column had no room left."""
        for button in self._cells:
            self.grid.removeWidget(button)
        shown = [b for b in self._cells if not b.isHidden()]
        for i, button in enumerate(shown):
            row, col = divmod(i, 2)
            self.grid.addWidget(button, row, col)
        for button in self._cells:
            if button.isHidden():
                self.grid.addWidget(button, len(shown) // 2 + 1, 0)  # kept in the panel, unseen
        tab_in_layout_order(self)  # Tab goes through the buttons as they now sit

    def _set_credit(self, d: InvoiceDetail, finalized: bool) -> None:
        pending = any(n.state is CreditNoteState.PENDING for n in d.credit_notes)
        self.credit_button.setText("Retry credit note" if pending else "Issue credit note…")
        takes = finalized and d.state in (InvoiceState.OPEN, InvoiceState.PAID)
        self.credit_button.setVisible(self.credit_available and takes)
        self.credit_button.setEnabled(not d.credit_blocked)
        self.credit_button.setToolTip(d.credit_blocked or CREDIT_TIP)

    def _set_link(self, d: InvoiceDetail | None) -> None:
        url = d.hosted_invoice_url if d is not None else None
        shown = d is not None and d.state in FINALIZED
        self.link.setText(url or "")
        self.link.setCursorPosition(0)
        self.link.setPlaceholderText("" if d is None else NO_LINK_YET)
        self.link.setToolTip(url or "")
        for widget in (self.link, self.link_label):
            widget.setVisible(shown)
        self.copy_link_button.setVisible(shown)
        self.copy_link_button.setEnabled(bool(url))
        self.copy_link_button.setToolTip(COPY_TIP if url else (NO_LINK_YET if d else ""))

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
        self.pdf_button.setToolTip(PDF_TIP if ready and not reason else reason)

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
        red = tone("error").name()
        if d.status.detail:
            parts.append(f"<span style='color:{red}'>{_escape(d.status.detail)}</span>")
        if d.last_error:
            # Past sending, last_error is a disagreement with Stripe that sync cannot settle.
            failed = d.status.kind is DisplayKind.PUSH_FAILED
            said = "Sending stopped" if failed else "Out of step with Stripe"
            parts.append(f"<span style='color:{red}'>{said}: {_escape(d.last_error)}</span>")
        parts.extend(credit_lines(d, loc))
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
        grey = f"color: {muted().name()};"
        if not d.timeline:
            return f"<span style='{grey}'>Nothing has happened yet.</span>"
        rows = []
        for entry in d.timeline:
            when = local_datetime(entry.occurred_at, self._locale)
            extra = f" — {_escape(entry.detail)}" if entry.detail else ""
            rows.append(f"<span style='{grey}'>{when}</span> &nbsp;{_escape(entry.label)}{extra}")
        return "<br>".join(rows)
