"""Errors every layer may raise and the UI may show. Messages are for a dealer, never secrets."""

from __future__ import annotations

from collections.abc import Mapping


class TrackerError(Exception):
    """Base of every error the app expects and explains."""


class ValidationError(TrackerError):
    """Bad input. `field` names the form field the message belongs beside."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class FormInvalid(ValidationError):
    """Several fields of one form are wrong at once: `errors` maps each field's key to its
    message, to show every message beside its field. `field` and `str(exc)` are the first."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        first_key, first_message = next(iter(errors.items()))
        super().__init__(first_message, field=first_key)
        self.errors: dict[str, str] = dict(errors)


class IllegalTransition(TrackerError):
    """An invoice asked to move to a state its current state does not allow."""


class ActionNotAllowed(IllegalTransition):
    """A dealer's action (void, record wire, ...) is not allowed now; the message says why."""

    def __init__(self, message: str, action: str | None = None) -> None:
        super().__init__(message)
        self.action = action


class DatabaseProblem(TrackerError):
    """The database file cannot be opened, is from a newer app, or is locked."""


class StorageProblem(DatabaseProblem):
    """The disk or folder under the app's files refused a read or write. The message names
    the file or folder, says what happened and what to do; `retryable` tells whether the
    same action may work in a moment without the dealer changing anything."""

    retryable: bool = False


class DiskFull(StorageProblem):
    """The disk holding a file the app writes is full (SQLITE_FULL, ENOSPC)."""


class ReadOnlyStorage(StorageProblem):
    """A folder or file the app must write is read-only (permissions or a read-only disk)."""


class StorageBusy(StorageProblem):
    """Another program kept the database locked for longer than the busy timeout."""

    retryable = True


class StorageFailure(StorageProblem):
    """The disk reported an input/output error, or the file vanished while open."""


class GatewayError(TrackerError):
    """Stripe refused or could not be reached. `retryable` tells whether trying again may help."""

    retryable: bool = False

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.param = param
        self.request_id = request_id


class AuthenticationFailed(GatewayError):
    """The key is wrong, revoked or expired."""


class PermissionDenied(GatewayError):
    """A restricted key lacks a permission this operation needs."""


class CardDeclined(GatewayError):
    """A payment was declined; the message is Stripe's reason."""


class RateLimited(GatewayError):
    retryable = True


class Offline(GatewayError):
    """No connection to Stripe (network down, DNS, timeout)."""

    retryable = True


class StripeUnavailable(GatewayError):
    """Stripe answered 5xx."""

    retryable = True


class InvalidRequest(GatewayError):
    """Stripe refused the request; `param` names the offending parameter when Stripe says."""


class IdempotencyConflict(GatewayError):
    """The same idempotency key was reused with different parameters: a bug, never retried."""


class NotFound(GatewayError):
    """The Stripe object does not exist (deleted, or made with another key/mode)."""
