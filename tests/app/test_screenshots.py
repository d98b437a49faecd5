"""`make screenshots` runs the real app and writes every README image, each one a full,
non-blank 1280×800 window, no two alike."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

EXPECTED = (
    "main-window",
    "dashboard",
    "invoices",
    "clients",
    "watches",
    "composer",
    "pdf-viewer",
    "provenance",
    "credit-note",
    "deposit",
    "settings",
    "shared-database",
    "welcome",
)


def _colours(image: QImage) -> int:
    argb = image.convertToFormat(QImage.Format.Format_ARGB32)
    return len(set(memoryview(bytes(argb.constBits())).cast("I")))


def test_generator_writes_every_readme_screenshot(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("TRACKER_HOME", None)
    done = subprocess.run(
        [sys.executable, "-m", "tracker_desktop.app.screenshots", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(Path(line).name for line in done.stdout.split()) == sorted(
        f"{name}.png" for name in EXPECTED
    )

    digests = set()
    for name in EXPECTED:
        path = tmp_path / f"{name}.png"
        image = QImage(str(path))
        assert not image.isNull(), f"{name}.png is not an image"
        assert (image.width(), image.height()) == (1280, 800), name
        # A real window has text, tables and badges: hundreds of shades, not a flat fill.
        assert _colours(image) > 200, f"{name}.png looks blank"
        digests.add(hashlib.sha256(path.read_bytes()).hexdigest())
    assert len(digests) == len(EXPECTED), "two screenshots are identical"


def test_x11_without_a_display_says_so(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    done = subprocess.run(
        [sys.executable, "-m", "tracker_desktop.app.screenshots", str(tmp_path), "--x11"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "--x11 needs DISPLAY" in done.stderr
    assert not list(tmp_path.glob("*.png"))
