"""The selected invoice's sale, under its detail: each invoice of the sale, what is paid and
what remains, with Send the balance and Cancel the sale. Hidden for an invoice on its own.

The sale is read on the database worker (LatestCall), like the rest of the window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.domain.money_format import format_money
from tracker_desktop.services.invoicing.sales import SaleService, SaleView
from tracker_desktop.ui.tasks import LatestCall, TaskRunner, describe_error
from tracker_desktop.ui.widgets.locale_and_fields import FieldError
from tracker_desktop.ui.widgets.questions import ask_choice, ask_yes_no

if TYPE_CHECKING:
    from tracker_desktop.ui.invoices.page import InvoicesPage


class SalePanelLayout(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Sale", parent)
        self.setObjectName("salePanel")
        self.summary = QLabel()
        self.summary.setObjectName("saleSummary")
        self.summary.setWordWrap(True)
        self.rows = QLabel()
        self.rows.setObjectName("saleInvoices")
        self.rows.setWordWrap(True)
        self.send_balance_button = QPushButton("Send the balance")
        self.send_balance_button.setToolTip(
            "Create the balance invoice in Stripe now (it is sent by itself once the deposit "
            "is paid)"
        )
        self.cancel_button = QPushButton("Cancel the sale…")
        self.error = FieldError("sale")
        buttons = QHBoxLayout()
        buttons.addWidget(self.send_balance_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.rows)
        layout.addLayout(buttons)
        layout.addWidget(self.error)


class SalePanel(SalePanelLayout):
    shown = Signal(object)  # the SaleView shown (None: the invoice is on its own)
    changed = Signal()  # the sale's invoices moved (the window reloads)

    def __init__(
        self,
        sales: SaleService,
        profile_id: Callable[[], int | None],
        locale: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._sales = sales
        self._profile_id = profile_id
        self._locale = locale
        self._reader = LatestCall(self)
        self.runner = TaskRunner(self)
        self.view: SaleView | None = None
        self.question: QMessageBox | None = None
        self.send_balance_button.clicked.connect(self.send_balance)
        self.cancel_button.clicked.connect(self.ask_cancel)
        self.setVisible(False)

    @classmethod
    def beside(
        cls,
        page: InvoicesPage,
        sales: SaleService | None,
        profile_id: Callable[[], int | None],
        locale: str,
    ) -> SalePanel | None:
        """A panel under the page's invoice summary, following the invoice shown."""
        if sales is None:
            return None
        panel = cls(sales, profile_id, locale, page.detail)
        layout = page.detail.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(2, panel)
        page.detail_loaded.connect(lambda detail: panel.show_for(detail.id))
        panel.changed.connect(page.reload)
        return panel

    def show_for(self, invoice_id: int | None) -> None:
        profile_id = self._profile_id()
        if invoice_id is None or profile_id is None:
            self._show(None)
            return
        self._reader.ask(lambda: self._sales.sale_of_invoice(profile_id, invoice_id), self._show)

    def _show(self, view: SaleView | None) -> None:
        self.view = view
        self.setVisible(view is not None)
        if view is not None:
            self.error.clear_message()
            money = self._money
            if view.cancelled:
                state = "Cancelled"
            elif view.paid_in_full:
                state = "Paid in full"
            else:
                state = f"Paid {money(view.paid)}, remaining {money(view.remaining)}"
            self.summary.setText(f"Sale of {money(view.total)}: {state}")
            self.rows.setText(
                "\n".join(
                    f"{inv.label}: {inv.number or 'not sent yet'} · {money(inv.total)} · "
                    f"{inv.state_text} · paid {money(inv.paid)}"
                    for inv in view.invoices
                )
            )
            can_send = view.balance_to_send is not None and not view.cancelled
            self.send_balance_button.setVisible(view.balance_to_send is not None)
            self.send_balance_button.setEnabled(can_send and not self.runner.busy)
            self.cancel_button.setEnabled(not view.cancelled and not self.runner.busy)
        self.shown.emit(view)

    def _money(self, amount: object) -> str:
        return format_money(amount, self._locale)  # type: ignore[arg-type]

    def send_balance(self) -> None:
        view, profile_id = self.view, self._profile_id()
        if view is None or profile_id is None or self.runner.busy:
            return
        self._run(self._sales.send_balance(profile_id, view.sale_id))

    def ask_cancel(self) -> None:
        view = self.view
        if view is None or view.cancelled:
            return
        question = "Void the invoices still open and put the watch back in stock?"
        if view.paid.minor == 0:
            self.question = ask_yes_no(self, "Cancel the sale", question, self._cancel)
            return
        paid = self._money(view.paid)
        self.question = ask_choice(
            self,
            "Cancel the sale",
            f"{question} {paid} was paid already: give it back with a credit note (refunded "
            "to the card or bank account that paid; a wire is recorded as returned outside "
            "Stripe), or keep it for now.",
            [
                (f"Cancel and refund {paid}", lambda: self._cancel(give_back_paid=True)),
                ("Cancel, keep the payment", self._cancel),
            ],
            "Don't cancel",
        )

    def _cancel(self, *, give_back_paid: bool = False) -> None:
        view, profile_id = self.view, self._profile_id()
        if view is not None and profile_id is not None:
            self._run(self._sales.cancel(profile_id, view.sale_id, give_back_paid=give_back_paid))

    def _run(self, coro: object) -> None:
        self.send_balance_button.setEnabled(False)
        self.cancel_button.setEnabled(False)

        def done(view: SaleView) -> None:
            self._show(view)
            self.changed.emit()

        def failed(exc: Exception) -> None:
            self.error.show_message(describe_error(exc))
            self._show(self.view)
            self.changed.emit()

        self.runner.run(coro, done, failed)  # type: ignore[arg-type]
