"""A window that fits the desk: the real app, closed and started again on the same
TRACKER_HOME, gives back the window's size, the splitters and the column widths the dealer
left (from the settings file, never QSettings); tables are sized to their contents the first
time; a cut-off cell shows its whole text when pointed at."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtWidgets import QApplication, QHeaderView, QSplitter, QTableView
from pytestqt.qtbot import QtBot

from tracker_desktop.config.paths import app_paths
from tracker_desktop.services.clients.client_service import ClientInput
from tracker_desktop.ui.clients.page import ClientsPage
from tracker_desktop.ui.clients.table_model import COL_EMAIL, COL_NAME, COL_PHONE
from tracker_desktop.ui.widgets.elide import ElidedTips

LONG_NAME = "Maximilian Alexander von Hohenzollern-Sigmaringen-Wittelsbach"


@pytest.fixture
def windows_may_close(qapp: QApplication) -> Iterator[None]:
    """Closing the app's window must not end the test run's QApplication."""
    before = qapp.quitOnLastWindowClosed()
    qapp.setQuitOnLastWindowClosed(False)
    yield
    qapp.setQuitOnLastWindowClosed(before)


def clients_page(qtbot: QtBot, app: Any) -> ClientsPage:
    page = app.window.show_page("clients")
    assert isinstance(page, ClientsPage)
    qtbot.waitUntil(lambda: not page.loading and page.model.rowCount() > 0)
    return page


def drag_to(qtbot: QtBot, header: QHeaderView, section: int, width: int) -> None:
    """Drag the section's right edge with the mouse, as the dealer would."""
    x = header.sectionViewportPosition(section) + header.sectionSize(section) - 1
    y = header.height() // 2
    to = x + width - header.sectionSize(section)
    qtbot.mousePress(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    qtbot.mouseMove(header.viewport(), QPoint(to, y))
    qtbot.mouseRelease(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(to, y))
    assert header.sectionSize(section) == width


def splitter_of(page: ClientsPage) -> QSplitter:
    found = page.findChildren(QSplitter)
    assert len(found) == 1
    return found[0]


def test_the_window_its_splitter_and_columns_come_back_as_left(
    qtbot: QtBot, start_app: Any, windows_may_close: None
) -> None:
    first = start_app(practice=True)
    clients = first.services.clients.clients
    profile_id = first.services.base.active.id
    clients.save(profile_id, None, ClientInput(LONG_NAME, email="max@example.de"))
    clients.save(profile_id, None, ClientInput("Ada Reinholt", email="ada@example.ch"))
    page = clients_page(qtbot, first)
    header = page.table.horizontalHeader()

    # The first time: sized to the contents, the long name within the first-size limit.
    assert header.sectionSize(COL_NAME) >= min(
        page.table.fontMetrics().horizontalAdvance("Ada Reinholt"), 320
    )
    assert header.sectionSize(COL_NAME) <= 320

    # Offscreen the screen is 800×600 and the window's minimum 900×560: a size Qt can give
    # back as it was (a kept size larger than the screen is fitted to it, as it should be).
    assert first.window.size() != QSize(900, 590)
    first.window.resize(900, 590)
    qtbot.waitUntil(lambda: first.window.size() == QSize(900, 590))
    splitter = splitter_of(page)
    splitter.setSizes([620, 360])
    left = splitter.sizes()
    drag_to(qtbot, header, COL_NAME, 233)
    drag_to(qtbot, header, COL_PHONE, 97)
    first.window.close()

    saved = json.loads(app_paths().settings_file.read_text(encoding="utf-8"))
    assert saved["window_geometry_hex"]
    assert saved["splitters"]["clients/splitter0"] == left
    assert saved["columns"]["clients/clientsTable"][COL_NAME] == 233
    assert "key" not in json.dumps(saved).lower()  # no secret, no key field of any kind

    second = start_app()  # Practice is the active profile: it starts again
    assert second.window.size() == QSize(900, 590)
    again = clients_page(qtbot, second)
    assert splitter_of(again).sizes() == left
    columns = again.table.horizontalHeader()
    assert columns.sectionSize(COL_NAME) == 233
    assert columns.sectionSize(COL_PHONE) == 97
    assert again.table.property("columnsRestored") is True


def test_the_layout_is_kept_without_closing_and_only_dragged_columns_count(
    qtbot: QtBot, start_app: Any
) -> None:
    """A killed app or a computer switched off loses nothing: the layout is written a moment
    after each change. Widths the app chose itself are not kept as the dealer's."""
    app = start_app(practice=True)
    app.services.clients.clients.save(
        app.services.base.active.id, None, ClientInput("Ada", email="ada@example.ch")
    )
    page = clients_page(qtbot, app)
    settings_file = app_paths().settings_file

    def kept() -> dict[str, Any]:
        if not settings_file.exists():
            return {}
        return dict(json.loads(settings_file.read_text(encoding="utf-8")))

    app.window.resize(900, 580)
    qtbot.waitUntil(lambda: bool(kept().get("window_geometry_hex")))
    assert "clients/clientsTable" not in kept().get("columns", {})  # sized by the app
    drag_to(qtbot, page.table.horizontalHeader(), COL_PHONE, 111)  # the dealer drags
    qtbot.waitUntil(lambda: "clients/clientsTable" in kept().get("columns", {}))
    assert kept()["columns"]["clients/clientsTable"][COL_PHONE] == 111


def test_a_cut_off_cell_shows_its_whole_text(qtbot: QtBot, start_app: Any) -> None:
    app = start_app(practice=True)
    clients = app.services.clients.clients
    profile_id = app.services.base.active.id
    clients.save(profile_id, None, ClientInput(LONG_NAME, email="max@example.de"))
    clients.save(profile_id, None, ClientInput("Ada", email="ada@example.ch"))
    page = clients_page(qtbot, app)
    table: QTableView = page.table
    table.horizontalHeader().resizeSection(COL_NAME, 90)  # narrower than the long name
    tips = table.findChild(ElidedTips)
    assert isinstance(tips, ElidedTips)
    rows = {str(page.model.index(r, COL_NAME).data()): r for r in range(page.model.rowCount())}
    assert tips.full_text(rows[LONG_NAME], COL_NAME) == LONG_NAME
    assert tips.full_text(rows["Ada"], COL_NAME) is None  # whole already: the model's tooltip
    assert tips.full_text(rows["Ada"], COL_EMAIL) is None
