"""The inventory table: column constants, plain rows in, text and colours out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt

from tracker_desktop.domain.watch_status import WatchStatus
from tracker_desktop.services.inventory.watch_service import WatchRow
from tracker_desktop.ui.theme import Tone, tone
from tracker_desktop.ui.widgets.locale_and_fields import money_text
from tracker_desktop.ui.widgets.row_table_model import ROW_ROLE, Index, RowTableModel

COL_SERIAL, COL_BRAND, COL_MODEL, COL_REFERENCE, COL_YEAR, COL_CONDITION = range(6)
COL_BOX, COL_PAPERS, COL_COST, COL_ASKING, COL_STATUS, COL_INVOICE = range(6, 12)
HEADERS = (
    "Serial",
    "Brand",
    "Model",
    "Reference",
    "Year",
    "Condition",
    "Box",
    "Papers",
    "Purchase cost",
    "Asking price",
    "Status",
    "Invoice",
)
_STATUS_TONES: dict[WatchStatus, Tone] = {
    WatchStatus.RESERVED: "warning",
    WatchStatus.SOLD: "success",
    WatchStatus.ON_MEMO: "info",
    WatchStatus.IN_SERVICE: "info",
}
_RIGHT = {COL_YEAR, COL_COST, COL_ASKING}


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


_TEXT: dict[int, Callable[[WatchRow, str], str]] = {
    COL_SERIAL: lambda w, _: w.serial,
    COL_BRAND: lambda w, _: w.brand,
    COL_MODEL: lambda w, _: w.model,
    COL_REFERENCE: lambda w, _: w.reference,
    COL_YEAR: lambda w, _: "" if w.year is None else str(w.year),
    COL_CONDITION: lambda w, _: w.condition,
    COL_BOX: lambda w, _: _yes(w.has_box),
    COL_PAPERS: lambda w, _: _yes(w.has_papers),
    COL_COST: lambda w, loc: money_text(w.purchase_cost, loc),
    COL_ASKING: lambda w, loc: money_text(w.asking_price, loc),
    COL_STATUS: lambda w, _: w.status_label,
    COL_INVOICE: lambda w, _: w.held_by,
}


class WatchTableModel(RowTableModel[WatchRow]):
    def __init__(self, locale: str = "en_US") -> None:
        super().__init__(HEADERS)
        self._locale = locale

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        watch = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _TEXT[col](watch, self._locale)
        if role == ROW_ROLE:
            return watch
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_STATUS:
            found = _STATUS_TONES.get(watch.status)
            return tone(found) if found else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in _RIGHT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if watch.status is not WatchStatus.IN_STOCK:
                return watch.why_not_invoiceable
            return watch.notes or None
        return None
