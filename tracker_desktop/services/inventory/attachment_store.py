"""Files a dealer attaches to a watch (certificates, box-and-papers scans, photos), COPIED
into the data folder: the dealer's own file may be moved, edited or on a USB stick that is
gone tomorrow. A copy is written to a private temporary file beside its final name and
renamed only once complete, so a full disk never leaves half a file under a real name."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from tracker_desktop.config.storage_text import file_problem, folder_problem
from tracker_desktop.domain.errors import ValidationError

# Scans and photos from a phone are a few MB; this stops a video or a disk image by mistake.
MAX_BYTES = 50 * 1024 * 1024
_NAME_MAX = 120
_WHAT = "the file attached to the watch"


@dataclass(frozen=True, slots=True)
class KeptFile:
    relative: str  # "<profile>/<watch>/<id>-<name>", below the attachments folder
    original_name: str
    size_bytes: int


def plain_name(name: str) -> str:
    """The file's own name, safe in any folder: no separators or control characters."""
    cleaned = "".join(
        "_" if ch in '/\\:*?"<>|' or unicodedata.category(ch).startswith("C") else ch for ch in name
    ).strip(" .")
    if len(cleaned) > _NAME_MAX:
        stem, dot, suffix = cleaned.rpartition(".")
        keep = _NAME_MAX - len(suffix) - 1
        cleaned = f"{stem[:keep]}.{suffix}" if dot and keep > 0 else cleaned[:_NAME_MAX]
    return cleaned or "file"


class AttachmentStore:
    """The attachments folder (`<data>/attachments`); every path handed out is inside it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def keep(self, source: str | os.PathLike[str], profile_id: int, watch_id: int) -> KeptFile:
        """Copy `source` in; ValidationError (field "file") when it cannot be read, a
        StorageProblem naming the folder when it cannot be written."""
        path = Path(source)
        name = path.name
        try:
            info = path.stat()
        except OSError as exc:
            raise ValidationError(
                f"Could not read {name or path}: {exc.strerror or 'no such file'}", "file"
            ) from None
        if not path.is_file():
            raise ValidationError(f"{name} is not a file", "file")
        if info.st_size > MAX_BYTES:
            raise ValidationError(
                f"{name} is {info.st_size / 1024 / 1024:.0f} MB; attach files of at most "
                f"{MAX_BYTES // 1024 // 1024} MB",
                "file",
            )
        folder = self.root / str(profile_id) / str(watch_id)
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise folder_problem(folder, "the files attached to watches", exc) from None
        final = folder / f"{uuid.uuid4().hex[:12]}-{plain_name(name)}"
        try:
            source_file = path.open("rb")
        except OSError as exc:
            raise ValidationError(f"Could not read {name}: {exc.strerror}", "file") from None
        with source_file:
            size = self._write(source_file, final)
        return KeptFile(final.relative_to(self.root).as_posix(), name, size)

    def _write(self, source_file: BinaryIO, final: Path) -> int:
        fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".incoming-")  # 0600
        try:
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(source_file, out)
                out.flush()
                os.fsync(out.fileno())
                size = out.tell()
            os.replace(tmp, final)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise file_problem(final, _WHAT, exc) from None
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return size

    def path_of(self, relative: str) -> Path:
        """The kept file's place; a stored name that would lead outside the folder is refused."""
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValidationError("That attachment's stored name is not valid.")
        return path

    def remove(self, relative: str) -> None:
        """Delete a kept file; one already gone is fine."""
        # One that cannot be removed stays in the attachments folder, referenced by nothing.
        with contextlib.suppress(OSError):
            self.path_of(relative).unlink(missing_ok=True)
