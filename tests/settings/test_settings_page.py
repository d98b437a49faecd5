"""The Settings page driven like a dealer would: real widgets, a real SQLite file, the in-memory
keychain and the simulator over HTTP."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from tracker_desktop.config.secrets import SERVICE_NAME
from tracker_desktop.services.app_services import Foundation
from tracker_desktop.services.profiles.profile_service import ProfileService
from tracker_desktop.services.profiles.stripe_access import GatewayProvider
from tracker_desktop.ui.bridge import QtEventBridge
from tracker_desktop.ui.settings import SettingsPage
from tracker_desktop.ui.settings.dialogs import AddProfileDialog


def live_key(kind: str, body: str) -> str:
    """A live-mode key shape for the test, assembled so no literal in the source looks like
    a real live secret to a scanner."""
    return f"{kind}_live_{body}"


CLICK = Qt.MouseButton.LeftButton


def make_page(qtbot: QtBot, profiles: ProfileService, services: Foundation) -> SettingsPage:
    page = SettingsPage(profiles, QtEventBridge(services.hub))
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    return page


@pytest.fixture
def page(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    profiles: ProfileService,
    base: Foundation,
) -> SettingsPage:
    return make_page(qtbot, profiles, base)


def add_profile(qtbot: QtBot, page: SettingsPage, name: str) -> None:
    qtbot.mouseClick(page.add_button, CLICK)
    dialog = page.dialog
    assert isinstance(dialog, AddProfileDialog)
    qtbot.keyClicks(dialog.name_edit, name)
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def answer(qtbot: QtBot, page: SettingsPage, *, yes: bool) -> str:
    box = page.dialog if isinstance(page.dialog, QMessageBox) else None
    box = box or page.key_section.findChild(QMessageBox)
    assert isinstance(box, QMessageBox)
    text = f"{box.text()}\n{box.informativeText()}"
    if yes:
        button = box.findChild(QPushButton, "confirmYes")
        qtbot.mouseClick(button, CLICK)
    else:
        box.reject()
    return text


def paste_and_verify(qtbot: QtBot, page: SettingsPage, key: str) -> None:
    section = page.key_section
    qtbot.keyClicks(section.key_edit, key)
    qtbot.mouseClick(section.verify_button, CLICK)


def list_texts(page: SettingsPage) -> list[str]:
    return [page.profile_list.item(i).text() for i in range(page.profile_list.count())]


def test_add_profile_paste_key_and_see_it_verified(
    qtbot: QtBot, page: SettingsPage, sandbox: Any, memory_keyring: Any
) -> None:
    assert "No profile yet" in page.active_note.text()
    add_profile(qtbot, page, "Geneva Fine Watches")
    assert list_texts(page) == ["● Geneva Fine Watches\nNo Stripe key yet · USD"]
    assert "is the active profile" in page.active_note.text()
    section = page.key_section
    assert section.badge.text() == "NO STRIPE KEY"
    key = sandbox.new_key()
    paste_and_verify(qtbot, page, key)
    assert not section.verify_button.isEnabled()  # busy while Stripe answers
    assert section.busy.isVisible()
    assert "Checking" in section.status.text()
    # The profile is announced (and the status line redrawn) just before the check's task
    # ends, so wait for both.
    qtbot.waitUntil(lambda: "Connected to" in section.status.text() and not page.runner.busy)
    assert section.status.text() == (
        f"Connected to Geneva Fine Watches — TEST mode — key ending {key[-4:]}"
    )
    assert section.badge.text() == "TEST MODE"
    assert section.key_edit.text() == ""
    assert not section.entry.isVisible()
    assert section.replace_button.isVisible()
    assert not section.busy.isVisible()
    assert memory_keyring.store[(SERVICE_NAME, "profile-1")] == key
    assert list_texts(page) == ["● Geneva Fine Watches\nTest mode · USD"]


def test_show_hide_key_while_typing(qtbot: QtBot, page: SettingsPage) -> None:
    add_profile(qtbot, page, "Geneva Fine Watches")
    section = page.key_section
    qtbot.keyClicks(section.key_edit, "sk_test_abc")
    assert section.key_edit.echoMode() == section.key_edit.EchoMode.Password
    qtbot.mouseClick(section.show_key, CLICK)
    assert section.key_edit.echoMode() == section.key_edit.EchoMode.Normal
    assert section.show_key.text() == "Hide"


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("pk_test_51HxYzAbCdEf0123456789", "publishable key"),
        ("whsec_0123456789abcdef", "does not look like a Stripe secret key"),
    ],
)
def test_wrong_kind_of_key_is_refused_beside_the_field(
    qtbot: QtBot, page: SettingsPage, sandbox: Any, key: str, words: str
) -> None:
    add_profile(qtbot, page, "Geneva Fine Watches")
    before = sandbox.request_count()
    paste_and_verify(qtbot, page, key)
    error = page.key_section.key_error
    assert error.isVisible()
    assert words in error.text()
    assert "Dashboard → Developers → API keys" in error.text()
    assert sandbox.request_count() == before  # refused here, nothing sent


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("sk_test_revoked0123456789abcd", "wrong, revoked or expired"),
        ("rk_test_noinvoices0123456789ab", "lacks the “Invoice: Read” permission"),
    ],
)
def test_stripe_refusals_are_explained(
    qtbot: QtBot, page: SettingsPage, memory_keyring: Any, key: str, words: str
) -> None:
    add_profile(qtbot, page, "Geneva Fine Watches")
    paste_and_verify(qtbot, page, key)
    error = page.key_section.key_error
    qtbot.waitUntil(error.isVisible)
    assert words in error.text()
    assert key not in error.text()
    assert page.key_section.badge.text() == "NO STRIPE KEY"
    assert memory_keyring.store == {}


def test_offline_while_verifying(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    base: Foundation,
    closed_port_url: str,
    memory_keyring: Any,
) -> None:
    offline = GatewayProvider(base.session_factory, base.keystore, api_base=closed_port_url)
    page = make_page(qtbot, ProfileService(base, offline), base)
    add_profile(qtbot, page, "Geneva Fine Watches")
    paste_and_verify(qtbot, page, "sk_test_4eC39HqLyjWDarjtT1zdp7dc")
    error = page.key_section.key_error
    qtbot.waitUntil(error.isVisible, timeout=10000)
    assert "Stripe could not be reached" in error.text()
    assert page.key_section.verify_button.isEnabled()
    assert memory_keyring.store == {}


def test_refusing_keychain_offers_memory_for_this_session(
    qtbot: QtBot, page: SettingsPage, sandbox: Any, refusing_keyring: Any
) -> None:
    add_profile(qtbot, page, "Geneva Fine Watches")
    key = sandbox.new_key()
    paste_and_verify(qtbot, page, key)
    section = page.key_section
    qtbot.waitUntil(section.key_error.isVisible)
    assert "system keychain refused" in section.key_error.text()
    assert section.keep_in_memory.isVisible()
    assert section.badge.text() == "NO STRIPE KEY"  # nothing half-saved
    qtbot.mouseClick(section.keep_in_memory, CLICK)
    qtbot.waitUntil(lambda: "Connected to" in section.status.text() and not page.runner.busy)
    assert "kept in memory for this session only" in section.status.text()
    assert not section.keep_in_memory.isVisible()


def test_switch_rename_and_validation(qtbot: QtBot, page: SettingsPage, base: Foundation) -> None:
    add_profile(qtbot, page, "Geneva Fine Watches")
    add_profile(qtbot, page, "Lugano Vintage")
    assert page.selected() is not None
    assert page.selected().name == "Lugano Vintage"  # type: ignore[union-attr]
    assert page.use_button.isVisible()
    qtbot.mouseClick(page.use_button, CLICK)
    assert "Lugano Vintage</b> is the active profile" in page.active_note.text()
    saved = json.loads(base.paths.settings_file.read_text())
    assert saved["active_profile_id"] == base.active.id
    form = page.form
    form.name_edit.clear()
    qtbot.mouseClick(form.save_button, CLICK)
    assert form.errors["name"].isVisible()
    assert form.errors["name"].text() == "A profile needs a name."
    qtbot.keyClicks(form.name_edit, "Lugano Vintage Timepieces")
    form.currency.setCurrentIndex(form.currency.findData("CHF"))
    qtbot.keyClick(form.name_edit, Qt.Key.Key_Return)
    assert form.saved_note.text() == "Saved."
    assert "● Lugano Vintage Timepieces\nNo Stripe key yet · CHF" in list_texts(page)


def test_delete_profile_asks_naming_it_and_removes_its_key(
    qtbot: QtBot, page: SettingsPage, sandbox: Any, memory_keyring: Any
) -> None:
    add_profile(qtbot, page, "Lugano Vintage")
    add_profile(qtbot, page, "Geneva Fine Watches")
    paste_and_verify(qtbot, page, sandbox.new_key())
    qtbot.waitUntil(
        lambda: "Connected to" in page.key_section.status.text() and not page.runner.busy
    )
    assert len(memory_keyring.store) == 1
    qtbot.mouseClick(page.delete_button, CLICK)
    text = answer(qtbot, page, yes=False)  # Cancel first: nothing happens
    assert "Delete the profile “Geneva Fine Watches”?" in text
    assert "clients, watches and invoices" in text
    assert "system keychain" in text
    assert page.profile_list.count() == 2
    qtbot.mouseClick(page.delete_button, CLICK)
    answer(qtbot, page, yes=True)
    qtbot.waitUntil(lambda: page.profile_list.count() == 1)
    assert memory_keyring.store == {}
    assert list_texts(page) == ["● Lugano Vintage\nNo Stripe key yet · USD"]


def test_live_key_asks_first_and_cancel_sends_nothing(
    qtbot: QtBot, page: SettingsPage, sandbox: Any
) -> None:
    add_profile(qtbot, page, "Geneva Fine Watches")
    before = sandbox.request_count()
    paste_and_verify(qtbot, page, live_key("sk", "51HxYzAbCdEf0123456789"))
    text = answer(qtbot, page, yes=False)
    assert "LIVE Stripe key" in text
    assert "real money" in text
    assert sandbox.request_count() == before
    assert page.key_section.verify_button.isEnabled()


def test_switching_to_a_live_profile_asks_once(
    qtbot: QtBot, page: SettingsPage, profiles: ProfileService, base: Foundation
) -> None:
    from tracker_desktop.db.engine import session_scope
    from tracker_desktop.db.repositories.profiles import set_stripe_account

    add_profile(qtbot, page, "Geneva Fine Watches")
    live = profiles.create_profile("Geneva Live")
    with session_scope(base.session_factory, write=True) as session:
        set_stripe_account(
            session,
            live.id,
            account_id="acct_1",
            account_name="Geneva",
            livemode=True,
            key_last4="9876",
        )
    base.keystore.set(live.id, live_key("sk", "51HxYzAbCdEf01239876"))
    page.refresh(live.id)
    assert page.key_section.badge.text() == "LIVE: real money"
    qtbot.mouseClick(page.use_button, CLICK)
    assert "LIVE" in answer(qtbot, page, yes=True)
    assert base.active.id == live.id
    assert not profiles.needs_live_confirmation(live.id)


def test_practise_button_opens_the_practice_profile(
    qtbot: QtBot, page: SettingsPage, gateways: GatewayProvider
) -> None:
    assert page.practise_button.text() == "Practise with the simulator"
    qtbot.mouseClick(page.practise_button, CLICK)
    assert list_texts(page) == ["● Practice\nSimulator · no real money"]
    section = page.key_section
    assert section.badge.text() == "PRACTICE: no real money"
    assert "no key" in section.status.text()
    assert "invoices are cleared each time Practice mode starts" in section.status.text()
    assert not section.entry.isVisible()
    assert page.practise_button.text() == "Open the Practice profile"
    assert gateways.practice_base_url is not None
