"""One StripeGateway per profile, made on first use and closed on shutdown.

A Practice profile talks to the in-process simulator with the simulator's key; every other
profile uses the key from the keychain (or the in-memory one the dealer chose this run).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.config.secrets import KeyStore
from tracker_desktop.db.models import Profile
from tracker_desktop.domain.errors import TrackerError
from tracker_desktop.stripe_gateway import StripeGateway

PRACTICE = "practice"

GatewayFactory = Callable[[str, str | None], StripeGateway]


class NoStripeKey(TrackerError):
    """The profile has no key yet: the dealer must add one in Settings."""


class NoPracticeSimulator(TrackerError):
    """A Practice profile opened while the simulator is not running."""


def _default_factory(key: str, api_base: str | None) -> StripeGateway:
    return StripeGateway(key, api_base=api_base)


class GatewayProvider:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        keystore: KeyStore,
        *,
        practice_base_url: str | None = None,
        practice_key: str | None = None,
        api_base: str | None = None,  # tests point real-key profiles at the simulator
        factory: GatewayFactory = _default_factory,
    ) -> None:
        self._sessions = session_factory
        self._keystore = keystore
        self.practice_base_url = practice_base_url
        self.practice_key = practice_key
        self._api_base = api_base
        self._factory = factory
        self._gateways: dict[int, StripeGateway] = {}

    @property
    def api_base(self) -> str | None:
        """Where real-key profiles talk to: Stripe (None), or the simulator in tests."""
        return self._api_base

    async def point_real_profiles_at(self, api_base: str | None) -> None:
        """Send real-key profiles somewhere other than Stripe (a simulator, for screenshots
        and tests). Gateways made before are closed, so none keeps the old address."""
        self._api_base = api_base
        await self.close_all()

    def set_practice(self, base_url: str, key: str) -> None:
        """Practice mode started: Practice profiles now reach the simulator."""
        self.practice_base_url = base_url
        self.practice_key = key

    def gateway(self, profile_id: int) -> StripeGateway:
        cached = self._gateways.get(profile_id)
        if cached is not None:
            return cached
        with self._sessions() as session:
            profile = session.get(Profile, profile_id)
            if profile is None:
                raise TrackerError("This profile no longer exists.")
            kind, name, on_record = profile.kind, profile.name, profile.key_last4
        if kind == PRACTICE:
            if not (self.practice_base_url and self.practice_key):
                raise NoPracticeSimulator(
                    "Practice profiles work only while Practice mode is running. Start it "
                    "with the Practice button in Settings or `tracker-desktop --practice`."
                )
            made = self._factory(self.practice_key, self.practice_base_url)
        else:
            key = self._keystore.get(profile_id)  # KeychainUnavailable says why it cannot
            if not key and on_record:
                raise NoStripeKey(
                    f"The Stripe key of the profile “{name}” (ending {on_record}) is not in "
                    "the system keychain any more. Paste it again in Settings."
                )
            if not key:
                raise NoStripeKey(
                    f"The profile “{name}” has no Stripe key yet. Add one in Settings."
                )
            made = self._factory(key, self._api_base)
        self._gateways[profile_id] = made
        return made

    async def forget(self, profile_id: int) -> None:
        """After a key was replaced or removed: the next call makes a fresh gateway."""
        old = self._gateways.pop(profile_id, None)
        if old is not None:
            await old.close()

    async def close_all(self) -> None:
        for profile_id in list(self._gateways):
            await self.forget(profile_id)
