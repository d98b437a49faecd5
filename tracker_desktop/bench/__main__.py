"""Runs every benchmark and prints one JSON object per line.

`python -m tracker_desktop.bench history sync` (or `make bench BENCH="history sync"`) runs
only the named ones."""

from __future__ import annotations

import importlib
import sys

# Each module has run() -> list[Result]. Later features add theirs here.
BENCHMARKS = [
    "tracker_desktop.bench.cold_start",
    "tracker_desktop.bench.bundle",
    "tracker_desktop.bench.clients",
    "tracker_desktop.bench.push",
    "tracker_desktop.bench.history",
    "tracker_desktop.bench.dashboard",
    "tracker_desktop.bench.sync",
    "tracker_desktop.bench.postgres",
]


def main(argv: list[str] | None = None) -> int:
    wanted = sys.argv[1:] if argv is None else argv
    chosen = [name for name in BENCHMARKS if not wanted or name.rsplit(".", 1)[1] in wanted]
    unknown = set(wanted) - {name.rsplit(".", 1)[1] for name in BENCHMARKS}
    if unknown:
        known = ", ".join(name.rsplit(".", 1)[1] for name in BENCHMARKS)
        print(f"no benchmark named {', '.join(sorted(unknown))}; there are: {known}",
              file=sys.stderr)  # fmt: skip
        return 2
    failed = 0
    for name in chosen:
        try:
            for result in importlib.import_module(name).run():
                result.emit()
        except Exception as exc:  # report and go on: one broken benchmark hides no other
            print(f"benchmark {name} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
