"""The invoice composer: customer, lines, terms, live totals; save a draft or push it.

This module builds the dialog and handles the lines; composer_sections holds the Terms and
Lines boxes, composer_flow the checking, saving and pushing.

Everything is checked here before anything is sent (domain.draft.validate_draft plus the
typed amounts), with each message beside its field or line. Saving a draft is local only, so
it works offline; "Create and open payment page" saves first, then runs the resumable push.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.domain.errors import TrackerError
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import format_money
from tracker_desktop.services.inventory.watch_service import InventoryService
from tracker_desktop.services.invoicing.invoice_service import InvoiceService
from tracker_desktop.ui.invoices.composer_flow import ComposerFlow
from tracker_desktop.ui.invoices.composer_sections import LinesBox, TermsBox
from tracker_desktop.ui.invoices.customer_panel import CustomerPanel
from tracker_desktop.ui.invoices.lines_editor import LineRow
from tracker_desktop.ui.invoices.push_steps import PushStepList
from tracker_desktop.ui.invoices.watch_picker import WatchPicker
from tracker_desktop.ui.tasks import TaskRunner
from tracker_desktop.ui.theme import note_style
from tracker_desktop.ui.widgets.accessibility import tab_in_layout_order
from tracker_desktop.ui.widgets.locale_and_fields import FieldError, shortcut


class ComposerDialog(ComposerFlow):
    picker_opened = Signal(object)  # the WatchPicker, for callers and tests

    def __init__(
        self,
        invoices: InvoiceService,
        inventory: InventoryService,
        profile_id: int,
        locale: str,
        *,
        invoice_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._invoices = invoices
        self._inventory = inventory
        self._profile_id = profile_id
        self._locale = locale
        self.invoice_id = invoice_id
        self.runner = TaskRunner(self)
        self.picker: WatchPicker | None = None
        defaults = inventory.profile_defaults(profile_id)
        self.setWindowTitle("Edit draft invoice" if invoice_id else "New invoice")
        self.resize(980, 760)

        self.customer = CustomerPanel(inventory, profile_id)
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
        grid.addWidget(terms, 0, 1)
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

        self.add_watch_button.clicked.connect(self.open_watch_picker)
        self.add_line_button.clicked.connect(lambda: self.add_free_line().description.setFocus())
        self.cancel_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save_draft)
        self.create_button.clicked.connect(self.create_and_open)
        self.retry_button.clicked.connect(self.retry_push)
        self.lines.changed.connect(self.update_totals)
        self.currency.currentTextChanged.connect(self.update_totals)
        for changed in (
            self.lines.changed,
            self.customer.changed,
            *(edit.textChanged for edit in self.customer.address_edits()),
            self.customer.country.currentIndexChanged,
            self.currency.currentTextChanged,
            self.days_until_due.valueChanged,
            self.memo.textChanged,
            self.footer.textChanged,
        ):
            changed.connect(self.recheck_errors)
        shortcut("Ctrl+Return", self, self.create_and_open)
        shortcut("Ctrl+Enter", self, self.create_and_open)
        shortcut("Ctrl+S", self, self.save_draft)
        shortcut("Ctrl+L", self, lambda: self.add_free_line().description.setFocus())
        shortcut("Ctrl+Shift+W", self, self.open_watch_picker)

        if invoice_id is not None:
            self._load(invoice_id)
        self.update_totals()
        self.mark_clean()
        tab_in_layout_order(self)
        self.lines.rows_changed.connect(lambda: tab_in_layout_order(self))

    # --- lines -----------------------------------------------------------------------------
    def add_free_line(self) -> LineRow:
        return self.lines.add_line()

    def add_watch_line(self, watch_id: int) -> None:
        watch = self._inventory.get(self._profile_id, watch_id)
        price = watch.asking_price
        if price is not None and price.currency != self.currency.currentText():
            price = None  # priced in another currency: the dealer types this invoice's price
        self.lines.add_line(
            watch.line_description,
            1,
            price,
            watch.id,
            watch.serial,
            asking=watch.asking_price,
            cost=watch.purchase_cost,
        )

    def open_watch_picker(self) -> None:
        picker = WatchPicker(
            self._inventory, self._profile_id, self._locale, self.lines.watch_ids(), self
        )
        picker.accepted.connect(lambda: self._picked(picker))
        self.picker = picker
        picker.open()
        self.picker_opened.emit(picker)

    def _picked(self, picker: WatchPicker) -> None:
        if picker.chosen is not None:
            self.add_watch_line(picker.chosen.id)

    def update_totals(self, *_args: object) -> None:
        code = self.currency.currentText()
        total = Money.zero(code)
        complete = True
        for row in self.lines.rows:
            amount = row.show_amount(code)
            if amount is None:
                complete = False
            else:
                total = total + amount
        suffix = "" if complete else "  (some lines have no valid amount yet)"
        self.total_label.setText(f"Total  {format_money(total, self._locale)}{suffix}")

    # --- loading a saved draft ---------------------------------------------------------------
    def _load(self, invoice_id: int) -> None:
        draft = self._invoices.draft_input(self._profile_id, invoice_id)
        self.currency.setCurrentText(draft.currency)
        self.days_until_due.setValue(draft.days_until_due)
        self.memo.setPlainText(draft.memo)
        self.footer.setPlainText(draft.footer)
        if draft.contact_id is not None:
            self.customer.select_client(draft.contact_id)
        else:
            self.customer.set_one_off(
                draft.customer_name, draft.customer_email, draft.customer_address
            )
        for line in draft.lines:
            watch = None
            if line.watch_id is not None:
                try:
                    watch = self._inventory.get(self._profile_id, line.watch_id)
                except TrackerError:
                    watch = None
            self.lines.add_line(
                line.description,
                line.quantity,
                line.unit_price,
                line.watch_id,
                watch.serial if watch else "",
                asking=watch.asking_price if watch else None,
                cost=watch.purchase_cost if watch else None,
            )
