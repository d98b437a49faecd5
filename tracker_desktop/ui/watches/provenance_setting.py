"""Settings → Provenance: how old a stolen-register check may be before the composer warns
about the watch (it warns, never blocks). Kept in settings.json at once."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QSpinBox, QVBoxLayout, QWidget

from tracker_desktop.config.settings import MAX_CHECK_AGE_DAYS, AppSettings, save_settings
from tracker_desktop.domain.errors import TrackerError
from tracker_desktop.ui.theme import note_style
from tracker_desktop.ui.widgets.accessibility import name_form_fields
from tracker_desktop.ui.widgets.locale_and_fields import FieldError

log = logging.getLogger(__name__)


class ProvenanceSetting(QGroupBox):
    def __init__(
        self, settings: AppSettings, settings_file: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__("Provenance", parent)
        self.setObjectName("provenanceSection")
        self._settings = settings
        self._settings_file = settings_file
        self.max_age = QSpinBox()
        self.max_age.setObjectName("checkMaxAge")
        self.max_age.setRange(1, MAX_CHECK_AGE_DAYS)
        self.max_age.setSuffix(" days")
        self.max_age.setValue(settings.provenance_check_max_age_days)
        note = QLabel(
            "The invoice composer warns when a watch has no stolen-register check on record, "
            "or only one older than this. It never stops the sale."
        )
        note.setWordWrap(True)
        note.setStyleSheet(note_style())
        self.problem = FieldError("form")
        form = QFormLayout()
        form.addRow("Check again after", self.max_age)
        name_form_fields(form)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        self.max_age.valueChanged.connect(self._changed)

    def _changed(self, days: int) -> None:
        self._settings.provenance_check_max_age_days = days
        try:
            save_settings(self._settings_file, self._settings)
        except TrackerError as exc:  # used for this session; the message says why not kept
            self.problem.show_message(str(exc))
            return
        self.problem.clear_message()
        log.info("provenance check age set to %d days", days)
