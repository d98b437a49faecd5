"""Confirmations and the Add profile dialog. All open window-modal without a nested loop,
so the qasync loop keeps running and tests can answer them like a person would."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.domain.errors import TrackerError, ValidationError
from tracker_desktop.services.profiles.profile_service import ProfileService, ProfileView
from tracker_desktop.ui.settings.profile_form import (
    currency_combo,
    error_label,
    name_problems,
    show_error,
)
from tracker_desktop.ui.widgets.accessibility import name_form_fields, tab_in_layout_order
from tracker_desktop.ui.widgets.field_messages import ClearWhenValid


def ask(
    parent: QWidget,
    title: str,
    text: str,
    yes_text: str,
    on_yes: Callable[[], object],
    *,
    danger: bool = False,
    informative: str = "",
) -> QMessageBox:
    """A Yes/Cancel question; Cancel is the default, so Enter never deletes by accident."""
    box = QMessageBox(parent)
    box.setObjectName("confirmDialog")
    box.setIcon(QMessageBox.Icon.Warning if danger else QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    if informative:
        box.setInformativeText(informative)
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    yes.setObjectName("confirmYes")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)

    def finished() -> None:
        if box.clickedButton() is yes:
            on_yes()
        box.deleteLater()

    box.finished.connect(finished)
    box.open()
    return box


def tell(parent: QWidget, title: str, text: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("problemDialog")
    box.finished.connect(box.deleteLater)
    box.open()
    return box


def confirm_delete(parent: QWidget, view: ProfileView, on_yes: Callable[[], object]) -> QMessageBox:
    stripe_note = (
        "Nothing is deleted in Stripe."
        if not view.is_practice
        else "The simulator's copies go when the app closes anyway."
    )
    return ask(
        parent,
        "Delete profile",
        f"Delete the profile “{view.name}”?",
        "Delete profile",
        on_yes,
        danger=True,
        informative=(
            "This deletes its clients, watches and invoices from this computer, and removes "
            f"its Stripe key from the system keychain. {stripe_note} This cannot be undone."
        ),
    )


def confirm_live(parent: QWidget, name: str, on_yes: Callable[[], object]) -> QMessageBox:
    return ask(
        parent,
        "Use a LIVE Stripe key",
        f"“{name}” will use a LIVE Stripe key.",
        "Use live key",
        on_yes,
        danger=True,
        informative=(
            "Invoices made with it are real: buyers pay real money and Stripe emails them. "
            "Use a test key (sk_test_ or rk_test_) to try things out."
        ),
    )


class AddProfileDialog(QDialog):
    """Name and default currency; the rest is edited on the Settings page."""

    def __init__(self, profiles: ProfileService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addProfileDialog")
        self.setWindowTitle("Add profile")
        self._profiles = profiles
        self.created: ProfileView | None = None
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("newProfileName")
        self.name_edit.setPlaceholderText("Business name, e.g. Geneva Fine Watches")
        self.currency: QComboBox = currency_combo()
        self.name_error = error_label("newProfileNameError")
        # Not the name's fault: the disk, a lock.
        self.problem = error_label("addProfileProblem", beside_a_field=False)
        intro = QLabel(
            "A profile is one business or Stripe account, with its own clients, watches, "
            "invoices and Stripe key."
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Name", self.name_edit)
        form.addRow("", self.name_error)
        form.addRow("Default currency", self.currency)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Add profile")
        ok.setObjectName("addProfileOk")
        buttons.accepted.connect(self._add)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        name_form_fields(form)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(420, self.sizeHint().height())
        tab_in_layout_order(self)
        ClearWhenValid(
            lambda: name_problems(self.name_edit.text()), {"name": self.name_error}, self
        ).watch(self.name_edit.textChanged, "name")

    def _add(self) -> None:
        try:
            self.created = self._profiles.create_profile(
                self.name_edit.text(), default_currency=str(self.currency.currentData())
            )
        except ValidationError as exc:
            show_error(self.name_error, str(exc))
            self.name_edit.setFocus()
            return
        except TrackerError as exc:
            show_error(self.name_error, "")
            show_error(self.problem, str(exc))
            return
        self.accept()
