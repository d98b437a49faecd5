"""Moving a single computer's SQLite history, one profile or all, into a shared PostgreSQL
database. Practice is never moved: its simulator runs on this computer only.

Both databases are brought to this app's schema first (db.migrate). The chosen profiles'
rows are copied in foreign-key order in one transaction on the server, which first takes
the shop's write lock (db.engine), so no workstation writes in between; the SQLite file is
only read. Into an empty server the ids are kept (and the server's sequences moved past
them); into a server that already holds other profiles, the rows get new ids from its
sequences and every link is rewritten (db.history_rows). Every copied table is then read
back from both sides and compared row for row, this computer's rows with their ids mapped:
any difference rolls the whole move back. The server's statistics are then brought up to
date.

A profile is refused when the server already has one for the same Stripe account (its
poller would apply every Stripe event to two copies of one history, so each invoice would
be there twice) or of the same name (the dealer could not tell the two apart). Moving into a
server with other profiles also refuses a profile with a client whose Stripe customer may
have been created but not yet linked: that client's reference to Stripe is made from its id,
so with a new id the app could no longer find that customer and would make a second one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, Table, func, insert, or_, select, text
from sqlalchemy.exc import IntegrityError

from tracker_desktop.db.engine import SERVER_WRITE_LOCK
from tracker_desktop.db.history_rows import PROFILES, IdMaps, Row, key_of, ordered, own_id
from tracker_desktop.db.models import Base, Contact, Profile
from tracker_desktop.domain.errors import DatabaseProblem

BATCH = 2_000
UNCHANGED = "Nothing was changed on either side."
PRACTICE = "practice"  # Profile.kind of the simulator's profile (db.repositories.profiles)

# Told after each table is copied and after each is checked: what is being done, in the
# dealer's words, then steps done and steps in all (two per table).
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class MoveReport:
    rows: dict[str, int]  # table name -> rows copied and found equal
    profile_ids: dict[int, int]  # this computer's profile id -> the server's
    names: dict[int, str]  # this computer's profile id -> the profile's name

    def __str__(self) -> str:
        return ", ".join(f"{n} {table}" for table, n in self.rows.items() if n)


@dataclass(frozen=True, slots=True)
class ProfileChoice:
    """A profile of this computer's history, as offered for the move."""

    id: int
    name: str


def profiles_to_move(source: Engine) -> list[ProfileChoice]:
    with source.connect() as read:
        rows = read.execute(
            select(Profile.id, Profile.name).where(Profile.kind != PRACTICE).order_by(Profile.id)
        )
        return [ProfileChoice(row.id, row.name) for row in rows]


def move_history(
    source: Engine,
    target: Engine,
    profile_id: int | None = None,
    progress: Progress | None = None,
) -> MoveReport:
    """Copy `profile_id`'s history (None: every profile but Practice) from `source` (SQLite) into
    `target` (PostgreSQL at head) and check it. Raises DatabaseProblem, with nothing written,
    when a profile is already there, the copy could not be made, or it is not equal."""
    tables = list(Base.metadata.sorted_tables)
    with source.connect() as read, target.begin() as write:
        write.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SERVER_WRITE_LOCK})
        chosen = _chosen_profiles(read, profile_id)
        keep_ids = not write.scalar(select(func.count()).select_from(Profile.__table__))
        if not keep_ids:
            _refuse_what_is_there(read, write, chosen)
        maps = IdMaps(keep_ids)
        copied: dict[str, int] = {}
        steps = 2 * len(tables)
        for done, table in enumerate(tables, start=1):
            copied[table.name] = _copy(read, write, table, chosen, maps)
            if progress is not None:
                progress(f"Copying {_words(table)}…", done, steps)
        if keep_ids:
            for table in tables:
                _advance_sequence(write, table)
        for done, table in enumerate(tables, start=len(tables) + 1):
            _check(read, write, table, chosen, maps)
            if progress is not None:
                progress(f"Checking {_words(table)} against this computer's…", done, steps)
        profiles = maps.maps[PROFILES]
        names = read.execute(select(Profile.id, Profile.name).where(Profile.id.in_(chosen)))
        named = {row.id: row.name for row in names}
    refresh_statistics(target, [t.name for t in tables])
    return MoveReport(copied, dict(profiles), named)


def refresh_statistics(target: Engine, tables: list[str]) -> None:
    """VACUUM (ANALYZE) the tables just filled. A history arrives in one go, long before
    autovacuum looks at it: without row counts the planner guesses how many invoices a
    search matches, and rows still in the GIN indexes' pending list are read one by one."""
    names = ", ".join(target.dialect.identifier_preparer.quote(name) for name in tables)
    with target.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"VACUUM (ANALYZE) {names}")


def _words(table: Table) -> str:
    return table.name.replace("_", " ")


def _chosen_profiles(read: Connection, profile_id: int | None) -> list[int]:
    """The profiles to move: the one asked for, or every business profile. Practice stays on
    this computer: its simulator runs here, and each workstation has a Practice of its own."""
    query = select(Profile.id, Profile.kind).order_by(Profile.id)
    if profile_id is not None:
        query = query.where(Profile.id == profile_id)
    found = read.execute(query).all()
    if profile_id is not None and not found:
        raise DatabaseProblem(f"This computer has no such profile any more. {UNCHANGED}")
    if profile_id is not None and found[0].kind == PRACTICE:
        raise DatabaseProblem(f"Practice stays on this computer; it is not moved. {UNCHANGED}")
    return [row.id for row in found if row.kind != PRACTICE]


def _refuse_what_is_there(read: Connection, write: Connection, chosen: list[int]) -> None:
    """A profile already on the server (same Stripe account or name) is not moved again."""
    query = select(Profile.id, Profile.name, Profile.stripe_account_id)
    query = query.where(Profile.id.in_(chosen))
    for mine in read.execute(query):
        same = [func.lower(Profile.name) == mine.name.lower()]
        if mine.stripe_account_id:
            same.append(Profile.stripe_account_id == mine.stripe_account_id)
        there = write.execute(select(Profile.name, Profile.stripe_account_id).where(or_(*same)))
        found = there.first()
        if found is not None:
            why = (
                "for the same Stripe account"
                if mine.stripe_account_id and found.stripe_account_id == mine.stripe_account_id
                else "of the same name"
            )
            raise DatabaseProblem(
                f'The shared database already has a profile {why} as "{mine.name}" '
                f'("{found.name}"), so it was not moved again: its invoices would be there '
                f"twice. {UNCHANGED}"
            )
        unlinked = read.scalar(
            select(func.count())
            .select_from(Contact)
            .where(
                Contact.profile_id == mine.id,
                Contact.stripe_customer_id.is_(None),
                or_(Contact.needs_sync.is_(True), func.coalesce(Contact.sync_error, "") != ""),
            )
        )
        if unlinked:
            raise DatabaseProblem(
                f'"{mine.name}" has {unlinked} client(s) still being sent to Stripe. Open '
                f"Clients and let them sync (or retry them) first, then move it. {UNCHANGED}"
            )


def _copy(
    read: Connection, write: Connection, table: Table, chosen: list[int], maps: IdMaps
) -> int:
    rows = [row for row in ordered(read, table, chosen) if maps.owned(table, row)]
    maps.assign(write, table, rows)
    names = [c.name for c in table.columns]
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        try:
            write.execute(
                insert(table), [dict(zip(names, maps.mapped(table, r), strict=True)) for r in batch]
            )
        except IntegrityError:
            raise DatabaseProblem(
                f"The shared database refused this computer's {table.name} (a record that "
                f"must be unique is already there), so nothing was moved. {UNCHANGED}"
            ) from None
    return len(rows)


def _advance_sequence(write: Connection, table: Table) -> None:
    """A copied id must never be handed out again by the server's sequence."""
    column = own_id(table)
    if column is None:
        return
    sequence = write.scalar(
        text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name}
    )
    if sequence:
        write.execute(
            text(
                f"SELECT setval(:s, COALESCE((SELECT max({column.name}) "  # noqa: S608
                f"FROM {table.name}), 0) + 1, false)"
            ),
            {"s": sequence},
        )


def _check(
    read: Connection, write: Connection, table: Table, chosen: list[int], maps: IdMaps
) -> None:
    """This computer's rows, ids mapped, against what the server now holds for them."""
    here = sorted(
        (maps.mapped(table, r) for r in ordered(read, table, chosen) if maps.owned(table, r)),
        key=lambda row: key_of(table, row),
    )
    on_server = list(maps.maps[PROFILES].values())
    there: list[Row] = sorted(
        maps.moved_on_server(table, ordered(write, table, on_server)),
        key=lambda row: key_of(table, row),
    )
    for mine, theirs in zip(here, there, strict=False):
        if mine != theirs:
            _differs(table, key_of(table, mine))
    if len(here) != len(there):
        longer = here if len(here) > len(there) else there
        _differs(table, key_of(table, longer[min(len(here), len(there))]))


def _differs(table: Table, key: Row) -> None:
    raise DatabaseProblem(
        f"The copy of {table.name} differs from this computer's at id {key}, so nothing "
        "was moved. This computer's file is unchanged."
    )
