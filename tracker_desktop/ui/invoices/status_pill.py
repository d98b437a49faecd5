"""An invoice's status as a coloured pill, readable on a light and a dark desktop; and the
tone the Invoices window's banner takes when an invoice reaches a status."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from tracker_desktop.domain.invoice_state import DisplayKind, DisplayStatus
from tracker_desktop.ui.theme import Tone, pill_colours
from tracker_desktop.ui.widgets.row_table_model import ROW_ROLE

STATUS_TONES: dict[DisplayKind, Tone] = {
    DisplayKind.PAID: "success",
    DisplayKind.PAYMENT_FAILED: "warning",
    DisplayKind.PUSH_FAILED: "warning",
    DisplayKind.OVERDUE: "warning",
    DisplayKind.UNCOLLECTIBLE: "warning",
}


def status_tone(kind: DisplayKind) -> Tone:
    return STATUS_TONES.get(kind, "info")


def status_sentence(name: str, status: DisplayStatus) -> str:
    """What the banner says when an invoice it follows reaches `status`, with Stripe's reason."""
    if status.kind is DisplayKind.PAYMENT_FAILED:
        reason = f": {status.detail.rstrip('.')}." if status.detail else "."
        return (
            f"The buyer's payment for {name} failed{reason} The invoice stays open; the buyer "
            "can try again on the same payment page."
        )
    return f"Invoice {name} is now {status.label}."


_PAD_X, _PAD_Y = 8, 3

Index = QModelIndex | QPersistentModelIndex


class StatusPillDelegate(QStyledItemDelegate):
    """Paints the status column's text on a pill of its status colour."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        row = index.data(ROW_ROLE)
        status = getattr(row, "status", None)
        if not isinstance(status, DisplayStatus):
            super().paint(painter, option, index)
            return
        # The cell's own background and selection first, without its text.
        plain = QStyleOptionViewItem(option)
        self.initStyleOption(plain, index)
        plain.text = ""
        widget = option.widget
        style = widget.style() if isinstance(widget, QWidget) else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, plain, painter, widget)
        background, foreground = pill_colours(status.kind)
        metrics = option.fontMetrics
        rect = option.rect
        width = min(metrics.horizontalAdvance(status.label) + 2 * _PAD_X, rect.width() - 4)
        height = min(metrics.height() + 2 * _PAD_Y, rect.height() - 2)
        pill = QRectF(rect.x() + 2, rect.y() + (rect.height() - height) / 2, width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(pill, height / 2, height / 2)
        painter.setPen(foreground)
        text = metrics.elidedText(status.label, Qt.TextElideMode.ElideRight, int(width) - 8)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width() + 2 * _PAD_X + 4, max(hint.height(), 24))
