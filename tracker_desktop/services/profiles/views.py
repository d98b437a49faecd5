"""What the windows see of a profile, its mode, and the key-format check. No Qt here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tracker_desktop.domain.errors import AuthenticationFailed, ValidationError
from tracker_desktop.services.profiles.stripe_access import PRACTICE
from tracker_desktop.stripe_gateway import key_kind

if TYPE_CHECKING:
    from tracker_desktop.config.secrets import KeyStore
    from tracker_desktop.db.models import Profile

__all__ = [
    "CONNECTED",
    "KEY_FIELD",
    "MODE_LIVE",
    "MODE_NONE",
    "MODE_NO_KEY",
    "MODE_PRACTICE",
    "MODE_TEST",
    "NOT_CONNECTED",
    "NO_KEY",
    "PRACTISING",
    "Connection",
    "ProfileView",
    "check_key_format",
]

# Mode names, the same strings as ui.widgets.mode_badge (services may not import the UI).
MODE_LIVE, MODE_TEST, MODE_PRACTICE, MODE_NO_KEY, MODE_NONE = (
    "live",
    "test",
    "practice",
    "no_key",
    "none",
)
KEY_FIELD = "stripe_key"

# How a profile reaches Stripe (Connection.state).
PRACTISING, CONNECTED, NO_KEY, NOT_CONNECTED = "practice", "connected", "no_key", "not_connected"


@dataclass(frozen=True, slots=True)
class Connection:
    """One profile's connection, worded once: Settings and the status bar both show it."""

    state: str  # PRACTISING, CONNECTED, NO_KEY or NOT_CONNECTED
    short: str  # the status bar's words
    sentence: str  # Settings' words: the same, and what to do


@dataclass(frozen=True, slots=True)
class ProfileView:
    """What the windows see of a profile: plain values, never the key."""

    id: int
    name: str
    kind: str
    default_currency: str
    default_due_days: int
    invoice_footer: str
    account_id: str | None
    account_name: str | None
    livemode: bool | None
    key_last4: str | None
    live_confirmed: bool
    key_in_memory: bool = False
    # A key is on record (key_last4) but cannot be read now: why, in the dealer's words.
    key_problem: str | None = None

    @property
    def is_practice(self) -> bool:
        return self.kind == PRACTICE

    @property
    def has_key(self) -> bool:
        """A key that can really be used: on record, and readable from where it is kept."""
        return self.is_practice or (self.key_last4 is not None and self.key_problem is None)

    @property
    def connection(self) -> Connection:
        if self.is_practice:
            return Connection(
                PRACTISING,
                "Practice: local simulator",
                "Practice — local simulator, no real money",
            )
        if self.key_last4 is None:
            return Connection(
                NO_KEY,
                "No Stripe key: add one in Settings",
                "No Stripe key yet. Paste one below to create invoices.",
            )
        account = self.account_name or "your Stripe account"
        if self.key_problem is not None:  # on record, but not readable: never "Connected"
            return Connection(
                NOT_CONNECTED,
                f"Not connected: the key ending {self.key_last4} cannot be read (see Settings)",
                f"Not connected to {account}: {self.key_problem} Paste the key ending "
                f"{self.key_last4} again below to reconnect.",
            )
        mode = "LIVE mode" if self.livemode else "TEST mode"
        sentence = f"Connected to {account} — {mode} — key ending {self.key_last4}"
        if self.key_in_memory:
            sentence += " (kept in memory for this session only)"
        return Connection(
            CONNECTED, f"Connected to {account}, key ending {self.key_last4}", sentence
        )

    @property
    def mode(self) -> str:
        if self.is_practice:
            return MODE_PRACTICE
        if not self.has_key:
            return MODE_NO_KEY
        return MODE_LIVE if self.livemode else MODE_TEST


def check_key_format(key: str) -> bool:
    """True for a live key. Refuses pk_ and anything else beside the key field."""
    try:
        return key_kind(key).livemode
    except AuthenticationFailed as exc:
        raise ValidationError(str(exc), field=KEY_FIELD) from None


def view_of(profile: Profile, keystore: KeyStore) -> ProfileView:
    """The profile as shown. Settings says "Connected" only for a key that is really kept
    and readable (`key_problem`)."""
    key_problem = None
    if profile.kind != PRACTICE and profile.key_last4 is not None:
        key_problem = keystore.stored_key_problem(profile.id)
    return ProfileView(
        id=profile.id,
        name=profile.name,
        kind=profile.kind,
        default_currency=profile.default_currency,
        default_due_days=profile.default_due_days,
        invoice_footer=profile.invoice_footer,
        account_id=profile.stripe_account_id,
        account_name=profile.stripe_account_name,
        livemode=profile.livemode,
        key_last4=profile.key_last4,
        live_confirmed=profile.live_confirmed,
        key_in_memory=keystore.is_in_memory(profile.id),
        key_problem=key_problem,
    )
