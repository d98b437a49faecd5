"""What the Clients window's buttons and keys do: the form, delete, Stripe push, unlink,
refresh and import. Kept apart from the layout so each stays small."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from tracker_desktop.domain.errors import FormInvalid, GatewayError, TrackerError, ValidationError
from tracker_desktop.services.clients.client_service import ClientDetails
from tracker_desktop.services.clients.customer_import import ImportReport
from tracker_desktop.ui.clients.form import ClientDialog, field_for_param
from tracker_desktop.ui.tasks import describe_error

if TYPE_CHECKING:
    from tracker_desktop.ui.clients.page import ClientsPage


log = logging.getLogger(__name__)


class ClientActions:
    def __init__(self, page: ClientsPage) -> None:
        self.page = page
        self.dialog: ClientDialog | None = None
        self.prompt: QMessageBox | None = None

    # -- the form ---------------------------------------------------------------------------

    def new(self) -> None:
        if self.page.profile_id is None:
            self.page.show_message("Choose or create a profile in Settings first.", "warning")
            return
        self._open_dialog(None)

    def edit(self) -> None:
        client = self.page.panel.client
        if client is not None:
            self._open_dialog(client)

    def _open_dialog(self, client: ClientDetails | None) -> None:
        title = f"Edit {client.name}" if client else "New client"
        dialog = ClientDialog(
            title,
            client.form if client else None,
            offer_stripe=client is None and self.page.link_mode is not None,
            parent=self.page,
        )
        dialog.client_id = client.id if client else None
        dialog.save_requested.connect(lambda: self._save(dialog))
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()

    def _dialog_closed(self, dialog: ClientDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _save(self, dialog: ClientDialog) -> None:
        page = self.page
        pid = page.profile_id
        if pid is None or not dialog.save_button.isEnabled():
            return
        try:
            saved = page.services.clients.save(pid, dialog.client_id, dialog.values())
        except FormInvalid as exc:
            dialog.show_errors(exc.errors)
            return
        except ValidationError as exc:
            dialog.show_errors({exc.field: str(exc)} if exc.field else {}, str(exc))
            return
        dialog.client_id = saved.id
        log.info("client %s saved", saved.id)
        page.selected_id = saved.id
        page.schedule_reload()
        wants_stripe = saved.stripe_customer_id is None and dialog.create_in_stripe.isChecked()
        linked_change = saved.stripe_customer_id is not None and (
            saved.needs_sync or saved.sync_error is not None
        )
        if page.link_mode is None or not (wants_stripe or linked_change):
            page.show_message(f"Saved {saved.name}.")
            dialog.accept()
            return
        dialog.show_errors({})
        dialog.set_busy("Sending to Stripe…")
        page.runner.run(
            page.services.sync.push(pid, saved.id),
            lambda _details: self._pushed_from_form(dialog, saved),
            lambda exc: self._push_failed_in_form(dialog, saved, exc),
        )

    def _pushed_from_form(self, dialog: ClientDialog, saved: ClientDetails) -> None:
        self.page.show_message(f"Saved {saved.name} and sent it to Stripe.")
        self.page.schedule_reload()
        dialog.accept()

    def _push_failed_in_form(
        self, dialog: ClientDialog, saved: ClientDetails, exc: Exception
    ) -> None:
        page = self.page
        page.schedule_reload()
        dialog.set_busy("")
        if isinstance(exc, GatewayError) and not exc.retryable:
            # Stripe's reason beside the field it names; the edit is kept, the form stays.
            field = field_for_param(exc.param)
            dialog.show_errors(
                {field: str(exc)} if field else {},
                f"Saved here, but Stripe refused it: {exc}" if not field else "",
            )
            if field:
                dialog.form_error.setText("Saved here, but Stripe refused it (see below).")
                dialog.form_error.show()
            return
        if isinstance(exc, GatewayError):
            page.show_message(
                f"Saved {saved.name}. {exc} It will be sent to Stripe automatically when "
                "Stripe is reachable.",
                "warning",
            )
        else:
            page.show_failure(exc, f"Saved {saved.name}, but not sent to Stripe: ")
        dialog.accept()

    # -- delete and unlink ------------------------------------------------------------------

    def confirm(self, title: str, text: str, yes: str, on_yes: Callable[[], None]) -> None:
        """A non-blocking question (the qasync loop keeps running); Cancel is the default."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self.page)
        yes_button = box.addButton(yes, QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def finished(_result: int) -> None:
            self.prompt = None
            if box.clickedButton() is yes_button:
                on_yes()
            box.deleteLater()

        box.finished.connect(finished)
        self.prompt = box
        box.open()

    def delete(self) -> None:
        client, pid = self.page.panel.client, self.page.profile_id
        if client is None or pid is None:
            return
        extra = " Their Stripe customer is kept in Stripe." if client.stripe_customer_id else ""
        self.confirm(
            "Delete client",
            f"Delete {client.name} from your clients?{extra}",
            "Delete",
            lambda: self._delete(pid, client),
        )

    def _delete(self, pid: int, client: ClientDetails) -> None:
        try:
            self.page.services.clients.delete(pid, client.id)
        except ValidationError as exc:
            self.page.show_message(str(exc), "error")
            return
        self.page.selected_id = None
        self.page.show_message(f"Deleted {client.name}.")
        self.page.schedule_reload()

    def unlink(self) -> None:
        client, pid = self.page.panel.client, self.page.profile_id
        if client is None or pid is None or client.stripe_customer_id is None:
            return
        self.confirm(
            "Unlink from Stripe",
            f"Remove the link between {client.name} and Stripe customer "
            f"{client.stripe_customer_id}? The customer is not deleted in Stripe.",
            "Unlink",
            lambda: self._unlink(pid, client),
        )

    def _unlink(self, pid: int, client: ClientDetails) -> None:
        self.page.services.sync.unlink(pid, client.id)
        self.page.show_message(
            f"Unlinked {client.name}. The customer {client.stripe_customer_id} stays in Stripe."
        )
        self.page.schedule_reload()

    # -- Stripe -----------------------------------------------------------------------------

    def push(self) -> None:
        client, pid = self.page.panel.client, self.page.profile_id
        if client is None or pid is None:
            return
        self.page.runner.run(
            self.page.services.sync.push(pid, client.id),
            lambda _d: self._done(f"{client.name} is up to date in Stripe."),
            lambda exc: self._failed(exc, f"{client.name} was not sent to Stripe: "),
        )

    def refresh(self) -> None:
        client, pid = self.page.panel.client, self.page.profile_id
        if client is None or pid is None:
            return
        self.page.runner.run(
            self.page.services.sync.refresh(pid, client.id),
            lambda d: self._done(f"Payment method: {d.payment_method or 'none saved'}."),
            lambda exc: self._failed(exc, "Could not read the customer from Stripe: "),
        )

    def _done(self, text: str) -> None:
        self.page.show_message(text)
        self.page.schedule_reload()

    def _failed(self, exc: Exception, prefix: str) -> None:
        level = "warning" if isinstance(exc, GatewayError) and exc.retryable else "error"
        self.page.show_message(prefix + describe_error(exc), level)
        self.page.schedule_reload()

    def start_import(self) -> None:
        page, pid = self.page, self.page.profile_id
        if pid is None or not page.import_bar.isHidden():
            return
        page.import_bar.start()
        page.show_message("")
        page.show_selected()
        bar = page.import_bar
        page.runner.run(
            page.services.importer.run(
                pid, progress=bar.update_report, cancelled=lambda: bar.cancel_requested
            ),
            self._imported,
            self._import_failed,
        )

    def _imported(self, report: ImportReport) -> None:
        page = self.page
        page.last_import = report
        page.import_bar.hide()
        details = "\n".join(f"{s.label}: {s.reason}" for s in report.skipped)
        level = "warning" if report.error or report.cancelled else "info"
        page.show_message(report.summary(), level, details)
        page.show_selected()  # the Import button again; the rows follow in their own time
        page.schedule_reload()

    def _import_failed(self, exc: Exception) -> None:
        self.page.import_bar.hide()
        if isinstance(exc, TrackerError):
            self.page.show_failure(exc, "Import did not start: ")
        else:
            self.page.show_message(describe_error(exc), "error")
        self.page.show_selected()
