"""Stripe's list envelope, cursor paging, ``created`` range filters and ``expand``."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

from .errors import ApiError
from .state import Account, Obj


def range_ok(value: int | None, spec: Any) -> bool:
    """``created=5`` or ``created[gte]=5&created[lt]=9``."""
    if spec is None:
        return True
    if value is None:
        return False
    if isinstance(spec, int):
        return value == spec
    checks = {"gt": value.__gt__, "gte": value.__ge__, "lt": value.__lt__, "lte": value.__le__}
    return all(checks[op](int(bound)) for op, bound in spec.items() if op in checks)


def page(items_newest_first: list[Obj], params: dict[str, Any], url: str, kind: str) -> Obj:
    """Cut one page; both cursors are exclusive, as in Stripe."""
    limit = params.get("limit", 10)
    if not 1 <= limit <= 100:
        raise ApiError(400, "Invalid limit: must be between 1 and 100", param="limit")
    after, before = params.get("starting_after"), params.get("ending_before")
    if after and before:
        raise ApiError(
            400,
            "You may only specify one of these parameters: ending_before, starting_after.",
            param="ending_before",
        )
    ids = [o["id"] for o in items_newest_first]
    if after or before:
        cursor = after or before
        name = "starting_after" if after else "ending_before"
        if cursor not in ids:
            raise ApiError(400, f"No such {kind}: '{cursor}'", code="resource_missing", param=name)
        idx = ids.index(cursor)
        if after:
            rest = items_newest_first[idx + 1 :]
            data, more = rest[:limit], len(rest) > limit
        else:
            # the `limit` items just newer than the cursor, still newest first
            rest = items_newest_first[:idx]
            data, more = rest[-limit:], len(rest) > limit
    else:
        data, more = items_newest_first[:limit], len(items_newest_first) > limit
    return {"object": "list", "data": data, "has_more": more, "url": url}


def newest_first(objs: Iterable[Obj], keep: Callable[[Obj], bool]) -> list[Obj]:
    """Insertion order is creation order, which breaks ties inside one second."""
    return [o for o in reversed(list(objs)) if keep(o)]


def expand(acct: Account, obj: Obj, paths: list[str]) -> Obj:
    """Return a copy of ``obj`` with each dotted path's id replaced by its object."""
    out = copy.deepcopy(obj)
    for path in paths:
        _expand_path(acct, out, path.split("."), path)
    return out


def _expand_path(acct: Account, node: Any, parts: list[str], full: str) -> None:
    if not parts or not isinstance(node, dict):
        return
    head, rest = parts[0], parts[1:]
    if head == "data" and node.get("object") == "list":
        for item in node["data"]:
            _expand_path(acct, item, rest, full)
        return
    if head not in node:
        raise ApiError(400, f"This property cannot be expanded ({full}).", param="expand")
    value = node[head]
    if rest:
        if isinstance(value, str):
            value = node[head] = copy.deepcopy(acct.lookup(value)) or value
        _expand_path(acct, value, rest, full)
    elif isinstance(value, str):
        found = acct.lookup(value)
        if found is not None:
            node[head] = copy.deepcopy(found)
