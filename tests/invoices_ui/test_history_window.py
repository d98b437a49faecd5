"""The Invoices window's history: sorted by each column in the database (both ways, across
pages), read after a pause in the typing, the newest read shown and older ones dropped,
and counted without holding up the rows. Real SQLite file, real widgets."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from invoice_window import settled
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.repositories.invoice_bulk import BulkInvoice, BulkLine, insert_invoices
from tracker_desktop.db.repositories.profiles import create_profile
from tracker_desktop.domain.invoice_state import DisplayKind
from tracker_desktop.services.inventory.watch_service import InventoryService
from tracker_desktop.services.invoicing.invoice_service import (
    InvoiceFilters,
    InvoicePage,
    InvoiceService,
)
from tracker_desktop.ui.bridge import Changes
from tracker_desktop.ui.invoices import history_rows
from tracker_desktop.ui.invoices.page import InvoicesPage
from tracker_desktop.ui.invoices.table_model import HEADERS
from tracker_desktop.ui.tasks import LatestCall

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Seeded:
    """What each invoice is, to work out the expected order independently of the app."""

    id: int
    number: str | None
    client: str
    currency: str
    total: int
    kind: DisplayKind
    due: dt.datetime | None
    created: dt.datetime
    synced: dt.datetime | None


# (state, kind shown, processing, failure message, due in days or None)
_STATES = [
    ("local_draft", DisplayKind.DRAFT, False, None, None),
    ("pushing", DisplayKind.SENDING, False, None, None),
    ("push_failed", DisplayKind.PUSH_FAILED, False, None, None),
    ("open", DisplayKind.OPEN, False, None, 10),
    ("open", DisplayKind.OVERDUE, False, None, -3),
    ("open", DisplayKind.PROCESSING, True, None, -3),
    ("open", DisplayKind.PAYMENT_FAILED, False, "Your card was declined.", 5),
    ("paid", DisplayKind.PAID, False, None, -20),
    ("void", DisplayKind.VOID, False, None, -40),
    ("uncollectible", DisplayKind.UNCOLLECTIBLE, False, None, -60),
]
_CLIENTS = ["Zoë Schäfer", "amelia hart", "Kenji Watanabe", "Amelia Hart", "Ødegaard AS"]


def _seed(sessions: Any, count: int = 24) -> tuple[int, list[Seeded]]:
    with session_scope(sessions, write=True) as session:
        profile_id = create_profile(session, "Geneva Fine Watches").id
        wanted: list[tuple[BulkInvoice, Seeded]] = []
        for i in range(count):
            state, kind, processing, failure, due_in = _STATES[i % len(_STATES)]
            sent = state not in ("local_draft", "pushing")
            currency = "JPY" if i % 4 == 3 else "USD"
            created = NOW - dt.timedelta(hours=i * 7 % 23)  # some created alike
            due = NOW + due_in * DAY if due_in is not None else None
            synced = NOW - dt.timedelta(minutes=i % 5) if sent and i % 3 else None
            number = f"GFW-{(i * 37) % 100:04d}" if sent else None
            total = 10_000 * (i % 6)  # equal totals too: the id decides
            client = _CLIENTS[i % len(_CLIENTS)]
            bulk = BulkInvoice(
                currency=currency, state=state, customer_name=client, number=number,
                total_minor=total, due_at=due, created_at=created, last_synced_at=synced,
                payment_processing=processing, payment_failed_message=failure,
                lines=(BulkLine("Service", total),),
            )  # fmt: skip
            facts = Seeded(0, number, client, currency, total, kind, due, created, synced)
            wanted.append((bulk, facts))
        ids = insert_invoices(session, profile_id, [b for b, _ in wanted])
    seeded = [dataclasses.replace(f, id=i) for (_, f), i in zip(wanted, ids, strict=True)]
    return profile_id, seeded


_KINDS = list(DisplayKind)
SORT_VALUE: dict[str, Callable[[Seeded], Any]] = {
    "Number": lambda s: s.number,
    "Client": lambda s: s.client,
    "Total": lambda s: (s.currency, s.total),
    "Status": lambda s: _KINDS.index(s.kind),
    "Due": lambda s: s.due,
    "Created": lambda s: s.created,
    "Last sync": lambda s: s.synced,
}


def expected_order(seeded: list[Seeded], header: str, descending: bool) -> list[int]:
    """Empty values first going up, last going down; the id breaks ties either way."""

    def key(s: Seeded) -> tuple[Any, ...]:
        value = SORT_VALUE[header](s)
        return (value is not None, value if value is not None else 0, s.id)

    return [s.id for s in sorted(seeded, key=key, reverse=descending)]


def _no_stripe(_profile_id: int) -> Any:
    raise AssertionError("no Stripe in these tests")


class CountingService(InvoiceService):
    """The real service, counting the reads of a history's first page (a new filter or
    order), not of the pages that follow as the table is scrolled."""

    lists = 0

    def list(self, *args: Any, **kwargs: Any) -> InvoicePage:
        if not kwargs.get("offset"):
            type(self).lists += 1
        return super().list(*args, **kwargs)


@pytest.fixture
def window(
    qtbot: QtBot, qasync_loop: Any, db: Any, monkeypatch: pytest.MonkeyPatch
) -> tuple[InvoicesPage, list[Seeded]]:
    monkeypatch.setattr(history_rows, "PAGE_SIZE", 7)  # a few pages of rows
    profile_id, seeded = _seed(db.sessions)
    CountingService.lists = 0
    service = CountingService(db.sessions, _no_stripe)
    page = InvoicesPage(service, InventoryService(db.sessions), lambda: profile_id, "en_US")
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitUntil(lambda: settled(page) and page.model.rowCount() > 0)
    return page, seeded


def _read_everything(qtbot: QtBot, page: InvoicesPage) -> list[int]:
    """Scroll to the end until the model holds every row (Qt's fetchMore, as a dealer
    scrolling does)."""
    while page.model.has_more:
        had = page.model.rowCount()
        page.table.scrollToBottom()
        page.model.fetchMore()
        qtbot.waitUntil(lambda had=had: page.model.rowCount() > had and not page.more_reader.busy)
    return [row.id for row in page.model.rows()]


def _click_header(qtbot: QtBot, page: InvoicesPage, column: int) -> bool:
    """Click a column's header; returns whether it now sorts descending."""
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    qtbot.waitUntil(lambda: settled(page))
    return header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def test_opens_newest_first(qtbot: QtBot, window: tuple[InvoicesPage, list[Seeded]]) -> None:
    page, seeded = window
    assert _read_everything(qtbot, page) == expected_order(seeded, "Created", descending=True)


@pytest.mark.parametrize("column", range(len(HEADERS)))
def test_each_column_sorts_both_ways_across_pages(
    qtbot: QtBot, window: tuple[InvoicesPage, list[Seeded]], column: int
) -> None:
    page, seeded = window
    seen = set()
    for _ in range(2):  # one click sorts one way, the next the other
        descending = _click_header(qtbot, page, column)
        seen.add(descending)
        shown = _read_everything(qtbot, page)
        assert shown == expected_order(seeded, HEADERS[column], descending), HEADERS[column]
        assert page.count_label.text() == f"{len(seeded)} invoices"
    assert seen == {True, False}


def test_status_order_is_what_the_dealer_sees(
    qtbot: QtBot, window: tuple[InvoicesPage, list[Seeded]]
) -> None:
    page, _seeded = window
    column = HEADERS.index("Status")
    if _click_header(qtbot, page, column):
        _click_header(qtbot, page, column)
    shown = [row.status.kind for row in page.model.rows()]
    assert shown == sorted(shown, key=_KINDS.index)
    _read_everything(qtbot, page)
    kinds = [row.status.kind for row in page.model.rows()]
    assert kinds[0] is DisplayKind.DRAFT
    assert kinds[-1] is DisplayKind.UNCOLLECTIBLE
    assert kinds.index(DisplayKind.OPEN) < kinds.index(DisplayKind.OVERDUE)


def test_count_says_how_many_match_once_counted(
    qtbot: QtBot, window: tuple[InvoicesPage, list[Seeded]]
) -> None:
    page, seeded = window
    qtbot.waitUntil(lambda: not page.counting)
    shown = page.model.rowCount()  # a page, or more if one page does not fill the table
    assert shown < len(seeded)
    assert page.count_label.text() == f"{shown} of {len(seeded)} invoices (scroll down for more)"
    page.filters.select_status(DisplayKind.OVERDUE)
    qtbot.waitUntil(lambda: settled(page) and not page.counting)
    overdue = sum(1 for s in seeded if s.kind is DisplayKind.OVERDUE)
    assert page.model.rowCount() == overdue
    assert page.count_label.text() == f"{overdue} invoices"


def test_typing_reads_once_after_the_pause(
    qtbot: QtBot, window: tuple[InvoicesPage, list[Seeded]]
) -> None:
    page, seeded = window
    before = CountingService.lists
    # Typed in one go: the pause timer cannot fire between these keys (no event loop).
    QTest.keyClicks(page.filters.text, "kenji")
    assert page.loading
    qtbot.waitUntil(lambda: settled(page))
    assert CountingService.lists == before + 1
    kenji = [s.id for s in seeded if s.client == "Kenji Watanabe"]
    assert sorted(row.id for row in page.model.rows()) == sorted(kenji)


def test_filters_and_sort_reach_the_csv_export(
    qtbot: QtBot, window: tuple[InvoicesPage, list[Seeded]]
) -> None:
    page, seeded = window
    _click_header(qtbot, page, HEADERS.index("Total"))
    QTest.keyClicks(page.filters.text, "amelia")
    qtbot.waitUntil(lambda: settled(page))
    filters = page.current_filters()
    assert filters.text == "amelia"
    assert filters.sort.value == "total"
    # The export reads through the same mapping: the same invoices in the same order.
    service: InvoiceService = page._invoices
    profile_id = page._profile_id()
    assert profile_id is not None
    every = service.list(profile_id, filters, limit=100).rows
    assert [r.id for r in every] == _read_everything(qtbot, page)
    assert {r.customer_name.lower() for r in every} == {"amelia hart"}
    _ = seeded


def test_the_newest_read_wins_and_older_answers_are_dropped(qtbot: QtBot, qasync_loop: Any) -> None:
    reader = LatestCall()
    release_first = threading.Event()
    shown: list[str] = []

    def first() -> str:
        release_first.wait(10)
        return "first"

    reader.ask(first, shown.append)
    reader.ask(lambda: "second", shown.append)  # waits; replaced by the third
    reader.ask(lambda: "third", shown.append)
    assert reader.busy
    release_first.set()
    qtbot.waitUntil(lambda: not reader.busy)
    assert shown == ["third"]


def test_a_read_that_takes_long_says_so(qtbot: QtBot, qasync_loop: Any) -> None:
    reader = LatestCall(slow_after_ms=50)
    release = threading.Event()
    slow: list[bool] = []
    reader.slow.connect(slow.append)
    reader.ask(lambda: release.wait(10), lambda _r: None)
    qtbot.waitUntil(lambda: slow == [True])
    release.set()
    qtbot.waitUntil(lambda: slow == [True, False])


def test_sorted_filters_survive_a_refresh(
    qtbot: QtBot, window: tuple[InvoicesPage, list[Seeded]]
) -> None:
    """A change notice (a sync) reads the same rows again: order, loaded rows and the
    selection stay."""
    page, seeded = window
    _click_header(qtbot, page, HEADERS.index("Client"))
    page.model.fetchMore()
    qtbot.waitUntil(lambda: page.model.rowCount() >= 14 and not page.more_reader.busy)
    loaded = page.model.rowCount()
    page.table.selectRow(9)
    chosen = page.selected_id()
    page.on_data_changed(Changes(invoices=frozenset({page._profile_id()})))
    qtbot.waitUntil(lambda: settled(page))
    assert page.model.rowCount() == loaded
    assert page.selected_id() == chosen
    assert page.current_filters() != InvoiceFilters()
    _ = seeded
