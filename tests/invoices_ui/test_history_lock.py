"""Another program holds SQLite's write lock (a real second process mid-transaction): the
Invoices window keeps answering (a GUI timer keeps firing, typing works), reads the history
meanwhile (WAL lets readers past a writer), and a change that must wait for the lock says
what it waits for, then is made once the lock is gone."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from invoice_window import settled, show_invoice
from modal_dialogs import answer_question
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from tracker_desktop.db.engine import make_engine, make_session_factory, session_scope
from tracker_desktop.db.repositories.profiles import create_profile
from tracker_desktop.domain.invoice_state import Action
from tracker_desktop.domain.money import Money
from tracker_desktop.services.inventory.watch_service import InventoryService
from tracker_desktop.services.invoicing.invoice_service import (
    DraftInput,
    DraftLineInput,
    InvoiceService,
)
from tracker_desktop.ui.invoices import page_actions
from tracker_desktop.ui.invoices.history_rows import WAITING
from tracker_desktop.ui.invoices.page import InvoicesPage

HOLD_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("UPDATE profiles SET name = name")
print("locked", flush=True)
sys.stdin.readline()
db.execute("ROLLBACK")
print("released", flush=True)
"""


class LockHolder:
    """A second program writing to the database: it holds the write lock until released."""

    def __init__(self, db_file: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLD_LOCK, str(db_file)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "locked"

    def release(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            assert self.proc.stdout is not None
            self.proc.stdin.write("\n")
            self.proc.stdin.flush()
            assert self.proc.stdout.readline().strip() == "released"
        self.proc.wait(timeout=30)


class Ticks:
    """A GUI-thread timer: it only fires while the GUI thread is free."""

    def __init__(self) -> None:
        self.count = 0
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        self.count += 1


def _no_stripe(_profile_id: int) -> Any:
    raise AssertionError("no Stripe in these tests")


@pytest.fixture
def desk(qtbot: QtBot, qasync_loop: Any, db: Any) -> Iterator[tuple[InvoicesPage, list[int]]]:
    # A busy timeout long enough that the wait below is only ever ended by the release.
    engine = make_engine(db.url, busy_timeout_ms=60_000)
    sessions = make_session_factory(engine)
    with session_scope(sessions, write=True) as session:
        profile_id = create_profile(session, "Geneva Fine Watches").id
    service = InvoiceService(sessions, _no_stripe)
    ids = [
        service.save_draft(
            profile_id,
            DraftInput(
                currency="CHF",
                customer_name=name,
                customer_email=f"{name.split()[0].lower()}@example.com",
                lines=[DraftLineInput("Service and pressure test", 1, Money(45_000, "CHF"))],
            ),
        )
        for name in ("Amelia Hart", "Kenji Watanabe", "Charlotte Lindqvist")
    ]
    page = InvoicesPage(service, InventoryService(sessions), lambda: profile_id, "en_US")
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitUntil(lambda: settled(page) and page.model.rowCount() == 3)
    yield page, ids
    engine.dispose()


def test_the_window_answers_and_reads_while_another_program_writes(
    qtbot: QtBot, desk: tuple[InvoicesPage, list[int]], db: Any
) -> None:
    page, _ids = desk
    holder = LockHolder(db.paths.database_file)
    try:
        ticks = Ticks()
        qtbot.keyClicks(page.filters.text, "kenji")
        qtbot.waitUntil(lambda: settled(page) and page.model.rowCount() == 1)
        assert page.model.row_at(0).customer_name == "Kenji Watanabe"
        qtbot.waitUntil(lambda: ticks.count >= 20)
    finally:
        holder.release()


def test_a_change_waits_for_the_lock_and_says_so(
    qtbot: QtBot,
    desk: tuple[InvoicesPage, list[int]],
    db: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page, ids = desk
    monkeypatch.setattr(page_actions, "WRITE_SLOW_MS", 100)
    show_invoice(qtbot, page, ids[0])
    holder = LockHolder(db.paths.database_file)
    try:
        qtbot.mouseClick(page.detail.buttons[Action.DELETE_DRAFT], Qt.MouseButton.LeftButton)
        answer_question(qtbot)
        qtbot.waitUntil(lambda: "waiting for the database" in page.detail.info.text())
        assert page.detail.info.text() == (
            f"Deleting Draft #{ids[0]}: {page_actions.WRITE_WAITING}"
        )
        assert "another program is writing to it" in page.detail.info.text()
        assert not page.detail.buttons[Action.DUPLICATE].isEnabled()  # one change at a time

        # The GUI thread is free: its timer fires, typing lands, and the list says it waits.
        ticks = Ticks()
        qtbot.waitUntil(lambda: ticks.count >= 20)
        qtbot.keyClicks(page.filters.text, "amelia")
        assert page.filters.text.text() == "amelia"
        qtbot.waitUntil(lambda: page.count_label.text() == WAITING)
        assert page.model.rowCount() == 3  # nothing shown changed while it waits
    finally:
        holder.release()
    qtbot.waitUntil(lambda: settled(page) and page.detail.info.text() == "")
    assert page.banner.text() == f"Draft #{ids[0]} deleted."
    assert page.model.rowCount() == 0  # "amelia" was the deleted one
    assert page.message.text() == ""
