"""The client form: every field with its own error line, the country chosen from a list.

It only collects and shows; the page saves (ClientService.save checks everything, and
nothing is saved until all of it is right) and pushes to Stripe.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.domain.validation import (
    ADDRESS_MAX,
    COMPANY_MAX,
    EMAIL_MAX,
    NAME_MAX,
    PHONE_MAX,
    country_choices,
)
from tracker_desktop.services.clients.client_service import ClientInput, check_client
from tracker_desktop.ui.theme import banner_style, error_style
from tracker_desktop.ui.widgets.accessibility import name_form_fields, tab_in_layout_order
from tracker_desktop.ui.widgets.field_messages import ClearWhenValid, reserve_line

# Stripe names address parts like "address[city]"; the form names them "city".
_STRIPE_PARAMS = {
    "name": "name",
    "email": "email",
    "phone": "phone",
    "address[line1]": "line1",
    "address[line2]": "line2",
    "address[city]": "city",
    "address[state]": "state",
    "address[postal_code]": "postal_code",
    "address[country]": "country",
}
# What the database keeps of each field (models.Contact), so nothing longer can be typed.
_MAX_LENGTHS = {
    "name": NAME_MAX,
    "company": COMPANY_MAX,
    "email": EMAIL_MAX,
    "phone": PHONE_MAX,
    **ADDRESS_MAX,
}


_ADDRESS = frozenset({"line1", "line2", "city", "state", "postal_code"})


def field_for_param(param: str | None) -> str | None:
    """The form field a Stripe error's `param` is about, if any."""
    return _STRIPE_PARAMS.get(param or "")


class ClientDialog(QDialog):
    """Enter saves (the page decides whether to close), Escape cancels."""

    save_requested = Signal()

    def __init__(
        self,
        title: str,
        initial: ClientInput | None = None,
        *,
        offer_stripe: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("clientDialog")
        self.setMinimumWidth(460)
        self.client_id: int | None = None  # set once saved, so a second Save edits it

        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        self.form_error = QLabel()
        self.form_error.setObjectName("formError")
        self.form_error.setWordWrap(True)
        self.form_error.setStyleSheet(banner_style("error", "QLabel#formError"))
        self.form_error.hide()
        layout.addWidget(self.form_error)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, label, hint in (
            ("name", "Name *", "Full name as on the invoice"),
            ("company", "Company", ""),
            ("email", "Email", "name@example.com"),
            ("phone", "Phone", "+41 22 310 00 00"),
            ("line1", "Address line 1", "Street and number"),
            ("line2", "Address line 2", "Apartment, floor (optional)"),
            ("city", "City", ""),
            ("state", "State / region", ""),
            ("postal_code", "Postal code", ""),
        ):
            edit = QLineEdit()
            edit.setObjectName(f"field_{key}")
            edit.setPlaceholderText(hint)
            edit.setMaxLength(_MAX_LENGTHS[key])
            self.edits[key] = edit
            form.addRow(label, self._with_error(key, edit))

        self.country = QComboBox()
        self.country.setObjectName("field_country")
        self.country.addItem("— No country —", "")
        for code, name in country_choices("en"):
            self.country.addItem(f"{name} ({code})", code)
        form.addRow("Country", self._with_error("country", self.country))

        self.notes = QPlainTextEdit()
        self.notes.setObjectName("field_notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(60)
        form.addRow("Notes", self._with_error("notes", self.notes))
        name_form_fields(form)
        layout.addLayout(form)

        self.create_in_stripe = QCheckBox("Create this client as a customer in Stripe")
        self.create_in_stripe.setObjectName("createInStripe")
        self.create_in_stripe.setChecked(offer_stripe)
        self.create_in_stripe.setVisible(offer_stripe)
        layout.addWidget(self.create_in_stripe)

        self.status = QLabel()
        self.status.setObjectName("formStatus")
        layout.addWidget(self.status)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.save_requested.emit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if initial is not None:
            self.set_values(initial)
        fixed = ClearWhenValid(lambda: check_client(self.values()), self.errors, self)
        # A started address needs its street, city and country; an empty one needs none.
        needed = ("line1", "city", "country")
        for key, edit in self.edits.items():
            fixed.watch(edit.textChanged, key, *(needed if key in _ADDRESS else ()))
        fixed.watch(self.country.currentIndexChanged, *needed)
        fixed.watch(self.notes.textChanged, "notes")
        tab_in_layout_order(self)
        self.edits["name"].setFocus()

    def _with_error(self, key: str, field: QWidget) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field)
        error = QLabel()
        error.setObjectName(f"error_{key}")
        error.setStyleSheet(error_style())
        error.setWordWrap(True)
        reserve_line(error)
        error.hide()
        column.addWidget(error)
        self.errors[key] = error
        return box

    # -- values -----------------------------------------------------------------------------

    def set_values(self, values: ClientInput) -> None:
        for key, edit in self.edits.items():
            edit.setText(getattr(values, key))
        self.set_country(values.country)
        self.notes.setPlainText(values.notes)

    def set_country(self, code: str) -> None:
        found = self.country.findData(code.strip().upper())
        self.country.setCurrentIndex(max(found, 0))

    def values(self) -> ClientInput:
        texts = {key: edit.text() for key, edit in self.edits.items()}
        return ClientInput(
            **texts, country=str(self.country.currentData() or ""), notes=self.notes.toPlainText()
        )

    # -- messages ---------------------------------------------------------------------------

    def show_errors(self, errors: dict[str, str], form_message: str = "") -> None:
        """Each message beside its field; the first wrong field gets the focus."""
        for key, label in self.errors.items():
            message = errors.get(key, "")
            label.setText(message)
            label.setVisible(bool(message))
        extra = [m for k, m in errors.items() if k not in self.errors]
        text = " ".join(p for p in (form_message, *extra) if p)
        self.form_error.setText(text)
        self.form_error.setVisible(bool(text))
        for key in self.errors:
            if key in errors:
                others: dict[str, QWidget] = {"country": self.country, "notes": self.notes}
                widget = others[key] if key in others else self.edits[key]
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                break

    def error_text(self, key: str) -> str:
        label = self.errors.get(key)
        return label.text() if label is not None and not label.isHidden() else ""

    def set_busy(self, text: str) -> None:
        self.status.setText(text)
        self.save_button.setEnabled(not text)
