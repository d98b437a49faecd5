"""The Dashboard's boxes: the goal with its progress, what is still owed (oldest first), and
short ranked lists (best clients, best brands, margin per sale). Each figure that leads to
invoices is a button or a list item; the page turns a click into the Invoices window's
filters or one invoice.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.domain.invoice_state import LABELS, DisplayKind
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import format_money
from tracker_desktop.services.dashboard import Dashboard
from tracker_desktop.ui.theme import note_style

_PAYLOAD = Qt.ItemDataRole.UserRole


def _wrapping_list(name: str, title: str) -> QListWidget:
    """A list whose long rows wrap instead of scrolling sideways."""
    items = QListWidget()
    items.setObjectName(name)
    items.setAccessibleName(title)
    items.setWordWrap(True)
    items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    items.setResizeMode(QListWidget.ResizeMode.Adjust)
    return items


def _flat_button(name: str) -> QPushButton:
    button = QPushButton()
    button.setObjectName(name)
    button.setFlat(True)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setStyleSheet("QPushButton { text-align: left; padding: 2px 4px; }")
    return button


class GoalPanel(QGroupBox):
    """The goal, this year's paid sales in its currency, and the other currencies beside."""

    paid_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Yearly goal", parent)
        self.setObjectName("goalPanel")
        self.figure = QLabel()
        self.figure.setObjectName("goalFigure")
        self.figure.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.progress = QProgressBar()
        self.progress.setObjectName("goalProgress")
        self.progress.setRange(0, 100)
        self.progress.setAccessibleName("Progress toward the goal")
        self.paid = _flat_button("paidThisYear")
        self.paid.setToolTip("Show these paid invoices in the Invoices window")
        self.others = QLabel()
        self.others.setObjectName("otherCurrencies")
        self.others.setWordWrap(True)
        self.others.setStyleSheet(note_style())
        layout = QVBoxLayout(self)
        for widget in (self.figure, self.progress, self.paid, self.others):
            layout.addWidget(widget)
        self.paid.clicked.connect(self.paid_clicked)

    def show_figures(self, board: Dashboard, locale: str) -> None:
        goal = board.goal
        paid = next(s for s in board.sales if s.currency == goal.currency)
        percent = board.percent_of_goal()
        note = " (the default: set yours in Settings)" if board.goal_is_default else ""
        self.figure.setText(
            f"{format_money(paid.paid_this_year, locale)} of "
            f"{format_money(goal, locale)} in {board.year}{note}"
        )
        self.progress.setValue(min(100, percent))
        self.progress.setFormat(f"{percent}%")
        count = sum(s.sales_this_year for s in board.sales)
        totals = " · ".join(format_money(s.paid_this_year, locale) for s in board.sales)
        self.paid.setText(f"Paid this year: {totals} ({count} invoices)")
        others = [s for s in board.sales[1:] if s.paid_this_year.minor]
        self.others.setText(
            "Also sold in other currencies, not counted toward the goal and never converted: "
            + ", ".join(format_money(s.paid_this_year, locale) for s in others)
            if others
            else ""
        )
        self.others.setVisible(bool(others))


class OwedPanel(QGroupBox):
    """Still owed, per shown status and currency; then the open invoices, oldest first."""

    kind_clicked = Signal(object)  # DisplayKind
    invoice_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Still owed", parent)
        self.setObjectName("owedPanel")
        self._totals = QVBoxLayout()
        self.buttons: dict[tuple[DisplayKind, str], QPushButton] = {}
        self.oldest = _wrapping_list("oldestOpen", "Open invoices, oldest first")
        self.empty = QLabel("Nothing is owed.")
        self.empty.setStyleSheet(note_style())
        layout = QVBoxLayout(self)
        layout.addLayout(self._totals)
        layout.addWidget(self.empty)
        layout.addWidget(QLabel("Oldest first"))
        layout.addWidget(self.oldest, 1)
        self.oldest.itemActivated.connect(self._item)
        self.oldest.itemClicked.connect(self._item)

    def show_figures(self, board: Dashboard, locale: str, now: dt.datetime) -> None:
        for button in self.buttons.values():
            button.deleteLater()
        self.buttons = {}
        for owed in board.owed:
            button = _flat_button(f"owed_{owed.kind.value}_{owed.currency}")
            amount = format_money(Money(owed.minor, owed.currency), locale)
            noun = "invoice" if owed.count == 1 else "invoices"
            button.setText(f"{LABELS[owed.kind]}: {amount} ({owed.count} {noun})")
            button.clicked.connect(lambda _=False, kind=owed.kind: self.kind_clicked.emit(kind))
            self._totals.addWidget(button)
            self.buttons[(owed.kind, owed.currency)] = button
        self.empty.setVisible(not board.owed)
        self.oldest.clear()
        for row in board.oldest:
            amount = format_money(Money(row.remaining_minor, row.currency), locale)
            due = "no due date"
            if row.due_at is not None:
                days = (now - row.due_at).days
                when = row.due_at.astimezone().date().isoformat()
                due = f"due {when}" + (f", {days} days ago" if days > 0 else "")
            text = f"{row.number or 'Draft'} · {row.customer_name} · {amount} · {due}"
            item = QListWidgetItem(text)
            item.setData(_PAYLOAD, row.invoice_id)
            self.oldest.addItem(item)

    def _item(self, item: QListWidgetItem) -> None:
        self.invoice_clicked.emit(int(item.data(_PAYLOAD)))


class RankList(QGroupBox):
    """A titled list whose items carry what a click should open (`picked`)."""

    picked = Signal(object)

    def __init__(self, title: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName(name)
        self.items = _wrapping_list(f"{name}Items", title)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(note_style())
        layout = QVBoxLayout(self)
        layout.addWidget(self.items, 1)
        layout.addWidget(self.note)
        self.items.itemActivated.connect(self._item)
        self.items.itemClicked.connect(self._item)

    def show_rows(self, rows: list[tuple[str, object]], empty: str, note: str = "") -> None:
        """(text, payload) per row; a None payload is not clickable."""
        self.items.clear()
        for text, payload in rows:
            item = QListWidgetItem(text)
            item.setData(_PAYLOAD, payload)
            if payload is None:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            self.items.addItem(item)
        if not rows:
            self.items.addItem(QListWidgetItem(empty))
        self.note.setText(note)
        self.note.setVisible(bool(note))

    def _item(self, item: QListWidgetItem) -> None:
        payload = item.data(_PAYLOAD)
        if payload is not None:
            self.picked.emit(payload)
