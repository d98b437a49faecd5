"""Every folder the app writes to, in one place. TRACKER_HOME overrides them all."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_DIR_NAME = "TrackerDesktop"
APP_AUTHOR = "TrackerDesktop"


@dataclass(frozen=True, slots=True)
class AppPaths:
    data: Path
    logs: Path
    pdfs: Path
    backups: Path
    settings_file: Path

    @property
    def database_file(self) -> Path:
        return self.data / "tracker.sqlite3"

    def ensure(self) -> AppPaths:
        for folder in (self.data, self.logs, self.pdfs, self.backups):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self


def app_paths(home: str | os.PathLike[str] | None = None) -> AppPaths:
    """Folders from platformdirs, or all under one root (tests and portable installs)."""
    root = home if home is not None else os.environ.get("TRACKER_HOME")
    if root:
        base = Path(root).expanduser().resolve()
        return AppPaths(
            data=base / "data",
            logs=base / "logs",
            pdfs=base / "pdfs",
            backups=base / "backups",
            settings_file=base / "settings.json",
        )
    dirs = platformdirs.PlatformDirs(APP_DIR_NAME, APP_AUTHOR)
    data = Path(dirs.user_data_dir)
    return AppPaths(
        data=data,
        logs=Path(dirs.user_log_dir),
        pdfs=data / "pdfs",
        backups=data / "backups",
        settings_file=Path(dirs.user_config_dir) / "settings.json",
    )


def database_url(paths: AppPaths) -> str:
    """TRACKER_DATABASE_URL points several workstations at one server; SQLite otherwise."""
    override = os.environ.get("TRACKER_DATABASE_URL")
    if override:
        return override
    return f"sqlite:///{paths.database_file}"
