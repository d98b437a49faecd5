"""A change reaches each page that shows it once: one reload per page, not one per notice.

A paid invoice moves the invoice and its watch, and its PDF is downloaded after the poll;
a void moves both again. The running app (Practice mode, the real simulator over HTTP)
is driven as the dealer would, with every page built, and each page's reload is counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tracker_desktop.domain.money import Money
from tracker_desktop.services.inventory.watch_service import WatchForm
from tracker_desktop.services.invoicing.invoice_service import (
    DraftInput,
    DraftLineInput,
    InvoiceService,
)
from tracker_desktop.services.invoicing.pdf_cache import PdfCache
from tracker_desktop.ui.bridge import Changes
from tracker_desktop.ui.clients.page import ClientsPage
from tracker_desktop.ui.invoices.page import InvoicesPage
from tracker_desktop.ui.watches.page import WatchesPage

PAGES = {"invoices": InvoicesPage, "watches": WatchesPage, "clients": ClientsPage}


@pytest.fixture
def reloads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each page's reload ran. Patched on the classes before any page is built, so
    the timers and signals the pages connect to `self.reload` count too."""
    counted: Counter[str] = Counter()

    def counting(key: str, reload: Callable[[Any], None]) -> Callable[[Any], None]:
        def counted_reload(self: Any) -> None:
            counted[key] += 1
            reload(self)

        return counted_reload

    for key, page_class in PAGES.items():
        monkeypatch.setattr(page_class, "reload", counting(key, page_class.reload))
    return counted


def _run(qtbot: QtBot, app: Any, coro: Any) -> Any:
    done: list[Any] = []

    async def body() -> None:
        done.append(await coro)

    app._spawn(body())
    qtbot.waitUntil(lambda: bool(done), timeout=15_000)
    return done[0]


class Desk:
    """The running app with every page built, and what the dealer does through it."""

    def __init__(self, qtbot: QtBot, app: Any) -> None:
        self.qtbot, self.app = qtbot, app
        self.services, self.window = app.services, app.window
        qtbot.waitUntil(lambda: self.window.sync_label.text().startswith("Synced"), timeout=10_000)
        pages = {key: self.window.page(key) for key in PAGES}
        assert isinstance(pages["invoices"], InvoicesPage)
        assert isinstance(pages["watches"], WatchesPage)
        self.invoices_page, self.watches_page = pages["invoices"], pages["watches"]
        self.profile_id: int = self.services.base.active.id
        self.invoices: InvoiceService = self.services.invoices
        self.pdfs: PdfCache = self.services.pdfs
        self.heard: list[Changes] = []  # connected after the pages: they have heard it first
        app.bridge.data_changed.connect(self.heard.append)

    def pushed_invoice(self, serial: str) -> tuple[int, str]:
        watch = self.services.inventory.add(
            self.profile_id,
            WatchForm(brand="Rolex", model="Daytona", serial=serial, asking_price="31,500"),
        )
        line = DraftLineInput(watch.line_description, 1, Money(3_150_000, "USD"), watch.id)
        draft = DraftInput(
            currency="USD",
            lines=[line],
            customer_name="Hans Keller",
            customer_email="hans@example.ch",
        )
        invoice_id = self.invoices.save_draft(self.profile_id, draft)
        pushed = _run(self.qtbot, self.app, self.invoices.push(self.profile_id, invoice_id))
        self.settle_pdfs(invoice_id, "open")
        return invoice_id, pushed.stripe_invoice_id

    def settle_pdfs(self, invoice_id: int, state: str) -> None:
        """Every PDF download done and its notice handled, the invoice's detail re-read."""
        _run(self.qtbot, self.app, self.pdfs.drain())
        self.qtbot.waitUntil(lambda: any(invoice_id in c.pdfs for c in self.heard))
        page = self.invoices_page
        page.select_invoice(invoice_id)
        self.qtbot.waitUntil(
            lambda: (
                not page.loading
                and page.detail.detail is not None
                and page.detail.detail.id == invoice_id
                and (page.detail.detail.pdf_path or "").endswith(f"-{state}.pdf")
            )
        )

    def watch_shows(self, serial: str, label: str) -> bool:
        model = self.watches_page.model
        rows = [model.row_at(i) for i in range(model.rowCount())]
        return any(row.serial == serial and row.status_label == label for row in rows)


def test_a_paid_invoice_reloads_each_page_that_shows_it_once(
    qtbot: QtBot, start_app: Any, reloads: Counter[str]
) -> None:
    desk = Desk(qtbot, start_app(practice=True))
    invoice_id, stripe_id = desk.pushed_invoice("ONCE-0001")
    qtbot.waitUntil(lambda: desk.watch_shows("ONCE-0001", "Reserved"))

    # The buyer pays on the hosted page; "Sync now" brings it in, then its PDF.
    reloads.clear()
    paid = httpx.post(
        f"{desk.services.gateways.practice_base_url}/_sandbox/invoices/{stripe_id}/pay_as_buyer",
        json={"card": "4242424242424242"},
        timeout=10,
    )
    assert paid.status_code == 200
    qtbot.keyClick(desk.window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: desk.watch_shows("ONCE-0001", "Sold"), timeout=10_000)
    desk.settle_pdfs(invoice_id, "paid")
    assert desk.invoices_page.detail.detail is not None
    assert desk.invoices_page.detail.detail.status.label == "Paid"
    assert reloads == Counter({"invoices": 1, "watches": 1})  # the clients page: none


def test_a_void_by_the_dealer_reloads_each_page_that_shows_it_once(
    qtbot: QtBot, start_app: Any, reloads: Counter[str]
) -> None:
    desk = Desk(qtbot, start_app(practice=True))
    invoice_id, _ = desk.pushed_invoice("ONCE-0002")
    qtbot.waitUntil(lambda: desk.watch_shows("ONCE-0002", "Reserved"))

    reloads.clear()
    _run(qtbot, desk.app, desk.invoices.void(desk.profile_id, invoice_id))
    qtbot.waitUntil(lambda: desk.watch_shows("ONCE-0002", "In stock"))
    desk.settle_pdfs(invoice_id, "void")
    assert reloads == Counter({"invoices": 1, "watches": 1})
