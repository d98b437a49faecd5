"""Invoice states and watch statuses are named by their enums everywhere but the domain.

domain/ defines them and the simulator speaks Stripe's own strings, so both are left out.
A literal is judged where it is used as a state: compared, passed as `state=`/`status=`,
stored under a "state"/"status" key, or given to a name about states. The same words used
otherwise (a timeline entry "paid", the idempotency step "void", `gio open`) are not states.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.stripe_types import INVOICE_DRAFT
from tracker_desktop.domain.watch_status import WatchStatus

PACKAGE = Path(__file__).resolve().parents[2] / "tracker_desktop"
EXEMPT = ("domain", "sandbox")
# Stripe's "draft" too: the one invoice status with no state of the same name.
STATE_WORDS = frozenset({*InvoiceState, *WatchStatus, INVOICE_DRAFT})
STATE_NAMES = re.compile(r"(state|status)", re.IGNORECASE)


def _names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Attribute):
        return [target.attr]
    if isinstance(target, ast.Tuple | ast.List):
        return [n for element in target.elts for n in _names(element)]
    return []


def _words_in(node: ast.AST | None) -> list[ast.Constant]:
    """State words written as literals anywhere inside `node`."""
    if node is None:
        return []
    return [
        c
        for c in ast.walk(node)
        if isinstance(c, ast.Constant) and isinstance(c.value, str) and c.value in STATE_WORDS
    ]


def state_literals(source: str) -> list[tuple[int, str]]:
    found: list[ast.Constant] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            found += _words_in(node)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("in_", "not_in", "notin_"):  # SQL's IN (...)
                found += [c for arg in node.args for c in _words_in(arg)]
        elif isinstance(node, ast.keyword) and node.arg is not None:
            if STATE_NAMES.search(node.arg) or node.arg in ("default", "server_default"):
                found += _words_in(node.value)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and STATE_NAMES.search(str(key.value)):
                    found += _words_in(value)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [n for t in targets for n in _names(t)]
            value = node.value
            whole = isinstance(value, ast.Constant) or (
                isinstance(value, ast.Tuple)
                and all(isinstance(e, ast.Constant) for e in value.elts)
            )
            if any(STATE_NAMES.search(n) for n in names) or whole:
                found += _words_in(value)
        elif isinstance(node, ast.Return) and isinstance(node.value, ast.Constant):
            found += _words_in(node.value)
    return sorted({(c.lineno, str(c.value)) for c in found})


def test_no_state_literal_outside_the_domain_and_the_simulator() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] in EXEMPT:
            continue
        for line, word in state_literals(path.read_text(encoding="utf-8")):
            offenders.append(f"{relative}:{line}: {word!r}")
    assert offenders == []


@pytest.mark.parametrize(
    "source",
    [
        'if invoice.state == "paid": pass',
        'ok = watch.status != "in_stock"',
        'stmt.where(Invoice.state.in_(("open", "uncollectible")))',
        'update(Watch).values(status="sold")',
        'row = {"state": "local_draft"}',
        'state: str = mapped_column(String(20), default="local_draft")',
        'IN_STOCK, RESERVED, SOLD = "in_stock", "reserved", "sold"',
        'def f():\n    return "void"',
        'failed = d.status.kind.value == "push_failed"',
    ],
)
def test_the_walk_finds_each_way_a_state_was_written(source: str) -> None:
    assert state_literals(source) != []


@pytest.mark.parametrize(
    "source",
    [
        'add_timeline(session, invoice, "paid", now)',
        'TIMELINE_FOR = {S.PAID: ("paid", "Paid")}',
        'command = ["gio", "open", url]',
        'timings = {"open": [], "ready": []}',
        "invoice.state == InvoiceState.PAID",
    ],
)
def test_the_same_words_used_otherwise_are_not_states(source: str) -> None:
    assert state_literals(source) == []
