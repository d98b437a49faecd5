"""Every folder the app writes to, in one place. TRACKER_HOME overrides them all."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from tracker_desktop.config.storage_text import folder_problem, read_only_folder, writable

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

    @property
    def attachments(self) -> Path:
        """Copies of the files attached to watches (certificates, papers, photos)."""
        return self.data / "attachments"

    def folders(self) -> list[tuple[Path, str]]:
        """Every folder the app writes to, with what it keeps there (for the sentences)."""
        return [
            (self.data, "its database"),
            (self.attachments, "the files attached to watches"),
            (self.logs, "its log file"),
            (self.pdfs, "the invoices' PDF files"),
            (self.backups, "the copies of the database it keeps before upgrades"),
            (self.settings_file.parent, "its settings"),
        ]

    def ensure(self) -> AppPaths:
        """Create the folders (0700). A folder that cannot be created or written raises a
        StorageProblem naming it, before anything else is written."""
        for folder, what in self.folders():
            try:
                folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            except OSError as exc:
                raise folder_problem(folder, what, exc) from None
            if not writable(folder):
                raise read_only_folder(folder, what)
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
    """TRACKER_DATABASE_URL, or the shared database set in Settings, points several
    workstations at one server; this computer's SQLite file otherwise."""
    override = os.environ.get("TRACKER_DATABASE_URL")
    if override:
        return override
    from tracker_desktop.config.settings import load_settings
    from tracker_desktop.config.shared_database import shared_database

    shared = shared_database(load_settings(paths.settings_file).shared_database)
    if shared is not None:  # Settings -> Shared database; the password from the keychain
        from tracker_desktop.config.secrets import DatabasePasswordStore

        return shared.url(DatabasePasswordStore().get(shared.account))
    return f"sqlite:///{paths.database_file}"
