"""Who hears every API answer the simulator sends: the test suite holds each to Stripe's model.

An observer gets the answer as sent (after faults, before the socket); it runs in the server's
thread, so it must be quick and must not raise. Practice mode registers none.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Sent:
    """One ``/v1`` answer: what was asked, and what went back."""

    method: str
    path: str
    status: int
    body: bytes
    returns: str  # what the endpoint answers with (see stripe_model.check_answer)


Observer = Callable[[Sent], None]

_lock = threading.Lock()
_observers: list[Observer] = []


def add(observer: Observer) -> None:
    with _lock:
        _observers.append(observer)


def remove(observer: Observer) -> None:
    with _lock:
        if observer in _observers:
            _observers.remove(observer)


def notify(sent: Sent) -> None:
    with _lock:
        current = list(_observers)
    for observer in current:
        observer(sent)
