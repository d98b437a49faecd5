"""Fault injection for ``/v1`` requests: rate-limit, server error, timeout, dropped connection,
and a slow answer.

A fault strikes either *before* the request is applied (nothing changed) or *after* it was
applied and its answer stored for idempotent replay, but before the answer reaches the client:
the case that shows whether a caller's retries are safe. A ``delay`` holds the answer for
``timeout_seconds`` after the request was applied, then sends it: the client gets a snapshot
that may be older than what others have read meanwhile.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from typing import Any

KINDS = ("429", "500", "timeout", "drop")  # the default mix: answers lost or refused
ALL_KINDS = (*KINDS, "delay")
PHASES = ("before", "after", "random")


@dataclass(frozen=True)
class Fault:
    kind: str
    phase: str  # "before" or "after"
    timeout_seconds: float


@dataclass
class FaultPlan:
    rate: float = 0.0
    kinds: tuple[str, ...] = KINDS
    next: int = 0  # the next N eligible requests fault, whatever the rate
    phase: str = "random"
    timeout_seconds: float = 3.0
    methods: tuple[str, ...] = ("GET", "POST", "DELETE")
    path_prefix: str = "/v1/"
    rng: random.Random = field(default_factory=random.Random)
    injected: int = 0
    cursor: int = 0  # cycles through kinds for `next`


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._plan = FaultPlan()

    def configure(self, spec: dict[str, Any]) -> dict[str, Any]:
        kinds = tuple(str(k) for k in spec.get("kinds", KINDS))
        bad = [k for k in kinds if k not in ALL_KINDS]
        phase = str(spec.get("phase", "random"))
        if bad or phase not in PHASES or not kinds:
            raise ValueError(f"kinds must be among {ALL_KINDS}, phase among {PHASES}")
        rate = float(spec.get("rate", 0.0))
        if not 0.0 <= rate <= 1.0:
            raise ValueError("rate must be between 0 and 1")
        with self._lock:
            injected = self._plan.injected
            self._plan = FaultPlan(
                rate=rate,
                kinds=kinds,
                next=int(spec.get("next", 0)),
                phase=phase,
                timeout_seconds=float(spec.get("timeout_seconds", 3.0)),
                methods=tuple(m.upper() for m in spec.get("methods", ("GET", "POST", "DELETE"))),
                path_prefix=str(spec.get("path_prefix", "/v1/")),
                rng=random.Random(spec.get("seed")),
                injected=injected,
            )
            return self._describe()

    def clear(self) -> None:
        with self._lock:
            injected = self._plan.injected
            self._plan = FaultPlan()
            self._plan.injected = injected

    def injected(self) -> int:
        with self._lock:
            return self._plan.injected

    def pick(self, method: str, path: str) -> Fault | None:
        with self._lock:
            plan = self._plan
            if method not in plan.methods or not path.startswith(plan.path_prefix):
                return None
            if plan.next > 0:
                plan.next -= 1
                kind = plan.kinds[plan.cursor % len(plan.kinds)]
                plan.cursor += 1
            elif plan.rate and plan.rng.random() < plan.rate:
                kind = plan.rng.choice(plan.kinds)
            else:
                return None
            phase = plan.phase if plan.phase != "random" else plan.rng.choice(("before", "after"))
            if kind == "delay":
                phase = "after"  # a slow answer: what was read or done is sent late
            elif kind == "429" or method != "POST":
                phase = "before"  # the rate limiter answers before anything runs
            plan.injected += 1
            return Fault(kind, phase, plan.timeout_seconds)

    def _describe(self) -> dict[str, Any]:
        p = self._plan
        return {
            "rate": p.rate,
            "kinds": list(p.kinds),
            "next": p.next,
            "phase": p.phase,
            "timeout_seconds": p.timeout_seconds,
            "methods": list(p.methods),
            "path_prefix": p.path_prefix,
        }
