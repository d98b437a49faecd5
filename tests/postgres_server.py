"""The PostgreSQL test server (`TRACKER_TEST_POSTGRES_URL`, started by .ci/run): one migrated
template database per test run, and a fresh copy of it for each test, dropped afterwards, so
tests on the server stay as independent as tests on their own SQLite file.

Without the variable the PostgreSQL tests skip; with TRACKER_REQUIRE_POSTGRES=1 (CI) a
missing or unreachable server fails them instead.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import make_url, text

from tracker_desktop.db.engine import make_engine
from tracker_desktop.db.migrate import prepare_database

URL_VARIABLE = "TRACKER_TEST_POSTGRES_URL"
REQUIRE_VARIABLE = "TRACKER_REQUIRE_POSTGRES"


def missing_server(reason: str) -> None:
    """Skip on a developer's machine, fail where the server is required (CI)."""
    if os.environ.get(REQUIRE_VARIABLE) == "1":
        pytest.fail(f"{reason} and {REQUIRE_VARIABLE}=1")
    pytest.skip(reason)


def server_url() -> str:
    url = os.environ.get(URL_VARIABLE, "")
    if not url:
        missing_server(f"{URL_VARIABLE} is not set: no PostgreSQL server to test on")
    return url


def database_url(server: str, name: str) -> str:
    return make_url(server).set(database=name).render_as_string(hide_password=False)


@dataclass
class PostgresServer:
    """Creates databases on the test server: `fresh()` copies the migrated template."""

    url: str
    template: str = field(default_factory=lambda: f"tracker_template_{uuid.uuid4().hex[:12]}")
    made: list[str] = field(default_factory=list)

    def _admin(self, statement: str) -> None:
        engine = make_engine(self.url)
        try:
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text(statement))
        finally:
            engine.dispose()

    def create_template(self, backups: Path) -> None:
        try:
            self._admin(f'CREATE DATABASE "{self.template}"')
        except Exception as exc:
            missing_server(f"the PostgreSQL test server did not answer ({type(exc).__name__})")
        prepare_database(database_url(self.url, self.template), None, backups)

    def empty(self) -> str:
        """A new database with nothing in it (for the migration tests)."""
        name = f"tracker_test_{uuid.uuid4().hex[:16]}"
        self._admin(f'CREATE DATABASE "{name}"')
        self.made.append(name)
        return database_url(self.url, name)

    def fresh(self) -> str:
        """A new database migrated to head, copied from the template (fast)."""
        name = f"tracker_test_{uuid.uuid4().hex[:16]}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        self.made.append(name)
        return database_url(self.url, name)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.made:
            self.made.remove(name)

    def drop_all(self) -> None:
        for name in [*self.made, self.template]:
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.made.clear()


BACKENDS = ("sqlite", "postgresql")


def run_on_both_backends(metafunc: pytest.Metafunc, *, ui_modules: tuple[str, ...] = ()) -> None:
    """For a conftest's pytest_generate_tests: every test there that uses `db` runs once on
    SQLite and once on the PostgreSQL server, but those of the widget modules named (their
    services are the ones under test on both)."""
    if metafunc.module.__name__.rsplit(".", 1)[-1] in ui_modules:
        return
    if metafunc.definition.get_closest_marker("slow"):
        return  # the soaks test the push's retries, not the database: SQLite's run is enough
    if "db_backend" in metafunc.fixturenames:
        # A module about the server alone names it in DB_BACKENDS.
        metafunc.parametrize("db_backend", getattr(metafunc.module, "DB_BACKENDS", BACKENDS))
