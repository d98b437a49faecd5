"""A real migrated SQLite file per test with one profile, and the inventory service on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import make_engine, make_session_factory, session_scope
from tracker_desktop.db.migrate import prepare_database
from tracker_desktop.db.repositories.profiles import create_profile
from tracker_desktop.services.events import EventHub
from tracker_desktop.services.inventory import InventoryService


@pytest.fixture
def factory(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    db_file = tmp_path / "data" / "tracker.sqlite3"
    db_file.parent.mkdir(parents=True)
    url = f"sqlite:///{db_file}"
    prepare_database(url, db_file, tmp_path / "backups")
    engine = make_engine(url)
    try:
        yield make_session_factory(engine)
    finally:
        engine.dispose()


@pytest.fixture
def profile_id(factory: sessionmaker[Session]) -> int:
    with session_scope(factory, write=True) as session:
        return create_profile(session, "Geneva Fine Watches", default_currency="USD").id


@pytest.fixture
def hub() -> EventHub:
    return EventHub()


@pytest.fixture
def inventory(factory: sessionmaker[Session], hub: EventHub) -> InventoryService:
    return InventoryService(factory, hub)
