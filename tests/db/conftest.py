"""Paths for the migration tests, and sessions on the shared migrated database (`db`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from postgres_server import run_on_both_backends
from sqlalchemy.orm import Session, sessionmaker


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
def factory(db: Any) -> sessionmaker[Session]:
    return db.sessions


@pytest.fixture
def session(factory: sessionmaker[Session]) -> Iterator[Session]:
    with factory() as s, s.begin():
        yield s


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    run_on_both_backends(metafunc)
