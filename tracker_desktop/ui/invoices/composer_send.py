"""The composer's saving and sending: the local draft saved (a one-off buyer kept as a client
when asked), an unfinished Stripe copy taken back before an edit, and the resumable push
with its steps and Retry. ComposerDialog (composer.py) holds one and passes itself in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from tracker_desktop.domain.errors import FormInvalid, TrackerError, ValidationError
from tracker_desktop.domain.invoice_state import Action, InvoiceState
from tracker_desktop.services.inventory.watch_service import InventoryService
from tracker_desktop.services.invoicing.invoice_service import (
    DraftInput,
    DraftInvalid,
    InvoiceDetail,
    InvoiceService,
)
from tracker_desktop.ui.invoices.composer_sections import client_input, customer_errors
from tracker_desktop.ui.invoices.customer_panel import CustomerValues
from tracker_desktop.ui.invoices.push_steps import STEPS
from tracker_desktop.ui.tasks import describe_error

if TYPE_CHECKING:
    from tracker_desktop.ui.invoices.composer import ComposerDialog

log = logging.getLogger(__name__)


class ComposerSending:
    def __init__(
        self,
        dialog: ComposerDialog,
        invoices: InvoiceService,
        inventory: InventoryService,
        profile_id: int,
    ) -> None:
        self._dialog = dialog
        self._invoices = invoices
        self._inventory = inventory
        self._profile_id = profile_id

    def _store(self, draft: DraftInput, customer: CustomerValues) -> bool:
        """Save (or update) the local draft; False with the reason shown if refused."""
        try:
            if customer.save_as_client:
                try:
                    client = self._inventory.add_client(self._profile_id, client_input(customer))
                except FormInvalid as exc:  # the Clients window's checks, beside our fields
                    self._dialog.show_errors(customer_errors(exc.errors))
                    return False
                # From now on this customer is that client: a retry never adds them twice.
                self._dialog.customer.reload_clients()
                self._dialog.customer.select_client(client.id)
                draft.contact_id = client.id
            if self._dialog.invoice_id is None:
                self._dialog.invoice_id = self._invoices.save_draft(self._profile_id, draft)
            else:
                self._invoices.update_draft(self._profile_id, self._dialog.invoice_id, draft)
        except DraftInvalid as exc:
            self._dialog.show_errors(exc.errors)
            return False
        except ValidationError as exc:
            self._dialog.show_errors({exc.field or "form": str(exc)})
            return False
        except TrackerError as exc:
            self._dialog.form_error.show_message(describe_error(exc))
            return False
        self._dialog.setWindowTitle("Edit draft invoice")
        self._dialog.mark_clean()
        log.info("draft invoice %s saved", self._dialog.invoice_id)
        return True

    def save_draft(self) -> None:
        if self._dialog.runner.busy:
            return
        customer = self._dialog.customer.values()
        draft = self._dialog.collect()
        if draft is None:
            return

        def close() -> None:
            assert self._dialog.invoice_id is not None
            self._dialog.saved.emit(self._dialog.invoice_id)
            self._dialog.accept()

        def store_and_close() -> None:
            if self._store(draft, customer):
                close()

        self._after_take_back(draft, store_and_close, unchanged=close)

    def create_and_open(self) -> None:
        if self._dialog.runner.busy or not self._dialog.create_button.isEnabled():
            return
        customer = self._dialog.customer.values()
        draft = self._dialog.collect()
        if draft is None:
            return

        def push() -> None:
            self._dialog.saved.emit(self._dialog.invoice_id or 0)
            self._dialog.steps.reset()
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
        if self._dialog.invoice_id is None:
            then()
            return
        try:
            unsent = self._invoices.get(self._profile_id, self._dialog.invoice_id)
            same = self._invoices.draft_input(self._profile_id, self._dialog.invoice_id) == draft
        except TrackerError as exc:
            self._dialog.form_error.show_message(describe_error(exc))
            return
        if unsent.state is not InvoiceState.PUSH_FAILED:
            then()
            return
        if same:
            unchanged()
            return
        self._dialog.status.setText("Removing the unfinished copy from Stripe before your change…")

        def taken(_detail: InvoiceDetail) -> None:
            self._dialog.status.setText("")
            then()

        def refused(exc: Exception) -> None:
            self._dialog.status.setText("")
            self._dialog.push_error.show_message(describe_error(exc))

        self._dialog.runner.run(
            self._invoices.take_back(self._profile_id, self._dialog.invoice_id), taken, refused
        )

    def retry_push(self) -> None:
        if not self._dialog.runner.busy and self._dialog.invoice_id is not None:
            self._run_push()

    def _run_push(self) -> None:
        assert self._dialog.invoice_id is not None
        self._set_editable(False)
        self._dialog.steps.setVisible(True)
        self._dialog.push_error.clear_message()
        self._dialog.retry_button.setVisible(False)
        self._dialog.create_button.setEnabled(False)
        self._dialog.save_button.setEnabled(False)
        self._dialog.status.setText("Creating the invoice in Stripe…")
        log.info("sending invoice %s to Stripe", self._dialog.invoice_id)
        self._dialog.runner.run(
            self._invoices.push(
                self._profile_id, self._dialog.invoice_id, self._dialog.steps.started
            ),
            self._pushed,
            self._push_failed,
        )

    def _pushed(self, detail: InvoiceDetail) -> None:
        # The Invoices window opens the payment page and says whether the browser opened.
        self._dialog.steps.finished()
        log.info("invoice %s is open in Stripe as %s", detail.id, detail.number)
        self._dialog.status.setText(f"Invoice {detail.number or ''} is open in Stripe.")
        self._dialog.pushed.emit(detail.id)
        self._dialog.accept()

    def _push_failed(self, exc: Exception) -> None:
        self._dialog.steps.failed()
        where = dict(STEPS).get(self._dialog.steps.current) if self._dialog.steps.current else None
        stopped = f"Stopped at “{where}”: " if where else ""
        log.info(
            "sending invoice %s stopped at %s (%s)",
            self._dialog.invoice_id,
            where,
            type(exc).__name__,
        )
        self._dialog.push_error.show_message(
            f"{stopped}{describe_error(exc)} Retry continues from this step."
        )
        self._dialog.status.setText("")
        self._dialog.retry_button.setVisible(True)
        self._dialog.retry_button.setFocus()
        editable = False
        if self._dialog.invoice_id is not None:
            try:
                check = self._invoices.get(self._profile_id, self._dialog.invoice_id).can(
                    Action.EDIT_DRAFT
                )
                editable = check.allowed
            except TrackerError:
                editable = False
        # While Stripe holds nothing yet the dealer may still fix what Stripe refused.
        self._set_editable(editable)
        self._dialog.create_button.setEnabled(editable)
        self._dialog.save_button.setEnabled(editable)

    def _set_editable(self, editable: bool) -> None:
        self._dialog.customer.set_editable(editable)
        self._dialog.lines.set_editable(editable)
        for widget in (
            self._dialog.currency,
            self._dialog.days_until_due,
            self._dialog.add_watch_button,
            self._dialog.add_line_button,
        ):
            widget.setEnabled(editable)
        for text in (self._dialog.memo, self._dialog.footer):
            text.setReadOnly(not editable)
