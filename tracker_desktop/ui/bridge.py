"""The one place where service events become Qt signals. Windows connect to these."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from tracker_desktop.services import events


class QtEventBridge(QObject):
    profile_changed = Signal(object)  # int | None
    profiles_edited = Signal()
    data_changed = Signal(str)
    sync_state = Signal(str, bool)
    notify = Signal(str, str)

    def __init__(self, hub: events.EventHub, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # The last sync state, for windows built after it was announced.
        self.last_sync_state: tuple[str, bool] = ("", True)
        self._unsubscribe = hub.subscribe(self._on_event)

    def _on_event(self, topic: str, payload: dict[str, Any]) -> None:
        if topic == events.PROFILE_CHANGED:
            self.profile_changed.emit(payload.get("profile_id"))
        elif topic == events.PROFILES_EDITED:
            self.profiles_edited.emit()
        elif topic == events.DATA_CHANGED:
            self.data_changed.emit(str(payload.get("kind", "")))
        elif topic == events.SYNC_STATE:
            self.last_sync_state = (str(payload.get("text", "")), bool(payload.get("ok", True)))
            self.sync_state.emit(*self.last_sync_state)
        elif topic == events.NOTIFY:
            self.notify.emit(str(payload.get("text", "")), str(payload.get("level", "info")))

    def detach(self) -> None:
        self._unsubscribe()
