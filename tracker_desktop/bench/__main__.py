"""Runs every benchmark and prints one JSON object per line."""

from __future__ import annotations

import importlib
import sys

# Each module has run() -> list[Result]. Later features add theirs here.
BENCHMARKS = [
    "tracker_desktop.bench.cold_start",
    "tracker_desktop.bench.clients",
    "tracker_desktop.bench.push",
    "tracker_desktop.bench.history",
    "tracker_desktop.bench.sync",
]


def main() -> int:
    failed = 0
    for name in BENCHMARKS:
        try:
            for result in importlib.import_module(name).run():
                result.emit()
        except Exception as exc:  # report and go on: one broken benchmark hides no other
            print(f"benchmark {name} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
