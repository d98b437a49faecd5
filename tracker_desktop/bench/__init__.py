"""`make bench`: speed and memory goals measured on this machine, one JSON object per line.

Never timed assertions in tests: timings belong here, where they are reported, not judged
by a flaky threshold.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Result:
    name: str
    value: float
    unit: str
    goal: str

    def emit(self) -> None:
        print(json.dumps(asdict(self)), flush=True, file=sys.stdout)
