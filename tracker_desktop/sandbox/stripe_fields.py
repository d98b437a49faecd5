"""Reading stripe-python's generated resource classes: which class an ``object`` value names,
each field's annotation (its ``TYPE_CHECKING`` names resolved), its enum, whether it is
required. stripe_model holds answers to what these say."""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import sys
import types
import typing
from collections.abc import Mapping
from typing import Any, ClassVar, ForwardRef, Literal, Union

import stripe
from stripe import _object_classes  # Stripe's own table: `object` value -> class

# read once: each attribute of the `stripe` module is a lazy import
_OBJECT = stripe.StripeObject


def class_for(object_name: str) -> type[stripe.StripeObject] | None:
    """The SDK class for an ``object`` value such as ``invoice`` or ``line_item``."""
    if object_name not in _object_classes.OBJECT_CLASSES:
        return None
    return _object_classes.get_object_class("V1", object_name)


def enum_values(owner: type, field: str) -> tuple[str, ...]:
    """The enum of one field (empty when the field is not an enum), e.g. the error codes."""
    ann = fields(owner).get(field)
    if ann is None:
        return ()
    return tuple(v for v in literal_values(resolve(ann, owner.__module__)) if isinstance(v, str))


_FIELDS: dict[type, Mapping[str, Any]] = {}


def fields(cls: type) -> Mapping[str, Any]:
    """Every field of a generated class and its annotation (client-side attributes dropped)."""
    known = _FIELDS.get(cls)
    if known is None:
        out: dict[str, Any] = {}
        for klass in reversed(cls.__mro__):
            if klass is _OBJECT or not issubclass(klass, _OBJECT):
                continue
            for name, ann in inspect.get_annotations(klass).items():
                origin: Any = typing.get_origin(ann)
                if name.startswith("_") or name.isupper() or origin is ClassVar:
                    continue
                out[name] = ann
        known = _FIELDS[cls] = out
    return known


def _parse(source: str) -> ast.Module:
    """`ast.parse`, tried again when CPython 3.11's AST builder trips over another thread's.

    Its recursion counter is one per interpreter, not per thread, so two threads building an
    AST at once (the model check's worker and, say, the test's own thread) can make either
    raise "AST constructor recursion depth mismatch". The parse itself is sound: again, it
    succeeds.
    """
    for _attempt in range(4):
        try:
            return ast.parse(source)
        except SystemError as exc:
            if "recursion depth mismatch" not in str(exc):
                raise
    return ast.parse(source)


@functools.cache
def _namespace(module_name: str) -> dict[str, Any]:
    """The module's globals plus the names it imports only for type checkers."""
    module = sys.modules[module_name]
    names = dict(vars(module))
    for node in ast.walk(_parse(inspect.getsource(module))):
        if not (isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)):
            continue
        for stmt in node.body:
            if isinstance(stmt, ast.ImportFrom) and stmt.module:
                source = importlib.import_module(stmt.module)
                for alias in stmt.names:
                    names[alias.asname or alias.name] = getattr(source, alias.name)
    return names


_RESOLVED: dict[tuple[str, str], Any] = {}


def resolve(ann: Any, module: str) -> Any:
    if isinstance(ann, ForwardRef):
        ann = ann.__forward_arg__
    if not isinstance(ann, str):
        return ann
    key = (ann, module)
    if key not in _RESOLVED:
        _RESOLVED[key] = eval(ann, _namespace(module))  # noqa: S307 - the SDK's own text
    return _RESOLVED[key]


def literal_values(ann: Any) -> list[Any]:
    """The values of every Literal in ``ann`` (itself a Literal or a union holding some)."""
    if typing.get_origin(ann) is Literal:
        return list(typing.get_args(ann))
    if typing.get_origin(ann) in (Union, types.UnionType):
        return [v for arg in typing.get_args(ann) for v in literal_values(arg)]
    return []


def is_required(ann: Any) -> bool:
    return not (
        typing.get_origin(ann) in (Union, types.UnionType) and type(None) in typing.get_args(ann)
    )
