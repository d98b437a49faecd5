"""The Invoices window's "Issue credit note…" (the detail's button, the list's menu,
Ctrl+Shift+R): opens the credit-note dialog and runs what it asks through CreditNoteService.

A credit note Stripe has not confirmed (a failure, a crash, a lost answer) turns the button
into "Retry credit note", which finishes that one and never issues a second.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from tracker_desktop.domain.errors import GatewayError, InvalidRequest
from tracker_desktop.domain.money_format import format_money
from tracker_desktop.services.credit.credit_note_service import CreditNoteService
from tracker_desktop.services.credit.values import (
    CreditNoteInvalid,
    CreditNoteState,
    CreditNoteView,
    CreditRequest,
)
from tracker_desktop.services.invoicing.invoice_service import InvoiceDetail
from tracker_desktop.ui.invoices.credit_dialog import CreditNoteDialog
from tracker_desktop.ui.tasks import describe_error
from tracker_desktop.ui.widgets.locale_and_fields import shortcut

if TYPE_CHECKING:
    from tracker_desktop.ui.invoices.page import InvoicesPage

log = logging.getLogger(__name__)

CREDIT_KEYS = "Ctrl+Shift+R"
KEPT = (
    " The credit note is kept here as asked; “Retry credit note” finishes it and never "
    "issues it twice."
)


def pending_note(detail: InvoiceDetail) -> CreditNoteView | None:
    return next((n for n in detail.credit_notes if n.state is CreditNoteState.PENDING), None)


class CreditNoteActions(QObject):
    dialog_opened = Signal(object)  # the CreditNoteDialog (for tests and callers)

    def __init__(
        self,
        page: InvoicesPage,
        service: CreditNoteService | None,
        profile_id: Callable[[], int | None],
        locale: str,
    ) -> None:
        super().__init__(page)
        self._page = page
        self._service = service
        self._profile_id = profile_id
        self._locale = locale
        self.dialog: CreditNoteDialog | None = None
        page.detail.credit_available = service is not None
        page.detail.credit_requested.connect(self.open_selected)
        shortcut(CREDIT_KEYS, page, self.open_selected)

    def open_selected(self) -> None:
        detail = self._page.detail.detail
        if detail is not None:
            self.open_for(detail)

    def open_for(self, detail: InvoiceDetail) -> None:
        profile_id = self._profile_id()
        if self._service is None or profile_id is None or self._page.runner.busy:
            return
        if detail.credit_blocked:
            self._page.detail.message.show_message(detail.credit_blocked + ".")
            return
        pending = pending_note(detail)
        if pending is not None:
            self._retry(profile_id, detail, pending)
            return
        dialog = CreditNoteDialog(detail, self._locale, self._page)
        dialog.submitted.connect(lambda request: self._issue(dialog, profile_id, request))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)

    def add_menu_entry(self, menu: QMenu, detail: InvoiceDetail) -> QAction | None:
        """The list's context menu: "Issue credit note…" for an invoice that takes one."""
        if self._service is None:
            return None
        text = "Retry credit note" if pending_note(detail) else "Issue credit note…"
        action = menu.addAction(text)
        action.setEnabled(not detail.credit_blocked)
        action.setShortcut(CREDIT_KEYS)
        action.triggered.connect(lambda: self.open_for(detail))
        return action

    def _issue(self, dialog: CreditNoteDialog, profile_id: int, request: CreditRequest) -> None:
        assert self._service is not None
        if self._page.runner.busy:
            return
        detail = dialog.detail
        log.info("credit note on invoice %s", detail.id)
        dialog.set_busy(True)

        def ok(note: CreditNoteView) -> None:
            dialog.set_busy(False)
            dialog.accept()
            self._page.reload()
            self._say_issued(detail, note)

        def failed(exc: Exception) -> None:
            dialog.set_busy(False)
            self._page.reload()
            if isinstance(exc, CreditNoteInvalid):
                dialog.show_errors(exc.errors)
            elif isinstance(exc, GatewayError) and not isinstance(exc, InvalidRequest):
                dialog.show_refusal(describe_error(exc) + KEPT)
            else:
                dialog.show_refusal(describe_error(exc))

        self._page.runner.run(self._service.issue(profile_id, detail.id, request), ok, failed)

    def _retry(self, profile_id: int, detail: InvoiceDetail, pending: CreditNoteView) -> None:
        assert self._service is not None
        log.info("retrying credit note %s on invoice %s", pending.id, detail.id)
        self._page.detail.info.setText("Talking to Stripe…")

        def ok(note: CreditNoteView) -> None:
            self._page.detail.info.setText("")
            self._page.reload()
            self._say_issued(detail, note)

        def failed(exc: Exception) -> None:
            self._page.detail.info.setText("")
            self._page.reload()
            self._page._say(describe_error(exc), "warning")

        self._page.runner.run(self._service.retry(profile_id, pending.id), ok, failed)

    def _say_issued(self, detail: InvoiceDetail, note: CreditNoteView) -> None:
        name = detail.number or f"Draft #{detail.id}"
        amount = format_money(note.total, self._locale)
        back = ""
        if note.refunded.minor:
            back = f"; {format_money(note.refunded, self._locale)} refunded to the payment"
        elif note.out_of_band.minor:
            back = f"; send {format_money(note.out_of_band, self._locale)} back to the buyer"
        self._page._say(f"Credit note {note.number or ''} for {amount} issued on {name}{back}.")
