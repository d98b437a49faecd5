"""A profile's details: name, default currency, days until due, invoice footer."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.domain.currencies import COMMON, KNOWN
from tracker_desktop.domain.errors import TrackerError, ValidationError
from tracker_desktop.domain.validation import text_problem
from tracker_desktop.services.profiles.profile_service import ProfileService, ProfileView
from tracker_desktop.ui.theme import error_style, tone_style
from tracker_desktop.ui.widgets.accessibility import name_form_fields
from tracker_desktop.ui.widgets.field_messages import ClearWhenValid, reserve_line

PROFILE_NAME_MAX = 120


def error_label(name: str, *, beside_a_field: bool = True) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(error_style())
    if beside_a_field:
        reserve_line(label)
    label.setVisible(False)
    return label


def name_problems(name: str) -> dict[str, str]:
    """What the profile store would say of this name, without asking it."""
    if not name.strip():
        return {"name": "A profile needs a name."}
    problem = text_problem(name.strip(), PROFILE_NAME_MAX)
    return {"name": problem} if problem else {}


def show_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def currency_combo() -> QComboBox:
    """The currencies a watch dealer uses most come first, then every other one."""
    combo = QComboBox()
    combo.setObjectName("currencyCombo")
    for code in COMMON:
        combo.addItem(code, code)
    combo.insertSeparator(combo.count())
    for code in sorted(KNOWN - set(COMMON)):
        combo.addItem(code, code)
    return combo


class ProfileForm(QGroupBox):
    saved = Signal(object)  # ProfileView

    def __init__(self, profiles: ProfileService, parent: QWidget | None = None) -> None:
        super().__init__("Business details", parent)
        self._profiles = profiles
        self._profile_id: int | None = None
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("profileName")
        self.name_edit.setPlaceholderText("e.g. Geneva Fine Watches")
        self.name_edit.setMaxLength(PROFILE_NAME_MAX)
        self.currency = currency_combo()
        self.due_days = QSpinBox()
        self.due_days.setObjectName("dueDays")
        self.due_days.setRange(0, 365)
        self.due_days.setSuffix(" days")
        self.footer = QPlainTextEdit()
        self.footer.setObjectName("invoiceFooter")
        self.footer.setPlaceholderText("Printed at the bottom of every invoice, e.g. bank details")
        self.footer.setTabChangesFocus(True)
        self.footer.setFixedHeight(70)
        self.errors = {
            "name": error_label("nameError"),
            "default_currency": error_label("currencyError"),
            "default_due_days": error_label("dueDaysError"),
            "invoice_footer": error_label("footerError"),
        }
        self.save_button = QPushButton("Save details")
        self.save_button.setObjectName("saveDetails")
        self.save_button.setToolTip("Save the details (Ctrl+S)")
        self.saved_note = QLabel()
        self.saved_note.setObjectName("savedNote")
        self.saved_note.setStyleSheet(tone_style("success"))
        # Not about one field: the disk is full, the database busy or read-only.
        self.save_error = error_label("saveError", beside_a_field=False)

        form = QFormLayout()
        for label, widget, key in (
            ("Name", self.name_edit, "name"),
            ("Default currency", self.currency, "default_currency"),
            ("Days until due", self.due_days, "default_due_days"),
            ("Invoice footer", self.footer, "invoice_footer"),
        ):
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addWidget(widget)
            cell.addWidget(self.errors[key])
            form.addRow(label, cell)
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved_note, 1)
        buttons.addWidget(self.save_button)
        outer = QVBoxLayout(self)
        name_form_fields(form)
        outer.addLayout(form)
        outer.addLayout(buttons)
        outer.addWidget(self.save_error)

        self.save_button.clicked.connect(self.save)
        self.name_edit.returnPressed.connect(self.save)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        for edit in (self.name_edit,):
            edit.textEdited.connect(lambda _t: self.saved_note.clear())
        ClearWhenValid(lambda: name_problems(self.name_edit.text()), self.errors, self).watch(
            self.name_edit.textChanged, "name"
        )

    def show_profile(self, view: ProfileView | None) -> None:
        if view is None or view.id != self._profile_id:  # another profile: fresh form
            for label in (*self.errors.values(), self.save_error):
                show_error(label, "")
            self.saved_note.clear()
        self._profile_id = view.id if view else None
        self.setEnabled(view is not None)
        if view is None:
            self.name_edit.clear()
            return
        self.name_edit.setText(view.name)
        index = self.currency.findData(view.default_currency)
        self.currency.setCurrentIndex(max(index, 0))
        self.due_days.setValue(view.default_due_days)
        self.footer.setPlainText(view.invoice_footer)

    def save(self) -> None:
        if self._profile_id is None:
            return
        for label in (*self.errors.values(), self.save_error):
            show_error(label, "")
        try:
            view = self._profiles.update_profile(
                self._profile_id,
                name=self.name_edit.text(),
                default_currency=str(self.currency.currentData() or ""),
                default_due_days=self.due_days.value(),
                invoice_footer=self.footer.toPlainText(),
            )
        except ValidationError as exc:
            show_error(self.errors.get(exc.field or "name", self.errors["name"]), str(exc))
            return
        except TrackerError as exc:
            self.saved_note.clear()
            show_error(self.save_error, str(exc))
            return
        self.saved_note.setText("Saved.")
        self.saved.emit(view)
