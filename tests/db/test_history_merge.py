"""One profile of a computer's SQLite history moved into a shared PostgreSQL database that
already holds other shops: the profile's rows get the server's next ids with every link
rewritten, the other shops' rows stay as they were, and the same profile (by Stripe account
or by name) is never moved twice. The oracle here is the test's own: each row with its ids
replaced by their rank among the profile's rows, which a correct move leaves unchanged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from postgres_server import PostgresServer
from sqlalchemy import Engine, select

from tracker_desktop.db import history_move
from tracker_desktop.db.credit_models import CreditNote, CreditNoteLine
from tracker_desktop.db.engine import make_engine, make_session_factory, session_scope
from tracker_desktop.db.models import Base, Contact, InvoiceEvent, Profile
from tracker_desktop.db.provenance_models import ProvenanceCheck, WatchDocument
from tracker_desktop.db.repositories import contacts, profiles
from tracker_desktop.db.repositories import sync as sync_repo
from tracker_desktop.db.repositories.contacts import ContactFields
from tracker_desktop.db.sale_models import Sale, SaleInvoice, TradeIn
from tracker_desktop.domain.errors import DatabaseProblem

from .test_repositories import seed

DB_BACKENDS = ("sqlite",)  # the history moved is a SQLite file's; the server is the target

# How each table's rows belong to a profile, written out here rather than taken from the
# code under test: (the column, the table it points at).
OWNERS = {
    "profiles": ("id", "profiles"),
    "contacts": ("profile_id", "profiles"),
    "processed_stripe_events": ("profile_id", "profiles"),
    "sales": ("profile_id", "profiles"),
    "sync_state": ("profile_id", "profiles"),
    "watches": ("profile_id", "profiles"),
    "invoices": ("profile_id", "profiles"),
    "provenance_checks": ("profile_id", "profiles"),
    "watch_documents": ("profile_id", "profiles"),
    "credit_notes": ("profile_id", "profiles"),
    "invoice_events": ("invoice_id", "invoices"),
    "invoice_lines": ("invoice_id", "invoices"),
    "sale_invoices": ("invoice_id", "invoices"),
    "credit_note_lines": ("credit_note_id", "credit_notes"),
    "trade_ins": ("invoice_line_id", "invoice_lines"),
}


def _full_shop(session: Any, name: str, account: str | None) -> int:
    """A profile with at least one row in every table."""
    profile, client_id, watch_id, invoice = seed(session, name)
    profile.stripe_account_id = account
    line = invoice.lines[0]
    now = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)
    session.add(InvoiceEvent(invoice_id=invoice.id, kind="created", occurred_at=now))
    note = CreditNote(
        uuid=f"cn-{name}", profile_id=profile.id, invoice_id=invoice.id, state="issued",
        currency="usd", total_minor=50_000,
    )  # fmt: skip
    session.add(note)
    session.flush()
    session.add(CreditNoteLine(
        credit_note_id=note.id, position=1, invoice_line_id=line.id, amount_minor=50_000
    ))  # fmt: skip
    sale = Sale(profile_id=profile.id, kind="deposit", currency="usd", total_minor=1_250_000)
    session.add(sale)
    session.flush()
    session.add(SaleInvoice(invoice_id=invoice.id, sale_id=sale.id, role="deposit"))
    session.add(TradeIn(
        invoice_line_id=line.id, brand="Omega", model="Speedmaster", serial="T-9",
        watch_id=watch_id,
    ))  # fmt: skip
    session.add(ProvenanceCheck(
        profile_id=profile.id, watch_id=watch_id, register="The Watch Register",
        checked_on=dt.date(2026, 2, 1),
    ))  # fmt: skip
    session.add(WatchDocument(
        profile_id=profile.id, watch_id=watch_id, kind="photo", original_name="dial.jpg",
        stored_file="attachments/dial.jpg",
    ))  # fmt: skip
    sync_repo.mark_processed(session, profile.id, f"evt_{name}", 1_700_000_000)
    sync_repo.get_sync_state(session, profile.id).events_cursor = f"evt_{name}"
    assert client_id
    return profile.id


def _canonical(engine: Engine, profile_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """The profile's rows with every id (its own and its links) replaced by its rank among
    the profile's rows of that table: equal on both sides when the links were kept."""
    ranks: dict[str, dict[int, int]] = {}
    shown: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            column, parent = OWNERS[table.name]
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            if table.name == "profiles":
                mine = [r for r in rows if r.id == profile_id]
            else:
                mine = [r for r in rows if r._mapping[column] in ranks[parent]]
            if "id" in table.c and not table.c.id.foreign_keys:
                ranks[table.name] = {r.id: rank for rank, r in enumerate(mine)}
            out = []
            for row in mine:
                values = []
                for col in table.columns:
                    value = row._mapping[col.name]
                    if value is not None and col.name == "id" and not col.foreign_keys:
                        value = ("id", ranks[table.name][value])
                    elif value is not None and col.foreign_keys:
                        target = next(iter(col.foreign_keys)).column.table.name
                        value = (target, ranks[target][value])
                    values.append(value)
                out.append(tuple(values))
            shown[table.name] = out
    return shown


def _all_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {
            t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
            for t in Base.metadata.sorted_tables
        }


@pytest.fixture
def server_db(postgres_server: PostgresServer) -> Iterator[Engine]:
    url = postgres_server.fresh()
    engine = make_engine(url)
    yield engine
    engine.dispose()
    postgres_server.drop(url)


@pytest.fixture
def shops(db: Any) -> dict[str, int]:
    """This computer: two shops, each with a row in every table."""
    with session_scope(db.sessions, write=True) as session:
        geneva = _full_shop(session, "Geneva shop", "acct_geneva")
        london = _full_shop(session, "London shop", "acct_london")
    return {"geneva": geneva, "london": london}


@pytest.fixture
def busy_server(server_db: Engine) -> Engine:
    """A shared database where two other shops already work (so ids 1 and 2 are taken)."""
    with session_scope(make_session_factory(server_db), write=True) as session:
        _full_shop(session, "Zurich shop", "acct_zurich")
        _full_shop(session, "Paris shop", "acct_paris")
    return server_db


def test_every_table_has_rows_to_move(db: Any, shops: dict[str, int]) -> None:
    """A new table is covered by this file's oracle and fixture, or this fails."""
    assert set(OWNERS) == {t.name for t in Base.metadata.sorted_tables}
    for table, rows in _canonical(db.engine, shops["london"]).items():
        assert rows, table


def test_one_profile_joins_a_server_with_other_shops(
    db: Any, shops: dict[str, int], busy_server: Engine
) -> None:
    before = _all_rows(busy_server)
    steps: list[tuple[str, int, int]] = []
    report = history_move.move_history(
        db.engine, busy_server, shops["london"], lambda *step: steps.append(step)
    )

    new_id = report.profile_ids[shops["london"]]
    assert new_id not in {row[0] for row in before["profiles"]}
    assert _canonical(busy_server, new_id) == _canonical(db.engine, shops["london"])
    assert all(n == 1 for n in report.rows.values() if n)  # London only, not Geneva
    after = _all_rows(busy_server)
    for table, rows in before.items():  # the shops already there are untouched
        assert set(rows) <= set(after[table]), table
    assert len(steps) == 2 * len(Base.metadata.sorted_tables)  # each table copied, checked
    assert [done for _, done, _ in steps] == list(range(1, len(steps) + 1))
    assert steps[0][0] == "Copying profiles…"
    assert steps[-1][0].startswith("Checking ")

    with session_scope(make_session_factory(busy_server), write=True) as session:
        moved = session.get(Profile, new_id)
        assert moved is not None
        assert moved.name == "London shop"
        # the server hands out ids after the moved ones, with no clash
        assert profiles.create_profile(session, "Milan shop").id > new_id
        contacts.add_contact(session, new_id, ContactFields(name="Grace Hopper"))


def test_the_rest_of_the_history_can_follow(
    db: Any, shops: dict[str, int], busy_server: Engine
) -> None:
    history_move.move_history(db.engine, busy_server, shops["london"])
    report = history_move.move_history(db.engine, busy_server, shops["geneva"])
    geneva = report.profile_ids[shops["geneva"]]
    assert _canonical(busy_server, geneva) == _canonical(db.engine, shops["geneva"])


def test_one_profile_into_an_empty_server_keeps_its_ids(
    db: Any, shops: dict[str, int], server_db: Engine
) -> None:
    report = history_move.move_history(db.engine, server_db, shops["london"])
    assert report.profile_ids == {shops["london"]: shops["london"]}
    assert _all_rows(server_db)["profiles"] == [
        r for r in _all_rows(db.engine)["profiles"] if r[0] == shops["london"]
    ]
    assert _canonical(server_db, shops["london"]) == _canonical(db.engine, shops["london"])
    with session_scope(make_session_factory(server_db), write=True) as session:
        assert profiles.create_profile(session, "Milan shop").id > shops["london"]


@pytest.mark.parametrize(
    ("name", "account", "why"),
    [
        ("London Shop Ltd", "acct_london", "for the same Stripe account"),
        ("LONDON shop", "acct_elsewhere", "of the same name"),
    ],
)
def test_the_same_shop_is_not_moved_twice(
    db: Any, shops: dict[str, int], busy_server: Engine, name: str, account: str, why: str
) -> None:
    with session_scope(make_session_factory(busy_server), write=True) as session:
        profiles.create_profile(session, name).stripe_account_id = account
    before = _all_rows(busy_server)
    with pytest.raises(DatabaseProblem, match=why):
        history_move.move_history(db.engine, busy_server, shops["london"])
    assert _all_rows(busy_server) == before


def test_a_client_half_sent_to_stripe_waits(
    db: Any, shops: dict[str, int], busy_server: Engine
) -> None:
    with session_scope(db.sessions, write=True) as session:
        session.add(Contact(profile_id=shops["london"], name="New buyer", needs_sync=True))
    before = _all_rows(busy_server)
    with pytest.raises(DatabaseProblem, match="still being sent to Stripe"):
        history_move.move_history(db.engine, busy_server, shops["london"])
    assert _all_rows(busy_server) == before


def test_a_remapped_copy_that_differs_is_rolled_back(
    db: Any, shops: dict[str, int], busy_server: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    mapped = history_move.IdMaps.mapped

    def wrong_link(self: Any, table: Any, row: tuple[Any, ...]) -> tuple[Any, ...]:
        out = mapped(self, table, row)
        if table.name == "trade_ins" and not getattr(self, "wrote_trade_in", False):
            self.wrote_trade_in = True  # written pointing at no watch; checked with its watch
            return (*out[:-1], None) if table.c.keys()[-1] == "watch_id" else out
        return out

    monkeypatch.setattr(history_move.IdMaps, "mapped", wrong_link)
    assert list(TradeIn.__table__.c.keys())[-1] == "watch_id"
    before = _all_rows(busy_server)
    with pytest.raises(DatabaseProblem, match="trade_ins differs"):
        history_move.move_history(db.engine, busy_server, shops["london"])
    assert _all_rows(busy_server) == before


def test_practice_stays_on_this_computer(db: Any, shops: dict[str, int], server_db: Engine) -> None:
    with session_scope(db.sessions, write=True) as session:
        practice = profiles.create_profile(session, "Practice", kind="practice").id
    assert [c.id for c in history_move.profiles_to_move(db.engine)] == sorted(shops.values())
    with pytest.raises(DatabaseProblem, match="Practice stays on this computer"):
        history_move.move_history(db.engine, server_db, practice)
    report = history_move.move_history(db.engine, server_db)
    assert set(report.profile_ids) == set(shops.values())
    assert _all_rows(server_db)["profiles"] == [
        r for r in _all_rows(db.engine)["profiles"] if r[0] != practice
    ]
