"""No module of the app grows past MAX_LINES (docs/ARCHITECTURE.md, "Small modules"): one
that does is split by what its parts hold, not by inheritance."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "tracker_desktop"
MAX_LINES = 300


def too_long(package: Path, limit: int = MAX_LINES) -> dict[str, int]:
    """Each module over the limit, with its number of lines."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > limit:
            found[str(path.relative_to(package))] = count
    return found


def test_no_module_is_longer_than_the_limit() -> None:
    assert too_long(PACKAGE) == {}


def test_the_count_sees_a_long_module(tmp_path: Path) -> None:
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "long.py").write_text("x = 1\n" * (MAX_LINES + 1), encoding="utf-8")
    (tmp_path / "short.py").write_text("x = 1\n" * MAX_LINES, encoding="utf-8")
    assert too_long(tmp_path) == {"inner/long.py": MAX_LINES + 1}
