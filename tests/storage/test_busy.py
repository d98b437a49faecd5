"""A database locked by another program past the busy timeout: a sentence, retryable, and
nothing saved; once the lock is gone the same action works."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from app_wiring import make_foundation

from tracker_desktop.config.settings import AppSettings
from tracker_desktop.db.engine import make_engine, make_session_factory
from tracker_desktop.domain.errors import StorageBusy
from tracker_desktop.services.profiles.profile_service import ProfileService
from tracker_desktop.services.profiles.stripe_access import GatewayProvider

from .conftest import no_library_text


def test_a_write_blocked_past_the_busy_timeout_is_a_sentence(db: Any) -> None:
    engine = make_engine(db.url, busy_timeout_ms=200)
    sessions = make_session_factory(engine)
    base = make_foundation(db.paths, sessions, settings=AppSettings())
    profiles = ProfileService(base, GatewayProvider(sessions, base.keystore))
    other = sqlite3.connect(db.paths.database_file, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another window in the middle of a write
    try:
        with pytest.raises(StorageBusy) as busy:
            profiles.create_profile("Geneva Fine Watches")
        message = str(busy.value)
        assert message == (
            f"The database at {db.paths.database_file} is in use by another program "
            "(perhaps another Tracker Desktop window), which kept it locked for more than "
            "0.2 seconds. Close it, or wait a moment, and try again; nothing was lost."
        )
        assert busy.value.retryable
        no_library_text(message)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert profiles.list_profiles() == []
    assert profiles.create_profile("Geneva Fine Watches").name == "Geneva Fine Watches"
    engine.dispose()
