"""Generic request validation against stripe-python's typed params (``stripe.params``).

Each endpoint names its TypedDict; unknown keys, missing required keys, mistyped scalars and
values outside an enum are refused with Stripe's wording and documented codes. The SDK types
most enums as ``Literal[...] | str`` so that old SDKs survive new values; the ``Literal`` is
the enum, and it is closed here, as Stripe closes it (``Literal['']|str`` alone only means a
string that may be emptied). Values are coerced on the way (``"3"`` -> 3, ``"true"`` -> True,
``{"0": ...}`` -> list), so handlers get typed data.
"""

from __future__ import annotations

import functools
import re
import sys
import types
import typing
from decimal import Decimal, InvalidOperation
from typing import Any, ForwardRef, Literal, NotRequired, Required, Union

import stripe.params as sp
from typing_extensions import is_typeddict  # the SDK's TypedDicts come from typing_extensions

from .errors import ApiError
from .forms import param_path

_INT = re.compile(r"-?\d+")
_WRAPPERS: tuple[Any, ...] = (NotRequired, Required)
# Every request TypedDict inherits the SDK's client options (api_key, idempotency_key, ...),
# which never go on the wire; EventRetrieveParams adds only `expand` to them.
_CLIENT_OPTIONS = frozenset(sp.EventRetrieveParams.__annotations__) - {"expand"}


def _bad(parts: list[str], message: str, code: str | None = None) -> ApiError:
    return ApiError(400, message, param=param_path(parts), code=code)


def one_of(values: tuple[Any, ...] | list[Any]) -> str:
    """Stripe's list of allowed values: ``a``, ``a or b``, ``a, b, or c``."""
    shown = [str(v) for v in values]
    if len(shown) <= 2:
        return " or ".join(shown)
    return ", ".join(shown[:-1]) + ", or " + shown[-1]


def _resolve(ann: Any, module: str) -> Any:
    if isinstance(ann, str):
        ann = ForwardRef(ann)
    if isinstance(ann, ForwardRef):
        return eval(ann.__forward_arg__, vars(sys.modules[module]))  # noqa: S307 - SDK's own text
    return ann


@functools.cache
def fields(td: type) -> tuple[dict[str, Any], frozenset[str]]:
    """The TypedDict's keys (client options dropped) with resolved types, and required keys."""
    out: dict[str, Any] = {}
    is_request = td.__annotations__.keys() >= _CLIENT_OPTIONS
    for key, ann in td.__annotations__.items():
        if is_request and key in _CLIENT_OPTIONS:
            continue
        if typing.get_origin(ann) in _WRAPPERS:
            ann = typing.get_args(ann)[0]
        out[key] = (ann, td.__module__)  # resolved lazily: some names exist only for mypy
    required = frozenset(k for k in getattr(td, "__required_keys__", ()) if k in out)
    return out, required


def _is_typeddict(tp: Any) -> bool:
    return isinstance(tp, type) and is_typeddict(tp)


def coerce(value: Any, tp: Any, module: str, parts: list[str]) -> Any:
    tp = _resolve(tp, module)
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        return _coerce_union(value, typing.get_args(tp), module, parts)
    if origin is Literal:
        return _enum(value, typing.get_args(tp), parts)
    if origin in (list, typing.List):  # noqa: UP006 - the SDK spells it List
        return _coerce_list(value, typing.get_args(tp)[0], module, parts)
    if origin in (dict, typing.Dict) or _is_untyped_object(tp):  # noqa: UP006
        if not isinstance(value, dict):
            raise _bad(parts, f"Invalid object: {param_path(parts)} must be a hash")
        for k, v in value.items():  # metadata-like hashes hold strings only
            if isinstance(v, dict):
                raise _bad(
                    [*parts, k], f"Invalid value type: {param_path([*parts, k])} must be a string"
                )
        return value
    if _is_typeddict(tp):
        return validate(value, tp, parts)
    return _coerce_scalar(value, tp, parts)


def _is_untyped_object(tp: Any) -> bool:
    name = getattr(typing.get_origin(tp) or tp, "__name__", "")
    return name in ("UntypedStripeObject", "Mapping", "Any")


def _enum(value: Any, allowed: tuple[Any, ...], parts: list[str]) -> Any:
    if value not in allowed:
        choices = one_of([a for a in allowed if a != ""])
        # Stripe documents no error code for a value outside an enum (README.md)
        raise _bad(parts, f"Invalid {param_path(parts)}: must be one of {choices}")
    return value


def _coerce_union(value: Any, options: tuple[Any, ...], module: str, parts: list[str]) -> Any:
    resolved = [_resolve(o, module) for o in options]
    literals = [v for o in resolved if typing.get_origin(o) is Literal for v in typing.get_args(o)]
    if str in resolved and any(v != "" for v in literals) and not isinstance(value, dict):
        # `Literal[...] | str`: the Literal is the enum, closed as on Stripe
        return _enum(value, tuple(literals), parts)
    first: ApiError | None = None
    for opt in options:
        if opt is type(None):
            continue
        try:
            return coerce(value, opt, module, parts)
        except ApiError as exc:
            # keep the error of the branch whose shape matches (hash vs scalar)
            shaped = isinstance(value, dict) == _wants_hash(_resolve(opt, module))
            if first is None or shaped:
                first = exc if first is None or shaped else first
    raise first or _bad(parts, f"Invalid value for {param_path(parts)}")


def _wants_hash(tp: Any) -> bool:
    origin = typing.get_origin(tp)
    return bool(
        _is_typeddict(tp)
        or origin in (list, dict, typing.List, typing.Dict)  # noqa: UP006
        or _is_untyped_object(tp)
    )


def _coerce_list(value: Any, item: Any, module: str, parts: list[str]) -> list[Any]:
    if isinstance(value, dict):
        if not all(k.isdigit() for k in value):
            raise _bad(parts, f"Invalid array: {param_path(parts)} must be an array")
        items = [value[k] for k in sorted(value, key=int)]
        keys = sorted(value, key=int)
    elif isinstance(value, list):
        items, keys = value, [str(i) for i in range(len(value))]
    else:
        raise _bad(parts, f"Invalid array: {param_path(parts)} must be an array")
    return [coerce(v, item, module, [*parts, k]) for k, v in zip(keys, items, strict=True)]


def _coerce_scalar(value: Any, tp: Any, parts: list[str]) -> Any:
    name = param_path(parts)
    if isinstance(value, dict):
        raise _bad(parts, f"Invalid {name}: expected a {getattr(tp, '__name__', tp)}, got a hash")
    text = str(value)
    if tp is bool:
        if text not in ("true", "false"):
            raise _bad(parts, f"Invalid boolean: {text}")
        return text == "true"
    if tp is int:
        if not _INT.fullmatch(text):
            raise _bad(parts, f"Invalid integer: {text}", "parameter_invalid_integer")
        return int(text)
    if tp is float:
        try:
            return float(text)
        except ValueError:
            raise _bad(parts, f"Invalid float: {text}") from None
    if tp is Decimal:
        try:
            dec = Decimal(text)
        except InvalidOperation:
            raise _bad(parts, f"Invalid decimal: {text}") from None
        if not dec.is_finite():
            raise _bad(parts, f"Invalid decimal: {text}")
        return dec
    return text


def validate(params: Any, td: type, parts: list[str] | None = None) -> dict[str, Any]:
    """Check ``params`` against TypedDict ``td``; return the coerced dict."""
    parts = parts or []
    if not isinstance(params, dict):
        raise _bad(parts, f"Invalid object: {param_path(parts)} must be a hash")
    known, required = fields(td)
    out: dict[str, Any] = {}
    for key, value in params.items():
        if key not in known:
            raise ApiError(
                400,
                f"Received unknown parameter: {param_path([*parts, key])}",
                code="parameter_unknown",
                param=param_path([*parts, key]),
            )
        tp, module = known[key]
        out[key] = coerce(value, tp, module, [*parts, key])
    for key in sorted(required - params.keys()):
        raise ApiError(
            400,
            f"Missing required param: {param_path([*parts, key])}.",
            code="parameter_missing",
            param=param_path([*parts, key]),
        )
    for key in sorted(k for k in required if params[k] == ""):
        name = param_path([*parts, key])
        raise ApiError(
            400,
            f"You passed an empty string for '{name}'. We assume empty values are an attempt "
            f"to unset a parameter; however '{name}' cannot be unset. You should remove "
            f"'{name}' from your request or supply a non-empty value.",
            code="parameter_invalid_empty",
            param=name,
        )
    return out
