"""A window that fits the desk: its size and place, its splitters and the column widths the
dealer dragged are kept in the settings file (config/settings.py, no secrets) and given back
at the next start.

They are written a moment after each change (SAVE_DELAY_MS) and when the window closes, so
a computer switched off or a killed app loses nothing the dealer arranged. Tables are sized
to their contents as rows arrive (growing, never shrinking) until the dealer drags a column;
every column but the stretching one is the dealer's to drag. Long cells end in "…" and show
their whole text as a tooltip (ui/widgets/elide.py).

The window's part runs before the first paint; what only pages need (the `Qt` namespace,
the eliding tooltips) is imported in the methods for pages, after it (ui/main_window.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHeaderView,
    QMainWindow,
    QSplitter,
    QTableView,
    QTableWidget,
    QWidget,
)
from shiboken6 import isValid

from tracker_desktop.config.settings import AppSettings

log = logging.getLogger(__name__)

WIDEST_FIRST_SIZE = 320  # a column sized to its contents is never wider than this
SAMPLED_ROWS = 200  # rows measured for that size (not every row of a long list)
SAVE_DELAY_MS = 1500  # a drag or a resize is written once it has stopped for this long
FITS_OWN_COLUMNS = "fitsOwnColumns"  # a view property: the table sizes its columns itself


@dataclass
class _Table:
    view: QTableView
    dealers: bool  # its widths are the dealer's (dragged, or kept from before): keep them


class LayoutMemory(QObject):
    def __init__(
        self,
        settings: AppSettings,
        save: Callable[[AppSettings], None],
        *,
        autosave: bool = True,
    ) -> None:
        super().__init__()
        self._settings = settings
        self._save = save
        self._splitters: dict[str, QSplitter] = {}
        self._tables: dict[str, _Table] = {}
        self._window: QMainWindow | None = None
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(SAVE_DELAY_MS)
        self._soon.timeout.connect(self.save)
        self._autosave = autosave

    def _changed(self, *_args: object) -> None:
        if self._autosave:
            self._soon.start()

    # --- the window ------------------------------------------------------------------------
    def restore_window(self, window: QMainWindow) -> None:
        self._window = window
        saved = self._settings.window_geometry_hex
        if saved:
            try:
                window.restoreGeometry(QByteArray.fromHex(saved.encode("ascii")))
            except UnicodeEncodeError:
                log.info("the kept window size was unreadable; the default size is used")
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self._changed()
        return False

    # --- pages -------------------------------------------------------------------------------
    def attach(self, key: str, page: QWidget) -> None:
        """Give `page` its kept splitters and columns, and keep them from now on."""
        from tracker_desktop.ui.widgets.elide import ElidedTips

        for i, splitter in enumerate(page.findChildren(QSplitter)):
            name = f"{key}/{splitter.objectName() or f'splitter{i}'}"
            self._splitters[name] = splitter
            sizes = self._settings.splitters.get(name)
            if _ints(sizes, splitter.count()):
                splitter.setSizes(list(sizes or []))
            splitter.splitterMoved.connect(self._changed)
        for i, view in enumerate(page.findChildren(QTableView)):
            ElidedTips(view)
            if isinstance(view, QTableWidget):
                continue  # a small table of a few items (an invoice's lines): sized by itself
            name = f"{key}/{view.objectName() or f'table{i}'}"
            table = _Table(view, dealers=False)
            self._tables[name] = table
            self._columns(table, self._settings.columns.get(name))

    def _columns(self, table: _Table, kept: list[int] | None) -> None:
        from PySide6.QtCore import Qt

        view = table.view
        header = view.horizontalHeader()
        header.setResizeContentsPrecision(SAMPLED_ROWS)
        stretch = {
            i
            for i in range(header.count())
            if header.sectionResizeMode(i) == QHeaderView.ResizeMode.Stretch
        }
        for i in range(header.count()):
            if i not in stretch:
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Interactive)
        model = view.model()
        if model is None:
            return
        fitting = False

        def fit(*, grow_only: bool) -> None:
            nonlocal fitting
            fitting = True
            try:
                for i in range(header.count()):
                    if i in stretch or header.isSectionHidden(i):
                        continue
                    before = header.sectionSize(i)
                    wanted = min(
                        max(view.sizeHintForColumn(i), header.sectionSizeHint(i)),
                        WIDEST_FIRST_SIZE,
                    )
                    header.resizeSection(i, max(before, wanted) if grow_only else wanted)
            finally:
                fitting = False

        def resized(section: int, _old: int, _new: int) -> None:
            # A drag with the mouse, not the view fitting its stretching column or code
            # setting a width: from now on this table's widths are the dealer's.
            dragging = QGuiApplication.mouseButtons() != Qt.MouseButton.NoButton
            if not fitting and section not in stretch and dragging:
                table.dealers = True
                self._changed()

        # A table that sizes its own columns (the Invoices history, read a page per
        # keystroke) is not measured again with every read: only its kept widths and the
        # dealer's drags are looked after here.
        fits_itself = bool(view.property(FITS_OWN_COLUMNS))

        def rows_arrived(*_args: object) -> None:
            if not table.dealers and not fits_itself and isValid(view) and model.rowCount():
                fit(grow_only=True)

        if _ints(kept, header.count()):
            fitting = True
            for i, width in enumerate(kept or []):
                if i not in stretch and width > 0:
                    header.resizeSection(i, width)
            fitting = False
            table.dealers = True
            view.setProperty("columnsRestored", True)
        else:
            fit(grow_only=False)  # to the headers while there are no rows yet
        header.sectionResized.connect(resized)
        model.modelReset.connect(rows_arrived)
        model.rowsInserted.connect(rows_arrived)
        rows_arrived()

    # --- keeping -------------------------------------------------------------------------------
    def capture(self) -> AppSettings:
        """The current layout into the settings (not yet written)."""
        settings = self._settings
        if self._window is not None and isValid(self._window):
            geometry = self._window.saveGeometry().toHex().data()
            settings.window_geometry_hex = bytes(geometry).decode("ascii")
        for name, splitter in self._splitters.items():
            if isValid(splitter) and all(size >= 0 for size in splitter.sizes()):
                settings.splitters[name] = [int(s) for s in splitter.sizes()]
        for name, table in self._tables.items():
            if table.dealers and isValid(table.view):
                header = table.view.horizontalHeader()
                settings.columns[name] = [header.sectionSize(i) for i in range(header.count())]
        return settings

    def save(self) -> None:
        self._soon.stop()
        if self._autosave:
            self._save(self.capture())


def _ints(values: object, count: int) -> bool:
    return (
        isinstance(values, list)
        and len(values) == count
        and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values)
    )
