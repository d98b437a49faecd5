"""Absurd input into the client form: a message per field, nothing saved, and the real form
cannot be typed past what the database keeps."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import fields

import pytest
from absurd_input import FIELD_TEXT
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Contact
from tracker_desktop.domain.errors import FormInvalid
from tracker_desktop.services.clients.client_service import (
    ClientInput,
    check_client,
)
from tracker_desktop.ui.bridge import QtEventBridge
from tracker_desktop.ui.clients.form import ClientDialog
from tracker_desktop.ui.clients.page import ClientsPage

from .conftest import World

LIMITS = {
    "name": 200,
    "company": 200,
    "email": 320,
    "phone": 40,
    "line1": 200,
    "line2": 200,
    "city": 120,
    "state": 120,
    "postal_code": 20,
}

FORM_FIELDS = tuple(f.name for f in fields(ClientInput))
inputs = st.builds(ClientInput, **{name: FIELD_TEXT for name in FORM_FIELDS})


@given(form=inputs)
def test_any_client_form_gives_messages_by_field(form: ClientInput) -> None:
    errors = check_client(form)
    assert set(errors) <= set(FORM_FIELDS)
    assert all(message.strip() for message in errors.values())


def test_too_long_and_control_characters_are_refused_and_nothing_saved(world: World) -> None:
    form = ClientInput(
        name="Ada\x00 Reinholt",
        company="C" * 201,
        notes="n" * 5001,
        line1="Rue du Rhône 48",
        city="Genève",
        country="CH",
        postal_code="1" * 21,
    )
    with pytest.raises(FormInvalid) as refused:
        world.services.clients.save(world.profile_id, None, form)
    assert refused.value.errors == {
        "name": "Remove an invisible control character: it cannot be part of this field",
        "company": "At most 200 characters (this has 201)",
        "postal_code": "At most 20 characters (this has 21)",
        "notes": "At most 5,000 characters (this has 5,001)",
    }
    with session_scope(world.sessions) as session:
        assert session.query(Contact).count() == 0


@pytest.fixture
def page(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, world: World
) -> Iterator[ClientsPage]:
    bridge = QtEventBridge(world.hub)
    made = ClientsPage(world.services, lambda: world.profile_id, bridge)
    bridge.setParent(made)
    qtbot.addWidget(made)
    made.show()
    made.activateWindow()
    qtbot.waitUntil(made.isActiveWindow)
    qtbot.waitUntil(lambda: not made.loading)
    yield made
    close = asyncio.ensure_future(world.gateways.close_all())
    qtbot.waitUntil(close.done, timeout=5000)


def test_the_form_stops_at_each_column_and_explains_the_rest(
    qtbot: QtBot, page: ClientsPage, world: World
) -> None:
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = page.actions_.dialog
    assert isinstance(dialog, ClientDialog)
    for key, limit in LIMITS.items():
        dialog.edits[key].insert("9" * 1000)  # a paste
        assert len(dialog.edits[key].text()) == limit
    for key in LIMITS:
        dialog.edits[key].clear()
    dialog.edits["name"].insert("Ada\x07 Reinholt")
    dialog.notes.setPlainText("n" * 6000)
    dialog.create_in_stripe.setChecked(True)
    before = world.sandbox.request_count()
    qtbot.keyClick(dialog.edits["name"], Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.error_text("name") == (
        "Remove an invisible control character: it cannot be part of this field"
    )
    assert dialog.error_text("notes") == "At most 5,000 characters (this has 6,000)"
    assert page.model.total_count() == 0
    assert world.sandbox.request_count() == before
