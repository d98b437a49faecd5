"""Stripe's list envelope, cursor paging, ``created`` range filters and ``expand``."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

from .errors import ApiError
from .facts import EXPAND_MAX_DEPTH, LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, LIST_LIMIT_MIN
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
    limit = params.get("limit", LIST_LIMIT_DEFAULT)
    if not LIST_LIMIT_MIN <= limit <= LIST_LIMIT_MAX:
        raise ApiError(
            400,
            f"Invalid limit: must be between {LIST_LIMIT_MIN} and {LIST_LIMIT_MAX}",
            param="limit",
        )
    after, before = params.get("starting_after"), params.get("ending_before")
    if after and before:
        raise ApiError(
            400,
            "You may only specify one of these parameters: ending_before, starting_after.",
            code="parameters_exclusive",
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
    if out.get("deleted") is True:
        return out  # what is left of a deleted object has nothing to expand
    for path in paths:
        parts = path.split(".")
        if len([p for p in parts if p != "data"]) > EXPAND_MAX_DEPTH:
            raise ApiError(
                400,
                f"You cannot expand more than {EXPAND_MAX_DEPTH} levels of a property. "
                f"Property: {path}",
                param="expand",
            )
        _expand_path(acct, out, parts, path)
    return out


def _cannot(full: str) -> ApiError:
    return ApiError(400, f"This property cannot be expanded ({full}).", param="expand")


def _expand_path(acct: Account, node: Any, parts: list[str], full: str) -> None:
    if not parts or not isinstance(node, dict):
        return
    head, rest = parts[0], parts[1:]
    if head == "data" and node.get("object") in ("list", "search_result"):
        for item in node["data"]:
            _expand_path(acct, item, rest, full)
        return
    if head not in node:
        raise _cannot(full)
    value = node[head]
    if isinstance(value, str):
        found = acct.lookup(value)
        if found is None:  # a plain string (a currency, a status): not an expandable id
            raise _cannot(full)
        value = node[head] = copy.deepcopy(found)
    elif value is not None and not (isinstance(value, dict) and (rest or "id" in value)):
        raise _cannot(full)
    _expand_path(acct, value, rest, full)
