"""`make bench`: speed and memory goals measured on this machine, one JSON object per line.

Never timed assertions in tests: timings belong here, where they are reported, not judged
by a flaky threshold.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Result:
    name: str
    value: float
    unit: str
    goal: str

    def emit(self) -> None:
        print(json.dumps(asdict(self)), flush=True, file=sys.stdout)


def in_own_process(
    module: str, *args: str, what: str, env: Mapping[str, str] | None = None
) -> list[Result]:
    """Run `python -m module args...` (so its memory and Qt are its own) and read the
    Results it prints; a failure or no figure raises with the end of its stderr."""
    child = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", module, *args],
        env=None if env is None else dict(env),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    results = [Result(**json.loads(line)) for line in child.stdout.splitlines() if line.strip()]
    if child.returncode != 0 or not results:
        raise RuntimeError(f"the {what} benchmark failed: {child.stderr[-3000:]}")
    return results
