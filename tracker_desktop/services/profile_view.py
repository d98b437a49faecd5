"""What the windows see of a profile, its mode, and the key-format check. No Qt here."""

from __future__ import annotations

from dataclasses import dataclass

from tracker_desktop.domain.errors import AuthenticationFailed, ValidationError
from tracker_desktop.services.stripe_access import PRACTICE
from tracker_desktop.stripe_gateway import key_kind

__all__ = [
    "KEY_FIELD",
    "MODE_LIVE",
    "MODE_NONE",
    "MODE_NO_KEY",
    "MODE_PRACTICE",
    "MODE_TEST",
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
