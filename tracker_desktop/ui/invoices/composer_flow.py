"""The composer's checking, saving and pushing: the half of ComposerDialog that acts.

ComposerDialog (composer.py) builds the widgets declared here and handles the lines;
this base checks what was typed, saves the local draft and runs the resumable push.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
)

from tracker_desktop.domain.errors import FormInvalid, TrackerError, ValidationError
from tracker_desktop.domain.invoice_state import Action, InvoiceState
from tracker_desktop.services.inventory.watch_service import InventoryService
from tracker_desktop.services.invoicing.invoice_service import (
    DraftInput,
    DraftInvalid,
    InvoiceDetail,
    InvoiceService,
)
from tracker_desktop.ui.invoices.composer_guard import FormState, ask_discard, form_state
from tracker_desktop.ui.invoices.composer_sections import (
    client_input,
    customer_errors,
    draft_input,
    typed_errors,
)
from tracker_desktop.ui.invoices.customer_panel import CustomerPanel, CustomerValues
from tracker_desktop.ui.invoices.lines_editor import LinesEditor
from tracker_desktop.ui.invoices.push_steps import STEPS, PushStepList
from tracker_desktop.ui.tasks import TaskRunner, describe_error
from tracker_desktop.ui.widgets.locale_and_fields import FieldError

log = logging.getLogger(__name__)

_LINE_KEY = re.compile(r"^lines\[(\d+)\]\.(\w+)$")


class ComposerFlow(QDialog):
    saved = Signal(int)  # a draft was saved locally (invoice id)
    pushed = Signal(int)  # the invoice is open at Stripe (the window opens its payment page)

    # Set by ComposerDialog.__init__.
    _invoices: InvoiceService
    _inventory: InventoryService
    _profile_id: int
    _locale: str
    invoice_id: int | None
    runner: TaskRunner
    customer: CustomerPanel
    currency: QComboBox
    days_until_due: QSpinBox
    memo: QPlainTextEdit
    footer: QPlainTextEdit
    errors: dict[str, FieldError]
    lines: LinesEditor
    add_watch_button: QPushButton
    add_line_button: QPushButton
    total_error: FieldError
    form_error: FieldError
    push_error: FieldError
    steps: PushStepList
    status: QLabel
    cancel_button: QPushButton
    save_button: QPushButton
    retry_button: QPushButton
    create_button: QPushButton

    # --- checking --------------------------------------------------------------------------
    _shown_errors: dict[str, str] = {}  # noqa: RUF012 - replaced, never changed in place
    _typed_keys: frozenset[str] = frozenset()  # shown errors that typing alone can fix

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

    def collect(self) -> DraftInput | None:
        """The draft as typed, or None with every problem shown beside its field or line."""
        code = self.currency.currentText()
        customer = self.customer.values()
        parsed = [row.parse(code) for row in self.lines.rows]
        days, memo, footer = (
            self.days_until_due.value(),
            self.memo.toPlainText(),
            self.footer.toPlainText(),
        )
        errors = typed_errors(code, customer, parsed, days, memo, self._locale, footer)
        self.show_errors(errors)
        self._typed_keys = frozenset(errors)
        if errors:
            return None
        return draft_input(code, customer, parsed, days, memo, footer)

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

    # --- saving and pushing ----------------------------------------------------------------
    def _store(self, draft: DraftInput, customer: CustomerValues) -> bool:
        """Save (or update) the local draft; False with the reason shown if refused."""
        try:
            if customer.save_as_client:
                try:
                    client = self._inventory.add_client(self._profile_id, client_input(customer))
                except FormInvalid as exc:  # the Clients window's checks, beside our fields
                    self.show_errors(customer_errors(exc.errors))
                    return False
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
        self.mark_clean()
        log.info("draft invoice %s saved", self.invoice_id)
        return True

    def save_draft(self) -> None:
        if self.runner.busy:
            return
        customer = self.customer.values()
        draft = self.collect()
        if draft is None:
            return

        def close() -> None:
            assert self.invoice_id is not None
            self.saved.emit(self.invoice_id)
            self.accept()

        def store_and_close() -> None:
            if self._store(draft, customer):
                close()

        self._after_take_back(draft, store_and_close, unchanged=close)

    def create_and_open(self) -> None:
        if self.runner.busy or not self.create_button.isEnabled():
            return
        customer = self.customer.values()
        draft = self.collect()
        if draft is None:
            return

        def push() -> None:
            self.saved.emit(self.invoice_id or 0)
            self.steps.reset()
            self._run_push()

        def store_and_push() -> None:
            if self._store(draft, customer):
                push()

        self._after_take_back(draft, store_and_push, unchanged=push)

    def _after_take_back(
        self, draft: DraftInput, then: Callable[[], None], *, unchanged: Callable[[], None]
    ) -> None:
        """After a failed send Stripe may hold an unfinished copy: an edit takes it back
        first (removed in Stripe, services/invoicing/take_back), so the edit can never fork the
        invoice. Unchanged content needs nothing taken back: sending it again is a retry."""
        if self.invoice_id is None:
            then()
            return
        try:
            unsent = self._invoices.get(self._profile_id, self.invoice_id)
            same = self._invoices.draft_input(self._profile_id, self.invoice_id) == draft
        except TrackerError as exc:
            self.form_error.show_message(describe_error(exc))
            return
        if unsent.state is not InvoiceState.PUSH_FAILED:
            then()
            return
        if same:
            unchanged()
            return
        self.status.setText("Removing the unfinished copy from Stripe before your change…")

        def taken(_detail: InvoiceDetail) -> None:
            self.status.setText("")
            then()

        def refused(exc: Exception) -> None:
            self.status.setText("")
            self.push_error.show_message(describe_error(exc))

        self.runner.run(self._invoices.take_back(self._profile_id, self.invoice_id), taken, refused)

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
        log.info("sending invoice %s to Stripe", self.invoice_id)
        self.runner.run(
            self._invoices.push(self._profile_id, self.invoice_id, self.steps.started),
            self._pushed,
            self._push_failed,
        )

    def _pushed(self, detail: InvoiceDetail) -> None:
        # The Invoices window opens the payment page and says whether the browser opened.
        self.steps.finished()
        log.info("invoice %s is open in Stripe as %s", detail.id, detail.number)
        self.status.setText(f"Invoice {detail.number or ''} is open in Stripe.")
        self.pushed.emit(detail.id)
        self.accept()

    def _push_failed(self, exc: Exception) -> None:
        self.steps.failed()
        where = dict(STEPS).get(self.steps.current) if self.steps.current else None
        stopped = f"Stopped at “{where}”: " if where else ""
        log.info(
            "sending invoice %s stopped at %s (%s)", self.invoice_id, where, type(exc).__name__
        )
        self.push_error.show_message(
            f"{stopped}{describe_error(exc)} Retry continues from this step."
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

    # --- closing: Esc, Cancel and the window's close button all come here ------------------
    _clean: FormState | None = None  # the form as opened or last saved
    discard_question: QMessageBox | None = None

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
