"""Stripe's form encoding (``a[b][0][c]=v``) parsed into nested dicts.

Lists arrive as dicts keyed by index strings; the validator turns them into real lists where
the endpoint's parameter type says "list", because only the schema knows which is which
(``metadata[0]=x`` is a dict key, ``lines[0][amount]=1`` is a list item).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

_TOKEN = re.compile(r"\[([^\]]*)\]")


class FormError(ValueError):
    """A body or query string whose keys clash (``a=1&a[b]=2``)."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param


def split_key(key: str) -> list[str]:
    head, _, rest = key.partition("[")
    if not rest:
        return [key]
    return [head, *_TOKEN.findall("[" + rest)]


def parse_form(raw: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in parse_qsl(raw, keep_blank_values=True):
        tokens = split_key(key)
        node: dict[str, Any] = out
        for i, tok in enumerate(tokens):
            last = i == len(tokens) - 1
            if tok == "":
                # `types[]=a&types[]=b`: append with the next free index
                tok = str(len(node))
            if last:
                if isinstance(node.get(tok), dict):
                    raise FormError(key, f"Invalid value for {key}: given both a value and a hash")
                node[tok] = value
            else:
                child = node.setdefault(tok, {})
                if not isinstance(child, dict):
                    raise FormError(key, f"Invalid value for {key}: given both a value and a hash")
                node = child
    return out


def param_path(parts: list[str]) -> str:
    """``["lines", "0", "amount"]`` -> ``lines[0][amount]``, as Stripe names params in errors."""
    if not parts:
        return ""
    return parts[0] + "".join(f"[{p}]" for p in parts[1:])
