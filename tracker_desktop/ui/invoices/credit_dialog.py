"""Issue a credit note on one open or paid invoice: whole or per line, Stripe's reason, a
refund or money returned outside Stripe, and a watch back in stock.

The dialog only asks: "Issue credit note" checks what was typed (a message beside each bad
field, nothing sent) and emits `submitted` with a CreditRequest; whoever opened it runs the
service and answers with `show_errors` (the service's checks, by field), `show_refusal`
(Stripe's reason) or `accept`. It is opened with open(), never exec() (no nested loop).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from tracker_desktop.domain.errors import ValidationError
from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import format_money, parse_money
from tracker_desktop.services.credit.values import (
    CreditLineRequest,
    CreditNoteState,
    CreditReason,
    CreditRequest,
    Settlement,
)
from tracker_desktop.services.invoicing.invoice_service import InvoiceDetail
from tracker_desktop.ui.invoices.credit_dialog_layout import CreditNoteLayout, LineRow
from tracker_desktop.ui.widgets.accessibility import tab_in_layout_order

WIRE_ONLY = "Paid by wire: Stripe holds no payment to refund, so send the money back yourself."
NOTHING_PAID = "Nothing is paid yet: the credit note lowers what the buyer owes."
_COUNTED = (CreditNoteState.ISSUED, CreditNoteState.PENDING)
_LINE_KEY = re.compile(r"^lines\[(\d+)\]")


def paid_by_wire(detail: InvoiceDetail) -> bool:
    return detail.paid_out_of_band_note is not None or any(
        e.kind == "paid_by_wire" for e in detail.timeline
    )


def left_on_line(detail: InvoiceDetail, position: int, amount: Money) -> Money:
    taken = sum(
        ln.amount.minor
        for note in detail.credit_notes
        if note.state in _COUNTED
        for ln in note.lines
        if ln.invoice_line_position == position
    )
    return Money(amount.minor - taken, amount.currency)


class CreditNoteDialog(CreditNoteLayout):
    submitted = Signal(object)  # a CreditRequest

    def __init__(self, detail: InvoiceDetail, locale: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail = detail
        self._locale = locale
        self._asked: list[int] = []  # positions, in the order of the last request's lines
        name = detail.number or f"Draft #{detail.id}"
        credited = detail.credits.credited.minor if detail.credits is not None else 0
        left = Money(detail.total.minor - credited, detail.currency)
        self.heading.setText(
            f"<b>{name}</b> · {detail.customer_name} · total {format_money(detail.total, locale)}"
            f" · left to credit {format_money(left, locale)}"
        )
        self.whole.setText(f"The whole invoice ({format_money(left, locale)})")
        for line in detail.lines:
            room = left_on_line(detail, line.position, line.amount)
            row = self.add_line_row(
                line.position,
                f"{line.description} ({format_money(line.amount, locale)})",
                format_money(room, locale),
                line.watch_id is not None,
            )
            if room.minor <= 0:
                row.pick.setEnabled(False)
                row.amount.setEnabled(False)
                row.pick.setToolTip("Credited in full already")
            row.pick.toggled.connect(lambda _on, r=row: self._line_changed(r))
            row.amount.textEdited.connect(lambda _t, r=row: r.error.clear_message())
        if paid_by_wire(detail):
            self.refund.setEnabled(False)
            self.refund.setToolTip(WIRE_ONLY)
            self.outside.setChecked(True)
            self.settle_note.setText(WIRE_ONLY)
        elif detail.state is InvoiceState.OPEN and detail.amount_paid.minor == 0:
            self.refund.setEnabled(False)
            self.outside.setEnabled(False)
            self.settle_note.setText(NOTHING_PAID)
        self.scope.buttonToggled.connect(lambda *_a: self._scope_changed())
        self.memo.textEdited.connect(lambda _t: self.memo_error.clear_message())
        self.issue_button.clicked.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        self._scope_changed()
        tab_in_layout_order(self)

    # --- what the dealer asked ------------------------------------------------------------
    def request(self) -> CreditRequest | None:
        """The request as typed, or None with a message beside each bad field."""
        self._clear()
        bad = False
        lines: list[CreditLineRequest] = []
        whole = self.whole.isChecked()
        if not whole:
            for row in self.rows:
                if not row.pick.isChecked():
                    continue
                amount = None
                if row.amount.text().strip():
                    try:
                        amount = parse_money(row.amount.text(), self.detail.currency, self._locale)
                    except ValidationError as exc:
                        row.error.show_message(str(exc))
                        bad = True
                        continue
                lines.append(CreditLineRequest(row.position, amount))
            if not lines and not bad:
                self.lines_error.show_message("Tick at least one line to credit.")
                bad = True
        if bad:
            return None
        self._asked = [ln.position for ln in lines]
        restock = frozenset(
            r.position for r in self.rows if r.restock is not None and r.restock.isChecked()
        )
        reason = self.reason.currentData()
        return CreditRequest(
            reason=reason if isinstance(reason, CreditReason) else CreditReason.ORDER_CHANGE,
            lines=tuple(lines),
            settlement=Settlement.OUT_OF_BAND if self.outside.isChecked() else Settlement.REFUND,
            restock=restock,
            memo=self.memo.text().strip(),
        )

    # --- answers --------------------------------------------------------------------------
    def show_errors(self, errors: Mapping[str, str]) -> None:
        """The service's checks, each beside its field."""
        by_position = {r.position: r for r in self.rows}
        for key, text in errors.items():
            line = _LINE_KEY.match(key)
            if line is not None and int(line.group(1)) < len(self._asked):
                by_position[self._asked[int(line.group(1))]].error.show_message(text)
            elif key.startswith("restock[") and key[8:-1].isdigit():
                row = by_position.get(int(key[8:-1]))
                (row.error if row is not None else self.message).show_message(text)
            elif key == "settlement":
                self.settle_error.show_message(text)
            elif key == "memo":
                self.memo_error.show_message(text)
            elif key == "lines":
                self.lines_error.show_message(text)
            else:
                self.message.show_message(text)

    def show_refusal(self, text: str) -> None:
        """Stripe's answer (its reason), or why it could not be reached."""
        self.message.show_message(text)

    def set_busy(self, busy: bool) -> None:
        self.issue_button.setEnabled(not busy)
        self.info.setText("Talking to Stripe…" if busy else "")

    # --- helpers --------------------------------------------------------------------------
    def _submit(self) -> None:
        request = self.request()
        if request is not None:
            self.submitted.emit(request)

    def _clear(self) -> None:
        for label in (self.lines_error, self.settle_error, self.memo_error, self.message):
            label.clear_message()
        for row in self.rows:
            row.error.clear_message()

    def _scope_changed(self) -> None:
        per_line = self.per_line.isChecked()
        for row in self.rows:
            row.pick.setVisible(True)
            row.amount.setEnabled(per_line and row.pick.isEnabled() and row.pick.isChecked())
        self.lines_error.clear_message()

    def _line_changed(self, row: LineRow) -> None:
        if row.pick.isChecked() and not self.per_line.isChecked():
            self.per_line.setChecked(True)
        row.amount.setEnabled(self.per_line.isChecked() and row.pick.isChecked())
        self.lines_error.clear_message()
