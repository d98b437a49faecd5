"""Keyboard and screen-reader order: Tab follows the layout, and every field is named.

`layout_order(root)` lists the widgets Tab stops at, in the order a dealer reads the window:
rows of a form top to bottom, label then field; a grid row by row; a box as laid out. Qt's
own default is the order the widgets were made in, which drifts from the layout as a window
grows. `tab_in_layout_order(root)` sets the focus chain to it. `name_form_fields(form)`
makes each form label the buddy of its field (the field itself, not the box holding the
field and its message line) and names the field after it, for a screen reader.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QBoxLayout,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTextEdit,
    QWidget,
)

# Widgets Tab stops at as a whole; their insides are Qt's own.
_WHOLE = (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)


def takes_tab(widget: QWidget) -> bool:
    if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
        return False
    parent = widget.parentWidget()
    if parent is None:
        return True
    if widget.window().windowType() == Qt.WindowType.Popup:
        return False  # inside a popup of its own (a combo box's list)
    # The line edit inside a spin box or an editable combo: the outer widget is the stop.
    return parent.focusProxy() is not widget and widget.focusProxy() is not parent


def accessible_name(widget: QWidget) -> str:
    """What a screen reader says for the widget: its own name, its text, or its buddy's."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def layout_order(root: QWidget) -> list[QWidget]:
    found: list[QWidget] = []
    seen: set[int] = set()

    def widget(w: QWidget) -> None:
        if id(w) in seen:
            return
        seen.add(id(w))
        if w is not root and takes_tab(w):
            found.append(w)
        if isinstance(w, _WHOLE):
            return
        if isinstance(w, QScrollArea):
            inner = w.widget()
            if inner is not None:
                widget(inner)
            return
        if isinstance(w, QSplitter | QStackedWidget):
            for i in range(w.count()):
                child = w.widget(i)
                if child is not None:
                    widget(child)
            return
        own = w.layout()
        if own is not None:
            layout(own)
        # Children outside any layout (rare): after the laid-out ones, in the order made.
        for child in w.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if not child.isWindow():
                widget(child)

    def item(entry: QLayoutItem | None) -> None:
        if entry is None:
            return
        inner_widget, inner_layout = entry.widget(), entry.layout()
        if inner_widget is not None:
            widget(inner_widget)
        elif inner_layout is not None:
            layout(inner_layout)

    def layout(lay: QLayout) -> None:
        if isinstance(lay, QFormLayout):
            for row in range(lay.rowCount()):
                for role in (
                    QFormLayout.ItemRole.LabelRole,
                    QFormLayout.ItemRole.FieldRole,
                    QFormLayout.ItemRole.SpanningRole,
                ):
                    item(lay.itemAt(row, role))
            return
        entries = [lay.itemAt(i) for i in range(lay.count())]
        if isinstance(lay, QGridLayout):
            places = [lay.getItemPosition(i) for i in range(lay.count())]
            entries = [e for _, e in sorted(zip(places, entries, strict=True), key=_row_col)]
        elif isinstance(lay, QBoxLayout) and lay.direction() in (
            QBoxLayout.Direction.RightToLeft,
            QBoxLayout.Direction.BottomToTop,
        ):
            entries.reverse()
        for entry in entries:
            item(entry)

    widget(root)
    return found


def _row_col(pair: tuple[object, object]) -> tuple[int, int]:
    place = pair[0]
    assert isinstance(place, tuple)
    return int(place[0]), int(place[1])


def tab_in_layout_order(root: QWidget) -> None:
    order = layout_order(root)
    for before, after in itertools.pairwise(order):
        QWidget.setTabOrder(before, after)


def name_form_fields(form: QFormLayout) -> None:
    for row in range(form.rowCount()):
        label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        field_item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        label = label_item.widget() if label_item is not None else None
        if not isinstance(label, QLabel) or not label.text().strip() or field_item is None:
            continue
        field = field_item.widget()
        if field is None:
            holder_layout = field_item.layout()
            if holder_layout is None:
                continue
            stops = _layout_stops(holder_layout)
        else:
            stops = [field] if takes_tab(field) else layout_order(field)
        if stops:
            label.setBuddy(stops[0])
            if not stops[0].accessibleName():
                # Qt names a field after its buddy label only when they are siblings; a
                # field inside a box with its message line is not, so it is named here.
                stops[0].setAccessibleName(label.text().replace("&", "").rstrip(" *"))


def _layout_stops(lay: QLayout) -> list[QWidget]:
    stops: list[QWidget] = []
    for i in range(lay.count()):
        entry = lay.itemAt(i)
        if entry is None:
            continue
        w, inner = entry.widget(), entry.layout()
        if w is not None:
            stops += [w] if takes_tab(w) else layout_order(w)
        elif inner is not None:
            stops += _layout_stops(inner)
    return stops
