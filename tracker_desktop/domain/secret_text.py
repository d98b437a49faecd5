"""What looks like a Stripe secret in a piece of text: one definition for every layer that
must keep secrets out of logs, messages and errors."""

from __future__ import annotations

import re

# sk_/rk_ secret and restricted keys, pk_ keys (public, masked anyway), whsec_ webhook
# secrets; masked or not (Stripe masks most of a key in its messages, a local server or a
# future message might not).
SECRET_PATTERN = re.compile(r"\b((?:sk|rk|pk)_(?:test|live)_|whsec_)[A-Za-z0-9*_]+")
BEARER_PATTERN = re.compile(r"(?i)bearer\s+\S+")


def mask_secrets(text: str) -> str:
    """Keeps the kind of each key (`sk_test_****`) and nothing of its secret part."""
    text = SECRET_PATTERN.sub(lambda m: f"{m.group(1)}****", text)
    return BEARER_PATTERN.sub("Bearer ****", text)
