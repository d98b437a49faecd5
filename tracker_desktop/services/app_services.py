"""What the composition root hands to the windows: each window takes only the parts it uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.config.paths import AppPaths
from tracker_desktop.config.settings import AppSettings
from tracker_desktop.services.events import EventHub

if TYPE_CHECKING:
    from tracker_desktop.config.secrets import KeyStore


@dataclass
class AppServices:
    paths: AppPaths
    settings: AppSettings
    hub: EventHub
    session_factory: sessionmaker[Session]
    keystore: KeyStore
    # The profile every list, search and total is scoped to (None: no profile yet).
    active_profile_id: int | None = None
    # Practice mode: the base address of the in-process Stripe simulator, and its key.
    practice_base_url: str | None = None
    practice_key: str | None = None
    # Higher-level services register here by name as they are built (profiles, clients, ...).
    extras: dict[str, Any] = field(default_factory=dict)
    # Called on shutdown, newest first: stop pollers, close HTTP clients, stop the simulator.
    closers: list[Callable[[], Any]] = field(default_factory=list)
