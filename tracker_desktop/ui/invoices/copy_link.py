"""An invoice's payment link is never lost: open it (with the real answer from the system),
copy it (button, the table's context menu, Ctrl+Shift+C), or select it in the detail pane.

InvoiceLinks belongs to the Invoices window; the window's banner says what happened, green
when the page opened or the link was copied, amber when the browser did not open.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from tracker_desktop.domain.errors import TrackerError
from tracker_desktop.services.invoicing.invoice_service import InvoiceDetail
from tracker_desktop.ui.browser import copy_link, open_in_browser
from tracker_desktop.ui.widgets.locale_and_fields import shortcut

if TYPE_CHECKING:
    from tracker_desktop.ui.invoices.page import InvoicesPage

log = logging.getLogger(__name__)

COPY_LINK_KEYS = "Ctrl+Shift+C"


def _name(detail: InvoiceDetail) -> str:
    return detail.number or f"Draft #{detail.id}"


class InvoiceLinks(QObject):
    opened = Signal(bool)  # the system's answer for the last payment page opened
    menu_shown = Signal(object)  # the table's context menu (for tests and callers)

    def __init__(self, page: InvoicesPage) -> None:
        super().__init__(page)
        self._page = page
        page.detail.copy_link_requested.connect(self.copy_selected)
        shortcut(COPY_LINK_KEYS, page, self.copy_selected)
        table = page.table
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._menu)

    # --- opening ---------------------------------------------------------------------------
    def open_page(self, detail: InvoiceDetail, *, just_sent: bool = False) -> None:
        """Open the payment page; the banner says what really happened."""
        url = detail.hosted_invoice_url
        if not url:
            return
        name = _name(detail)
        log.info("opening the payment page of invoice %s", detail.id)
        page = self._page

        def answered(opened: bool) -> None:
            page._go_fast()  # the buyer may pay soon, whichever way the link reaches them
            if opened and just_sent:
                page._say(
                    f"Invoice {name} is open in Stripe; its payment page was opened in your "
                    "browser. Its status updates here as the buyer pays."
                )
            elif opened:
                page._say(f"Opened the payment page of {name} in your browser.")
            else:
                lead = f"Invoice {name} is open in Stripe, but your" if just_sent else "Your"
                page._say(
                    f"{lead} browser did not open the payment page of {name}. Copy the link "
                    f"({COPY_LINK_KEYS}) and open it yourself, or send it to the buyer.",
                    "warning",
                )
            if just_sent:
                page._watch(detail)
            self.opened.emit(opened)

        open_in_browser(url, page, what="payment page", done=answered)

    # --- copying ---------------------------------------------------------------------------
    def copy_selected(self) -> None:
        detail = self._page.detail.detail
        if detail is not None:
            self.copy(detail)

    def copy(self, detail: InvoiceDetail) -> None:
        url = detail.hosted_invoice_url
        if not url:
            self._page._say(
                f"{_name(detail)} has no payment link yet: Stripe gives one when the invoice "
                "is created there.",
                "warning",
            )
            return
        copy_link(url)
        log.info("copied the payment link of invoice %s", detail.id)
        page = self._page
        following = page._watched  # a just-sent invoice's news still reaches the banner
        page._say(f"Copied the payment link of {_name(detail)}. Paste it to the buyer.")
        page._watched = following

    # --- the table's context menu ------------------------------------------------------------
    def _menu(self, pos: QPoint) -> None:
        page = self._page
        index = page.table.indexAt(pos)
        if not index.isValid():
            return
        detail = self._detail_at(index.row())
        if detail is None:
            return
        menu = QMenu(page.table)
        menu.setObjectName("invoiceMenu")
        has_link = bool(detail.hosted_invoice_url)
        self._add(menu, "Open payment page", has_link, lambda: self.open_page(detail))
        copy = self._add(menu, "Copy link", has_link, lambda: self.copy(detail))
        copy.setShortcut(COPY_LINK_KEYS)
        pdf = self._add(
            menu, "Open PDF", bool(detail.pdf_on_disk), lambda: page.actions_.open_pdf_of(detail)
        )
        pdf.setShortcut("Ctrl+P")
        page.credits.add_menu_entry(menu, detail)
        self.menu_shown.emit(menu)
        menu.popup(page.table.viewport().mapToGlobal(pos))

    @staticmethod
    def _add(menu: QMenu, text: str, enabled: bool, run: Callable[[], None]) -> QAction:
        action = menu.addAction(text)
        action.setEnabled(enabled)
        action.triggered.connect(run)
        return action

    def _detail_at(self, row: int) -> InvoiceDetail | None:
        page = self._page
        invoice_id = page.model.row_at(row).id
        shown = page.detail.detail
        if shown is not None and shown.id == invoice_id:
            return shown
        profile_id = page._profile_id()
        if profile_id is None:
            return None
        try:
            return page._invoices.get(profile_id, invoice_id)
        except TrackerError:
            return None
