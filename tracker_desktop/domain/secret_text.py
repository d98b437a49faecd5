"""What looks like a Stripe secret in a piece of text: one definition for every layer that
must keep secrets out of logs, messages and errors."""

from __future__ import annotations

import re
import unicodedata

# sk_/rk_ secret and restricted keys, pk_ keys (public, masked anyway), whsec_ webhook
# secrets; masked or not (Stripe masks most of a key in its messages, a local server or a
# future message might not).
SECRET_PATTERN = re.compile(r"\b((?:sk|rk|pk)_(?:test|live)_|whsec_)[A-Za-z0-9*_]+")
BEARER_PATTERN = re.compile(r"(?i)bearer\s+\S+")


def mask_secrets(text: str) -> str:
    """Keeps the kind of each key (`sk_test_****`) and nothing of its secret part."""
    text = SECRET_PATTERN.sub(lambda m: f"{m.group(1)}****", text)
    return BEARER_PATTERN.sub("Bearer ****", text)


# Stripe keys are a prefix and letters, digits or underscores; the longest are about 110
# characters today, so anything past this was pasted with something else.
STRIPE_KEY_MAX = 255
_KEY_CHARACTER = re.compile(r"[A-Za-z0-9_]")


def stripe_key_problem(text: str) -> str:
    """Why `text` cannot be a Stripe key, from its characters alone, or "" when it could be.

    Space, tab or newline around the key are ignored (a paste often brings them). The message
    never quotes the key or any part of it."""
    key = text.strip()
    if len(key) > STRIPE_KEY_MAX:
        found = "it is longer than any Stripe key"
    elif any(ch in "\n\r\v\f\x85\u2028\u2029" for ch in key):
        found = "it runs over more than one line"
    elif any(ch.isspace() for ch in key):
        found = "it has a space in it"
    elif any(unicodedata.category(ch)[0] == "C" for ch in key):
        found = "it has an invisible control character in it"
    elif not all(_KEY_CHARACTER.fullmatch(ch) for ch in key):
        found = "it has characters no Stripe key has (only letters, digits and _)"
    else:
        return ""
    return (
        f"That does not look like a Stripe key: {found}. Copy it again from "
        "Dashboard → Developers → API keys and paste it here."
    )
