"""Stripe keys live in the OS keychain through keyring, one entry per profile id.

Only a real OS keychain is used: keyring's null backend (which drops what it is given),
its fail backend (no keychain at all) and every keyrings.alt backend (keys in a plain or
password-encrypted file, or the Windows registry) are refused by their class's module,
without importing keyrings.alt. A stored key is read back before it counts as saved.
There is no plaintext fallback: when no keychain can be used the dealer may choose to keep
a key in memory for this run only; it is gone when the app closes.
"""

from __future__ import annotations

import logging

import keyring
import keyring.backend
import keyring.errors

from tracker_desktop.domain.errors import TrackerError

SERVICE_NAME = "Tracker Desktop Stripe key"

# keyring's own stand-ins for "no keychain": null drops every key, fail raises.
_NO_KEYCHAIN_MODULES = ("keyring.backends.null", "keyring.backends.fail")
# Alternate stores: a plain file, a file encrypted with a typed password, the registry.
_NOT_A_KEYCHAIN_PACKAGE = "keyrings.alt"

log = logging.getLogger(__name__)


class KeychainUnavailable(TrackerError):
    """No usable keychain on this system, or it refused (locked, access denied)."""


def _account(profile_id: int, scope: str = "") -> str:
    # A shared database's profiles are numbered by the server: their keys are kept apart
    # from this computer's file's, whose profile 1 may be another business.
    return f"profile-{profile_id}@{scope}" if scope else f"profile-{profile_id}"


def keychain_problem(backend: keyring.backend.KeyringBackend) -> str | None:
    """Why `backend` is no real OS keychain (the dealer's sentence), or None if it is."""
    members = getattr(backend, "backends", None)
    if type(backend).__module__ == "keyring.backends.chainer" and members is not None:
        # A chain writes to its first member: that one must be a real keychain.
        chained = list(members)
        return keychain_problem(chained[0]) if chained else NO_KEYCHAIN
    module = type(backend).__module__
    if module in _NO_KEYCHAIN_MODULES:
        return NO_KEYCHAIN
    if module == _NOT_A_KEYCHAIN_PACKAGE or module.startswith(_NOT_A_KEYCHAIN_PACKAGE + "."):
        return _not_a_keychain(f"{module}.{type(backend).__name__}")
    return None


class KeyStore:
    """Reads and writes profile keys; optionally holds some in memory for this run only."""

    def __init__(self, scope: str = "") -> None:
        """`scope`: "" for this computer's file, else the shared database's keychain_scope."""
        self._scope = scope
        self._memory: dict[int, str] = {}
        # Profiles whose stored key was read back this run, or why it could not be.
        self._checked: dict[int, str | None] = {}

    @classmethod
    def for_database(cls, url: str) -> KeyStore:
        """The keys of the profiles of the database at `url`: a shared database's profiles
        have keychain entries of their own (config.shared_database.keychain_scope)."""
        from tracker_desktop.config.shared_database import keychain_scope

        return cls(keychain_scope(url))

    def get(self, profile_id: int) -> str | None:
        if profile_id in self._memory:
            return self._memory[profile_id]
        backend = self._usable_backend()
        try:
            return backend.get_password(SERVICE_NAME, _account(profile_id, self._scope))
        except keyring.errors.NoKeyringError:
            raise KeychainUnavailable(NO_KEYCHAIN) from None
        except keyring.errors.KeyringError as exc:
            raise KeychainUnavailable(_refused(exc)) from None

    def set(self, profile_id: int, key: str) -> None:
        """Store `key` and read it back; anything short of that raises KeychainUnavailable
        with the dealer's sentence, and nothing is left half-stored."""
        self._checked.pop(profile_id, None)
        backend = self._usable_backend()
        account = _account(profile_id, self._scope)
        try:
            backend.set_password(SERVICE_NAME, account, key)
            kept = backend.get_password(SERVICE_NAME, account)
        except keyring.errors.NoKeyringError:
            raise KeychainUnavailable(NO_KEYCHAIN) from None
        except keyring.errors.KeyringError as exc:
            raise KeychainUnavailable(_refused(exc)) from None
        if kept != key:
            self._forget_quietly(backend, account)
            raise KeychainUnavailable(_NOT_KEPT)
        self._memory.pop(profile_id, None)
        self._checked[profile_id] = None

    def keep_in_memory(self, profile_id: int, key: str) -> None:
        """The dealer's explicit choice when no keychain can be used: this run only."""
        self._memory[profile_id] = key
        self._checked[profile_id] = None

    def is_in_memory(self, profile_id: int) -> bool:
        return profile_id in self._memory

    def stored_key_problem(self, profile_id: int) -> str | None:
        """For a profile that has a key on record: None when the key can be read now (from
        the keychain, or memory this run), else why not. Asked once per profile and run."""
        if profile_id in self._memory:
            return None
        if profile_id not in self._checked:
            try:
                found = self.get(profile_id)
            except KeychainUnavailable as exc:
                self._checked[profile_id] = str(exc)
            else:
                self._checked[profile_id] = None if found else KEY_MISSING
        return self._checked[profile_id]

    def delete(self, profile_id: int) -> None:
        """Removes the key wherever keyring keeps it, even in a store refused for saving:
        a key an older version left in a plain file is better gone."""
        self._memory.pop(profile_id, None)
        self._checked.pop(profile_id, None)
        try:
            keyring.delete_password(SERVICE_NAME, _account(profile_id, self._scope))
        except keyring.errors.PasswordDeleteError:
            pass  # nothing stored: already gone
        except keyring.errors.NoKeyringError:
            pass  # no keychain: nothing could have been stored there
        except keyring.errors.KeyringError as exc:
            raise KeychainUnavailable(_refused(exc)) from None

    def keychain_available(self) -> bool:
        try:
            self._usable_backend()
        except KeychainUnavailable:
            return False
        return True

    @staticmethod
    def _usable_backend() -> keyring.backend.KeyringBackend:
        try:
            backend = keyring.get_keyring()
        except keyring.errors.KeyringError as exc:
            raise KeychainUnavailable(_refused(exc)) from None
        problem = keychain_problem(backend)
        if problem is not None:
            raise KeychainUnavailable(problem)
        return backend

    @staticmethod
    def _forget_quietly(backend: keyring.backend.KeyringBackend, account: str) -> None:
        try:
            backend.delete_password(SERVICE_NAME, account)
        except keyring.errors.KeyringError:
            log.warning("keychain: could not remove an entry it did not keep")


_IN_MEMORY_CHOICE = (
    "You can keep the key in memory for this session only; you will paste it again next time."
)

NO_KEYCHAIN = (
    "No system keychain is available on this computer, so Tracker Desktop cannot keep the "
    "Stripe key safely. Use Tracker Desktop in a desktop session that has one "
    "(Windows Credential Manager, macOS Keychain, or GNOME Keyring or KWallet on Linux, "
    f"unlocked), then try again. {_IN_MEMORY_CHOICE}"
)

KEY_MISSING = (
    "The Stripe key is not in the system keychain (it may have been kept in memory for one "
    "session only, or removed from the keychain)."
)

_NOT_KEPT = (
    "The system keychain accepted the Stripe key but did not give it back when asked, so "
    "it was not saved. Unlock the keychain (or sign out and in again), then try again. "
    f"{_IN_MEMORY_CHOICE}"
)


def _not_a_keychain(backend_name: str) -> str:
    return (
        f"Keys are set to be kept by {backend_name}, which stores them in a file (or the "
        "Windows registry) rather than in the system keychain, so Tracker Desktop does not "
        "use it for the Stripe key. Remove the keyrings.alt package, or the "
        "PYTHON_KEYRING_BACKEND setting that "
        f"chose it, so the system keychain is used, then try again. {_IN_MEMORY_CHOICE}"
    )


def _refused(exc: Exception) -> str:
    # The backend's own text may say why (locked, denied); it never contains the key.
    kind = type(exc).__name__
    return (
        f"The system keychain refused the request ({kind}). Unlock the keychain or allow "
        "Tracker Desktop to use it, then try again."
    )


DATABASE_SERVICE_NAME = "Tracker Desktop shared database"


class DatabasePasswordStore:
    """The shared database's password, in the keychain under the server, database and user it
    opens (config.shared_database), never in settings.json. Stored only once read back."""

    def get(self, account: str) -> str | None:
        backend = KeyStore._usable_backend()
        try:
            return backend.get_password(DATABASE_SERVICE_NAME, account)
        except keyring.errors.KeyringError as exc:
            raise KeychainUnavailable(_refused(exc)) from None

    def set(self, account: str, password: str) -> None:
        backend = KeyStore._usable_backend()
        try:
            backend.set_password(DATABASE_SERVICE_NAME, account, password)
            kept = backend.get_password(DATABASE_SERVICE_NAME, account)
        except keyring.errors.KeyringError as exc:
            raise KeychainUnavailable(_refused(exc)) from None
        if kept != password:
            raise KeychainUnavailable(_NOT_KEPT.replace("Stripe key", "database password"))

    def delete(self, account: str) -> None:
        """Forget the password (Stop sharing, or a setup that did not finish)."""
        backend = KeyStore._usable_backend()
        try:
            backend.delete_password(DATABASE_SERVICE_NAME, account)
        except keyring.errors.PasswordDeleteError:
            pass  # nothing stored: already gone
        except keyring.errors.KeyringError as exc:
            raise KeychainUnavailable(_refused(exc)) from None
