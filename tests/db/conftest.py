"""A real SQLite file per test, migrated to head the way the app does it at start-up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import make_engine, make_session_factory
from tracker_desktop.db.migrate import prepare_database


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "data" / "tracker.sqlite3"


@pytest.fixture
def db_url(db_file: Path) -> str:
    db_file.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{db_file}"


@pytest.fixture
def backups_dir(tmp_path: Path) -> Path:
    return tmp_path / "backups"


@pytest.fixture
def engine(db_url: str, db_file: Path, backups_dir: Path) -> Iterator[Engine]:
    prepare_database(db_url, db_file, backups_dir)
    eng = make_engine(db_url)
    try:
        yield eng
    finally:
        eng.dispose()


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def session(factory: sessionmaker[Session]) -> Iterator[Session]:
    with factory() as s, s.begin():
        yield s
