"""One source of truth for a profile's connection: Settings and the status bar say the same,
for a key that cannot be read from the keychain, for a connected key, and when Stripe
refuses the key while syncing (the real app on a fresh TRACKER_HOME, the simulator over HTTP
standing in for Stripe)."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tracker_desktop.config.secrets import SERVICE_NAME
from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.repositories.profiles import set_stripe_account
from tracker_desktop.sandbox import Sandbox
from tracker_desktop.services.profiles.stripe_access import GatewayProvider
from tracker_desktop.ui.settings import SettingsPage


def settings_of(app: Any) -> SettingsPage:
    page = app.window.show_page("settings")
    assert isinstance(page, SettingsPage)
    return page


def test_a_key_on_record_but_not_in_the_keychain_is_not_connected_anywhere(
    qtbot: QtBot, start_app: Any
) -> None:
    app = start_app()
    profiles = app.services.profiles
    view = profiles.create_profile("Geneva Fine Watches", default_currency="CHF")
    with session_scope(app.services.base.session_factory, write=True) as session:
        # As after a run that kept the key in memory only: on record, not in the keychain.
        set_stripe_account(
            session,
            view.id,
            account_id="acct_1Geneva",
            account_name="Geneva Fine Watches SA",
            livemode=False,
            key_last4="d872",
        )
    profiles.switch_to(view.id)
    window = app.window
    qtbot.waitUntil(lambda: window.sync_label.text() == "Not syncing: not connected to Stripe")
    page = settings_of(app)
    status = page.key_section.status.text()
    assert status.startswith("Not connected to Geneva Fine Watches SA: ")
    assert "Connected to" not in status.replace("Not connected to", "")
    assert window.profile_label.text() == (
        "Profile: Geneva Fine Watches · Not connected: the key ending d872 cannot be read "
        "(see Settings)"
    )
    assert window.mode_badge.text() == "NO STRIPE KEY"
    assert page.key_section.badge.text() == "NO STRIPE KEY"
    assert page.sync_note.text() == "Status bar: Not syncing: not connected to Stripe"


def test_a_connected_key_reads_the_same_in_settings_and_the_status_bar(
    qtbot: QtBot, start_app: Any, sandbox: Sandbox, memory_keyring: Any
) -> None:
    app = start_app()
    gateways = app.services.gateways
    assert isinstance(gateways, GatewayProvider)
    pointed = asyncio.ensure_future(gateways.point_real_profiles_at(sandbox.base_url))
    qtbot.waitUntil(pointed.done)
    profiles = app.services.profiles
    view = profiles.create_profile("Geneva Fine Watches", default_currency="CHF")
    key = sandbox.new_key(tag="agree")
    saved = asyncio.ensure_future(profiles.verify_and_save_key(view.id, key))
    qtbot.waitUntil(saved.done, timeout=15_000)
    assert saved.exception() is None
    profiles.switch_to(view.id)
    window = app.window
    qtbot.waitUntil(lambda: window.sync_label.text().startswith("Synced"))
    page = settings_of(app)
    last4 = key[-4:]
    assert page.key_section.status.text() == (
        f"Connected to Geneva Fine Watches — TEST mode — key ending {last4}"
    )
    assert window.profile_label.text() == (
        f"Profile: Geneva Fine Watches · Connected to Geneva Fine Watches, key ending {last4}"
    )
    assert window.mode_badge.text() == page.key_section.badge.text() == "TEST MODE"
    assert page.sync_note.isHidden()

    # Stripe stops taking the key (rolled in the Dashboard; the simulator refuses a key that
    # says "revoked"): Settings says what the status bar says.
    memory_keyring.store[(SERVICE_NAME, f"profile-{view.id}")] = key + "revoked"
    forgotten = asyncio.ensure_future(gateways.forget(view.id))
    qtbot.waitUntil(forgotten.done)
    qtbot.mouseClick(window.sync_button, Qt.MouseButton.LeftButton)  # Sync now
    qtbot.waitUntil(lambda: window.sync_label.text().startswith("Sync failed"))
    assert "Stripe refused this key" in window.sync_label.text()
    assert page.sync_note.isVisible()
    assert page.sync_note.text() == f"Status bar: {window.sync_label.text()}"
