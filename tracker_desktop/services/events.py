"""A tiny publish/subscribe hub: services announce what changed, the UI bridge listens.

Services never import Qt; the one Qt bridge (ui/bridge.py) turns these calls into signals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

Listener = Callable[[str, dict[str, Any]], None]

# Topics, so publishers and subscribers grep to the same names.
PROFILE_CHANGED = "profile_changed"  # {"profile_id": int | None}
PROFILES_EDITED = "profiles_edited"  # {}
DATA_CHANGED = "data_changed"  # {"kind": "contacts" | "watches" | "invoices"}
SYNC_STATE = "sync_state"  # {"text": str, "ok": bool}
NOTIFY = "notify"  # {"text": str, "level": "info" | "warning" | "error"}


@dataclass
class EventHub:
    _listeners: list[Listener] = field(default_factory=list)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def publish(self, topic: str, **payload: Any) -> None:
        for listener in list(self._listeners):
            try:
                listener(topic, payload)
            except Exception:  # one broken window must not stop the others hearing it
                log.exception("listener failed for %s", topic)
