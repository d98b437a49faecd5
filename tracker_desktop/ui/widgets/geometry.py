"""A window that fits the desk: its size and place, its splitters and its table columns are
kept in the settings file (config/settings.py, no secrets) and given back at the next start.

Tables are sized to their contents once, when their first rows arrive, unless the dealer's
own widths were kept; from then on every column but the stretching one is the dealer's to
drag. Long cells end in "…" and show their whole text as a tooltip (ui/widgets/elide.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QObject
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter, QTableView, QWidget
from shiboken6 import isValid

from tracker_desktop.config.settings import AppSettings
from tracker_desktop.ui.widgets.elide import ElidedTips

log = logging.getLogger(__name__)

WIDEST_FIRST_SIZE = 320  # a column sized to its contents is never wider than this at first
SAMPLED_ROWS = 200  # rows measured for that first size (not every row of a long list)


class LayoutMemory(QObject):
    def __init__(self, settings: AppSettings, save: Callable[[AppSettings], None]) -> None:
        super().__init__()
        self._settings = settings
        self._save = save
        self._splitters: dict[str, QSplitter] = {}
        self._tables: dict[str, QTableView] = {}
        self._window: QMainWindow | None = None

    # --- the window ------------------------------------------------------------------------
    def restore_window(self, window: QMainWindow) -> None:
        self._window = window
        saved = self._settings.window_geometry_hex
        if saved:
            try:
                window.restoreGeometry(QByteArray.fromHex(saved.encode("ascii")))
            except UnicodeEncodeError:
                log.info("the kept window size was unreadable; the default size is used")

    # --- pages -------------------------------------------------------------------------------
    def attach(self, key: str, page: QWidget) -> None:
        """Give `page` its kept splitters and columns, and keep them from now on."""
        for i, splitter in enumerate(page.findChildren(QSplitter)):
            name = f"{key}/{splitter.objectName() or f'splitter{i}'}"
            self._splitters[name] = splitter
            sizes = self._settings.splitters.get(name)
            if _ints(sizes, splitter.count()):
                splitter.setSizes(list(sizes or []))
        for i, table in enumerate(page.findChildren(QTableView)):
            name = f"{key}/{table.objectName() or f'table{i}'}"
            self._tables[name] = table
            ElidedTips(table)
            self._columns(table, self._settings.columns.get(name))

    def _columns(self, table: QTableView, kept: list[int] | None) -> None:
        header = table.horizontalHeader()
        header.setResizeContentsPrecision(SAMPLED_ROWS)
        stretch = {
            i
            for i in range(header.count())
            if header.sectionResizeMode(i) == QHeaderView.ResizeMode.Stretch
        }
        for i in range(header.count()):
            if i not in stretch:
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Interactive)
        model = table.model()
        if model is None:
            return
        if _ints(kept, header.count()):
            for i, width in enumerate(kept or []):
                if i not in stretch and width > 0:
                    header.resizeSection(i, width)
            table.setProperty("columnsRestored", True)
            return
        sized = False

        def size_once(*_args: object) -> None:
            nonlocal sized
            if sized or not isValid(table) or model.rowCount() == 0:
                return
            sized = True
            for i in range(header.count()):
                if i not in stretch and not header.isSectionHidden(i):
                    table.resizeColumnToContents(i)
                    header.resizeSection(i, min(header.sectionSize(i), WIDEST_FIRST_SIZE))

        model.modelReset.connect(size_once)
        model.rowsInserted.connect(size_once)
        size_once()

    # --- keeping -------------------------------------------------------------------------------
    def capture(self) -> AppSettings:
        """The current layout into the settings (not yet written)."""
        settings = self._settings
        if self._window is not None and isValid(self._window):
            settings.window_geometry_hex = bytes(
                self._window.saveGeometry().toHex().data()
            ).decode()
        for name, splitter in self._splitters.items():
            if isValid(splitter) and all(size >= 0 for size in splitter.sizes()):
                settings.splitters[name] = [int(s) for s in splitter.sizes()]
        for name, table in self._tables.items():
            if isValid(table):
                header = table.horizontalHeader()
                settings.columns[name] = [header.sectionSize(i) for i in range(header.count())]
        return settings

    def save(self) -> None:
        self._save(self.capture())


def _ints(values: object, count: int) -> bool:
    return (
        isinstance(values, list)
        and len(values) == count
        and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values)
    )
