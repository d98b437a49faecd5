"""Stripe keys live in the OS keychain through keyring, one entry per profile id.

There is no plaintext fallback. When no keychain exists (a headless Linux box) the dealer
may choose to keep a key in memory for this run only; it is gone when the app closes.
"""

from __future__ import annotations

import logging

import keyring
import keyring.errors

from tracker_desktop.domain.errors import TrackerError

SERVICE_NAME = "Tracker Desktop Stripe key"

log = logging.getLogger(__name__)


class KeychainUnavailable(TrackerError):
    """No keychain on this system, or it refused (locked, access denied)."""


def _account(profile_id: int) -> str:
    return f"profile-{profile_id}"


class KeyStore:
    """Reads and writes profile keys; optionally holds some in memory for this run only."""

    def __init__(self) -> None:
        self._memory: dict[int, str] = {}

    def get(self, profile_id: int) -> str | None:
        if profile_id in self._memory:
            return self._memory[profile_id]
        try:
            return keyring.get_password(SERVICE_NAME, _account(profile_id))
        except keyring.errors.NoKeyringError:
            raise KeychainUnavailable(_NO_KEYCHAIN) from None
        except keyring.errors.KeyringError as exc:
            raise KeychainUnavailable(_refused(exc)) from None

    def set(self, profile_id: int, key: str) -> None:
        try:
            keyring.set_password(SERVICE_NAME, _account(profile_id), key)
        except keyring.errors.NoKeyringError:
            raise KeychainUnavailable(_NO_KEYCHAIN) from None
        except keyring.errors.KeyringError as exc:
            raise KeychainUnavailable(_refused(exc)) from None
        self._memory.pop(profile_id, None)

    def keep_in_memory(self, profile_id: int, key: str) -> None:
        """The dealer's explicit choice when no keychain exists: this run only."""
        self._memory[profile_id] = key

    def is_in_memory(self, profile_id: int) -> bool:
        return profile_id in self._memory

    def delete(self, profile_id: int) -> None:
        self._memory.pop(profile_id, None)
        try:
            keyring.delete_password(SERVICE_NAME, _account(profile_id))
        except keyring.errors.PasswordDeleteError:
            pass  # nothing stored: already gone
        except keyring.errors.NoKeyringError:
            pass  # no keychain: nothing could have been stored there
        except keyring.errors.KeyringError as exc:
            raise KeychainUnavailable(_refused(exc)) from None

    def keychain_available(self) -> bool:
        try:
            backend = keyring.get_keyring()
        except keyring.errors.KeyringError:
            return False
        return not type(backend).__module__.startswith("keyring.backends.fail")


_NO_KEYCHAIN = (
    "No system keychain is available on this computer, so the Stripe key cannot be saved "
    "safely. You can keep it in memory for this session only; you will paste it again "
    "next time."
)


def _refused(exc: Exception) -> str:
    # The backend's own text may say why (locked, denied); it never contains the key.
    kind = type(exc).__name__
    return (
        f"The system keychain refused the request ({kind}). Unlock the keychain or allow "
        "Tracker Desktop to use it, then try again."
    )
