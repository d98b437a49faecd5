"""Prints the version in pyproject.toml: the one place it is written, read by every installer."""

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.stdout.write(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"] + "\n")
