"""The one place where service events become Qt signals. Windows connect to these.

Data changes are gathered and given once per turn of the event loop (`data_changed` with a
`Changes`): a poll that moves invoices and their watches, or a void that touches both, makes
each page read once. An event may be published on a worker thread (the database worker's
writes); the gathered changes always reach the windows on the bridge's own thread.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal

from tracker_desktop.services import events

DataEvent = (
    events.InvoicesChanged | events.WatchesChanged | events.ClientsChanged | events.PdfStored
)


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed since the windows last heard, by profile id."""

    invoices: frozenset[int] = frozenset()
    watches: frozenset[int] = frozenset()
    clients: frozenset[int] = frozenset()
    pdfs: frozenset[int] = frozenset()  # invoice ids whose PDF was stored

    @staticmethod
    def of(heard: Iterable[DataEvent]) -> Changes:
        invoices: set[int] = set()
        watches: set[int] = set()
        clients: set[int] = set()
        pdfs: set[int] = set()
        for event in heard:
            if isinstance(event, events.InvoicesChanged):
                invoices.add(event.profile_id)
            elif isinstance(event, events.WatchesChanged):
                watches.add(event.profile_id)
            elif isinstance(event, events.ClientsChanged):
                clients.add(event.profile_id)
            else:
                pdfs.add(event.invoice_id)
        return Changes(frozenset(invoices), frozenset(watches), frozenset(clients), frozenset(pdfs))


class QtEventBridge(QObject):
    profile_changed = Signal(object)  # int | None: the profile switched to
    profiles_edited = Signal(int)  # a profile created, renamed, given a key or deleted
    data_changed = Signal(object)  # Changes, once per turn of the loop
    sync_state = Signal(str, bool)
    _arrived = Signal()  # queued to this object's thread: the gathered changes are due

    def __init__(self, hub: events.EventHub, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # The last sync state, for windows built after it was announced.
        self.last_sync_state: tuple[str, bool] = ("", True)
        self._lock = threading.Lock()
        self._pending: list[DataEvent] = []
        self._arrived.connect(self._flush, Qt.ConnectionType.QueuedConnection)
        switched, edited = self.profile_changed.emit, self.profiles_edited.emit
        self._unsubscribes = [
            hub.subscribe(events.ProfileSwitched, lambda e: switched(e.profile_id)),
            hub.subscribe(events.ProfileEdited, lambda e: edited(e.profile_id)),
            hub.subscribe(events.SyncStatus, self._on_sync_status),
            hub.subscribe(events.InvoicesChanged, self._gather),
            hub.subscribe(events.WatchesChanged, self._gather),
            hub.subscribe(events.ClientsChanged, self._gather),
            hub.subscribe(events.PdfStored, self._gather),
        ]

    def _on_sync_status(self, status: events.SyncStatus) -> None:
        self.last_sync_state = (status.text, status.ok)
        self.sync_state.emit(status.text, status.ok)

    def _gather(self, event: DataEvent) -> None:
        with self._lock:
            first = not self._pending
            self._pending.append(event)
        if first:
            self._arrived.emit()

    def _flush(self) -> None:
        with self._lock:
            heard, self._pending = self._pending, []
        if heard:
            self.data_changed.emit(Changes.of(heard))

    def detach(self) -> None:
        for unsubscribe in self._unsubscribes:
            unsubscribe()
