"""ProfileService against a real SQLite file, the in-memory keychain and the simulator."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tracker_desktop.config.secrets import SERVICE_NAME
from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Invoice, InvoiceLine, utcnow
from tracker_desktop.db.repositories import contacts, watches, watches_extra
from tracker_desktop.db.repositories.contacts import ContactFields
from tracker_desktop.db.repositories.watches import WatchFields
from tracker_desktop.domain.errors import (
    AuthenticationFailed,
    Offline,
    PermissionDenied,
    ValidationError,
)
from tracker_desktop.services.app_services import Foundation
from tracker_desktop.services.events import Event, ProfileEdited, ProfileSwitched
from tracker_desktop.services.invoicing import history
from tracker_desktop.services.invoicing.views import InvoiceFilters
from tracker_desktop.services.profiles.profile_service import KeychainUnavailable, ProfileService
from tracker_desktop.services.profiles.stripe_access import GatewayProvider


def live_key(kind: str, body: str) -> str:
    """A live-mode key shape for the test, assembled so no literal in the source looks like
    a real live secret to a scanner."""
    return f"{kind}_live_{body}"


def _entry(profile_id: int) -> tuple[str, str]:
    return (SERVICE_NAME, f"profile-{profile_id}")


def test_create_switch_persists_and_announces(
    profiles: ProfileService, base: Foundation, published: list[Event]
) -> None:
    geneva = profiles.create_profile("Geneva Fine Watches", default_currency="chf")
    assert geneva.default_currency == "CHF"
    assert geneva.mode == "no_key"
    profiles.switch_to(geneva.id)
    assert base.active.id == geneva.id
    saved = json.loads(base.paths.settings_file.read_text())
    assert saved["active_profile_id"] == geneva.id
    assert published == [ProfileEdited(geneva.id), ProfileSwitched(geneva.id)]
    assert profiles.active() == profiles.get(geneva.id)


def test_update_is_all_or_nothing(profiles: ProfileService) -> None:
    view = profiles.create_profile("Geneva Fine Watches")
    with pytest.raises(ValidationError) as refused:
        profiles.update_profile(
            view.id,
            name="Renamed",
            default_currency="EUR",
            default_due_days=900,
            invoice_footer="Thank you",
        )
    assert refused.value.field == "default_due_days"
    assert profiles.get(view.id) == view  # the rename did not slip through
    updated = profiles.update_profile(
        view.id, name="Renamed", default_currency="EUR", default_due_days=30, invoice_footer="Ta"
    )
    assert (updated.name, updated.default_currency, updated.default_due_days) == (
        "Renamed",
        "EUR",
        30,
    )


def test_key_is_verified_then_stored_in_the_keychain_only(
    profiles: ProfileService, sandbox: Any, memory_keyring: Any, base: Foundation
) -> None:
    view = profiles.create_profile("Geneva Fine Watches")
    key = sandbox.new_key()
    saved = asyncio.run(profiles.verify_and_save_key(view.id, key))
    assert saved.account_name == "Geneva Fine Watches"
    assert saved.account_id
    assert saved.account_id.startswith("acct_")
    assert saved.key_last4 == key[-4:]
    assert saved.mode == "test"
    assert memory_keyring.store[_entry(view.id)] == key
    assert key.encode() not in base.paths.database_file.read_bytes()


@pytest.mark.parametrize(
    ("key", "error", "words"),
    [
        ("pk_test_51Habc0123456789", ValidationError, "publishable"),
        ("hello", ValidationError, "Dashboard → Developers → API keys"),
        ("sk_test_revoked0123456789abcd", AuthenticationFailed, "revoked"),
        ("rk_test_noinvoices0123456789ab", PermissionDenied, "Invoice: Read"),
    ],
)
def test_refused_keys_leave_nothing_behind(
    profiles: ProfileService, memory_keyring: Any, key: str, error: type[Exception], words: str
) -> None:
    view = profiles.create_profile("Geneva Fine Watches")
    with pytest.raises(error) as refused:
        asyncio.run(profiles.verify_and_save_key(view.id, key))
    assert words in str(refused.value)
    assert key not in str(refused.value)
    assert memory_keyring.store == {}
    assert profiles.get(view.id) == view


def test_offline_while_verifying(
    base: Foundation, closed_port_url: str, memory_keyring: Any
) -> None:
    gateways = GatewayProvider(base.session_factory, base.keystore, api_base=closed_port_url)
    service = ProfileService(base, gateways)
    view = service.create_profile("Geneva Fine Watches")
    with pytest.raises(Offline, match="could not be reached"):
        asyncio.run(service.verify_and_save_key(view.id, "sk_test_4eC39HqLyjWDarjtT1zdp7dc"))
    assert memory_keyring.store == {}
    assert service.get(view.id).key_last4 is None


def test_refusing_keychain_saves_nothing_then_memory_for_this_run(
    profiles: ProfileService, sandbox: Any, refusing_keyring: Any
) -> None:
    view = profiles.create_profile("Geneva Fine Watches")
    key = sandbox.new_key()
    with pytest.raises(KeychainUnavailable, match="refused"):
        asyncio.run(profiles.verify_and_save_key(view.id, key))
    assert profiles.get(view.id).key_last4 is None  # no account recorded without the key
    kept = asyncio.run(profiles.verify_and_save_key(view.id, key, in_memory=True))
    assert kept.key_in_memory
    assert kept.key_last4 == key[-4:]


def test_live_key_needs_confirmation_before_anything_is_sent(
    profiles: ProfileService, sandbox: Any
) -> None:
    view = profiles.create_profile("Geneva Fine Watches")
    before = sandbox.request_count()
    with pytest.raises(ValidationError, match="LIVE"):
        asyncio.run(profiles.verify_and_save_key(view.id, live_key("sk", "51Habcdefghijklmnop")))
    assert sandbox.request_count() == before


def test_replace_and_remove_key(
    profiles: ProfileService, sandbox: Any, memory_keyring: Any
) -> None:
    view = profiles.create_profile("Geneva Fine Watches")
    first, second = sandbox.new_key(), sandbox.new_key()
    asyncio.run(profiles.verify_and_save_key(view.id, first))
    replaced = asyncio.run(profiles.verify_and_save_key(view.id, second))
    assert replaced.key_last4 == second[-4:]
    assert memory_keyring.store[_entry(view.id)] == second
    removed = asyncio.run(profiles.remove_key(view.id))
    assert removed.mode == "no_key"
    assert removed.account_name is None
    assert _entry(view.id) not in memory_keyring.store


def test_delete_removes_keychain_entry_and_moves_to_another_profile(
    profiles: ProfileService, sandbox: Any, memory_keyring: Any, base: Foundation
) -> None:
    keep = profiles.create_profile("Lugano Vintage")
    gone = profiles.create_profile("Geneva Fine Watches")
    asyncio.run(profiles.verify_and_save_key(gone.id, sandbox.new_key()))
    profiles.switch_to(gone.id)
    asyncio.run(profiles.delete_profile(gone.id))
    assert _entry(gone.id) not in memory_keyring.store
    assert [p.name for p in profiles.list_profiles()] == ["Lugano Vintage"]
    assert base.active.id == keep.id


def test_delete_refused_by_keychain_keeps_the_profile(
    profiles: ProfileService, refusing_keyring: Any
) -> None:
    view = profiles.create_profile("Geneva Fine Watches")
    with pytest.raises(KeychainUnavailable):
        asyncio.run(profiles.delete_profile(view.id))
    assert profiles.get(view.id).name == "Geneva Fine Watches"


def _fill(base: Foundation, profile_id: int, tag: str) -> None:
    with session_scope(base.session_factory, write=True) as session:
        contact = contacts.add_contact(session, profile_id, ContactFields(name=f"Client {tag}"))
        watch = watches.add_watch(
            session,
            profile_id,
            WatchFields(brand="Rolex", model="Submariner", serial=f"SER{tag}", currency="USD"),
        )
        watch.status = "reserved"  # as its open invoice holds it
        invoice = Invoice(
            uuid=f"00000000-0000-0000-0000-00000000000{tag}",
            profile_id=profile_id,
            contact_id=contact.id,
            currency="USD",
            customer_name=f"Client {tag}",
        )
        invoice.lines.append(
            InvoiceLine(position=0, watch_id=watch.id, description="Rolex", unit_amount_minor=100)
        )
        session.add(invoice)


def _invoice_count(session: Session, profile_id: int) -> int:
    """How many invoices the Invoices window lists for the profile."""
    return history.count(session, history.history_query(profile_id, InvoiceFilters(), utcnow()))


def test_a_second_profile_sees_nothing_of_the_first(
    profiles: ProfileService, base: Foundation
) -> None:
    first = profiles.create_profile("Geneva Fine Watches")
    second = profiles.create_profile("Lugano Vintage")
    _fill(base, first.id, "1")
    with session_scope(base.session_factory) as session:
        assert len(contacts.list_contacts(session, first.id).items) == 1
        assert len(watches_extra.search_watches(session, first.id)) == 1
        assert _invoice_count(session, first.id) == 1
        assert contacts.list_contacts(session, second.id).items == []
        assert watches_extra.search_watches(session, second.id) == []
        assert _invoice_count(session, second.id) == 0
        assert watches.get_watch_by_serial(session, second.id, "SER1") is None


def test_practice_profile_needs_no_key_and_keeps_clients_not_invoices(
    profiles: ProfileService, base: Foundation, gateways: GatewayProvider
) -> None:
    view = profiles.start_practice()
    assert view.is_practice
    assert view.has_key
    assert view.mode == "practice"
    assert base.active.id == view.id
    assert gateways.practice_base_url is not None
    _fill(base, view.id, "2")
    again = profiles.start_practice()  # same run: the simulator still has everything
    assert again.id == view.id
    with session_scope(base.session_factory) as session:
        assert _invoice_count(session, view.id) == 1
    # Next run: a fresh simulator, so the Practice profile's invoices are cleared.
    fresh = ProfileService(
        base,
        GatewayProvider(base.session_factory, base.keystore),
        practice_starter=lambda: (str(gateways.practice_base_url), "sk_test_practice_next"),
    )
    assert fresh.start_practice().id == view.id
    with session_scope(base.session_factory) as session:
        assert _invoice_count(session, view.id) == 0
        assert len(contacts.list_contacts(session, view.id).items) == 1
        assert [w.status for w in watches_extra.search_watches(session, view.id)] == ["in_stock"]
