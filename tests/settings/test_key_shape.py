"""A pasted key with a character no Stripe key has is refused at once beside the key field,
never sent and never quoted back; any text gives a verdict or a message."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from absurd_input import FIELD_TEXT
from hypothesis import given
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tracker_desktop.domain.errors import ValidationError
from tracker_desktop.services.app_services import Foundation
from tracker_desktop.services.profiles.profile_service import (
    KEY_FIELD,
    ProfileService,
    check_key_format,
)
from tracker_desktop.ui.bridge import QtEventBridge
from tracker_desktop.ui.settings import SettingsPage
from tracker_desktop.ui.settings.dialogs import AddProfileDialog

CLICK = Qt.MouseButton.LeftButton
SECRET = "51KeyShapeSecretPart0123456789"


@given(text=FIELD_TEXT)
def test_any_pasted_text_is_a_key_kind_or_a_message_that_does_not_quote_it(text: str) -> None:
    for key in (text, f"sk_test_{text}"):
        try:
            live = check_key_format(key)
        except ValidationError as exc:
            refused: ValidationError | None = exc
        else:
            refused = None
            assert isinstance(live, bool)
        if refused is not None:
            assert refused.field == KEY_FIELD
            body = key.strip().removeprefix("sk_test_")
            assert len(body) < 4 or body not in str(refused)


@pytest.fixture
def page(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    profiles: ProfileService,
    base: Foundation,
) -> SettingsPage:
    made = SettingsPage(profiles, QtEventBridge(base.hub))
    qtbot.addWidget(made)
    made.show()
    qtbot.mouseClick(made.add_button, CLICK)
    dialog = made.dialog
    assert isinstance(dialog, AddProfileDialog)
    qtbot.keyClicks(dialog.name_edit, "Geneva Fine Watches")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    return made


@pytest.mark.parametrize(
    ("key", "words"),
    [
        (f"sk_test_{SECRET[:10]} {SECRET[10:]}", "it has a space in it"),
        (f"sk_test_{SECRET[:10]}\n{SECRET[10:]}", "it runs over more than one line"),
        (f"sk_test_{SECRET[:10]}\x00{SECRET[10:]}", "an invisible control character"),
        (f"rk_test_{SECRET[:10]}\u200b{SECRET[10:]}", "an invisible control character"),
        (f"sk_test_{SECRET}…", "characters no Stripe key has"),
    ],
)
def test_a_key_no_stripe_key_looks_like_is_refused_beside_the_field_and_never_sent(
    qtbot: QtBot, page: SettingsPage, sandbox: Any, memory_keyring: Any, key: str, words: str
) -> None:
    section = page.key_section
    before = sandbox.request_count()
    section.key_edit.insert(key)  # pasted
    qtbot.mouseClick(section.verify_button, CLICK)
    error = section.key_error
    assert error.isVisible()
    assert error.text().startswith("That does not look like a Stripe key: ")
    assert words in error.text()
    assert "internet" not in error.text()
    assert SECRET[:10] not in error.text()
    assert SECRET[10:] not in error.text()
    assert sandbox.request_count() == before
    assert memory_keyring.store == {}
    assert section.badge.text() == "NO STRIPE KEY"
