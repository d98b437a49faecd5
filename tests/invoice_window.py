"""Waiting on the Invoices window as a dealer would: until it has shown what it last read
(it reads off the GUI thread), or until it shows one invoice's detail."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tracker_desktop.ui.invoices.page import InvoicesPage


def settled(page: InvoicesPage) -> bool:
    """The window has shown what it last read: rows, and the selected invoice's detail."""
    return not page.loading and not page.detail_reader.busy


def show_invoice(qtbot: QtBot, page: InvoicesPage, invoice_id: int) -> None:
    """Select an invoice and wait until the window shows its detail (read off the GUI thread)."""
    page.select_invoice(invoice_id)

    def shown() -> bool:
        detail = page.detail.detail
        return settled(page) and detail is not None and detail.id == invoice_id

    qtbot.waitUntil(shown, timeout=10_000)
