"""The profile's Stripe key: status, paste field, Verify and save, Replace, Remove.

The key is verified with Stripe before it is stored; the field is cleared once it is saved,
and nothing shown anywhere holds more of the key than its last four characters.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.domain.errors import TrackerError, ValidationError
from tracker_desktop.services.profiles.profile_service import (
    KEY_FIELD,
    KeychainUnavailable,
    ProfileService,
    ProfileView,
    check_key_format,
)
from tracker_desktop.ui.settings.dialogs import ask, confirm_live
from tracker_desktop.ui.settings.profile_form import error_label, show_error
from tracker_desktop.ui.tasks import TaskRunner, describe_error
from tracker_desktop.ui.theme import error_style, note_style, tone_style
from tracker_desktop.ui.widgets.field_messages import ClearWhenValid
from tracker_desktop.ui.widgets.mode_badge import ModeBadge

RESTRICTED_ADVICE = (
    "Safer: a <b>restricted key</b> (rk_…) with only what Tracker Desktop needs — "
    "Customers: Write, Invoices: Write, Invoice items: Write, Events: Read, and "
    "PaymentIntents: Read for payment details. Create one in Stripe under "
    "Dashboard → Developers → API keys. The key is kept in your system keychain, never in "
    "Tracker Desktop's files."
)
PRACTICE_TEXT = (
    "This Practice profile talks to a Stripe simulator running inside Tracker Desktop: no "
    "key, no account and no real money. Its clients and watches are kept; its invoices are "
    "cleared each time Practice mode starts (their watches go back in stock), because the "
    "simulator forgets everything when the app closes."
)


def status_text(view: ProfileView) -> str:
    """The profile's connection in Settings' words (ProfileView.connection, as the status bar)."""
    return view.connection.sentence


class KeySection(QGroupBox):
    key_changed = Signal(object)  # ProfileView

    def __init__(
        self, profiles: ProfileService, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__("Stripe key", parent)
        self._profiles = profiles
        self._runner = runner
        self._view: ProfileView | None = None
        self.badge = ModeBadge()
        self.status = QLabel()
        self.status.setObjectName("keyStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_edit = QLineEdit()
        self.key_edit.setObjectName("keyField")
        self.key_edit.setAccessibleName("Stripe key")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText("Paste your secret (sk_…) or restricted (rk_…) key")
        self.show_key = QToolButton()
        self.show_key.setObjectName("showKey")
        self.show_key.setAccessibleName("Show the key")
        self.show_key.setText("Show")
        self.show_key.setCheckable(True)
        self.verify_button = QPushButton("Verify and save")
        self.verify_button.setObjectName("verifyKey")
        self.verify_button.setDefault(True)
        self.cancel_replace = QPushButton("Cancel")
        self.cancel_replace.setObjectName("cancelReplace")
        self.replace_button = QPushButton("Replace key…")
        self.replace_button.setObjectName("replaceKey")
        self.remove_button = QPushButton("Remove key")
        self.remove_button.setObjectName("removeKey")
        self.busy = QProgressBar()
        self.busy.setObjectName("verifyBusy")
        self.busy.setRange(0, 0)  # indeterminate while Stripe answers
        self.busy.setMaximumHeight(6)
        self.busy.setTextVisible(False)
        self.busy.setVisible(False)
        self.key_error = error_label("keyError")
        # A message about the key pasted before goes once the field holds a well-formed key.
        ClearWhenValid(self._key_problems, {KEY_FIELD: self.key_error}, self).watch(
            self.key_edit.textChanged, KEY_FIELD
        )
        self.keep_in_memory = QPushButton("Keep the key in memory for this session only")
        self.keep_in_memory.setObjectName("keepInMemory")
        self.keep_in_memory.setVisible(False)
        self.advice = QLabel(RESTRICTED_ADVICE)
        self.advice.setObjectName("keyAdvice")
        self.advice.setWordWrap(True)
        self.advice.setStyleSheet(note_style())

        self.entry = QWidget()
        entry_row = QHBoxLayout(self.entry)
        entry_row.setContentsMargins(0, 0, 0, 0)
        entry_row.addWidget(self.key_edit, 1)
        entry_row.addWidget(self.show_key)
        entry_row.addWidget(self.verify_button)
        entry_row.addWidget(self.cancel_replace)
        manage_row = QHBoxLayout()
        manage_row.addWidget(self.replace_button)
        manage_row.addWidget(self.remove_button)
        manage_row.addStretch(1)
        layout = QVBoxLayout(self)
        status_row = QHBoxLayout()
        status_row.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        status_row.addWidget(self.status, 1)
        layout.addLayout(status_row)
        layout.addLayout(manage_row)
        layout.addWidget(self.entry)
        layout.addWidget(self.busy)
        layout.addWidget(self.key_error)
        layout.addWidget(self.keep_in_memory)
        layout.addWidget(self.advice)

        self.show_key.toggled.connect(self._toggle_shown)
        self.verify_button.clicked.connect(lambda: self.verify())
        self.key_edit.returnPressed.connect(lambda: self.verify())
        self.keep_in_memory.clicked.connect(lambda: self.verify(in_memory=True))
        self.replace_button.clicked.connect(self._start_replace)
        self.cancel_replace.clicked.connect(lambda: self.show_profile(self._view))
        self.remove_button.clicked.connect(self._remove)
        runner.busy_changed.connect(self._set_busy)

    def _key_problems(self) -> dict[str, str]:
        try:
            check_key_format(self.key_edit.text())
        except ValidationError as exc:
            return {KEY_FIELD: str(exc)}
        return {}

    # -- showing ------------------------------------------------------------------------
    def show_profile(self, view: ProfileView | None) -> None:
        self._view = view
        self.key_edit.clear()
        self.show_key.setChecked(False)
        show_error(self.key_error, "")
        self.keep_in_memory.setVisible(False)
        self.setVisible(view is not None)
        if view is None:
            return
        self.badge.set_mode(view.mode)
        self.status.setText(PRACTICE_TEXT if view.is_practice else status_text(view))
        style = {"live": f"{tone_style('error')} font-weight: bold;", "test": tone_style("warning")}
        unreadable = view.key_problem is not None and not view.is_practice
        self.status.setStyleSheet(error_style() if unreadable else style.get(view.mode, ""))
        on_record = view.key_last4 is not None
        self.advice.setVisible(not view.is_practice)
        self.entry.setVisible(not view.is_practice and not view.has_key)
        self.cancel_replace.setVisible(False)
        self.replace_button.setVisible(not view.is_practice and view.has_key)
        self.remove_button.setVisible(not view.is_practice and on_record)

    def _start_replace(self) -> None:
        self.entry.setVisible(True)
        self.cancel_replace.setVisible(True)
        self.replace_button.setVisible(False)
        self.key_edit.setFocus()

    def _toggle_shown(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.key_edit.setEchoMode(mode)
        self.show_key.setText("Hide" if shown else "Show")

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        for widget in (self.verify_button, self.replace_button, self.remove_button):
            widget.setEnabled(not busy)
        self.keep_in_memory.setEnabled(not busy)
        self.key_edit.setReadOnly(busy)
        if busy:
            self.status.setText("Checking the key with Stripe…")

    # -- actions ------------------------------------------------------------------------
    def verify(self, *, in_memory: bool = False, confirmed_live: bool = False) -> None:
        view = self._view
        if view is None or self._runner.busy:
            return
        show_error(self.key_error, "")
        key = self.key_edit.text()
        try:
            live = check_key_format(key)
        except ValidationError as exc:
            show_error(self.key_error, str(exc))
            return
        if live and not confirmed_live and not view.live_confirmed:
            confirm_live(
                self, view.name, lambda: self.verify(in_memory=in_memory, confirmed_live=True)
            )
            return
        self.keep_in_memory.setVisible(False)
        self._runner.run(
            self._profiles.verify_and_save_key(
                view.id, key, in_memory=in_memory, confirm_live=confirmed_live or live
            ),
            self._saved,
            self._failed,
        )

    def _saved(self, view: ProfileView) -> None:
        self.show_profile(view)
        self.key_changed.emit(view)

    def _failed(self, exc: Exception) -> None:
        if self._view is not None:
            try:
                current = self._profiles.get(self._view.id)
            except TrackerError:  # the database itself refused: the key's error says enough
                current = self._view
            self.status.setText(status_text(current))
        show_error(self.key_error, describe_error(exc))
        if isinstance(exc, KeychainUnavailable):
            self.keep_in_memory.setVisible(True)

    def _remove(self) -> None:
        view = self._view
        if view is None or self._runner.busy:
            return
        ask(
            self,
            "Remove Stripe key",
            f"Remove the Stripe key of “{view.name}”?",
            "Remove key",
            lambda: self._runner.run(self._profiles.remove_key(view.id), self._saved, self._failed),
            danger=True,
            informative=(
                "It is deleted from the system keychain. Clients, watches and invoices stay; "
                "you cannot create or sync invoices until you add a key again."
            ),
        )
