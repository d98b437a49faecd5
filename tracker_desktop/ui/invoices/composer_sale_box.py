"""The composer's "Deposit, trade-in, split" box: its widgets, and what was typed in it.

ComposerSale (composer_sale.py) gives it behaviour; the composer lays it under the lines.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.domain.draft import TradeIn
from tracker_desktop.domain.errors import ValidationError
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import parse_money
from tracker_desktop.domain.validation import NAME_MAX
from tracker_desktop.services.invoicing.sale_making import DepositChoice
from tracker_desktop.services.invoicing.views import DraftLineInput
from tracker_desktop.ui.theme import note_style
from tracker_desktop.ui.widgets.locale_and_fields import FieldError

DEPOSIT_MODES = ("Amount", "Percentage", "Profile's rule")
# The trade-in's fields, as the draft's keys name them ("lines[n].trade_in.serial").
TRADE_FIELDS = ("brand", "model", "serial")


class SaleBox(QGroupBox):
    def __init__(self) -> None:
        super().__init__("Deposit, trade-in, split")
        self.take_deposit = QCheckBox("Take a deposit")
        self.take_deposit.setToolTip(
            "Send a deposit invoice now; the balance follows when the deposit is paid"
        )
        self.deposit_mode = QComboBox()
        self.deposit_mode.addItems(DEPOSIT_MODES)
        self.deposit_mode.setObjectName("depositMode")
        self.deposit_value = QLineEdit()
        self.deposit_value.setObjectName("depositValue")
        self.deposit_value.setPlaceholderText("e.g. 5,000 or 20")
        self.deposit_preview = QLabel()
        self.deposit_preview.setStyleSheet(note_style())
        self.deposit_error = FieldError("deposit")
        deposit_row = QHBoxLayout()
        for widget in (self.take_deposit, self.deposit_mode, self.deposit_value):
            deposit_row.addWidget(widget)
        deposit_row.addStretch(1)

        self.trade_in = QCheckBox("Record a trade-in")
        self.trade_edits = {name: QLineEdit() for name in TRADE_FIELDS}
        for name, edit in self.trade_edits.items():
            edit.setObjectName(f"trade_{name}")
            edit.setMaxLength(NAME_MAX)
        self.trade_allowance = QLineEdit()
        self.trade_allowance.setObjectName("trade_allowance")
        # One message line for the traded watch's four fields, so the box stays short.
        self.trade_error = FieldError("trade_in")
        self.trade_errors = dict.fromkeys((*TRADE_FIELDS, "allowance"), self.trade_error)
        # Two by two: brand, model / serial, allowance, each with its message under it.
        self.trade_form = QWidget()
        grid = QGridLayout(self.trade_form)
        grid.setContentsMargins(0, 0, 0, 0)
        fields = [*self.trade_edits.items(), ("allowance", self.trade_allowance)]
        for index, (name, edit) in enumerate(fields):
            edit.setPlaceholderText(name.capitalize())
            edit.setAccessibleName(f"Traded watch's {name}")
            grid.addWidget(edit, *divmod(index, 2))
        grid.addWidget(self.trade_error, 2, 0, 1, 2)
        self.trade_form.setVisible(False)

        self.split_note = QLabel()
        self.split_note.setWordWrap(True)
        self.split_note.setStyleSheet(note_style())
        self.split_button = QPushButton("Split into linked invoices")
        self.split_button.setObjectName("splitButton")
        self.split_button.setAutoDefault(False)
        split_row = QHBoxLayout()
        split_row.addWidget(self.split_note, 1)
        split_row.addWidget(self.split_button)
        self.split_note.setVisible(False)
        self.split_button.setVisible(False)

        layout = QVBoxLayout(self)
        layout.setSpacing(0)
        second_row = QHBoxLayout()
        second_row.addWidget(self.deposit_preview, 1)
        second_row.addWidget(self.trade_in)
        layout.addLayout(deposit_row)
        layout.addLayout(second_row)
        layout.addWidget(self.deposit_error)
        layout.addWidget(self.trade_form)
        layout.addLayout(split_row)
        self.trade_in.toggled.connect(self.trade_form.setVisible)
        self.take_deposit.toggled.connect(self._deposit_enabled)
        self.deposit_mode.currentIndexChanged.connect(lambda _i: self._deposit_enabled())
        self._deposit_enabled()

    def _deposit_enabled(self, *_args: object) -> None:
        on = self.take_deposit.isChecked()
        self.deposit_mode.setEnabled(on)
        by_rule = self.deposit_mode.currentIndex() == 2
        self.deposit_value.setEnabled(on and not by_rule)

    # --- what was typed ---------------------------------------------------------------------
    def typed(self) -> tuple[object, ...]:
        """Everything typed or picked here, for the composer's "Discard changes?"."""
        edits = (self.deposit_value, self.trade_allowance, *self.trade_edits.values())
        return (
            self.take_deposit.isChecked(),
            self.deposit_mode.currentIndex(),
            self.trade_in.isChecked(),
            *(edit.text() for edit in edits),
        )

    def deposit_choice(self, code: str, locale: str) -> DepositChoice:
        """The deposit asked for, or ValidationError (field "deposit")."""
        mode, text = self.deposit_mode.currentIndex(), self.deposit_value.text().strip()
        if mode == 2:
            return DepositChoice(by_rule=True)
        if not text:
            raise ValidationError("Enter the deposit", "deposit")
        if mode == 0:
            return DepositChoice(amount=parse_money(text, code, locale, field="deposit"))
        try:
            percent = Decimal(text.rstrip("% ").replace(",", "."))
        except InvalidOperation:
            raise ValidationError("Enter a percentage like 20 or 12.5", "deposit") from None
        basis_points = percent * 100
        if not percent.is_finite() or basis_points != basis_points.to_integral_value():
            raise ValidationError("Enter a percentage like 20 or 12.5", "deposit")
        return DepositChoice(percent_bp=int(basis_points))

    def trade_in_line(self, code: str, locale: str) -> DraftLineInput | None:
        """The trade-in as a credit line, None when there is none; ValidationError for an
        allowance that cannot be read (field "trade_in.allowance")."""
        if not self.trade_in.isChecked():
            return None
        typed = {name: edit.text().strip() for name, edit in self.trade_edits.items()}
        text = self.trade_allowance.text().strip()
        if not text:
            raise ValidationError("Enter the allowance for the traded watch", "trade_in.allowance")
        allowance = parse_money(text, code, locale, field="trade_in.allowance")
        description = f"Trade-in: {typed['brand']} {typed['model']}, serial {typed['serial']}"
        return DraftLineInput(
            description.strip(),
            1,
            Money(-allowance.minor, code),
            trade_in=TradeIn(typed["brand"], typed["model"], typed["serial"]),
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        """The messages about this box: "deposit", "trade_in.<field>"."""
        self.deposit_error.clear_message()
        self.trade_error.clear_message()
        traded: list[str] = []
        for key, message in errors.items():
            if key == "deposit":
                self.deposit_error.show_message(message)
            elif key.startswith("trade_in."):
                traded.append(message)
        if traded:
            self.trade_error.show_message("; ".join(dict.fromkeys(traded)))
