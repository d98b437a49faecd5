"""Settings -> Shared database: test a PostgreSQL database, start using it (upgrade it, move
this computer's history into it, save the setting), or go back to this computer's file.

The app opens its database once, at start, so a new setting is used from the next start.
The password goes to the keychain first (a missing keychain stops everything before the
server is touched); a later failure takes it out again and leaves settings.json as it was.
Every blocking step runs in a worker thread; progress is handed back on the loop's thread.
"""

from __future__ import annotations

import asyncio
import copy
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy.exc import SQLAlchemyError

from tracker_desktop.config.paths import AppPaths
from tracker_desktop.config.secrets import DatabasePasswordStore, KeyStore
from tracker_desktop.config.settings import AppSettings, save_settings
from tracker_desktop.config.shared_database import SharedDatabase, checked, shared_database
from tracker_desktop.db.connection_check import connection_problem
from tracker_desktop.db.engine import make_engine
from tracker_desktop.db.history_move import MoveReport, move_history, profiles_to_move
from tracker_desktop.db.migrate import prepare_database
from tracker_desktop.domain.errors import DatabaseProblem, TrackerError

# What to bring along: nothing, every profile, or one profile's id.
HistoryChoice = Literal["none", "all"] | int
# Told as the move goes: a short line and the fraction done (0..1).
MoveProgress = Callable[[str, float], None]


@dataclass(frozen=True, slots=True)
class SharedDatabaseForm:
    host: str
    port: str
    database: str
    user: str
    # Never stored beyond the call (only the keychain keeps it), never in a repr or a log.
    password: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class LocalProfile:
    """A profile of this computer's file, as offered for the move."""

    id: int
    name: str


class BackupNeedsYes(TrackerError):
    """pg_dump is missing and the database must be upgraded: the dealer's yes is needed."""


@dataclass(frozen=True, slots=True)
class Switched:
    shared: SharedDatabase
    moved: MoveReport | None
    keys_left: list[str]  # moved profiles whose Stripe key must be entered again

    def __str__(self) -> str:
        moved = f" This computer's history was moved into it ({self.moved})." if self.moved else ""
        keys = (
            f" Enter the Stripe key again in Settings for: {', '.join(self.keys_left)}."
            if self.keys_left
            else ""
        )
        return (
            f'Tracker Desktop will use the database "{self.shared.database}" on '
            f"{self.shared.host} from its next start.{moved} Quit and start it again to work "
            f"in the shared database; this computer's own file is kept as it was.{keys}"
        )


class SharedDatabaseSetup:
    def __init__(
        self,
        paths: AppPaths,
        settings: AppSettings,
        passwords: DatabasePasswordStore | None = None,
    ) -> None:
        self._paths, self._settings = paths, settings
        self._passwords = passwords or DatabasePasswordStore()

    def current(self) -> SharedDatabase | None:
        """The shared database saved in Settings (None: this computer's file)."""
        return shared_database(self._settings.shared_database)

    @staticmethod
    def set_elsewhere() -> bool:
        """TRACKER_DATABASE_URL chooses the database, whatever Settings says."""
        return bool(os.environ.get("TRACKER_DATABASE_URL"))

    @staticmethod
    def checked(form: SharedDatabaseForm) -> SharedDatabase:
        """The form's place, or FormInvalid with a message beside each wrong field."""
        return checked(form.host, form.port, form.database, form.user)

    async def test_connection(self, form: SharedDatabaseForm) -> str | None:
        """None when this workstation can use the database, else the dealer's sentence."""
        url = self.checked(form).url(form.password or None)
        return await asyncio.to_thread(connection_problem, url)

    async def profiles_here(self) -> list[LocalProfile]:
        """This computer's profiles, as offered for the move (none without a file)."""
        if not self._paths.database_file.exists():
            return []
        return await asyncio.to_thread(self._read_local_profiles)

    async def use(
        self,
        form: SharedDatabaseForm,
        history: HistoryChoice,
        *,
        upgrade_without_backup: bool = False,
        progress: MoveProgress | None = None,
    ) -> Switched:
        """Upgrade the database, move the history chosen into it and save the setting.
        Raises with nothing saved: FormInvalid, KeychainUnavailable, BackupNeedsYes (ask the
        dealer, then call again with upgrade_without_backup) or a DatabaseProblem."""
        shared = self.checked(form)
        loop = asyncio.get_running_loop()

        def told(line: str, fraction: float) -> None:
            if progress is not None:
                loop.call_soon_threadsafe(progress, line, fraction)

        earlier = self._passwords.get(shared.account)  # no keychain: stops here
        try:
            if form.password:
                self._passwords.set(shared.account, form.password)
            elif earlier is not None:  # no password now (the server trusts this computer)
                self._passwords.delete(shared.account)
            moved = await asyncio.to_thread(
                self._prepare, shared.url(form.password or None), history,
                upgrade_without_backup, told,
            )  # fmt: skip
            before = copy.copy(self._settings)
            keys_left = self._carry_over(shared, moved)
            self._settings.shared_database = shared.to_settings()
            try:
                save_settings(self._paths.settings_file, self._settings)
            except TrackerError:
                self._restore(before)
                raise
        except BaseException:
            self._put_back(shared.account, earlier)
            raise
        return Switched(shared, moved, keys_left)

    def _carry_over(self, shared: SharedDatabase, moved: MoveReport | None) -> list[str]:
        """What this computer keeps by profile id follows the profiles moved to their new
        ids on the server: their Stripe keys (in the shared database's own keychain entries,
        so this computer's file keeps its own), the active profile and the front desk
        switches; the rest is dropped, since the server's ids name other businesses. Gives
        the names whose key could not be carried (the dealer enters it again)."""
        ids = moved.profile_ids if moved is not None else {}
        settings = self._settings
        active = settings.active_profile_id
        settings.active_profile_id = ids.get(active) if active is not None else None
        settings.front_desk_profiles = sorted(ids[p] for p in settings.front_desk_profiles
                                              if p in ids)  # fmt: skip
        here, there = KeyStore(), KeyStore(shared.account)
        left: list[str] = []
        for old, new in ids.items():
            try:
                key = here.get(old)
                if key:
                    there.set(new, key)
            except TrackerError:
                left.append(moved.names[old] if moved is not None else str(old))
        return left

    def _restore(self, before: AppSettings) -> None:
        for name in ("shared_database", "active_profile_id", "front_desk_profiles"):
            setattr(self._settings, name, getattr(before, name))

    def stop_sharing(self) -> None:
        """Back to this computer's file (as it was) from the next start; the password goes."""
        shared = self.current()
        before = copy.copy(self._settings)
        # The ids kept by this computer were the server's: they name other profiles here.
        self._settings.shared_database = {}
        self._settings.active_profile_id = None  # the file's first profile opens
        self._settings.front_desk_profiles = []
        try:
            save_settings(self._paths.settings_file, self._settings)
        except TrackerError:
            self._restore(before)
            raise
        if shared is not None:
            self._passwords.delete(shared.account)

    # -- in the worker thread -----------------------------------------------------------
    def _read_local_profiles(self) -> list[LocalProfile]:
        engine = make_engine(f"sqlite:///{self._paths.database_file}")
        try:
            return [LocalProfile(p.id, p.name) for p in profiles_to_move(engine)]
        except SQLAlchemyError:
            return []  # an unreadable file has nothing to offer; start-up says why
        finally:
            engine.dispose()

    def _prepare(
        self,
        url: str,
        history: HistoryChoice,
        upgrade_without_backup: bool,
        told: MoveProgress,
    ) -> MoveReport | None:
        problem = connection_problem(url)
        if problem is not None:
            raise DatabaseProblem(problem)
        told("Bringing the shared database up to this version…", 0.0)
        asked: list[str] = []

        def confirm(question: str) -> bool:
            asked.append(question)
            return upgrade_without_backup

        try:
            prepare_database(url, None, self._paths.backups, confirm_without_backup=confirm)
        except DatabaseProblem:
            if asked and not upgrade_without_backup:
                raise BackupNeedsYes(asked[0]) from None
            raise
        except SQLAlchemyError as exc:  # its text may name the server, never the password
            raise DatabaseProblem(
                f"The shared database could not be prepared ({type(exc).__name__}). Nothing "
                "was changed here; try again, or Test connection to see why."
            ) from None
        if history == "none":
            return None
        return self._move(url, None if history == "all" else history, told)

    def _move(self, url: str, profile_id: int | None, told: MoveProgress) -> MoveReport:
        source = make_engine(f"sqlite:///{self._paths.database_file}")
        target = make_engine(url)
        try:
            return move_history(
                source,
                target,
                profile_id,
                lambda line, done, total: told(line, done / total),
            )
        except SQLAlchemyError as exc:
            raise DatabaseProblem(
                f"This computer's history could not be moved ({type(exc).__name__}), so "
                "nothing was moved. This computer's file is unchanged."
            ) from None
        finally:
            source.dispose()
            target.dispose()

    def _put_back(self, account: str, earlier: str | None) -> None:
        try:
            if earlier is None:
                self._passwords.delete(account)
            else:
                self._passwords.set(account, earlier)
        except TrackerError:
            pass  # the keychain refused again; the setting was not saved, so it is unused
