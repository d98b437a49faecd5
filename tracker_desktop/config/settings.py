"""Small app preferences in a JSON file. Only known, non-secret keys are ever written."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from tracker_desktop.config.storage_text import file_problem

log = logging.getLogger(__name__)

MAX_CHECK_AGE_DAYS = 3650  # ten years: the setting's upper bound


@dataclass(slots=True)
class AppSettings:
    active_profile_id: int | None = None
    locale: str = ""  # empty: the system's locale
    window_geometry_hex: str = ""  # the main window's size and place (Qt's saveGeometry)
    # "<page>/<splitter>" -> sizes, "<page>/<table>" -> column widths, as the dealer left them.
    splitters: dict[str, list[int]] = field(default_factory=dict)
    columns: dict[str, list[int]] = field(default_factory=dict)
    # Support: every request to Stripe in the log (DEBUG); off, a line or two per action.
    detailed_log: bool = False
    # The composer warns when a watch's last stolen-register check is older than this.
    provenance_check_max_age_days: int = 365
    # Profiles this computer shows as the front desk: no purchase cost, no margin
    # (services/front_desk.py). A property of this workstation, not of the shared database.
    front_desk_profiles: list[int] = field(default_factory=list)
    # A shop's shared PostgreSQL database (config.shared_database), never its password.
    shared_database: dict[str, str | int] = field(default_factory=dict)
    # A tray message (or, without a tray, a bar in the window) when an invoice is paid, a
    # payment fails or an invoice falls overdue.
    notifications: bool = True


def load_settings(path: Path) -> AppSettings:
    """A missing or damaged file gives defaults (and a log line), never a crash."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return AppSettings()
    except (OSError, ValueError) as exc:
        log.warning("settings file %s unreadable (%s); using defaults", path, exc)
        return AppSettings()
    known = {f.name for f in fields(AppSettings)}
    values = {k: v for k, v in raw.items() if k in known} if isinstance(raw, dict) else {}
    # A hand-edited file must not break the window.
    for name in ("splitters", "columns", "shared_database"):
        if not isinstance(values.get(name, {}), dict):
            values.pop(name)
    desk = values.get("front_desk_profiles", [])
    if not isinstance(desk, list) or not all(type(p) is int for p in desk):
        values.pop("front_desk_profiles", None)
    age = values.get("provenance_check_max_age_days", 365)
    if not isinstance(age, int) or isinstance(age, bool) or not 1 <= age <= MAX_CHECK_AGE_DAYS:
        values.pop("provenance_check_max_age_days", None)
    try:
        return AppSettings(**values)
    except TypeError:
        return AppSettings()


def save_settings(path: Path, settings: AppSettings) -> None:
    """Atomic: write a temp file beside it, then replace. A full disk or a read-only
    folder raises a StorageProblem naming the file; the old file is kept as it was."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".json")
    except OSError as exc:
        raise file_problem(path, "its settings", exc) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(settings), handle, indent=2)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise file_problem(path, "its settings", exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
