"""The composer's provenance warning, kept here beside the rest of provenance: a line under a
watch's invoice line when the watch has no stolen-register check on record or only one
older than the setting. It warns and never blocks; the composer makes one call."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QBoxLayout, QLabel, QWidget

from tracker_desktop.domain.errors import TrackerError
from tracker_desktop.services.inventory.watch_service import InventoryService, WatchRow
from tracker_desktop.ui.theme import tone_style

log = logging.getLogger(__name__)


def add_provenance_note(
    line: QWidget, inventory: InventoryService, profile_id: int, watch: WatchRow
) -> QLabel | None:
    """Put the warning under `line` (a composer line row); None when there is nothing to say."""
    try:
        text = inventory.provenance_warning.text(profile_id, watch.id, watch.line_description)
    except TrackerError as exc:  # a warning that cannot be read must not stop the sale
        log.warning("provenance of watch %s not read: %s", watch.id, exc)
        return None
    layout = line.layout()
    if not text or not isinstance(layout, QBoxLayout):
        return None
    note = QLabel(text, line)
    note.setObjectName("provenanceWarning")
    note.setProperty("tone", "warning")
    note.setWordWrap(True)
    note.setStyleSheet(tone_style("warning"))
    layout.addWidget(note)
    note.show()  # at once, as the line itself is shown
    return note
