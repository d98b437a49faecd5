"""Turning the SDK's exceptions into the project's errors, with no secret and no chained cause."""

from __future__ import annotations

import re

import httpx
import stripe

from tracker_desktop.domain.errors import (
    AuthenticationFailed,
    CardDeclined,
    GatewayError,
    IdempotencyConflict,
    InvalidRequest,
    NotFound,
    Offline,
    PermissionDenied,
    RateLimited,
    StripeUnavailable,
)
from tracker_desktop.stripe_gateway.keys import scrub

AUTH_MESSAGE = (
    "Stripe refused this key: it is wrong, revoked or expired. Paste a current secret or "
    "restricted key from Dashboard → Developers → API keys."
)
OFFLINE_MESSAGE = (
    "Stripe could not be reached. Check the internet connection; nothing was sent twice — "
    "try again."
)
UNAVAILABLE_MESSAGE = "Stripe is having trouble right now. Nothing was lost; try again shortly."
RATE_LIMIT_MESSAGE = "Stripe asked us to slow down. The app will try again in a moment."
BUSY_MESSAGE = "Stripe is still working on this same request. Try again in a moment."
MODE_MISMATCH_MESSAGE = (
    "Stripe answered with live-mode data for a test key, or test-mode data for a live key. "
    "Check that the key pasted is the one meant for this profile."
)

# Stripe names the missing permission like 'rak_invoice_write' in a restricted key's 403.
_PERMISSION = re.compile(r"'(rak_[a-z0-9_]+)'")


def _permission_label(raw: str) -> str:
    """rak_invoice_write -> "Invoice: Write" (as the Dashboard lists permissions)."""
    body = raw.removeprefix("rak_")
    resource, _, level = body.rpartition("_")
    if not resource:
        return raw
    return f"{resource.replace('_', ' ').capitalize()}: {level.capitalize()}"


def _stripe_message(exc: stripe.StripeError) -> str:
    return scrub(exc.user_message or "").strip()


def _param(exc: stripe.StripeError) -> str | None:
    if exc.error is not None and exc.error.param:
        return str(exc.error.param)
    return None


def map_error(exc: BaseException) -> GatewayError:
    """A project error for any failure of a Stripe call. Built from strings only."""
    if isinstance(exc, httpx.HTTPError | OSError | TimeoutError):
        return Offline(OFFLINE_MESSAGE)
    if not isinstance(exc, stripe.StripeError):
        return GatewayError(f"Unexpected problem talking to Stripe ({type(exc).__name__}).")

    request_id = exc.request_id
    code = exc.code or (exc.error.code if exc.error is not None else None)
    message = _stripe_message(exc)
    error_type = exc.error.type if exc.error is not None else None
    status = exc.http_status

    if isinstance(exc, stripe.AuthenticationError):
        return AuthenticationFailed(AUTH_MESSAGE, code=code, request_id=request_id)
    if isinstance(exc, stripe.PermissionError):
        found = _PERMISSION.search(exc.user_message or "")
        if found:
            text = (
                f"This restricted key lacks the “{_permission_label(found.group(1))}” "
                "permission. Add it to the key in Dashboard → Developers → API keys."
            )
        else:
            text = (
                "This restricted key lacks a permission this needs. "
                f"Stripe says: {message or 'permission denied'}"
            )
        return PermissionDenied(text, code=code, request_id=request_id)
    if isinstance(exc, stripe.CardError):
        decline = exc.error.decline_code if exc.error is not None else None
        return CardDeclined(
            message or "The card was declined.",
            code=decline or code,
            param=_param(exc),
            request_id=request_id,
        )
    if isinstance(exc, stripe.RateLimitError):
        return RateLimited(RATE_LIMIT_MESSAGE, code=code, request_id=request_id)
    if isinstance(exc, stripe.APIConnectionError):
        return Offline(OFFLINE_MESSAGE, request_id=request_id)
    if isinstance(exc, stripe.IdempotencyError) or error_type == "idempotency_error":
        if status == 409:
            # A concurrent request with the same key is still running: not a bug, retry later.
            return StripeUnavailable(BUSY_MESSAGE, code=code, request_id=request_id)
        return IdempotencyConflict(
            "The same request key was reused for different data. This is a bug in the app; "
            f"nothing was changed. Stripe says: {message}",
            code=code or "idempotency_error",
            request_id=request_id,
        )
    if isinstance(exc, stripe.InvalidRequestError):
        if code == "resource_missing" or status == 404:
            return NotFound(
                message or "Stripe has no such object.",
                code=code or "resource_missing",
                param=_param(exc),
                request_id=request_id,
            )
        return InvalidRequest(
            message or "Stripe refused the request.",
            code=code,
            param=_param(exc),
            request_id=request_id,
        )
    if status == 409:
        return StripeUnavailable(BUSY_MESSAGE, code=code, request_id=request_id)
    if isinstance(exc, stripe.APIError) and (status is None or status >= 500):
        return StripeUnavailable(UNAVAILABLE_MESSAGE, code=code, request_id=request_id)
    return GatewayError(
        f"Stripe answered something unexpected ({status}). {message}".strip(),
        code=code,
        request_id=request_id,
    )
