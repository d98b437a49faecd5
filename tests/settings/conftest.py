"""Settings and profiles on the shared fixtures (the app's migrated SQLite file under
TRACKER_HOME, the in-memory keychain, the simulator per module), plus a refusing keychain."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import keyring
import keyring.backend
import keyring.errors
import pytest
from app_wiring import make_foundation

from tracker_desktop.config.settings import load_settings
from tracker_desktop.services.app_services import Foundation
from tracker_desktop.services.events import Event, EventHub
from tracker_desktop.services.profiles.profile_service import ProfileService
from tracker_desktop.services.profiles.stripe_access import GatewayProvider


@pytest.fixture
def published() -> list[Event]:
    return []


@pytest.fixture
def base(db: Any, memory_keyring: Any, published: list[Event]) -> Foundation:
    hub = EventHub()
    hub.subscribe_all(published.append)
    return make_foundation(
        db.paths, db.sessions, settings=load_settings(db.paths.settings_file), hub=hub
    )


@pytest.fixture
def gateways(base: Foundation, sandbox: Any) -> Iterator[GatewayProvider]:
    provider = GatewayProvider(base.session_factory, base.keystore, api_base=sandbox.base_url)
    try:
        yield provider
    finally:
        try:
            loop = asyncio.get_running_loop()  # GUI tests: qasync's loop is running
        except RuntimeError:
            asyncio.run(provider.close_all())
        else:
            closing = loop.create_task(provider.close_all())
            closing.add_done_callback(lambda _t: None)  # runs on qasync's loop


@pytest.fixture
def profiles(base: Foundation, gateways: GatewayProvider, sandbox: Any) -> ProfileService:
    service = ProfileService(
        base,
        gateways,
        # The simulator is already running for the module; Practice gets its own account.
        practice_starter=lambda: (sandbox.base_url, sandbox.new_key(tag="practice")),
    )
    return service


class RefusingKeyring(keyring.backend.KeyringBackend):
    """A keychain that is there but refuses (locked, or access denied by the dealer)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("the keychain is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("the keychain is locked")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("the keychain is locked")


@pytest.fixture
def refusing_keyring(memory_keyring: Any) -> Iterator[RefusingKeyring]:
    backend = RefusingKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(memory_keyring)  # memory_keyring restores the process default
