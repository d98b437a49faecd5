"""What services announce, as small typed events, and the hub that carries them.

Each event says what changed, so a listener can tell whether it cares. Services never
import Qt; the one Qt bridge (ui/bridge.py) turns these into signals, once per turn of the
event loop however many arrive.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ProfileSwitched:
    """The dealer works in another profile now (None: no profile is left)."""

    profile_id: int | None


@dataclass(frozen=True, slots=True)
class ProfileEdited:
    """A profile was created, renamed, given a key, or deleted."""

    profile_id: int


@dataclass(frozen=True, slots=True)
class InvoicesChanged:
    """Invoices of a profile were saved, pushed, moved to another state or deleted.

    `invoice_ids` names them; empty means any of the profile's (a poll, a reset)."""

    profile_id: int
    invoice_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class WatchesChanged:
    """Watches of a profile were added, edited, deleted or changed status."""

    profile_id: int


@dataclass(frozen=True, slots=True)
class ClientsChanged:
    """Clients of a profile were added, edited, deleted, linked to Stripe or imported."""

    profile_id: int


@dataclass(frozen=True, slots=True)
class PdfStored:
    """An invoice's PDF was saved on disk (its rows in the history do not change)."""

    profile_id: int
    invoice_id: int


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What the status bar says about syncing: "Synced 14:05", "Sync failed: …"."""

    text: str
    ok: bool


@dataclass(frozen=True, slots=True)
class PollFinished:
    """A poll of a profile ended without error; `invoices_changed` of its invoices moved."""

    profile_id: int
    invoices_changed: int


Event = (
    ProfileSwitched
    | ProfileEdited
    | InvoicesChanged
    | WatchesChanged
    | ClientsChanged
    | PdfStored
    | SyncStatus
    | PollFinished
)
E = TypeVar("E", bound=Event)


@dataclass
class EventHub:
    _listeners: dict[type[Any], list[Callable[[Any], object]]] = field(default_factory=dict)

    def subscribe(self, kind: type[E], listener: Callable[[E], object]) -> Callable[[], None]:
        """Call `listener` with every event of type `kind`; returns the way to stop."""
        return self._add(kind, listener)

    def subscribe_all(self, listener: Callable[[Event], object]) -> Callable[[], None]:
        """Every event whatever its type (a test reading them all, say)."""
        return self._add(object, listener)

    def _add(self, kind: type[Any], listener: Callable[[Any], object]) -> Callable[[], None]:
        listeners = self._listeners.setdefault(kind, [])
        listeners.append(listener)

        def unsubscribe() -> None:
            if listener in listeners:
                listeners.remove(listener)

        return unsubscribe

    def publish(self, event: Event) -> None:
        heard = [*self._listeners.get(type(event), ()), *self._listeners.get(object, ())]
        for listener in heard:
            try:
                listener(event)
            except Exception:  # one broken window must not stop the others hearing it
                log.exception("listener failed for %s", event)
