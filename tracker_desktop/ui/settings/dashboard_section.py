"""Settings → Dashboard and notifications: the active profile's yearly sales goal (100,000 in
its currency until set) and whether paid, failed and overdue invoices are announced.

The goal is read and saved on the database worker; a goal that is not an amount is refused
beside the field and nothing is saved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.config.settings import AppSettings, save_settings
from tracker_desktop.domain.errors import TrackerError
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.money_format import format_amount, format_money
from tracker_desktop.services.dashboard import DashboardService
from tracker_desktop.ui.settings.profile_form import error_label, show_error
from tracker_desktop.ui.tasks import LatestCall, TaskRunner, database_worker, describe_error
from tracker_desktop.ui.theme import note_style

log = logging.getLogger(__name__)


class DashboardSection(QGroupBox):
    def __init__(
        self,
        dashboard: DashboardService,
        active_profile: Callable[[], int | None],
        locale: str,
        settings: AppSettings,
        settings_file: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Dashboard and notifications", parent)
        self.setObjectName("dashboardSection")
        self._dashboard = dashboard
        self._active = active_profile
        self._locale = locale
        self._settings = settings
        self._settings_file = settings_file
        self.goal: Money | None = None
        self._reader = LatestCall(self)
        self.runner = TaskRunner(self)
        self.goal_edit = QLineEdit()
        self.goal_edit.setObjectName("salesGoal")
        self.goal_edit.setAccessibleName("Yearly sales goal")
        self.goal_currency = QLabel()
        self.save_goal = QPushButton("Save goal")
        self.save_goal.setObjectName("saveGoal")
        self.goal_note = QLabel()
        self.goal_note.setObjectName("goalNote")
        self.goal_note.setStyleSheet(note_style())
        self.goal_error = error_label("goalError")
        self.notifications = QCheckBox(
            "Tell me when an invoice is paid, a payment fails or an invoice falls overdue"
        )
        self.notifications.setObjectName("notificationsOn")
        self.notifications.setChecked(settings.notifications)
        self.problem = error_label("notificationsProblem", beside_a_field=False)
        row = QHBoxLayout()
        row.addWidget(QLabel("Yearly sales goal"))
        row.addWidget(self.goal_edit, 1)
        row.addWidget(self.goal_currency)
        row.addWidget(self.save_goal)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.goal_error)
        layout.addWidget(self.goal_note)
        layout.addWidget(self.notifications)
        layout.addWidget(self.problem)
        self.save_goal.clicked.connect(self.save)
        self.goal_edit.returnPressed.connect(self.save)
        self.notifications.toggled.connect(self._toggled)
        self.refresh()

    def refresh(self) -> None:
        """Show the active profile's goal (read on the database worker)."""
        profile_id = self._active()
        self.setEnabled(profile_id is not None)
        if profile_id is None:
            return
        dashboard = self._dashboard
        self._reader.ask(lambda: dashboard.goal(profile_id), self._show_goal)

    def _show_goal(self, answer: tuple[Money, bool]) -> None:
        goal, is_default = answer
        self.goal = goal
        self.goal_edit.setText(format_amount(goal, self._locale))
        self.goal_currency.setText(goal.currency)
        show_error(self.goal_error, "")
        self.goal_note.setText(
            "The default, until you save one." if is_default else "Shown on the Dashboard."
        )

    def save(self) -> None:
        profile_id, goal = self._active(), self.goal
        if profile_id is None or goal is None or self.runner.busy:
            return
        text, code, locale = self.goal_edit.text(), goal.currency, self._locale
        dashboard = self._dashboard

        def saved(new: Money) -> None:
            self._show_goal((new, False))
            self.goal_note.setText(f"Saved: {format_money(new, locale)} for this year.")

        self.runner.run(
            database_worker().run(lambda: dashboard.set_goal(profile_id, text, code, locale)),
            saved,
            lambda exc: show_error(self.goal_error, describe_error(exc)),
        )

    def _toggled(self, on: bool) -> None:
        self._settings.notifications = on
        log.info("notifications %s", "on" if on else "off")
        try:
            save_settings(self._settings_file, self._settings)
        except TrackerError as exc:  # on for this session; the file says why it is not kept
            show_error(self.problem, str(exc))
            return
        show_error(self.problem, "")
