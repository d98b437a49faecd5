"""Storage faults made for real: read-only folders and files, a full disk, a held lock.

- Read-only, in a subprocess: chmod, and when the tests run as root (who ignores file
  modes) the subprocess gives up CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH with `setpriv`,
  so it obeys the modes like the dealer's own account does.
- Read-only, in this process (real Qt widgets): chmod when not root; as root, a read-only
  bind mount of the folder onto itself, which binds root too.
- Full disk: a 1 MiB tmpfs mounted for the test and filled up (root only), so SQLite and
  the file system see ENOSPC exactly as on a full disk. Where mounting is impossible the
  test is skipped with that reason; the SQLITE_FULL path is also covered everywhere by
  pinning SQLite's `max_page_count` to the file's size (tests/storage/test_disk_full.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

IS_ROOT = os.name == "posix" and os.geteuid() == 0
SETPRIV = shutil.which("setpriv")


@dataclass(frozen=True)
class Fingerprint:
    """A file's bytes and mode, and which companions (-wal, -shm, -journal) lie beside it."""

    sha256: str
    mode: int
    companions: tuple[str, ...]


def fingerprint(path: Path) -> Fingerprint:
    companions = tuple(
        sorted(p.name for p in path.parent.glob(path.name + "-*") if p.name != path.name)
    )
    return Fingerprint(
        hashlib.sha256(path.read_bytes()).hexdigest(),
        stat.S_IMODE(path.stat().st_mode),
        companions,
    )


def tree_fingerprint(root: Path) -> dict[str, tuple[str, int]]:
    """Every file and folder under `root`: bytes (files) and mode."""
    found: dict[str, tuple[str, int]] = {}
    for path in sorted(root.rglob("*")):
        mode = stat.S_IMODE(path.lstat().st_mode)
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        found[str(path.relative_to(root))] = (digest, mode)
    return found


def child_env(home: Path | None, **extra: str) -> dict[str, str]:
    dropped = ("DISPLAY", "WAYLAND_DISPLAY", "TRACKER_DATABASE_URL", "TRACKER_HOME")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if home is not None:
        env["TRACKER_HOME"] = str(home)
    env.update(extra)
    return env


def run_app(
    args: list[str], env: dict[str, str], *, obey_file_modes: bool = False
) -> subprocess.CompletedProcess[str]:
    """The real `tracker-desktop` in a subprocess. `obey_file_modes`: as root, drop the
    capabilities that let root write where the modes say no (skips if that is impossible)."""
    command = [sys.executable, "-m", "tracker_desktop", *args]
    if obey_file_modes and IS_ROOT:
        if SETPRIV is None:
            pytest.skip("running as root and setpriv is missing: cannot make root obey chmod")
        command = [SETPRIV, "--bounding-set=-dac_override,-dac_read_search", "--", *command]
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=180, check=False
    )


@contextlib.contextmanager
def read_only_here(folder: Path) -> Iterator[None]:
    """`folder` read-only for this very process (see the module's doc for how)."""
    if not IS_ROOT:
        old = stat.S_IMODE(folder.stat().st_mode)
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(old)
        return
    bound = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True)
    if bound.returncode != 0:
        pytest.skip(f"as root a read-only folder needs a bind mount, refused: {bound.stderr!r}")
    try:
        subprocess.run(
            ["mount", "-o", "remount,bind,ro", str(folder)], check=True, capture_output=True
        )
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)


@dataclass
class SmallDisk:
    """A 1 MiB tmpfs: `fill()` leaves no free block, `free()` frees the filler again."""

    root: Path

    def fill(self) -> None:
        fd = os.open(self.root / "filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            with contextlib.suppress(OSError):  # ENOSPC: full
                while os.write(fd, b"\0" * 4096):
                    pass
            with contextlib.suppress(OSError):  # and the last partial block
                while os.write(fd, b"\0"):
                    pass
        finally:
            os.close(fd)
        assert shutil.disk_usage(self.root).free == 0

    def free(self) -> None:
        (self.root / "filler").unlink(missing_ok=True)


@pytest.fixture
def small_disk() -> Iterator[SmallDisk]:
    if not IS_ROOT:
        pytest.skip("a real full disk needs a tmpfs mount, which needs root")
    # Outside pytest's 0700 tmp folders is not needed: root mounts anywhere.
    root = Path(tempfile.mkdtemp(prefix="tracker-full-disk-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(root)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        root.rmdir()
        pytest.skip(f"mounting a small tmpfs was refused: {mounted.stderr!r}")
    try:
        yield SmallDisk(root)
    finally:
        subprocess.run(["umount", "-l", str(root)], check=False, capture_output=True)
        root.rmdir()


def no_library_text(message: str) -> None:
    """What the dealer reads names no library, SQL, exception class or traceback."""
    for internal in ("sqlalchemy", "sqlalche.me", "[SQL", "Traceback", "[Errno"):
        assert internal not in message, message
    assert not re.search(r"\b\w*(Error|Exception)\b", message), message


@pytest.fixture(autouse=True)
def drop_log_handlers_afterwards() -> Iterator[None]:
    """The app's start-up installs a log handler on the root logger; these tests point it
    at full or read-only places, so take it away again before the next test logs."""
    yield
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_tracker", False)]:
        root.removeHandler(handler)
        with contextlib.suppress(OSError):
            handler.close()
