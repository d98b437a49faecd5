"""The invoice composer: customer, lines, terms, live totals; save a draft or push it.

The widgets are made in composer_layout (the Terms and Lines boxes in composer_sections);
this module handles the lines and checks what was typed; the ComposerSending it holds
(composer_send) saves the draft and runs the push.

Everything is checked here before anything is sent (domain.draft.validate_draft plus the
typed amounts), with each message beside its field or line. Saving a draft is local only, so
it works offline; "Create and open payment page" saves first, then runs the resumable push.
"""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from tracker_desktop.domain.errors import TrackerError
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import format_money
from tracker_desktop.services.inventory.watch_service import InventoryService
from tracker_desktop.services.invoicing.invoice_service import DraftInput, InvoiceService
from tracker_desktop.services.invoicing.sales import SaleService
from tracker_desktop.ui.invoices.composer_guard import FormState, ask_discard, form_state
from tracker_desktop.ui.invoices.composer_layout import ComposerLayout
from tracker_desktop.ui.invoices.composer_sale import ComposerSale, without_cap_errors
from tracker_desktop.ui.invoices.composer_sections import draft_input, typed_errors
from tracker_desktop.ui.invoices.composer_send import ComposerSending
from tracker_desktop.ui.invoices.customer_panel import CustomerPanel
from tracker_desktop.ui.invoices.lines_editor import LineRow
from tracker_desktop.ui.invoices.watch_picker import WatchPicker
from tracker_desktop.ui.tasks import TaskRunner
from tracker_desktop.ui.watches.provenance_note import add_provenance_note
from tracker_desktop.ui.widgets.accessibility import tab_in_layout_order
from tracker_desktop.ui.widgets.locale_and_fields import shortcut

log = logging.getLogger(__name__)

_LINE_KEY = re.compile(r"^lines\[(\d+)\]\.(\w+)$")


class ComposerDialog(ComposerLayout):
    saved = Signal(int)  # a draft was saved locally (invoice id)
    pushed = Signal(int)  # the invoice is open at Stripe (the window opens its payment page)
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
        sales: SaleService | None = None,
    ) -> None:
        defaults = inventory.profile_defaults(profile_id)
        super().__init__(CustomerPanel(inventory, profile_id), defaults, locale, parent)
        self._invoices = invoices
        self._inventory = inventory
        self._profile_id = profile_id
        self._locale = locale
        self.invoice_id = invoice_id
        self.runner = TaskRunner(self)
        self.picker: WatchPicker | None = None
        self.setWindowTitle("Edit draft invoice" if invoice_id else "New invoice")
        self._shown_errors: dict[str, str] = {}  # replaced, never changed in place
        self._typed_keys: frozenset[str] = frozenset()  # shown errors that typing alone can fix
        self._clean: FormState | None = None  # the form as opened or last saved
        self.discard_question: QMessageBox | None = None
        self.sending = ComposerSending(self, invoices, inventory, profile_id)
        self.sale = ComposerSale(self, sales if invoice_id is None else None, profile_id, locale)

        self.add_watch_button.clicked.connect(self.open_watch_picker)
        self.add_line_button.clicked.connect(lambda: self.add_free_line().description.setFocus())
        self.cancel_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save_draft)
        self.create_button.clicked.connect(self.create_and_open)
        self.retry_button.clicked.connect(self.sending.retry_push)
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

    def save_draft(self) -> None:
        self.sending.save_draft()

    def create_and_open(self) -> None:
        if self.sale.wants_deposit:
            self.sale.create_deposit()
        else:
            self.sending.create_and_open()

    # --- lines -----------------------------------------------------------------------------
    def add_free_line(self) -> LineRow:
        return self.lines.add_line()

    def add_watch_line(self, watch_id: int) -> None:
        watch = self._inventory.get(self._profile_id, watch_id)
        price = watch.asking_price
        if price is not None and price.currency != self.currency.currentText():
            price = None  # priced in another currency: the dealer types this invoice's price
        row = self.lines.add_line(
            watch.line_description,
            1,
            price,
            watch.id,
            watch.serial,
            asking=watch.asking_price,
            cost=watch.purchase_cost,
        )
        add_provenance_note(row, self._inventory, self._profile_id, watch)  # warns, never blocks

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
        total = self.sale.adjust_total(total)
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
            if line.trade_in is not None:
                self.sale.load_trade_in(line)
                continue
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

    # --- checking --------------------------------------------------------------------------
    def _typed_errors(self) -> dict[str, str]:
        code = self.currency.currentText()
        parsed = [row.parse(code) for row in self.lines.rows]
        return typed_errors(
            code,
            self.customer.values(),
            parsed,
            self.days_until_due.value(),
            self.memo.toPlainText(),
            self._locale,
            self.footer.toPlainText(),
        )

    def collect(self, *, over_cap: bool = False) -> DraftInput | None:
        """The draft as typed, or None with every problem shown beside its field or line
        (`over_cap`: a sale to split may pass Stripe's cap for one invoice)."""
        code = self.currency.currentText()
        customer = self.customer.values()
        parsed = [row.parse(code) for row in self.lines.rows]
        days, memo, footer = (
            self.days_until_due.value(),
            self.memo.toPlainText(),
            self.footer.toPlainText(),
        )
        errors = typed_errors(code, customer, parsed, days, memo, self._locale, footer)
        errors = without_cap_errors(errors) if over_cap else errors
        self.show_errors(errors)
        self._typed_keys = frozenset(errors)
        if errors:
            return None
        return self.sale.extend(draft_input(code, customer, parsed, days, memo, footer))

    def recheck_errors(self, *_args: object) -> None:
        """As the dealer types: a shown message goes once what it was about is right. Only
        messages that typing can fix are rechecked; the store's (a watch sold meanwhile) stay
        until the next save."""
        if not self._typed_keys:
            return
        now = self._typed_errors()
        kept = {
            key: now.get(key, message)
            for key, message in self._shown_errors.items()
            if key not in self._typed_keys or key in now
        }
        if kept != self._shown_errors:
            typed = self._typed_keys & set(kept)
            self.show_errors(kept)
            self._typed_keys = frozenset(typed)

    def show_errors(self, errors: dict[str, str]) -> None:
        errors = self.sale.take_errors(errors, len(self.lines.rows))
        self._shown_errors = dict(errors)
        self._typed_keys = frozenset()
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

    # --- closing: Esc, Cancel and the window's close button all come here ------------------
    def mark_clean(self) -> None:
        self._clean = form_state(self)

    def has_changes(self) -> bool:
        return self._clean is not None and form_state(self) != self._clean

    def reject(self) -> None:
        if self.runner.busy:  # a push is talking to Stripe: let it finish first
            self.status.setText("Wait for Stripe to answer; the invoice is being created.")
            return
        question = self.discard_question
        if question is not None and question.isVisible():
            return
        if self.has_changes():
            self.discard_question = ask_discard(self, self.save_draft, self.discard)
            return
        super().reject()

    def discard(self) -> None:
        """Close without saving what was typed."""
        log.info("composer closed without saving")
        super().reject()
