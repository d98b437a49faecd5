"""The invoice composer: customer, lines, terms, live totals; save a draft or push it.

Everything is checked here before anything is sent (domain.draft.validate_draft plus the
typed amounts), with each message beside its field or line. Saving a draft is local only, so
it works offline; "Create and open payment page" saves first, then runs the resumable push.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.domain.draft import DraftLine, InvoiceDraft, validate_draft
from tracker_desktop.domain.errors import TrackerError, ValidationError
from tracker_desktop.domain.invoice_state import Action
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import format_money
from tracker_desktop.domain.validation import DAYS_UNTIL_DUE_MAX
from tracker_desktop.services.inventory import ClientForm, InventoryService
from tracker_desktop.services.invoices import (
    DraftInput,
    DraftInvalid,
    DraftLineInput,
    InvoiceDetail,
    InvoiceService,
)
from tracker_desktop.ui.browser import open_in_browser
from tracker_desktop.ui.invoices.customer_panel import CustomerPanel, CustomerValues
from tracker_desktop.ui.invoices.lines_editor import LineRow, LinesEditor, ParsedLine
from tracker_desktop.ui.invoices.push_steps import STEPS, PushStepList
from tracker_desktop.ui.invoices.watch_picker import WatchPicker
from tracker_desktop.ui.tasks import TaskRunner, describe_error
from tracker_desktop.ui.watches.common import NOTE_STYLE, FieldError, shortcut
from tracker_desktop.ui.watches.watch_dialog import currency_combo

_LINE_KEY = re.compile(r"^lines\[(\d+)\]\.(\w+)$")


class ComposerDialog(QDialog):
    saved = Signal(int)  # a draft was saved locally (invoice id)
    pushed = Signal(int)  # the invoice is open at Stripe and its payment page was opened
    picker_opened = Signal(object)  # the WatchPicker, for callers and tests

    def __init__(
        self,
        invoices: InvoiceService,
        inventory: InventoryService,
        profile_id: int,
        locale: str,
        *,
        go_fast: Callable[[], None] = lambda: None,
        invoice_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._invoices = invoices
        self._inventory = inventory
        self._profile_id = profile_id
        self._locale = locale
        self._go_fast = go_fast
        self.invoice_id = invoice_id
        self.runner = TaskRunner(self)
        self.picker: WatchPicker | None = None
        defaults = inventory.profile_defaults(profile_id)
        self.setWindowTitle("Edit draft invoice" if invoice_id else "New invoice")
        self.resize(980, 760)

        self.customer = CustomerPanel(inventory, profile_id)
        bill_to = QGroupBox("Bill to")
        QVBoxLayout(bill_to).addWidget(self.customer)

        self.currency = currency_combo(defaults.currency)
        self.currency.setObjectName("currency")
        self.days_until_due = QSpinBox()
        self.days_until_due.setRange(0, DAYS_UNTIL_DUE_MAX)
        self.days_until_due.setValue(defaults.days_until_due)
        self.days_until_due.setSuffix(" days")
        self.memo = QPlainTextEdit()
        self.memo.setPlaceholderText("Shown on the invoice, e.g. “Thank you for your purchase.”")
        self.footer = QPlainTextEdit(defaults.footer)
        for text in (self.memo, self.footer):
            text.setTabChangesFocus(True)
            text.setFixedHeight(64)
        self.errors: dict[str, FieldError] = {
            "currency": FieldError("currency"),
            "days_until_due": FieldError("days_until_due"),
        }
        terms = QGroupBox("Terms")
        terms_form = QFormLayout(terms)
        terms_form.addRow("Currency", _stacked(self.currency, self.errors["currency"]))
        terms_form.addRow("Due in", _stacked(self.days_until_due, self.errors["days_until_due"]))
        terms_form.addRow("Memo", self.memo)
        terms_form.addRow("Footer", self.footer)

        self.lines = LinesEditor(locale)
        self.add_watch_button = QPushButton("Add watch…")
        self.add_watch_button.setToolTip("Add a watch from inventory (Ctrl+Shift+W)")
        self.add_line_button = QPushButton("Add free-text line")
        self.add_line_button.setToolTip("A strap, a service, shipping… (Ctrl+L)")
        line_buttons = QHBoxLayout()
        line_buttons.addWidget(self.add_watch_button)
        line_buttons.addWidget(self.add_line_button)
        line_buttons.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        holder = QWidget()
        holder_box = QVBoxLayout(holder)
        holder_box.addWidget(self.lines)
        holder_box.addStretch(1)
        scroll.setWidget(holder)
        lines_group = QGroupBox("Lines")
        lines_box = QVBoxLayout(lines_group)
        lines_box.addWidget(scroll, 1)
        lines_box.addLayout(line_buttons)

        self.total_label = QLabel()
        self.total_label.setObjectName("total")
        self.total_label.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.total_error = FieldError("total")
        self.steps = PushStepList()
        self.steps.setVisible(False)
        self.push_error = FieldError("push")
        self.status = QLabel()
        self.status.setStyleSheet(NOTE_STYLE)
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
        shortcut("Ctrl+Return", self, self.create_and_open)
        shortcut("Ctrl+Enter", self, self.create_and_open)
        shortcut("Ctrl+S", self, self.save_draft)
        shortcut("Ctrl+L", self, lambda: self.add_free_line().description.setFocus())
        shortcut("Ctrl+Shift+W", self, self.open_watch_picker)

        if invoice_id is not None:
            self._load(invoice_id)
        self.update_totals()

    # --- lines -----------------------------------------------------------------------------
    def add_free_line(self) -> LineRow:
        return self.lines.add_line()

    def add_watch_line(self, watch_id: int) -> None:
        watch = self._inventory.get(self._profile_id, watch_id)
        price = watch.asking_price
        if price is not None and price.currency != self.currency.currentText():
            price = None  # priced in another currency: the dealer types this invoice's price
        self.lines.add_line(watch.line_description, 1, price, watch.id, watch.serial)

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

    # --- checking --------------------------------------------------------------------------
    def collect(self) -> DraftInput | None:
        """The draft as typed, or None with every problem shown beside its field or line."""
        code = self.currency.currentText()
        customer = self.customer.values()
        parsed = [row.parse(code) for row in self.lines.rows]
        domain = InvoiceDraft(
            currency=code,
            lines=[_domain_line(p, code) for p in parsed],
            customer_name=customer.name,
            customer_email=customer.email,
            customer_address=customer.address,
            contact_id=None if customer.contact_id is None else str(customer.contact_id),
            days_until_due=self.days_until_due.value(),
            memo=self.memo.toPlainText(),
        )
        errors = validate_draft(domain, self._locale)
        for i, line in enumerate(parsed):
            errors.update({f"lines[{i}].{name}": msg for name, msg in line.errors.items()})
        self.show_errors(errors)
        if errors:
            return None
        return DraftInput(
            currency=code,
            lines=[
                DraftLineInput(p.description, p.quantity or 1, p.unit_price, p.watch_id)
                for p in parsed
                if p.unit_price is not None
            ],
            contact_id=customer.contact_id,
            customer_name=customer.name,
            customer_email=customer.email,
            customer_address=customer.address,
            days_until_due=self.days_until_due.value(),
            memo=self.memo.toPlainText().strip(),
            footer=self.footer.toPlainText().strip(),
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        self.lines.clear_errors()
        for label in (*self.errors.values(), self.total_error, self.form_error):
            label.clear_message()
        per_line: dict[int, list[str]] = {}
        customer: dict[str, str] = {}
        for key, message in errors.items():
            match = _LINE_KEY.match(key)
            if match and int(match.group(1)) < len(self.lines.rows):
                per_line.setdefault(int(match.group(1)), []).append(message)
            elif key == "lines":
                self.lines.lines_error.show_message(message)
            elif key == "total":
                self.total_error.show_message(message)
            elif key in self.errors:
                self.errors[key].show_message(message)
            elif key.startswith(("customer", "contact")):
                customer[key] = message
            else:
                self.form_error.show_message(message)
        for index, messages in per_line.items():
            self.lines.rows[index].error.show_message("; ".join(dict.fromkeys(messages)))
        self.customer.show_errors(customer)

    # --- saving and pushing ----------------------------------------------------------------
    def _store(self, draft: DraftInput, customer: CustomerValues) -> bool:
        """Save (or update) the local draft; False with the reason shown if refused."""
        try:
            if customer.save_as_client:
                client = self._inventory.add_client(
                    self._profile_id,
                    ClientForm(customer.name, customer.email, _address_dict(customer)),
                )
                # From now on this customer is that client: a retry never adds them twice.
                self.customer.reload_clients()
                self.customer.select_client(client.id)
                draft.contact_id = client.id
            if self.invoice_id is None:
                self.invoice_id = self._invoices.save_draft(self._profile_id, draft)
            else:
                self._invoices.update_draft(self._profile_id, self.invoice_id, draft)
        except DraftInvalid as exc:
            self.show_errors(exc.errors)
            return False
        except ValidationError as exc:
            self.show_errors({exc.field or "form": str(exc)})
            return False
        except TrackerError as exc:
            self.form_error.show_message(describe_error(exc))
            return False
        self.setWindowTitle("Edit draft invoice")
        return True

    def save_draft(self) -> None:
        if self.runner.busy:
            return
        customer = self.customer.values()
        draft = self.collect()
        if draft is None or not self._store(draft, customer):
            return
        assert self.invoice_id is not None
        self.saved.emit(self.invoice_id)
        self.accept()

    def create_and_open(self) -> None:
        if self.runner.busy or not self.create_button.isEnabled():
            return
        customer = self.customer.values()
        draft = self.collect()
        if draft is None or not self._store(draft, customer):
            return
        self.saved.emit(self.invoice_id or 0)
        self.steps.reset()
        self._run_push()

    def retry_push(self) -> None:
        if not self.runner.busy and self.invoice_id is not None:
            self._run_push()

    def _run_push(self) -> None:
        assert self.invoice_id is not None
        self._set_editable(False)
        self.steps.setVisible(True)
        self.push_error.clear_message()
        self.retry_button.setVisible(False)
        self.create_button.setEnabled(False)
        self.save_button.setEnabled(False)
        self.status.setText("Creating the invoice in Stripe…")
        self.runner.run(
            self._invoices.push(self._profile_id, self.invoice_id, self.steps.started),
            self._pushed,
            self._push_failed,
        )

    def _pushed(self, detail: InvoiceDetail) -> None:
        self.steps.finished()
        url = detail.hosted_invoice_url
        if url:
            open_in_browser(url, self, what="payment page")
            self._go_fast()
        self.status.setText(f"Invoice {detail.number or ''} is open; its payment page was opened.")
        self.pushed.emit(detail.id)
        self.accept()

    def _push_failed(self, exc: Exception) -> None:
        self.steps.failed()
        where = dict(STEPS).get(self.steps.current) if self.steps.current else None
        stopped = f"Stopped at “{where}”: " if where else ""
        self.push_error.show_message(
            f"{stopped}{describe_error(exc)} Nothing is lost: Retry continues from this step."
        )
        self.status.setText("")
        self.retry_button.setVisible(True)
        self.retry_button.setFocus()
        editable = False
        if self.invoice_id is not None:
            try:
                check = self._invoices.get(self._profile_id, self.invoice_id).can(Action.EDIT_DRAFT)
                editable = check.allowed
            except TrackerError:
                editable = False
        # While Stripe holds nothing yet the dealer may still fix what Stripe refused.
        self._set_editable(editable)
        self.create_button.setEnabled(editable)
        self.save_button.setEnabled(editable)

    def _set_editable(self, editable: bool) -> None:
        self.customer.set_editable(editable)
        self.lines.set_editable(editable)
        for widget in (
            self.currency,
            self.days_until_due,
            self.add_watch_button,
            self.add_line_button,
        ):
            widget.setEnabled(editable)
        for text in (self.memo, self.footer):
            text.setReadOnly(not editable)

    def reject(self) -> None:
        if self.runner.busy:  # a push is talking to Stripe: let it finish first
            self.status.setText("Wait for Stripe to answer; the invoice is being created.")
            return
        super().reject()

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
            serial = ""
            if line.watch_id is not None:
                try:
                    serial = self._inventory.get(self._profile_id, line.watch_id).serial
                except TrackerError:
                    serial = ""
            self.lines.add_line(
                line.description, line.quantity, line.unit_price, line.watch_id, serial
            )


def _stacked(widget: QWidget, error: FieldError) -> QWidget:
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(1)
    column.addWidget(widget)
    column.addWidget(error)
    return holder


def _domain_line(parsed: ParsedLine, code: str) -> DraftLine:
    # A line whose typed amount did not parse is checked as zero; its own message wins.
    return DraftLine(
        description=parsed.description,
        quantity=parsed.quantity or 0,
        unit_price=parsed.unit_price or Money.zero(code),
        watch_id=None if parsed.watch_id is None else str(parsed.watch_id),
    )


def _address_dict(customer: CustomerValues) -> dict[str, str]:
    return {} if customer.address is None else customer.address.to_stripe()
