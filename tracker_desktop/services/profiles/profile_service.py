"""Profiles: one per business / Stripe account, plus the Practice one. No Qt here.

The active profile scopes every list, search and total (`Foundation.active`); it is
persisted in the settings file and announced with ProfileSwitched. A key is verified
against Stripe before it is stored, and stored only in the keychain (or, by the dealer's
explicit choice when there is none, in memory for this run).
"""

from __future__ import annotations

import logging

from tracker_desktop.config.secrets import KeychainUnavailable
from tracker_desktop.config.settings import save_settings
from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Profile
from tracker_desktop.db.repositories import profiles as repo
from tracker_desktop.domain.errors import ValidationError
from tracker_desktop.services.app_services import Foundation
from tracker_desktop.services.events import ProfileEdited, ProfileSwitched
from tracker_desktop.services.profiles.practice import (
    PRACTICE_FOOTER,
    PRACTICE_NAME,
    PracticeMode,
    PracticeStarter,
)
from tracker_desktop.services.profiles.stripe_access import PRACTICE, GatewayProvider
from tracker_desktop.services.profiles.views import (
    KEY_FIELD,
    MODE_LIVE,
    MODE_NO_KEY,
    MODE_NONE,
    MODE_PRACTICE,
    MODE_TEST,
    ProfileView,
    check_key_format,
    view_of,
)
from tracker_desktop.stripe_gateway import StripeGateway

# The view, the modes and Practice live in their own modules; callers import them from here.
__all__ = [
    "KEY_FIELD",
    "MODE_LIVE",
    "MODE_NONE",
    "MODE_NO_KEY",
    "MODE_PRACTICE",
    "MODE_TEST",
    "PRACTICE_NAME",
    "KeychainUnavailable",
    "PracticeStarter",
    "ProfileService",
    "ProfileView",
    "check_key_format",
]

log = logging.getLogger(__name__)


class ProfileService:
    def __init__(
        self,
        base: Foundation,
        gateways: GatewayProvider,
        *,
        practice_starter: PracticeStarter | None = None,
    ) -> None:
        self._base = base
        self._sessions = base.session_factory
        self._keystore = base.keystore
        self._gateways = gateways
        self._practice = PracticeMode(base, gateways, practice_starter)

    # -- reading ------------------------------------------------------------------------
    def _view(self, profile: Profile) -> ProfileView:
        return view_of(profile, self._keystore)

    def list_profiles(self) -> list[ProfileView]:
        with session_scope(self._sessions) as session:
            return [self._view(p) for p in repo.list_profiles(session)]

    def get(self, profile_id: int) -> ProfileView:
        with session_scope(self._sessions) as session:
            profile = repo.get_profile(session, profile_id)
            if profile is None:
                raise ValidationError("That profile no longer exists.")
            return self._view(profile)

    @property
    def active_profile_id(self) -> int | None:
        return self._base.active.id

    def active(self) -> ProfileView | None:
        """The active profile; a stale id (deleted elsewhere) reads as none."""
        pid = self._base.active.id
        if pid is None:
            return None
        try:
            return self.get(pid)
        except ValidationError:
            return None

    def open_active(self) -> None:
        """At start-up, a saved active profile that is missing or deleted becomes the first
        one (nothing has shown the old one yet, so nothing is announced or saved)."""
        if self.active() is None:
            existing = self.list_profiles()
            self._base.active.set(existing[0].id if existing else None)

    # -- editing ------------------------------------------------------------------------
    def create_profile(
        self,
        name: str,
        *,
        default_currency: str = "USD",
        default_due_days: int = 14,
        invoice_footer: str = "",
        kind: str = "stripe",
    ) -> ProfileView:
        with session_scope(self._sessions, write=True) as session:
            profile = repo.create_profile(
                session, name, kind=kind, default_currency=default_currency
            )
            repo.update_profile_settings(
                session,
                profile.id,
                default_due_days=default_due_days,
                invoice_footer=invoice_footer,
            )
            view = self._view(profile)
        self._base.hub.publish(ProfileEdited(view.id))
        return view

    def update_profile(
        self,
        profile_id: int,
        *,
        name: str,
        default_currency: str,
        default_due_days: int,
        invoice_footer: str,
    ) -> ProfileView:
        """All or nothing: a refused field leaves every field as it was."""
        with session_scope(self._sessions, write=True) as session:
            repo.rename_profile(session, profile_id, name)
            profile = repo.update_profile_settings(
                session,
                profile_id,
                default_currency=default_currency,
                default_due_days=default_due_days,
                invoice_footer=invoice_footer.strip(),
            )
            view = self._view(profile)
        self._announce_edit(profile_id)
        return view

    def rename_profile(self, profile_id: int, name: str) -> ProfileView:
        with session_scope(self._sessions, write=True) as session:
            view = self._view(repo.rename_profile(session, profile_id, name))
        self._announce_edit(profile_id)
        return view

    async def delete_profile(self, profile_id: int) -> None:
        """The keychain entry goes first: if the keychain refuses, nothing is deleted."""
        self._keystore.delete(profile_id)
        await self._gateways.forget(profile_id)
        with session_scope(self._sessions, write=True) as session:
            repo.delete_profile(session, profile_id)
        self._base.hub.publish(ProfileEdited(profile_id))
        if self._base.active.id == profile_id:
            rest = self.list_profiles()
            self.switch_to(rest[0].id if rest else None)

    def switch_to(self, profile_id: int | None) -> ProfileView | None:
        view = self.get(profile_id) if profile_id is not None else None
        self._base.active.set(profile_id)
        self._base.settings.active_profile_id = profile_id
        save_settings(self._base.paths.settings_file, self._base.settings)
        self._base.hub.publish(ProfileSwitched(profile_id))
        return view

    def needs_live_confirmation(self, profile_id: int) -> bool:
        view = self.get(profile_id)
        return bool(view.livemode) and not view.live_confirmed

    def confirm_live(self, profile_id: int) -> None:
        with session_scope(self._sessions, write=True) as session:
            repo.update_profile_settings(session, profile_id, live_confirmed=True)

    def _announce_edit(self, profile_id: int) -> None:
        # Who shows the active profile (status bar, Settings) hears it; nothing is switched.
        self._base.hub.publish(ProfileEdited(profile_id))

    # -- the Stripe key -----------------------------------------------------------------
    async def verify_and_save_key(
        self, profile_id: int, key: str, *, in_memory: bool = False, confirm_live: bool = False
    ) -> ProfileView:
        """Verify with Stripe, then store the key, then record the account: in that order.

        If the keychain refuses, KeychainUnavailable is raised and nothing is recorded; the
        dealer may then call again with in_memory=True (this run only).
        """
        key = key.strip()
        livemode = check_key_format(key)
        if self.get(profile_id).is_practice:
            raise ValidationError("The Practice profile needs no Stripe key.", field=KEY_FIELD)
        if livemode and not confirm_live and not self.get(profile_id).live_confirmed:
            raise ValidationError(
                "This is a LIVE key: confirm that invoices will charge real money.",
                field=KEY_FIELD,
            )
        async with StripeGateway(
            key, api_base=self._gateways.api_base, max_network_retries=1, timeout=20
        ) as gateway:
            account = await gateway.verify_key()
            # A restricted key may read the account yet lack what polling reads: say so now.
            await gateway.list_invoices(limit=1)
            await gateway.list_events(limit=1)
        if in_memory:
            self._keystore.keep_in_memory(profile_id, key)
        else:
            self._keystore.set(profile_id, key)
        try:
            with session_scope(self._sessions, write=True) as session:
                repo.set_stripe_account(
                    session,
                    profile_id,
                    account_id=account.account_id,
                    account_name=account.display_name,
                    livemode=account.livemode,
                    key_last4=key[-4:],
                )
                if account.livemode and confirm_live:
                    repo.update_profile_settings(session, profile_id, live_confirmed=True)
        except Exception:
            self._keystore.delete(profile_id)  # no key without its account record
            raise
        await self._gateways.forget(profile_id)
        log.info("Stripe key saved for profile %s (%s)", profile_id, "live" if livemode else "test")
        self._announce_edit(profile_id)
        return self.get(profile_id)

    async def remove_key(self, profile_id: int) -> ProfileView:
        self._keystore.delete(profile_id)
        await self._gateways.forget(profile_id)
        with session_scope(self._sessions, write=True) as session:
            repo.set_stripe_account(
                session,
                profile_id,
                account_id=None,
                account_name=None,
                livemode=None,
                key_last4=None,
            )
        self._announce_edit(profile_id)
        return self.get(profile_id)

    def keychain_available(self) -> bool:
        return self._keystore.keychain_available()

    # -- Practice (the simulator's side is in services.practice) -------------------------
    @property
    def practice_running(self) -> bool:
        return self._practice.running

    @property
    def can_practise(self) -> bool:
        return self._practice.available

    def start_practice(self) -> ProfileView:
        """Start the simulator (once per run), make the Practice profile, switch to it.

        A fresh simulator knows none of the Practice profile's invoices: they are cleared here
        too, while its clients and watches stay (unlinked from the old simulator's customers).
        """
        fresh = self._practice.start_simulator()
        view = self._practice_profile()
        if fresh:
            self._practice.clear_stripe_data(view.id)
        self.switch_to(view.id)
        return view

    def _practice_profile(self) -> ProfileView:
        for view in self.list_profiles():
            if view.is_practice:
                return view
        return self.create_profile(PRACTICE_NAME, kind=PRACTICE, invoice_footer=PRACTICE_FOOTER)
