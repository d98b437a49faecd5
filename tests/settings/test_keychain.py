"""Only a real OS keychain keeps a Stripe key, and Settings says "Connected" only for a key
that is stored and reads back. keyring's real null and fail backends stand for "no
keychain"; the in-memory backend (tests/conftest.py) for a working one."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.backends.null
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tracker_desktop.config.secrets import (
    KEY_MISSING,
    NO_KEYCHAIN,
    SERVICE_NAME,
    KeychainUnavailable,
    KeyStore,
    keychain_problem,
)
from tracker_desktop.services.app_services import Foundation
from tracker_desktop.services.profiles.profile_service import ProfileService
from tracker_desktop.services.profiles.stripe_access import GatewayProvider, NoStripeKey
from tracker_desktop.ui.bridge import QtEventBridge
from tracker_desktop.ui.settings import SettingsPage
from tracker_desktop.ui.settings.dialogs import AddProfileDialog

CLICK = Qt.MouseButton.LeftButton


class PlaintextKeyring(keyring.backend.KeyringBackend):
    """Behaves as keyrings.alt.file.PlaintextKeyring does (keys base64'd into a file) and
    carries its module and class name, which is all the app looks at: keyrings.alt is not
    a dependency, so the real class is not installed here."""

    file: Path

    def get_password(self, service: str, username: str) -> str | None:
        import base64

        if not self.file.exists():
            return None
        for line in self.file.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            if key == f"{service}/{username}":
                return base64.b64decode(value).decode()
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        import base64

        with self.file.open("a", encoding="utf-8") as fh:
            fh.write(f"{service}/{username}={base64.b64encode(password.encode()).decode()}\n")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError("not found")


PlaintextKeyring.__module__ = "keyrings.alt.file"


class ForgetfulKeyring(keyring.backend.KeyringBackend):
    """Says yes and keeps nothing: a broken keychain no module name gives away."""

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        pass

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError("not found")


@pytest.fixture
def use_keyring(memory_keyring: Any) -> Iterator[Any]:
    """Install a backend for one test; memory_keyring restores the process default."""

    def install(backend: keyring.backend.KeyringBackend) -> keyring.backend.KeyringBackend:
        keyring.set_keyring(backend)
        return backend

    yield install
    keyring.set_keyring(memory_keyring)


def plaintext_in(tmp_path: Path) -> PlaintextKeyring:
    backend = PlaintextKeyring()
    backend.file = tmp_path / "keyring_pass.cfg"
    return backend


def refused_backends(tmp_path: Path) -> dict[str, keyring.backend.KeyringBackend]:
    return {
        "null": keyring.backends.null.Keyring(),
        "fail": keyring.backends.fail.Keyring(),
        "plaintext file": plaintext_in(tmp_path),
    }


REFUSED = ["null", "fail", "plaintext file"]


def expected_sentence(kind: str) -> str:
    if kind == "plaintext file":
        return (
            "Keys are set to be kept by keyrings.alt.file.PlaintextKeyring, which stores them "
            "in a file (or the Windows registry) rather than in the system keychain"
        )
    return NO_KEYCHAIN


@pytest.mark.parametrize("kind", REFUSED)
def test_keystore_refuses_what_is_no_keychain(tmp_path: Path, use_keyring: Any, kind: str) -> None:
    backend = use_keyring(refused_backends(tmp_path)[kind])
    store = KeyStore()
    assert keychain_problem(backend) is not None
    assert not store.keychain_available()
    with pytest.raises(KeychainUnavailable) as refused:
        store.set(7, "sk_test_4eC39HqLyjWDarjtT1zdp7dc")
    assert str(refused.value).startswith(expected_sentence(kind))
    assert "in memory for this session only" in str(refused.value)
    assert "sk_test_4eC39HqLyjWDarjtT1zdp7dc" not in str(refused.value)
    assert not (tmp_path / "keyring_pass.cfg").exists()  # nothing reached a plain file


def test_a_real_keychain_is_accepted_and_the_key_read_back(memory_keyring: Any) -> None:
    store = KeyStore()
    assert keychain_problem(memory_keyring) is None
    assert store.keychain_available()
    store.set(7, "sk_test_4eC39HqLyjWDarjtT1zdp7dc")
    assert memory_keyring.store[(SERVICE_NAME, "profile-7")] == "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
    assert store.stored_key_problem(7) is None


def test_a_keychain_that_keeps_nothing_is_caught_by_reading_back(use_keyring: Any) -> None:
    use_keyring(ForgetfulKeyring())
    with pytest.raises(KeychainUnavailable, match="did not give it back"):
        KeyStore().set(7, "sk_test_4eC39HqLyjWDarjtT1zdp7dc")


# -- what Settings shows -------------------------------------------------------------------
def make_page(qtbot: QtBot, profiles: ProfileService, services: Foundation) -> SettingsPage:
    page = SettingsPage(profiles, QtEventBridge(services.hub))
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    return page


def add_profile_and_paste(qtbot: QtBot, page: SettingsPage, key: str) -> None:
    qtbot.mouseClick(page.add_button, CLICK)
    dialog = page.dialog
    assert isinstance(dialog, AddProfileDialog)
    qtbot.keyClicks(dialog.name_edit, "Geneva Fine Watches")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.keyClicks(page.key_section.key_edit, key)
    qtbot.mouseClick(page.key_section.verify_button, CLICK)
    qtbot.waitUntil(lambda: not page.runner.busy)


def list_texts(page: SettingsPage) -> list[str]:
    return [page.profile_list.item(i).text() for i in range(page.profile_list.count())]


@pytest.mark.parametrize("kind", REFUSED)
def test_settings_never_says_connected_without_a_keychain(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    use_keyring: Any,
    profiles: ProfileService,
    base: Foundation,
    sandbox: Any,
    kind: str,
) -> None:
    use_keyring(refused_backends(tmp_path)[kind])
    page = make_page(qtbot, profiles, base)
    key = sandbox.new_key()
    add_profile_and_paste(qtbot, page, key)
    section = page.key_section
    assert section.key_error.isVisible()
    assert section.key_error.text().startswith(expected_sentence(kind))
    assert section.status.text() == "No Stripe key yet. Paste one below to create invoices."
    assert "Connected" not in section.status.text()
    assert section.badge.text() == "NO STRIPE KEY"
    assert list_texts(page) == ["● Geneva Fine Watches\nNo Stripe key yet · USD"]
    assert profiles.active() is not None
    assert profiles.active().key_last4 is None  # no account recorded without its key
    assert not (tmp_path / "keyring_pass.cfg").exists()

    # The dealer's explicit choice: this session only, and Settings says exactly that.
    assert section.keep_in_memory.isVisible()
    qtbot.mouseClick(section.keep_in_memory, CLICK)
    qtbot.waitUntil(lambda: not page.runner.busy and "Connected" in section.status.text())
    assert section.status.text() == (
        f"Connected to Geneva Fine Watches — TEST mode — key ending {key[-4:]} "
        "(kept in memory for this session only)"
    )


def test_settings_says_connected_only_after_the_key_reads_back(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    use_keyring: Any,
    profiles: ProfileService,
    base: Foundation,
    sandbox: Any,
) -> None:
    use_keyring(ForgetfulKeyring())
    page = make_page(qtbot, profiles, base)
    add_profile_and_paste(qtbot, page, sandbox.new_key())
    section = page.key_section
    assert "did not give it back" in section.key_error.text()
    assert "Connected" not in section.status.text()


def save_key_as_last_run(services: Foundation, profile_id: int, key: str) -> None:
    """What a verified save left behind last run: the account on record, the key kept."""
    from tracker_desktop.db.engine import session_scope
    from tracker_desktop.db.repositories.profiles import set_stripe_account

    with session_scope(services.session_factory, write=True) as session:
        set_stripe_account(
            session,
            profile_id,
            account_id="acct_1",
            account_name="Geneva Fine Watches",
            livemode=False,
            key_last4=key[-4:],
        )
    services.keystore.set(profile_id, key)


def test_next_start_without_the_key_in_the_keychain_is_not_connected(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    use_keyring: Any,
    profiles: ProfileService,
    base: Foundation,
    sandbox: Any,
    memory_keyring: Any,
) -> None:
    """Saved last session; this session the keychain no longer holds it (reset, another
    computer's copy of the data folder, or kept in memory only)."""
    view = profiles.create_profile("Geneva Fine Watches")
    key = sandbox.new_key()
    save_key_as_last_run(base, view.id, key)
    profiles.switch_to(view.id)
    memory_keyring.store.clear()  # the keychain lost it between two runs
    base = replace(base, keystore=KeyStore())  # a new run
    fresh = ProfileService(
        base,
        GatewayProvider(base.session_factory, base.keystore, api_base=sandbox.base_url),
    )
    page = make_page(qtbot, fresh, base)
    section = page.key_section
    assert section.status.text() == (
        f"Not connected to Geneva Fine Watches: {KEY_MISSING} Paste the key ending "
        f"{key[-4:]} again below to reconnect."
    )
    assert section.badge.text() == "NO STRIPE KEY"
    assert section.entry.isVisible()  # the field to paste it again
    assert not section.replace_button.isVisible()
    assert list_texts(page) == ["● Geneva Fine Watches\nKey not readable · USD"]
    gateways = GatewayProvider(base.session_factory, base.keystore)
    with pytest.raises(NoStripeKey, match=f"ending {key[-4:]}.*not in the system keychain"):
        gateways.gateway(view.id)

    # Pasting it again reconnects, and only now does Settings say so.
    qtbot.keyClicks(section.key_edit, key)
    qtbot.mouseClick(section.verify_button, CLICK)
    qtbot.waitUntil(lambda: not page.runner.busy and "Connected to" in section.status.text())
    assert section.status.text().startswith("Connected to Geneva Fine Watches — TEST mode")


def test_next_start_with_no_keychain_at_all_says_why(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    use_keyring: Any,
    profiles: ProfileService,
    base: Foundation,
    sandbox: Any,
) -> None:
    view = profiles.create_profile("Geneva Fine Watches")
    save_key_as_last_run(base, view.id, sandbox.new_key())
    use_keyring(keyring.backends.fail.Keyring())
    base = replace(base, keystore=KeyStore())
    fresh = ProfileService(
        base,
        GatewayProvider(base.session_factory, base.keystore, api_base=sandbox.base_url),
    )
    page = make_page(qtbot, fresh, base)
    assert page.key_section.status.text().startswith(
        f"Not connected to Geneva Fine Watches: {NO_KEYCHAIN}"
    )
    assert fresh.get(view.id).mode == "no_key"
    assert not fresh.get(view.id).has_key  # the poller is not started for it
