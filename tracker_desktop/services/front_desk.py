"""The front desk: a workstation that keeps purchase cost and margin off its screen.

Set per profile on this computer (`AppSettings.front_desk_profiles` in settings.json), not
in the shared database: the back office and the front desk work on one history, and which
figures a screen shows is a property of the screen. The services ask `hides_cost` before
they hand out or take a cost (the inventory's rows, its form and CSV, the Dashboard's
margins), so a window that forgot to hide a column still gets nothing to show in it.

It keeps the figures off the front desk's screen; it is no lock against someone who uses
this computer's account, who can switch it off in Settings or edit the file. Keeping them
from such a person would need the database itself to refuse them (server roles), which a
single SQLite file cannot do.
"""

from __future__ import annotations

from pathlib import Path

from tracker_desktop.config.settings import AppSettings, save_settings
from tracker_desktop.domain.errors import ValidationError

HIDDEN = "hidden at the front desk"


class FrontDesk:
    """Whether this workstation hides cost and margin for a profile (default: shows them)."""

    def __init__(
        self, settings: AppSettings | None = None, settings_file: Path | None = None
    ) -> None:
        self._settings = settings if settings is not None else AppSettings()
        self._file = settings_file  # None: kept for this run only (tests, the bench)

    def hides_cost(self, profile_id: int | None) -> bool:
        return profile_id is not None and profile_id in self._settings.front_desk_profiles

    def set_hides_cost(self, profile_id: int, hide: bool) -> None:
        """In force at once, then written to settings.json; a file that cannot be written
        raises its StorageProblem and the switch holds for this run only."""
        others = [p for p in self._settings.front_desk_profiles if p != profile_id]
        self._settings.front_desk_profiles = sorted([*others, profile_id] if hide else others)
        if self._file is not None:
            save_settings(self._file, self._settings)

    def refusal(self, what: str, field: str) -> ValidationError:
        """The message for a cost typed at the front desk (nothing is saved)."""
        return ValidationError(
            f"{what} is {HIDDEN}: enter it on a back-office workstation.", field=field
        )
