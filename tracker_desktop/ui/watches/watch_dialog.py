"""Add or edit one watch. Every problem is shown beside its field; nothing half-saved.
Its Provenance tab (a saved watch's) keeps the stolen-register checks and documents."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.domain.errors import FormInvalid, ValidationError
from tracker_desktop.domain.money_format import example_amount, format_amount
from tracker_desktop.services.front_desk import HIDDEN
from tracker_desktop.services.inventory.watch_service import (
    WATCH_TEXT_MAX,
    InventoryService,
    WatchForm,
    WatchRow,
    parse_watch_form,
)
from tracker_desktop.ui.watches.form_fields import (
    CONDITIONS,
    StatusFields,
    currency_combo,
    with_error,
)
from tracker_desktop.ui.watches.provenance_panel import ProvenancePanel
from tracker_desktop.ui.widgets.accessibility import name_form_fields, tab_in_layout_order
from tracker_desktop.ui.widgets.field_messages import ClearWhenValid
from tracker_desktop.ui.widgets.locale_and_fields import FieldError

__all__ = ["CONDITIONS", "WatchDialog", "currency_combo"]  # the composer takes the currencies


class WatchDialog(QDialog):
    def __init__(
        self,
        inventory: InventoryService,
        profile_id: int,
        locale: str,
        default_currency: str,
        watch: WatchRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._inventory = inventory
        self._profile_id = profile_id
        self._locale = locale
        self._watch_id = watch.id if watch else None
        self.saved: WatchRow | None = None
        self.setWindowTitle("Edit watch" if watch else "Add watch")
        self.setMinimumWidth(480)

        self.brand = QLineEdit()
        self.model = QLineEdit()
        self.reference = QLineEdit()
        self.serial = QLineEdit()
        self.year = QLineEdit()
        self.year.setPlaceholderText("e.g. 2021")
        self.condition = QComboBox()
        self.condition.setEditable(True)
        self.condition.addItems(["", *CONDITIONS])
        self.has_box = QCheckBox("Box")
        self.has_papers = QCheckBox("Papers")
        self.currency = currency_combo(watch.currency if watch else default_currency)
        self.purchase_cost = QLineEdit()
        self.asking_price = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(70)
        self.status = StatusFields(watch)
        # The dealer cannot type past what the database keeps; the notes box has no such
        # setting, so the service's message says it. Amounts and the year have no limit here:
        # a pasted number cut short would be another number, so it is refused with a message.
        condition_edit = self.condition.lineEdit()
        assert condition_edit is not None  # the combo is editable
        for name, edit in (
            ("brand", self.brand),
            ("model", self.model),
            ("reference", self.reference),
            ("serial", self.serial),
            ("condition", condition_edit),
        ):
            edit.setMaxLength(WATCH_TEXT_MAX[name])
        self.errors: dict[str, FieldError] = {}

        form = QFormLayout()
        self._row(form, "Brand", "brand", self.brand)
        self._row(form, "Model", "model", self.model)
        self._row(form, "Reference", "reference", self.reference)
        self._row(form, "Serial", "serial", self.serial)
        self._row(form, "Year", "year", self.year)
        self._row(form, "Condition", "condition", self.condition)
        extras = QWidget()
        box_row = QVBoxLayout(extras)
        box_row.setContentsMargins(0, 0, 0, 0)
        box_row.addWidget(self.has_box)
        box_row.addWidget(self.has_papers)
        form.addRow("Box and papers", extras)
        self._row(form, "Currency", "currency", self.currency)
        self._row(form, "Purchase cost", "purchase_cost", self._cost_field(inventory, profile_id))
        self._row(form, "Asking price", "asking_price", self.asking_price)
        self._row(form, "Status", "status", self.status.combo)
        self._row(form, "On memo with", "away_with", self.status.away_with)
        self._row(form, "Since", "away_since", self.status.since)
        self._row(form, "Notes", "notes", self.notes)

        name_form_fields(form)
        self.form_error = FieldError("form")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        details = QWidget()
        details.setLayout(form)
        self.provenance: ProvenancePanel | None = None
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Watch sections")
        self.tabs.tabBar().setAccessibleName("Watch sections")
        self.tabs.addTab(details, "&Details")
        if watch is not None:
            self.provenance = ProvenancePanel(
                inventory.provenance, profile_id, watch.id, watch.line_description
            )
            self.tabs.addTab(self.provenance, "&Provenance")
        else:
            later = QLabel("Save the watch first: its provenance is added when you edit it.")
            self.tabs.addTab(later, "&Provenance")
            self.tabs.setTabEnabled(1, False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.form_error)
        layout.addWidget(buttons)

        if watch is not None:
            self._fill(watch)
        self._update_examples()
        self.currency.currentTextChanged.connect(self._update_examples)
        self.serial.textChanged.connect(self._check_serial)
        # The serial is checked against the inventory as it is typed (_check_serial).
        fixed = ClearWhenValid(self.form_problems, self.errors, self)
        for name, edit in (
            ("brand", self.brand),
            ("model", self.model),
            ("reference", self.reference),
            ("year", self.year),
            ("purchase_cost", self.purchase_cost),
            ("asking_price", self.asking_price),
        ):
            fixed.watch(edit.textChanged, name)
        fixed.watch(self.notes.textChanged, "notes")
        fixed.watch(self.condition.currentTextChanged, "condition")
        fixed.watch(self.currency.currentTextChanged, "currency", "purchase_cost", "asking_price")
        fixed.watch(self.status.combo.currentIndexChanged, "status", "away_with", "away_since")
        fixed.watch(self.status.away_with.textChanged, "away_with")
        tab_in_layout_order(self)
        self.brand.setFocus(Qt.FocusReason.OtherFocusReason)

    def _row(self, form: QFormLayout, label: str, name: str, widget: QWidget) -> None:
        error = FieldError(name)
        self.errors[name] = error
        widget.setObjectName(name)
        form.addRow(label, with_error(widget, error))

    def _cost_field(self, inventory: InventoryService, profile_id: int) -> QWidget:
        """The cost's box, or at the front desk a line saying it is hidden (the service
        keeps the stored cost and refuses one typed here)."""
        if not inventory.hides_cost(profile_id):
            return self.purchase_cost
        self.purchase_cost.setParent(self)
        self.purchase_cost.hide()
        return QLabel(HIDDEN[0].upper() + HIDDEN[1:])

    def _fill(self, watch: WatchRow) -> None:
        self.brand.setText(watch.brand)
        self.model.setText(watch.model)
        self.reference.setText(watch.reference)
        self.serial.setText(watch.serial)
        self.year.setText("" if watch.year is None else str(watch.year))
        self.condition.setCurrentText(watch.condition)
        self.has_box.setChecked(watch.has_box)
        self.has_papers.setChecked(watch.has_papers)
        for edit, amount in (
            (self.purchase_cost, watch.purchase_cost),
            (self.asking_price, watch.asking_price),
        ):
            edit.setText("" if amount is None else format_amount(amount, self._locale))
        self.notes.setPlainText(watch.notes)

    def _update_examples(self) -> None:
        try:
            example = example_amount(self.currency.currentText(), self._locale)
        except ValueError:
            return
        for edit in (self.purchase_cost, self.asking_price):
            edit.setPlaceholderText(f"e.g. {example}")

    def _check_serial(self) -> None:
        problem = self._inventory.serial_problem(
            self._profile_id, self.serial.text(), except_id=self._watch_id
        )
        self.errors["serial"].show_message(problem)

    def form(self) -> WatchForm:
        return WatchForm(
            brand=self.brand.text(),
            model=self.model.text(),
            serial=self.serial.text(),
            currency=self.currency.currentText(),
            reference=self.reference.text(),
            year=self.year.text(),
            condition=self.condition.currentText(),
            has_box=self.has_box.isChecked(),
            has_papers=self.has_papers.isChecked(),
            purchase_cost=self.purchase_cost.text(),
            asking_price=self.asking_price.text(),
            notes=self.notes.toPlainText(),
            status=self.status.status(),
            away_with=self.status.with_whom(),
            away_since=self.status.since_date(),
        )

    def form_problems(self) -> dict[str, str]:
        """What is wrong with the form as typed (no database), keyed by field."""
        try:
            parse_watch_form(self.form(), self._locale)
        except FormInvalid as exc:
            return dict(exc.errors)
        except ValidationError as exc:
            return {exc.field or "form": str(exc)}
        return {}

    def save(self) -> None:
        for error in (*self.errors.values(), self.form_error):
            error.clear_message()
        try:
            if self._watch_id is None:
                self.saved = self._inventory.add(self._profile_id, self.form())
            else:
                self.saved = self._inventory.update(self._profile_id, self._watch_id, self.form())
        except FormInvalid as exc:
            for name, message in exc.errors.items():
                self.errors.get(name, self.form_error).show_message(message)
            self._focus_first(exc.errors)
            return
        except ValidationError as exc:
            target = self.errors.get(exc.field or "", self.form_error)
            target.show_message(str(exc))
            self._focus_first({exc.field or "": str(exc)})
            return
        self.accept()

    def _focus_first(self, errors: dict[str, str]) -> None:
        for name in errors:
            widget = self.findChild(QWidget, name)
            if widget is not None and not isinstance(widget, QLabel):
                widget.setFocus()
                return
