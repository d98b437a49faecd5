"""Finds the files in the top-level resources/ folder, from a source tree or a bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resource(name: str) -> Path | None:
    bundle = getattr(sys, "_MEIPASS", None)  # set inside a PyInstaller bundle
    roots = [Path(bundle)] if bundle else []
    roots.append(Path(__file__).resolve().parents[2])  # the source tree (editable install)
    for root in roots:
        candidate = root / "resources" / name
        if candidate.is_file():
            return candidate
    return None
