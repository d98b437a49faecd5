"""Stripe's own model of its API objects, read from the pinned stripe-python, to hold answers to.

stripe-python's resource classes (``stripe.Invoice``, ``stripe.InvoiceLineItem``, ...) are
generated from Stripe's OpenAPI spec. A field annotated without ``Optional`` is one Stripe
always sends, never null; ``Optional`` means it may be null or absent; the ``Literal[...]``
inside ``Literal[...] | str`` is the field's enum (the ``| str`` only lets old SDKs survive new
values, so it is read as closed here). ``check_answer`` lists every way a JSON answer departs
from that model: a required field missing, a field Stripe does not have, a wrong type, a value
outside an enum. Nothing here is written from the project's own idea of Stripe, except the
list and search envelopes, whose SDK classes are hand-written (see README.md).
"""

from __future__ import annotations

import inspect
import types
import typing
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, Union

import stripe
from stripe._stripe_object import UntypedStripeObject

from .stripe_fields import class_for, enum_values, fields, is_required, literal_values, resolve

# Reading the SDK's classes is in stripe_fields; callers import these names from here too.
__all__ = ["API_VERSION", "ERROR_CLASS", "SDK_VERSION", "check_answer", "class_for", "enum_values"]

# The api_errors schema: the SDK generates it as PaymentIntent.last_payment_error, with the
# enums of `type` and `code` (stripe.ErrorObject is hand-written and types both as str).
ERROR_CLASS: type[stripe.StripeObject] = stripe.PaymentIntent.LastPaymentError
SDK_VERSION: str = stripe.VERSION
API_VERSION: str = stripe.api_version
# read once: each attribute of the `stripe` module is a lazy import
_OBJECT, _LIST, _EVENT = stripe.StripeObject, stripe.ListObject, stripe.Event

_LIST_KEYS = frozenset({"object", "data", "has_more", "url"})
_SEARCH_KEYS = frozenset({"object", "data", "has_more", "next_page", "url", "total_count"})
_DELETED_KEYS = frozenset({"id", "object", "deleted"})


def _is_decimal(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


def _name(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class _Check:
    """Collects the departures of one answer from the model, each named by its JSON path."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def bad(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def value(self, value: Any, ann: Any, module: str, path: str) -> None:
        ann = resolve(ann, module)
        origin = typing.get_origin(ann)
        if ann is Any or ann is object:
            return
        if origin in (Union, types.UnionType):
            self._union(value, typing.get_args(ann), module, path)
            return
        if value is None:
            self.bad(path, "null, but Stripe's model says it is never null")
            return
        if origin is Literal:
            allowed = typing.get_args(ann)
            if value not in allowed:
                self.bad(path, f"{_name(value)} is not one of {list(allowed)}")
        elif origin is list:
            if not isinstance(value, list):
                self.bad(path, f"{_name(value)} is not a list")
                return
            for i, item in enumerate(value):
                self.value(item, typing.get_args(ann)[0], module, f"{path}[{i}]")
        elif origin is dict or origin is UntypedStripeObject or ann is UntypedStripeObject:
            self._mapping(value, ann, module, path)
        elif origin is _LIST or ann is _LIST:
            args = typing.get_args(ann)
            self.envelope(value, "list", args[0] if args else None, module, path)
        elif inspect.isclass(ann) and issubclass(ann, _OBJECT):
            self.object(value, ann, path)
        elif ann is Decimal:  # sent as a decimal string, e.g. unit_amount_decimal
            if not (isinstance(value, str) and _is_decimal(value)):
                self.bad(path, f"{_name(value)} is not a decimal string")
        elif ann in (str, int, float, bool):
            self._scalar(value, ann, path)
        else:
            self.bad(path, f"the model's type {ann!r} is not understood by this checker")

    def _scalar(self, value: Any, ann: type, path: str) -> None:
        if ann is float:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        elif ann is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        else:
            ok = isinstance(value, ann)
        if not ok:
            self.bad(path, f"{_name(value)} is not a {ann.__name__}")

    def _mapping(self, value: Any, ann: Any, module: str, path: str) -> None:
        if not isinstance(value, dict):
            self.bad(path, f"{_name(value)} is not a hash")
            return
        args = typing.get_args(ann)
        if args:
            for key, item in value.items():
                self.value(item, args[-1], module, f"{path}.{key}")

    def _union(self, value: Any, options: tuple[Any, ...], module: str, path: str) -> None:
        if value is None:
            if type(None) not in options:
                self.bad(path, "null, but Stripe's model says it is never null")
            return
        rest = [resolve(o, module) for o in options if o is not type(None)]
        literals = [v for o in rest for v in literal_values(o)]
        if literals and all(o is str or typing.get_origin(o) is Literal for o in rest):
            if value not in literals:  # `Literal[...] | str`: the enum, read as closed
                self.bad(path, f"{_name(value)} is not one of {literals}")
            return
        if len(rest) == 1:
            self.value(value, rest[0], module, path)
            return
        if isinstance(value, dict) and isinstance(value.get("object"), str):
            # an expanded field or a union of objects: the branch whose `object` matches
            for option in rest:
                if (
                    inspect.isclass(option)
                    and issubclass(option, _OBJECT)
                    and value["object"] in enum_values(option, "object")
                ):
                    self.object(value, option, path)
                    return
        best: list[str] | None = None
        for option in rest:
            trial = _Check()
            trial.value(value, option, module, path)
            if not trial.problems:
                return
            if best is None or len(trial.problems) < len(best):
                best = trial.problems
        self.problems.extend(best or [f"{path}: fits none of {rest}"])

    def object(self, value: Any, cls: type[stripe.StripeObject], path: str) -> None:
        if not isinstance(value, dict):
            self.bad(path, f"{_name(value)} is not a {cls.__name__} object")
            return
        known = fields(cls)
        deleted = value.get("deleted") is True and "deleted" in known
        for name, ann in known.items():
            if name in value:
                self.value(value[name], ann, cls.__module__, f"{path}.{name}")
            elif is_required(ann) and not (deleted and name not in _DELETED_KEYS):
                self.bad(f"{path}.{name}", f"missing; Stripe always sends it on {cls.__name__}")
        for name in sorted(value.keys() - known.keys()):
            self.bad(f"{path}.{name}", f"not a field of {cls.__name__} in Stripe's model")
        if cls is _EVENT:
            self._event_payload(value, path)

    def _event_payload(self, event: dict[str, Any], path: str) -> None:
        """An event carries a whole object of its own kind; previous values are its fields."""
        data = event.get("data")
        obj = data.get("object") if isinstance(data, dict) else None
        kind = class_for(obj.get("object", "")) if isinstance(obj, dict) else None
        if kind is None:
            self.bad(f"{path}.data.object", "not an object Stripe's model knows")
            return
        self.object(obj, kind, f"{path}.data.object")
        previous = data.get("previous_attributes") if isinstance(data, dict) else None
        for name, old in (previous or {}).items():
            ann = fields(kind).get(name)
            where = f"{path}.data.previous_attributes.{name}"
            if ann is None:
                self.bad(where, f"not a field of {kind.__name__} in Stripe's model")
            else:
                self.value(old, ann, kind.__module__, where)

    def envelope(
        self, value: Any, kind: str, item: Any, module: str, path: str, item_object: str = ""
    ) -> None:
        """A list or search page: its envelope, then each item against its class."""
        if not isinstance(value, dict):
            self.bad(path, f"{_name(value)} is not a {kind} object")
            return
        allowed = _LIST_KEYS if kind == "list" else _SEARCH_KEYS
        for name in sorted(value.keys() - allowed):
            self.bad(f"{path}.{name}", f"not a field of a {kind} in Stripe's API reference")
        if value.get("object") != kind:
            self.bad(f"{path}.object", f"{_name(value.get('object'))} is not {kind!r}")
        self._scalar(value.get("has_more"), bool, f"{path}.has_more")
        self._scalar(value.get("url"), str, f"{path}.url")
        if kind == "search_result":
            page = value.get("next_page")
            if page is not None:
                self._scalar(page, str, f"{path}.next_page")
            if "total_count" in value:
                self._scalar(value["total_count"], int, f"{path}.total_count")
        data = value.get("data")
        if not isinstance(data, list):
            self.bad(f"{path}.data", "missing or not a list")
            return
        for i, entry in enumerate(data):
            where = f"{path}.data[{i}]"
            if item is not None:
                self.value(entry, item, module, where)
                continue
            name = entry.get("object", "") if isinstance(entry, dict) else ""
            if item_object and name != item_object:
                self.bad(f"{where}.object", f"{_name(name)} is not {item_object!r}")
            cls = class_for(name)
            if cls is None:
                self.bad(where, "not an object Stripe's model knows")
            else:
                self.object(entry, cls, where)


def check_answer(status: int, body: Any, returns: str = "") -> list[str]:
    """How a decoded JSON answer departs from Stripe's model ([] when it matches).

    ``returns`` names what the endpoint answers with: an object (``invoice``), or a page of
    them (``list:invoice``, ``search_result:customer``); empty means "read its ``object``".
    """
    check = _Check()
    if not isinstance(body, dict):
        check.bad("$", "the answer is not a JSON object")
        return check.problems
    if status >= 400:
        for name in sorted(body.keys() - {"error"}):
            check.bad(name, "not part of Stripe's error envelope")
        check.object(body.get("error"), ERROR_CLASS, "error")
        return check.problems
    kind, _, item = returns.partition(":")
    name = body.get("object")
    if kind and name != kind:
        check.bad("object", f"{_name(name)}, but this endpoint answers with {kind!r}")
    if name in ("list", "search_result"):
        check.envelope(body, name, None, "", name, item_object=item)
        return check.problems
    cls = class_for(name) if isinstance(name, str) else None
    if cls is None:
        check.bad("object", f"{_name(name)} is not an object Stripe's model knows")
    else:
        check.object(body, cls, str(name))
    return check.problems
