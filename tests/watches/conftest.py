"""The inventory service on a real migrated SQLite file per test (the shared `db`), with one
profile."""

from __future__ import annotations

from typing import Any

import pytest
from postgres_server import run_on_both_backends
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.repositories.profiles import create_profile
from tracker_desktop.services.events import EventHub
from tracker_desktop.services.inventory.watch_service import InventoryService


@pytest.fixture
def factory(db: Any) -> sessionmaker[Session]:
    return db.sessions


@pytest.fixture
def profile_id(factory: sessionmaker[Session]) -> int:
    with session_scope(factory, write=True) as session:
        return create_profile(session, "Geneva Fine Watches", default_currency="USD").id


@pytest.fixture
def hub() -> EventHub:
    return EventHub()


@pytest.fixture
def inventory(db: Any, hub: EventHub) -> InventoryService:
    return InventoryService(db.sessions, hub, attachments=db.paths.attachments)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    run_on_both_backends(metafunc, ui_modules=("test_watches_page", "test_watch_form_messages"))
