"""A quiet log: at INFO no line per request to Stripe (ours, the SDK's or httpx's); the
detailed log for support, switched on in Settings, adds our request lines, never a key or
the SDK's bodies."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tracker_desktop.config.log_setup import configure_logging, set_detailed
from tracker_desktop.config.paths import app_paths
from tracker_desktop.config.settings import load_settings
from tracker_desktop.sandbox import Sandbox
from tracker_desktop.stripe_gateway import StripeGateway
from tracker_desktop.ui.settings import SettingsPage
from tracker_desktop.ui.settings.support_section import SupportSection


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    root = logging.getLogger()
    before_handlers, before_level = list(root.handlers), root.level
    path = configure_logging(tmp_path / "logs")
    try:
        yield path
    finally:
        set_detailed(False)
        for handler in list(root.handlers):
            if handler not in before_handlers:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(before_level)


def read(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def list_invoices(sandbox: Sandbox, key: str) -> None:
    async def call() -> None:
        async with StripeGateway(key, api_base=sandbox.base_url) as gateway:
            await gateway.list_invoices(limit=1)

    asyncio.run(call())


def test_requests_are_logged_only_in_the_detailed_log(log_file: Path, sandbox: Sandbox) -> None:
    key = sandbox.new_key(tag="logs")
    list_invoices(sandbox, key)
    quiet = read(log_file)
    assert "/v1/invoices" not in quiet  # neither ours, nor stripe's, nor httpx's line
    assert "HTTP Request" not in quiet

    set_detailed(True)
    list_invoices(sandbox, key)
    detailed = read(log_file)[len(quiet) :]
    assert "DEBUG tracker.stripe: GET /v1/invoices req_" in detailed
    assert "HTTP Request" not in detailed  # httpx stays at WARNING: our line says it once
    assert "message='Request to Stripe api'" not in detailed
    assert key not in detailed
    assert key[8:] not in detailed


def test_settings_switches_the_detailed_log_and_keeps_the_choice(
    qtbot: QtBot, start_app: Any
) -> None:
    app = start_app(practice=True)
    page = app.window.show_page("settings")
    assert isinstance(page, SettingsPage)
    support = page.support
    assert isinstance(support, SupportSection)
    assert not support.detailed.isChecked()
    assert str(app_paths().logs) in support.note.text()
    try:
        support.detailed.click()  # below the fold of the scrolled page: as Space would
        assert support.detailed.isChecked()
        assert logging.getLogger("tracker").getEffectiveLevel() == logging.DEBUG
        assert logging.getLogger("tracker_desktop.ui").getEffectiveLevel() == logging.DEBUG
        assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING
        assert load_settings(app_paths().settings_file).detailed_log is True
        support.detailed.click()  # below the fold of the scrolled page: as Space would
        assert logging.getLogger("tracker").getEffectiveLevel() == logging.getLogger().level
        assert load_settings(app_paths().settings_file).detailed_log is False
    finally:
        set_detailed(False)
