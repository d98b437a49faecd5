"""Settings → Support: the detailed log a support person may ask for, and where the log is.

Off (the default), the log keeps a line or two per dealer action; on, it also records each
request to Stripe (method, address, request id, time). Keys are masked either way, and
Stripe's library never writes its response bodies (config/log_setup.py).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QVBoxLayout, QWidget

from tracker_desktop.config.log_setup import LOG_FILE_NAME, set_detailed
from tracker_desktop.config.settings import AppSettings, save_settings
from tracker_desktop.domain.errors import TrackerError
from tracker_desktop.ui.settings.profile_form import error_label, show_error
from tracker_desktop.ui.theme import note_style

log = logging.getLogger(__name__)


class SupportSection(QGroupBox):
    def __init__(
        self,
        settings: AppSettings,
        settings_file: Path,
        log_folder: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Support", parent)
        self.setObjectName("supportSection")
        self._settings = settings
        self._settings_file = settings_file
        self.detailed = QCheckBox("Detailed log, for support")
        self.detailed.setObjectName("detailedLog")
        self.detailed.setChecked(settings.detailed_log)
        log_file = log_folder / LOG_FILE_NAME
        self.note = QLabel(
            f"Also records each request to Stripe (address, request id, time; never a key) in "
            f"{log_file}. Leave it off otherwise: the log then keeps a line or two per action."
        )
        self.note.setObjectName("detailedLogNote")
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note.setStyleSheet(note_style())
        self.problem = error_label("supportProblem", beside_a_field=False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.detailed)
        layout.addWidget(self.note)
        layout.addWidget(self.problem)
        self.detailed.toggled.connect(self._toggled)

    def _toggled(self, on: bool) -> None:
        set_detailed(on)
        self._settings.detailed_log = on
        log.info("detailed log %s", "on" if on else "off")
        try:
            save_settings(self._settings_file, self._settings)
        except TrackerError as exc:  # on for this session; the file says why it is not kept
            show_error(self.problem, str(exc))
            return
        show_error(self.problem, "")
