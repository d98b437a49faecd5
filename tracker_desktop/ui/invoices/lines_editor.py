"""Invoice lines: a watch from inventory or free text; amounts update as the dealer types."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.domain.errors import ValidationError
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import (
    check_amount_for_stripe,
    format_amount,
    format_money,
    parse_money,
)
from tracker_desktop.domain.price_check import price_warning
from tracker_desktop.domain.validation import LINE_DESCRIPTION_MAX, validate_quantity
from tracker_desktop.ui.theme import note_style, tone_style
from tracker_desktop.ui.widgets.locale_and_fields import FieldError


@dataclass(frozen=True, slots=True)
class ParsedLine:
    description: str
    quantity: int | None
    unit_price: Money | None
    watch_id: int | None
    errors: dict[str, str]  # "quantity" / "unit_price" -> message


class LineRow(QWidget):
    changed = Signal()
    remove_requested = Signal(object)

    def __init__(
        self,
        locale: str,
        description: str = "",
        quantity: int = 1,
        unit_price: Money | None = None,
        watch_id: int | None = None,
        watch_serial: str = "",
        parent: QWidget | None = None,
        *,
        asking: Money | None = None,
        cost: Money | None = None,
    ) -> None:
        super().__init__(parent)
        self.watch_id = watch_id
        self._asking, self._cost = asking, cost  # a watch's, to warn of a mistyped price
        self._locale = locale
        self.description = QLineEdit(description)
        self.description.setPlaceholderText("Description (strap, service, shipping…)")
        # Stripe's limit on a line's text. The quantity and price have none here: a pasted
        # number cut short would be another number, so they are refused with a message.
        self.description.setMaxLength(LINE_DESCRIPTION_MAX)
        self.quantity = QLineEdit(str(quantity))
        self.quantity.setFixedWidth(56)
        self.price = QLineEdit("" if unit_price is None else format_amount(unit_price, locale))
        self.price.setFixedWidth(130)
        self.price.setPlaceholderText("Unit price")
        self.amount = QLabel()
        self.amount.setFixedWidth(130)
        self.amount.setStyleSheet("font-weight: bold;")
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setToolTip("Remove this line")
        self.kind = QLabel("Watch" if watch_id is not None else "Item")
        self.kind.setFixedWidth(52)
        self.kind.setStyleSheet(note_style())
        if watch_id is not None:
            # A specific watch is sold once; its serial identifies it on the invoice.
            self.quantity.setReadOnly(True)
            self.quantity.setToolTip("A specific watch is sold once")
            self.kind.setToolTip(f"Serial {watch_serial}" if watch_serial else "")
        for edit, name in (
            (self.description, "Description"),
            (self.quantity, "Quantity"),
            (self.price, "Unit price"),
        ):
            edit.setAccessibleName(name)
        self.remove.setAccessibleName("Remove this line")
        self.error = FieldError("line")
        # A warning, not an error: the dealer may go on (a loss, a price agreed above asking).
        self.price_note = QLabel()
        self.price_note.setObjectName("priceWarning")
        self.price_note.setProperty("tone", "warning")
        self.price_note.setWordWrap(True)
        self.price_note.setStyleSheet(tone_style("warning"))
        self.price_note.setVisible(False)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.kind)
        row.addWidget(self.description, 1)
        row.addWidget(self.quantity)
        row.addWidget(self.price)
        row.addWidget(self.amount)
        row.addWidget(self.remove)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addLayout(row)
        column.addWidget(self.error)
        column.addWidget(self.price_note)

        for edit in (self.description, self.quantity, self.price):
            edit.textChanged.connect(self.changed)
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))

    def parse(self, currency: str) -> ParsedLine:
        errors: dict[str, str] = {}
        quantity: int | None = None
        price: Money | None = None
        try:
            quantity = validate_quantity(self.quantity.text())
        except ValidationError as exc:
            errors["quantity"] = str(exc)
        if not self.price.text().strip():
            errors["unit_price"] = "Enter a price above zero"
        else:
            try:
                # Read past Stripe's cap, so the composer can offer to split the sale; the
                # cap's message is still this line's.
                price = parse_money(
                    self.price.text(), currency, self._locale, field="unit_price", over_cap=True
                )
                check_amount_for_stripe(price, self._locale, field="unit_price")
            except ValidationError as exc:
                errors["unit_price"] = str(exc)
        return ParsedLine(self.description.text().strip(), quantity, price, self.watch_id, errors)

    def show_amount(self, currency: str) -> Money | None:
        parsed = self.parse(currency)
        self._warn_of_price(parsed.unit_price)
        if parsed.quantity is None or parsed.unit_price is None:
            self.amount.setText("—")
            return None
        amount = parsed.unit_price * parsed.quantity
        self.amount.setText(format_money(amount, self._locale))
        return amount

    def _warn_of_price(self, price: Money | None) -> None:
        warning = None
        if price is not None and self.watch_id is not None:
            warning = price_warning(price, self._asking, self._cost, self._locale)
        self.price_note.setText(warning or "")
        self.price_note.setVisible(warning is not None)

    def set_editable(self, editable: bool) -> None:
        for edit in (self.description, self.price):
            edit.setReadOnly(not editable)
        self.quantity.setReadOnly(not editable or self.watch_id is not None)
        self.remove.setEnabled(editable)


class LinesEditor(QWidget):
    changed = Signal()
    rows_changed = Signal()  # a line was added or removed

    def __init__(self, locale: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._locale = locale
        self.rows: list[LineRow] = []
        header = QGridLayout()
        for col, (text, width) in enumerate(
            (("", 52), ("Description", 0), ("Qty", 56), ("Unit price", 130), ("Amount", 130))
        ):
            label = QLabel(f"<b>{text}</b>")
            if width:
                label.setFixedWidth(width)
            header.addWidget(label, 0, col)
        header.setColumnStretch(1, 1)
        header.addWidget(QLabel(""), 0, 5)
        self.header = QWidget()
        self.header.setLayout(header)
        self.lines_error = FieldError("lines")
        self._box = QVBoxLayout()
        self._box.setSpacing(4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addLayout(self._box)
        layout.addWidget(self.lines_error)

    def add_line(
        self,
        description: str = "",
        quantity: int = 1,
        unit_price: Money | None = None,
        watch_id: int | None = None,
        watch_serial: str = "",
        *,
        asking: Money | None = None,
        cost: Money | None = None,
    ) -> LineRow:
        row = LineRow(
            self._locale,
            description,
            quantity,
            unit_price,
            watch_id,
            watch_serial,
            asking=asking,
            cost=cost,
        )
        row.changed.connect(self.changed)
        row.remove_requested.connect(self.remove_line)
        self.rows.append(row)
        self._box.addWidget(row)
        row.show()  # at once, not on the next turn of the event loop: errors may follow
        self.lines_error.clear_message()
        self.changed.emit()
        self.rows_changed.emit()
        return row

    def remove_line(self, row: LineRow) -> None:
        if row in self.rows:
            self.rows.remove(row)
            self._box.removeWidget(row)
            row.deleteLater()
            self.changed.emit()
            self.rows_changed.emit()

    def watch_ids(self) -> set[int]:
        return {r.watch_id for r in self.rows if r.watch_id is not None}

    def clear_errors(self) -> None:
        self.lines_error.clear_message()
        for row in self.rows:
            row.error.clear_message()

    def set_editable(self, editable: bool) -> None:
        for row in self.rows:
            row.set_editable(editable)
