"""Settings → Front desk: this computer hides purchase cost and margin for the active profile.

Switching it on takes effect at once; switching it back asks first (No is the default), so a
stray click at the counter does not put costs on the screen. It is kept in this computer's
settings.json and enforced by the services (services/front_desk.py); the note says plainly
that it keeps the figures off the screen and is no lock against this computer's account.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QVBoxLayout, QWidget

from tracker_desktop.domain.errors import TrackerError
from tracker_desktop.services.front_desk import FrontDesk
from tracker_desktop.ui.settings.profile_form import error_label, show_error
from tracker_desktop.ui.theme import note_style
from tracker_desktop.ui.widgets.questions import ask_yes_no

log = logging.getLogger(__name__)

NOTE = (
    "On this computer only, for the active profile: the Watches window, its CSV file and the "
    "Dashboard leave out what each watch cost and the margin, and a cost cannot be typed here. "
    "It keeps those figures off the front desk's screen; it does not lock them away from "
    "someone who can use this computer's account, who can switch it off again here."
)


class FrontDeskSection(QGroupBox):
    def __init__(
        self,
        front_desk: FrontDesk,
        profile_id: Callable[[], int | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Front desk", parent)
        self.setObjectName("frontDeskSection")
        self._front_desk = front_desk
        self._profile_id = profile_id
        self.dialog: QWidget | None = None  # the question asked before showing costs again
        self.hide_cost = QCheckBox("Front desk: hide purchase cost and margin")
        self.hide_cost.setObjectName("frontDeskHideCost")
        self.note = QLabel(NOTE)
        self.note.setObjectName("frontDeskNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet(note_style())
        self.problem = error_label("frontDeskProblem", beside_a_field=False)
        show_error(self.problem, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.hide_cost)
        layout.addWidget(self.note)
        layout.addWidget(self.problem)
        self.hide_cost.toggled.connect(self._toggled)
        self.refresh()

    def refresh(self) -> None:
        """Show the active profile's switch (after a profile switch, or a change)."""
        profile_id = self._profile_id()
        self._show(self._front_desk.hides_cost(profile_id))
        self.hide_cost.setEnabled(profile_id is not None)

    def _show(self, on: bool) -> None:
        self.hide_cost.blockSignals(True)
        self.hide_cost.setChecked(on)
        self.hide_cost.blockSignals(False)

    def _toggled(self, on: bool) -> None:
        profile_id = self._profile_id()
        if profile_id is None:
            return
        if on:
            self._set(profile_id, True)
            return
        self._show(True)  # still hidden until the answer is Yes
        self.dialog = ask_yes_no(
            self,
            "Show purchase cost and margin",
            "Show what each watch cost and the margin on this computer again?",
            lambda: self._set(profile_id, False),
        )

    def _set(self, profile_id: int, hide: bool) -> None:
        log.info("front desk %s for profile %s", "on" if hide else "off", profile_id)
        try:
            self._front_desk.set_hides_cost(profile_id, hide)
        except TrackerError as exc:  # in force for this run; the file says why it is not kept
            show_error(self.problem, str(exc))
        else:
            show_error(self.problem, "")
        self._show(self._front_desk.hides_cost(profile_id))
