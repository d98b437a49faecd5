"""API keys and idempotency keys: how a key is recognised, and how secrets are kept out of text."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from uuid import UUID

from tracker_desktop.domain.errors import AuthenticationFailed
from tracker_desktop.domain.secret_text import (
    BEARER_PATTERN,
    SECRET_PATTERN,
    stripe_key_problem,
)

# Stripe rejects longer idempotency keys.
MAX_IDEMPOTENCY_KEY_LENGTH = 255


@dataclass(frozen=True, slots=True)
class KeyKind:
    restricted: bool
    livemode: bool


def key_kind(api_key: str) -> KeyKind:
    """Decide secret/restricted and test/live from the prefix, refusing other keys locally:
    a character no key has (a space, a control character, a second line) is named before
    anything is sent, since it could only fail on the way as a connection error."""
    problem = stripe_key_problem(api_key)
    if problem:
        raise AuthenticationFailed(problem)
    key = api_key.strip()
    for prefix, restricted, live in (
        ("sk_test_", False, False),
        ("sk_live_", False, True),
        ("rk_test_", True, False),
        ("rk_live_", True, True),
    ):
        if key.startswith(prefix) and len(key) > len(prefix):
            return KeyKind(restricted=restricted, livemode=live)
    if key.startswith("pk_"):
        raise AuthenticationFailed(
            "This is a publishable key (pk_…), which cannot create invoices. Paste a secret "
            "(sk_…) or restricted (rk_…) key from Dashboard → Developers → API keys."
        )
    raise AuthenticationFailed(
        "This does not look like a Stripe secret key. Paste a secret (sk_…) or restricted "
        "(rk_…) key from Dashboard → Developers → API keys."
    )


def scrub(text: str) -> str:
    """Replace anything that looks like an API key or a bearer token."""
    text = SECRET_PATTERN.sub("[key removed]", text)
    return BEARER_PATTERN.sub("Bearer [key removed]", text)


def idempotency_key(local_id: UUID | str, step: str) -> str:
    """The same local operation and step always give the same key, across retries and restarts.

    Steps that may legitimately repeat with new content (a customer edited twice) must put a
    revision in `step`, or Stripe answers an idempotency error for the changed parameters.
    """
    step = step.strip()
    if not step:
        raise ValueError("an idempotency step name is required")
    key = f"{local_id}:{step}"
    if len(key) > MAX_IDEMPOTENCY_KEY_LENGTH:
        raise ValueError("idempotency key longer than Stripe accepts")
    return key


class ScrubKeysFilter(logging.Filter):
    """Rewrites records so a key can never reach a log file, whoever logged it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True


_FILTER = ScrubKeysFilter()


def install_log_scrubber() -> None:
    """Attach the scrubber to the SDK's logger and ours (idempotent)."""
    for name in ("stripe", "tracker.stripe"):
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
