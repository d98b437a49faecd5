"""Settings → the profile's deposit rule: a fixed deposit below a price, a percentage from it.

The composer's "Take a deposit" offers it as "Profile's rule". Amounts are in the profile's
default currency; leaving all three empty removes the rule.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QPushButton, QWidget

from tracker_desktop.domain.errors import TrackerError, ValidationError
from tracker_desktop.domain.money_format import format_amount, parse_money
from tracker_desktop.domain.sale_math import DepositRule
from tracker_desktop.services.invoicing.sales import SaleService
from tracker_desktop.services.profiles.views import ProfileView
from tracker_desktop.ui.tasks import describe_error
from tracker_desktop.ui.theme import note_style
from tracker_desktop.ui.widgets.accessibility import name_form_fields
from tracker_desktop.ui.widgets.locale_and_fields import FieldError


class DepositRuleBox(QGroupBox):
    def __init__(self, sales: SaleService, locale: str, parent: QWidget | None = None) -> None:
        super().__init__("Deposit rule", parent)
        self.setObjectName("depositRule")
        self._sales = sales
        self._locale = locale
        self._profile: ProfileView | None = None
        self.threshold = QLineEdit()
        self.fixed = QLineEdit()
        self.percent = QLineEdit()
        self.percent.setPlaceholderText("e.g. 30")
        self.error = FieldError("rule")
        self.note = QLabel()
        self.note.setStyleSheet(note_style())
        self.note.setWordWrap(True)
        self.save_button = QPushButton("Save the deposit rule")
        form = QFormLayout(self)
        form.addRow(self.note)
        form.addRow("For a sale below", self.threshold)
        form.addRow("Fixed deposit", self.fixed)
        form.addRow("From there on, percent", self.percent)
        form.addRow(self.error)
        form.addRow(self.save_button)
        name_form_fields(form)
        self.save_button.clicked.connect(self.save)

    def show_profile(self, view: ProfileView | None) -> None:
        self._profile = view
        self.setEnabled(view is not None)
        self.error.clear_message()
        for edit in (self.threshold, self.fixed, self.percent):
            edit.clear()
        if view is None:
            return
        self.note.setText(
            f"In {view.default_currency}. “Take a deposit” in a new invoice can use it."
        )
        rule = self._sales.deposit_rule(view.id)
        if rule is not None:
            self.threshold.setText(format_amount(rule.threshold, self._locale))
            self.fixed.setText(format_amount(rule.fixed, self._locale))
            self.percent.setText(str(Decimal(rule.percent_bp) / 100))

    def typed_rule(self, code: str) -> DepositRule | None:
        texts = [e.text().strip() for e in (self.threshold, self.fixed, self.percent)]
        if not any(texts):
            return None
        if not all(texts):
            raise ValidationError("Fill in all three, or leave all three empty", "rule")
        threshold = parse_money(texts[0], code, self._locale, field="rule")
        fixed = parse_money(texts[1], code, self._locale, field="rule")
        try:
            basis_points = Decimal(texts[2].rstrip("% ").replace(",", ".")) * 100
        except InvalidOperation:
            raise ValidationError("Enter the percentage like 30 or 12.5", "rule") from None
        if not basis_points.is_finite() or basis_points != basis_points.to_integral_value():
            raise ValidationError("Enter the percentage like 30 or 12.5", "rule")
        return DepositRule(threshold, fixed, int(basis_points))

    def save(self) -> None:
        view = self._profile
        if view is None:
            return
        try:
            self._sales.set_deposit_rule(view.id, self.typed_rule(view.default_currency))
        except TrackerError as exc:
            self.error.show_message(describe_error(exc))
            return
        self.error.clear_message()
        self.note.setText(f"Saved. In {view.default_currency}.")
