"""The layer rules of docs/ARCHITECTURE.md, enforced by import-linter's contracts in
pyproject.toml. The second test proves the contracts bite: a copy of the package with one
forbidden import must fail them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_code_keeps_the_layer_rules() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "bad_import", "contract"),
    [
        ("ui/_bad.py", "import sqlalchemy", "UI never touches"),
        ("domain/_bad.py", "import PySide6", "Domain is pure"),
        ("services/_bad.py", "import stripe", "Only the gateway imports stripe"),
        ("db/_bad.py", "import tracker_desktop.services.events", "Layers point down only"),
        ("ui/_bad.py", "import keyring", "Only config imports keyring"),
        # The hole once open: the composition root's screenshot runner imported keyring.
        ("app/_bad.py", "import keyring", "Only config imports keyring"),
        ("sandbox/_bad.py", "import tracker_desktop.domain.currencies", "owns its Stripe facts"),
    ],
)
def test_a_forbidden_import_is_caught(
    tmp_path: Path, module: str, bad_import: str, contract: str
) -> None:
    shutil.copytree(
        ROOT / "tracker_desktop",
        tmp_path / "tracker_desktop",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "tracker_desktop" / module).write_text(bad_import + "\n", encoding="utf-8")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert contract in result.stdout
    assert "BROKEN" in result.stdout
