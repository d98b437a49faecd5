"""The Settings page: profiles on the left, the chosen profile's details and key on the right."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.domain.errors import TrackerError
from tracker_desktop.services.profiles.profile_service import ProfileService, ProfileView
from tracker_desktop.ui.bridge import QtEventBridge
from tracker_desktop.ui.settings.deposit_rule import DepositRuleBox
from tracker_desktop.ui.settings.dialogs import AddProfileDialog, confirm_delete, confirm_live, tell
from tracker_desktop.ui.settings.key_section import KeySection
from tracker_desktop.ui.settings.profile_form import ProfileForm
from tracker_desktop.ui.tasks import TaskRunner, describe_error
from tracker_desktop.ui.theme import error_style, note_style, tone

PRACTISE_HINT = (
    "Try every step — clients, invoices, the buyer's payment page — against a simulator "
    "inside the app. No Stripe account, no real money."
)


def list_text(view: ProfileView, active: bool) -> str:
    """Two lines per profile: its name, then its mode and currency at a glance."""
    if view.is_practice:
        second = "Simulator · no real money"
    elif view.key_last4 is None:
        second = f"No Stripe key yet · {view.default_currency}"
    elif view.key_problem is not None:
        second = f"Key not readable · {view.default_currency}"
    else:
        mode = "LIVE — real money" if view.livemode else "Test mode"
        second = f"{mode} · {view.default_currency}"
    return f"{'● ' if active else ''}{view.name}\n{second}"


class SettingsPage(QWidget):
    def __init__(
        self,
        profiles: ProfileService,
        bridge: QtEventBridge | None = None,
        parent: QWidget | None = None,
        *,
        support: QWidget | None = None,
        provenance: QWidget | None = None,
        dashboard: QWidget | None = None,
        deposit_rule: DepositRuleBox | None = None,
        front_desk: QWidget | None = None,
        shared_database: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsPage")
        self._profiles = profiles
        self.runner = TaskRunner(self)
        self.dialog: QWidget | None = None  # the last dialog opened (tests answer it)

        self.profile_list = QListWidget()
        self.profile_list.setObjectName("profileList")
        self.profile_list.setAccessibleName("Profiles")
        self.profile_list.setFixedWidth(280)
        self.profile_list.setWordWrap(True)
        self.profile_list.setSpacing(2)
        self.profile_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.add_button = QPushButton("Add profile…")
        self.add_button.setObjectName("addProfile")
        self.add_button.setToolTip("Add a business or Stripe account (Ctrl+N)")
        self.delete_button = QPushButton("Delete profile…")
        self.delete_button.setObjectName("deleteProfile")
        self.use_button = QPushButton("Use this profile")
        self.use_button.setObjectName("useProfile")
        self.active_note = QLabel()
        self.active_note.setObjectName("activeNote")
        self.practise_button = QPushButton("Practise with the simulator")
        self.practise_button.setObjectName("practise")
        self.practise_button.setStyleSheet(
            "QPushButton#practise { background: #6941c6; color: white; padding: 6px; }"
        )
        practise_hint = QLabel(PRACTISE_HINT)
        practise_hint.setWordWrap(True)
        practise_hint.setStyleSheet(note_style())
        self.form = ProfileForm(profiles)
        self.key_section = KeySection(profiles, self.runner)
        # The active profile's last sync problem, in the status bar's own words.
        self.sync_note = QLabel()
        self.sync_note.setObjectName("syncNote")
        self.sync_note.setWordWrap(True)
        self.sync_note.setStyleSheet(error_style())
        self.sync_note.setVisible(False)
        self._sync: tuple[str, bool] = ("", True)

        left = QVBoxLayout()
        left.addWidget(QLabel("<b>Profiles</b>"))
        left.addWidget(self.profile_list, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.delete_button)
        left.addLayout(row)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        left.addWidget(line)
        left.addWidget(self.practise_button)
        left.addWidget(practise_hint)

        right_body = QWidget()
        right = QVBoxLayout(right_body)
        header = QHBoxLayout()
        header.addWidget(self.active_note, 1)
        header.addWidget(self.use_button)
        right.addLayout(header)
        right.addWidget(self.form)
        right.addWidget(self.key_section)
        right.addWidget(self.sync_note)
        self.dashboard = dashboard  # the goal and the notifications switch
        self.support, self.deposit_rule = support, deposit_rule
        self.provenance = provenance  # how old a stolen-register check may be
        for section in (dashboard, deposit_rule, front_desk, support, provenance, shared_database):
            if section is not None:
                right.addWidget(section)
        right.addStretch(1)
        scroll = QScrollArea()
        scroll.setAccessibleName("Profile details")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(right_body)

        title = QLabel("<h2>Settings</h2>")
        body = QHBoxLayout()
        body.addLayout(left, 0)
        body.addWidget(scroll, 1)
        outer = QVBoxLayout(self)
        outer.addWidget(title)
        outer.addLayout(body, 1)

        self.profile_list.currentItemChanged.connect(lambda *_: self._show_selected())
        self.profile_list.itemActivated.connect(lambda _item: self.use_selected())
        self.add_button.clicked.connect(self.add_profile)
        self.delete_button.clicked.connect(self.delete_selected)
        self.use_button.clicked.connect(self.use_selected)
        self.practise_button.clicked.connect(self.practise)
        self.form.saved.connect(lambda view: self.refresh(view.id))
        self.key_section.key_changed.connect(lambda view: self.refresh(view.id))
        QShortcut(QKeySequence.StandardKey.New, self, self.add_button.click)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.profile_list)
        delete.activated.connect(self.delete_button.click)
        self.runner.busy_changed.connect(self._set_busy)
        if bridge is not None:
            bridge.profile_changed.connect(lambda _pid: self.refresh())
            bridge.sync_state.connect(self._sync_state)
            self._sync = bridge.last_sync_state
            bridge.profiles_edited.connect(lambda: self.refresh())
        self.refresh(profiles.active_profile_id)

    # -- list ---------------------------------------------------------------------------
    def selected(self) -> ProfileView | None:
        item = self.profile_list.currentItem()
        if item is None:
            return None
        view = item.data(Qt.ItemDataRole.UserRole)
        return view if isinstance(view, ProfileView) else None

    def refresh(self, select_id: int | None = None) -> None:
        current = self.selected()
        wanted = select_id if select_id is not None else (current.id if current else None)
        active = self._profiles.active_profile_id
        self.profile_list.blockSignals(True)
        self.profile_list.clear()
        chosen = 0
        for row, view in enumerate(self._profiles.list_profiles()):
            item = QListWidgetItem(list_text(view, view.id == active))
            item.setData(Qt.ItemDataRole.UserRole, view)
            if view.id == active:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
                item.setToolTip("The active profile: every window shows its data")
            if view.is_practice:
                item.setForeground(tone("accent"))
            elif view.livemode:
                item.setForeground(tone("error"))
            self.profile_list.addItem(item)
            if view.id == (wanted if wanted is not None else active):
                chosen = row
        self.profile_list.blockSignals(False)
        if self.profile_list.count():
            self.profile_list.setCurrentRow(chosen)
        self._show_selected()

    def _update_practise_button(self) -> None:
        self.practise_button.setVisible(self._profiles.can_practise)
        running = self._profiles.practice_running
        self.practise_button.setText(
            "Open the Practice profile" if running else "Practise with the simulator"
        )

    def _show_selected(self) -> None:
        self._update_practise_button()
        view = self.selected()
        self.form.show_profile(view)
        self.key_section.show_profile(view)
        if self.deposit_rule is not None:
            self.deposit_rule.show_profile(view)
        self._show_sync_note()
        self.delete_button.setEnabled(view is not None and not self.runner.busy)
        is_active = view is not None and view.id == self._profiles.active_profile_id
        self.use_button.setVisible(view is not None and not is_active)
        if view is None:
            self.active_note.setText("No profile yet: add one, or practise with the simulator.")
        elif is_active:
            self.active_note.setText(f"<b>{view.name}</b> is the active profile.")
        else:
            self.active_note.setText(f"Viewing <b>{view.name}</b> (not the active profile).")

    def _sync_state(self, text: str, ok: bool) -> None:
        self._sync = (text, ok)
        self._show_sync_note()

    def _show_sync_note(self) -> None:
        view, (text, ok) = self.selected(), self._sync
        active = view is not None and view.id == self._profiles.active_profile_id
        shown = active and not ok and bool(text)
        self.sync_note.setText(f"Status bar: {text}" if shown else "")
        self.sync_note.setVisible(shown)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.add_button, self.delete_button, self.use_button, self.profile_list):
            widget.setEnabled(not busy)

    # -- actions ------------------------------------------------------------------------
    def add_profile(self) -> None:
        dialog = AddProfileDialog(self._profiles, self)
        self.dialog = dialog

        def done(result: int) -> None:
            if dialog.created is not None:
                if self._profiles.active_profile_id is None:
                    self._profiles.switch_to(dialog.created.id)
                self.refresh(dialog.created.id)
                self.key_section.key_edit.setFocus()
            dialog.deleteLater()

        dialog.finished.connect(done)
        dialog.open()

    def use_selected(self) -> None:
        view = self.selected()
        if view is None or view.id == self._profiles.active_profile_id:
            return
        if self._profiles.needs_live_confirmation(view.id):

            def confirmed() -> None:
                self._profiles.confirm_live(view.id)
                self._switch(view.id)

            self.dialog = confirm_live(self, view.name, confirmed)
            return
        self._switch(view.id)

    def _switch(self, profile_id: int) -> None:
        try:
            self._profiles.switch_to(profile_id)
        except TrackerError as exc:
            self.dialog = tell(self, "Profile not switched", describe_error(exc))
        self.refresh(profile_id)

    def delete_selected(self) -> None:
        view = self.selected()
        if view is None or self.runner.busy:
            return
        self.dialog = confirm_delete(
            self,
            view,
            lambda: self.runner.run(
                self._profiles.delete_profile(view.id),
                lambda _none: self.refresh(),
                lambda exc: self._problem("Profile not deleted", exc),
            ),
        )

    def practise(self) -> None:
        try:
            view = self._profiles.start_practice()
        except TrackerError as exc:
            self._problem("Practice mode did not start", exc)
            return
        self.refresh(view.id)

    def _problem(self, title: str, exc: Exception) -> None:
        self.dialog = tell(self, title, describe_error(exc))
