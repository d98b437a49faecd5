"""The Clients window's retry of clients waiting to be sent: it runs while the window is
open and stops with it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from tracker_desktop.ui.clients.page import ClientsPage

from .conftest import World
from .test_clients_page import build_page

RETRY_MS = 150  # build_page's interval


@pytest.fixture
def page(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, world: World
) -> Iterator[ClientsPage]:
    yield build_page(qtbot, world)
    close = asyncio.ensure_future(world.gateways.close_all())
    qtbot.waitUntil(close.done, timeout=5000)


def test_the_retry_timer_stops_when_the_window_is_closed(qtbot: QtBot, page: ClientsPage) -> None:
    fired: list[int] = []
    page.retry_timer.timeout.connect(lambda: fired.append(1))
    qtbot.waitUntil(lambda: fired != [])  # it retries while the window is open

    page.close()
    fired.clear()
    qtbot.wait(RETRY_MS * 5)  # several of its intervals
    assert fired == []
    assert not page.retry_timer.isActive()
