"""`make bench` on a machine without a bundle says so in one line and how to build one; the
size it reports is the bytes on disk of the bundle's files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker_desktop.bench import bundle


def test_without_a_bundle_the_benchmark_says_how_to_build_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(bundle, "BUNDLE", tmp_path / "dist" / "tracker-desktop")
    assert bundle.run() == []
    said = capsys.readouterr().err.strip().splitlines()
    assert said == [
        f"benchmark bundle skipped: no bundle at {bundle.BUNDLE}; build it with `make bundle`"
    ]


def test_the_size_counts_every_file_once(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "a.so").write_bytes(b"x" * 2**20)
    (tmp_path / "b.dat").write_bytes(b"y" * 2**19)
    (tmp_path / "a-link.so").symlink_to(tmp_path / "lib" / "a.so")  # a link is not a copy
    assert bundle.folder_mb(tmp_path) == 1.5
