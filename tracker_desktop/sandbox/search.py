"""Stripe's search (``/v1/invoices/search``, ``/v1/customers/search``): its query language and
its freshness lag.

The language, from https://docs.stripe.com/search#search-query-language: clauses of a field,
an operator and a value, joined by spaces, ``AND`` or ``OR`` (never both in one query, at most
10 clauses); ``-`` negates a clause; ``:`` is an exact, case-insensitive match, ``~`` a
substring of at least 3 characters, ``>``/``<``/``>=``/``<=``/``=`` compare numbers; strings are
quoted (``'`` or ``"``, ``\\`` escapes), numbers need not be; ``field:null`` matches an empty
field; ``metadata['key']`` reaches a metadata value.

Search reads an index that trails the objects: each change becomes searchable
``SEARCH_LAG_SECONDS`` after it happened (state.Account.index), as "under 1 minute" on Stripe.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import facts
from .errors import ApiError
from .state import Account, Obj

NUMERIC = frozenset({"created", "total"})
SUBSTRING = frozenset({"email", "name", "phone"})

_CLAUSE = re.compile(
    r"""(?P<neg>-)?
    (?:metadata\[(?P<mq>['"])(?P<key>(?:\\.|(?!(?P=mq)).)*)(?P=mq)\]|(?P<field>[a-z_]+))
    (?P<op>>=|<=|[:~<>=])
    (?:(?P<vq>['"])(?P<value>(?:\\.|(?!(?P=vq)).)*)(?P=vq)|(?P<bare>[^\s'"]+))""",
    re.VERBOSE,
)
_JOIN = re.compile(r"\s+(?:(AND|OR)\s+)?", re.IGNORECASE)


@dataclass(frozen=True)
class Clause:
    field: str  # "metadata" for a metadata key
    key: str | None
    op: str
    value: str | None  # None for `null`
    quoted: bool
    negated: bool

    def matches(self, obj: Obj, kind: str) -> bool:
        return self.negated != self._holds(_field_value(obj, kind, self.field, self.key))

    def _holds(self, have: Any) -> bool:
        if self.value is None:
            return have in (None, "", {})
        if have is None:
            return False
        if self.field in NUMERIC:
            want, got = int(self.value), int(have)
            return {
                ":": got == want,
                "=": got == want,
                ">": got > want,
                "<": got < want,
                ">=": got >= want,
                "<=": got <= want,
            }[self.op]
        text, want_text = str(have).lower(), self.value.lower()
        return want_text in text if self.op == "~" else text == want_text


def _field_value(obj: Obj, kind: str, field: str, key: str | None) -> Any:
    if field == "metadata":
        return (obj.get("metadata") or {}).get(key or "")
    if field.startswith("last_finalization_error_"):
        error = obj.get("last_finalization_error") or {}
        return error.get(field.removeprefix("last_finalization_error_"))
    if kind == "invoice" and field == "subscription":
        details = ((obj.get("parent") or {}).get("subscription_details")) or {}
        return details.get("subscription")
    return obj.get(field)


def _refuse(query: str, why: str) -> ApiError:
    return ApiError(400, f"Invalid search query {query!r}: {why}", param="query")


def parse(query: str, kind: str) -> Callable[[Obj], bool]:
    """A predicate for one ``kind`` of object ("invoice", "customer"), or Stripe's 400."""
    allowed = facts.SEARCH_FIELDS[kind]
    clauses: list[Clause] = []
    joins: set[str] = set()
    pos, text = 0, query.strip()
    if not text:
        raise _refuse(query, "the query is empty")
    while True:
        m = _CLAUSE.match(text, pos)
        if m is None:
            raise _refuse(query, f"cannot read a clause at {text[pos : pos + 20]!r}")
        clauses.append(_clause(m, query, allowed))
        pos = m.end()
        if pos == len(text):
            break
        join = _JOIN.match(text, pos)
        if join is None:
            raise _refuse(query, f"expected AND, OR or a space at {text[pos : pos + 20]!r}")
        joins.add((join.group(1) or "AND").upper())
        pos = join.end()
    if len(joins) > 1:
        raise _refuse(query, "AND and OR cannot be combined in one query")
    if len(clauses) > facts.SEARCH_MAX_CLAUSES:
        raise _refuse(query, f"at most {facts.SEARCH_MAX_CLAUSES} clauses are allowed")
    if joins == {"OR"}:
        return lambda obj: any(c.matches(obj, kind) for c in clauses)
    return lambda obj: all(c.matches(obj, kind) for c in clauses)


def _clause(m: re.Match[str], query: str, allowed: frozenset[str]) -> Clause:
    field = m.group("field") or "metadata"
    key = _unescape(m.group("key")) if m.group("key") is not None else None
    if field not in allowed or (field == "metadata" and key is None):
        raise _refuse(query, f"{field!r} is not a search field here ({', '.join(sorted(allowed))})")
    quoted = m.group("vq") is not None
    raw = _unescape(m.group("value")) if quoted else m.group("bare")
    value = None if not quoted and raw.lower() == "null" else raw
    op = m.group("op")
    if field in NUMERIC:
        if value is not None and not re.fullmatch(r"-?\d+", value):
            raise _refuse(query, f"{field} takes a number")
    else:
        if op not in (":", "~"):
            raise _refuse(query, f"{field} cannot be compared with {op!r}")
        if value is not None and not quoted:
            raise _refuse(query, f"the value for {field} must be in quotes")
        if op == "~" and (field not in SUBSTRING or value is None):
            raise _refuse(query, f"{field} does not support substring matching")
        if op == "~" and value is not None and len(value) < facts.SEARCH_SUBSTRING_MIN:
            raise _refuse(query, f"a substring needs at least {facts.SEARCH_SUBSTRING_MIN} chars")
    return Clause(field, key, op, value, quoted, bool(m.group("neg")))


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _token(query: str, offset: int) -> str:
    raw = json.dumps({"q": query, "o": offset}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _offset(page: str | None, query: str) -> int:
    if not page:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(page + "=" * (-len(page) % 4)))
        if data["q"] == query and isinstance(data["o"], int) and data["o"] >= 0:
            return int(data["o"])
    except (binascii.Error, ValueError, KeyError, TypeError):
        pass
    raise ApiError(400, f"Invalid page: {page!r} is not a page of this query.", param="page")


def search(acct: Account, kind: str, table: dict[str, Obj], params: dict[str, Any]) -> Obj:
    """One page of matches, newest first, as the index saw them ``SEARCH_LAG_SECONDS`` ago."""
    query: str = params["query"]
    keep = parse(query, kind)
    limit = params.get("limit", facts.LIST_LIMIT_DEFAULT)
    if not facts.LIST_LIMIT_MIN <= limit <= facts.LIST_LIMIT_MAX:
        raise ApiError(
            400,
            f"Invalid limit: must be between {facts.LIST_LIMIT_MIN} and {facts.LIST_LIMIT_MAX}",
            param="limit",
        )
    start = _offset(params.get("page"), query)
    now = acct.clock.now()
    found = []
    for obj in reversed(list(table.values())):
        if obj["id"] in acct.deleted_customers:
            continue
        seen = acct.indexed(obj["id"], now)
        if seen is not None and keep(seen):
            found.append(obj)
    data = found[start : start + limit]
    more = len(found) > start + limit
    return {
        "object": "search_result",
        "data": data,
        "has_more": more,
        "next_page": _token(query, start + limit) if more else None,
        "url": f"/v1/{kind}s/search",
    }
