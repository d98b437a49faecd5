"""The Invoices window's actions on the selected invoice, and its files (PDF, CSV export).

InvoicesPage (page.py) builds the window, loads the list and opens the composer; the
InvoiceActions it holds runs what the detail panel's buttons ask for.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QTimer

from tracker_desktop.domain.invoice_state import Action, InvoiceState
from tracker_desktop.services.invoicing.csv_export import InvoiceExporter
from tracker_desktop.services.invoicing.invoice_service import (
    InvoiceDetail,
    InvoiceService,
)
from tracker_desktop.ui.invoices.files import ask_csv_path
from tracker_desktop.ui.pdf_viewer.viewer import PdfViewer
from tracker_desktop.ui.tasks import database_worker, describe_error
from tracker_desktop.ui.widgets.questions import ask_text, ask_yes_no

if TYPE_CHECKING:
    from tracker_desktop.ui.invoices.page import InvoicesPage

log = logging.getLogger(__name__)
T = TypeVar("T")
WRITE_SLOW_MS = 400
WRITE_WAITING = (
    "waiting for the database: another program is writing to it. This window stays "
    "usable; the change is made as soon as the database is free."
)

_CONFIRM: dict[Action, tuple[str, str]] = {
    Action.VOID: (
        "Void invoice",
        "Void {number}? The buyer can no longer pay it and its watches go back in stock. "
        "This cannot be undone.",
    ),
    Action.MARK_UNCOLLECTIBLE: (
        "Mark uncollectible",
        "Mark {number} uncollectible? It stays payable on its page; its watches stay reserved.",
    ),
    Action.DELETE_DRAFT: ("Delete draft", "Delete {number}? Nothing was sent to Stripe."),
}
# After a failed send Stripe may hold an unfinished copy: it goes too.
_CONFIRM_DELETE_UNSENT = (
    "Delete invoice",
    "Delete {number}? Its sending failed; any unfinished copy in Stripe is deleted too, "
    "and its watches go back in stock.",
)


class InvoiceActions:
    """Runs what the detail panel's buttons and the page's keys ask for, on the page's
    selected invoice; the page holds one and passes itself in."""

    def __init__(
        self,
        page: InvoicesPage,
        invoices: InvoiceService,
        profile_id: Callable[[], int | None],
        exporter: InvoiceExporter | None,
    ) -> None:
        self._page = page
        self._invoices = invoices
        self._profile_id = profile_id
        self._exporter = exporter
        self.pdf_viewer: PdfViewer | None = None  # the last one opened (deleted on close)

    # --- actions -------------------------------------------------------------------------
    def run_action(self, action: Action) -> None:
        detail, profile_id = self._page.detail.detail, self._profile_id()
        if detail is None or profile_id is None or self._page.runner.busy:
            return
        check = detail.can(action)
        if not check.allowed:
            self._page.detail.message.show_message(check.reason or "Not possible now.")
            return
        number = detail.number or f"Draft #{detail.id}"
        unsent = detail.state is InvoiceState.PUSH_FAILED
        if action in _CONFIRM:
            title, text = _CONFIRM[action]
            if action is Action.DELETE_DRAFT and unsent:
                title, text = _CONFIRM_DELETE_UNSENT
            ask_yes_no(
                self._page,
                title,
                text.format(number=number),
                lambda: self._act(action, detail, profile_id),
            )
        elif action is Action.RECORD_WIRE:
            ask_text(
                self._page,
                "Record wire payment",
                f"Payment for {number} received outside Stripe.\n"
                "Bank reference or note (kept on the timeline):",
                lambda note: self._record_wire(detail, profile_id, note),
            )
        else:
            self._act(action, detail, profile_id)

    def _act(self, action: Action, detail: InvoiceDetail, profile_id: int) -> None:
        """Run `action`, asked for (and confirmed when it needs to be)."""
        number = detail.number or f"Draft #{detail.id}"
        unsent = detail.state is InvoiceState.PUSH_FAILED
        svc, iid = self._invoices, detail.id
        log.info("%s on invoice %s", action.value, iid)
        if action is Action.OPEN_PAYMENT_PAGE:
            self._open_page(detail)
        elif action is Action.EDIT_DRAFT and unsent:
            # Stripe's unfinished copy is removed first, so the edit can never fork it.
            self._remote(
                svc.take_back(profile_id, iid), "", then=lambda _d: self._page.open_composer(iid)
            )
        elif action is Action.EDIT_DRAFT:
            self._page.open_composer(iid)
        elif action is Action.DUPLICATE:
            self._write(
                lambda: svc.duplicate(profile_id, iid), "Duplicating", self._page.open_composer
            )
        elif action is Action.DELETE_DRAFT and unsent:
            self._remote(self._delete_unsent(profile_id, iid), f"{number} deleted.")
        elif action is Action.DELETE_DRAFT:
            self._write(
                lambda: svc.delete_draft(profile_id, iid),
                f"Deleting {number}",
                lambda _none: self._page._say(f"{number} deleted."),
            )
        elif action is Action.SEND_EMAIL:
            self._remote(svc.send_email(profile_id, iid), f"Stripe is emailing {number}.")
        elif action is Action.VOID:
            self._remote(svc.void(profile_id, iid), f"{number} is void; its watches are back.")
        elif action is Action.MARK_UNCOLLECTIBLE:
            self._remote(svc.mark_uncollectible(profile_id, iid), f"{number} is uncollectible.")
        elif action is Action.RETRY_PUSH:
            self._remote(svc.push(profile_id, iid), "", open_page=True)

    def _record_wire(self, detail: InvoiceDetail, profile_id: int, note: str) -> None:
        number = detail.number or f"Draft #{detail.id}"
        log.info("%s on invoice %s", Action.RECORD_WIRE.value, detail.id)
        self._remote(
            self._invoices.record_wire(profile_id, detail.id, note.strip()), f"{number} is paid."
        )

    # --- files: the kept PDF, the CSV export ---------------------------------------------
    def open_pdf(self) -> None:
        """Open the invoice's PDF kept on this computer (works offline)."""
        detail = self._page.detail.detail
        if detail is not None and self._page.detail.pdf_button.isEnabled():
            self.open_pdf_of(detail)

    def open_pdf_of(self, detail: InvoiceDetail) -> None:
        """In the app's own viewer (offline); its button hands the file to the system's."""
        path = detail.pdf_path
        if not path or not detail.pdf_on_disk:
            return
        name = detail.number or f"Draft #{detail.id}"

        def answered(opened: bool) -> None:
            if opened:
                self._page._say(f"Opened the PDF of {name} in the system viewer.")
            else:
                self._page._say(
                    f"No PDF viewer opened the PDF of {name}; it is at {path}.", "warning"
                )

        self.pdf_viewer = PdfViewer(path, f"{name} — PDF", self._page, system_answered=answered)
        self.pdf_viewer.show()
        self._page._say(f"Opened the PDF of {name}.")

    def export_csv(self) -> None:
        """Save the history with the filters on screen as CSV, in a worker thread."""
        profile_id, exporter = self._profile_id(), self._exporter
        if profile_id is None or exporter is None or self._page.runner.busy:
            return
        ask_csv_path(self._page, lambda path: self._export_to(exporter, profile_id, path))

    def _export_to(self, exporter: InvoiceExporter, profile_id: int, path: str) -> None:
        self._page.message.clear_message()
        filters = self._page.current_filters()

        def done(count: int) -> None:
            self._page._say(f"Exported {count} invoice{'s' if count != 1 else ''} to {path}.")

        def failed(exc: Exception) -> None:
            self._page.message.show_message(describe_error(exc))

        work = asyncio.to_thread(exporter.write_csv, profile_id, filters, path)
        self._page.runner.run(work, done, failed)

    def _open_page(self, detail: InvoiceDetail) -> None:
        self._page.links.open_page(detail)

    def _write(self, work: Callable[[], T], doing: str, then: Callable[[T], None]) -> None:
        """A local change, on the database worker: the window stays responsive, and says so
        when another program holds the database's write lock and the change waits for it."""
        self._page.detail.message.clear_message()
        waiting = QTimer(self._page)
        waiting.setSingleShot(True)
        waiting.timeout.connect(lambda: self._page.detail.info.setText(f"{doing}: {WRITE_WAITING}"))
        waiting.start(WRITE_SLOW_MS)

        def settled() -> None:
            waiting.stop()
            waiting.deleteLater()
            self._page.detail.info.setText("")
            self._page.reload()

        def ok(result: T) -> None:
            settled()
            then(result)

        def failed(exc: Exception) -> None:
            settled()
            self._page.detail.message.show_message(describe_error(exc))

        self._page.runner.run(database_worker().run(work), ok, failed)

    async def _delete_unsent(self, profile_id: int, invoice_id: int) -> None:
        await self._invoices.delete_unsent(profile_id, invoice_id)

    def _remote(
        self,
        coro: Coroutine[Any, Any, InvoiceDetail | None],
        done: str,
        *,
        open_page: bool = False,
        then: Callable[[InvoiceDetail], None] | None = None,
    ) -> None:
        self._page.detail.message.clear_message()
        self._page.detail.info.setText("Talking to Stripe…")

        def ok(result: InvoiceDetail | None) -> None:
            self._page.detail.info.setText("")
            self._page.reload()
            if then is not None and result is not None:
                then(result)
            elif open_page and result is not None:
                self._open_page(result)
            elif done:
                self._page._say(done)

        def failed(exc: Exception) -> None:
            self._page.detail.info.setText("")
            self._page.reload()
            self._page._say(describe_error(exc), "warning")

        self._page.runner.run(coro, ok, failed)
