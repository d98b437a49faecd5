"""History search on a real migrated SQLite file and on the PostgreSQL test server: every
searched field, any case, with or without accents, by every way a search can run (the
trigram index; a scan when the index would return too much; a database without the index;
pg_trgm's indexes on the server), and the search columns kept in step as invoices, their
lines and their watches change."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from postgres_server import PostgresServer
from sqlalchemy import select, text

from tracker_desktop.db.engine import make_engine, make_session_factory, session_scope
from tracker_desktop.db.migrate import prepare_database
from tracker_desktop.db.models import Invoice, Watch
from tracker_desktop.db.repositories import history_search
from tracker_desktop.db.repositories.profiles import create_profile
from tracker_desktop.db.repositories.watches import WatchFields, add_watch
from tracker_desktop.domain.money import Money
from tracker_desktop.services.invoicing.invoice_service import (
    DraftInput,
    DraftLineInput,
    InvoiceFilters,
    InvoiceService,
)


@dataclass
class History:
    service: InvoiceService
    profile_id: int
    ids: dict[str, int]  # name -> invoice id
    db: Any

    def found(self, text_: str = "", serial: str = "") -> set[str]:
        page = self.service.list(self.profile_id, InvoiceFilters(text=text_, serial=serial))
        names = {v: k for k, v in self.ids.items()}
        assert page.total == len(page.rows)
        return {names[row.id] for row in page.rows}


def _no_stripe(_profile_id: int) -> Any:
    raise AssertionError("no Stripe in these tests")


def _watch(session: Any, profile_id: int, serial: str, model: str) -> int:
    fields = WatchFields(brand="Rolex", model=model, serial=serial, currency="EUR")
    return add_watch(session, profile_id, fields).id


def _invoice(
    service: InvoiceService,
    profile_id: int,
    name: str,
    email: str,
    memo: str,
    lines: list[tuple[str, int | None]],
) -> int:
    return service.save_draft(
        profile_id,
        DraftInput(
            currency="EUR",
            customer_name=name,
            customer_email=email,
            memo=memo,
            lines=[DraftLineInput(d, 1, Money(1_000_000, "EUR"), w) for d, w in lines],
        ),
    )


def _fill(db: Any) -> History:
    service = InvoiceService(db.sessions, _no_stripe)
    with session_scope(db.sessions, write=True) as session:
        profile_id = create_profile(session, "Geneva Fine Watches").id
        daytona = _watch(session, profile_id, "7S2A9XXX", "Daytona")
        sub = _watch(session, profile_id, "K38-115", "Submariner")
    ids = {
        "mueller": _invoice(service, profile_id, "Müller & Söhne GmbH", "info@mueller.de",
                            "50% deposit received", [("Service and pressure test", None)]),
        "lindqvist": _invoice(service, profile_id, "Charlotte Lindqvist", "c.lindqvist@example.se",
                              "Delivered to Strandvägen 7A", [("Insured shipping", None)]),
        "watanabe": _invoice(service, profile_id, "Kenji Watanabe", "k.watanabe@example.jp", "",
                             [("Rolex Daytona 116500LN", daytona), ("Strap", None)]),
        "odegaard": _invoice(service, profile_id, "Ødegaard AS", "post@odegaard.no",
                             "Bahnhofstraße 21, 8001 Zürich", [("Submariner", sub)]),
        "obrien": _invoice(service, profile_id, "Siobhán O'Brien", "siobhan@example.ie",
                           'Said "keep the box"', [("Box and papers", None)]),
    }  # fmt: skip
    # Sent invoices get Stripe's number; the Session hook indexes it as any field.
    with session_scope(db.sessions, write=True) as session:
        invoice = session.get(Invoice, ids["mueller"])
        assert invoice is not None
        invoice.number = "GFW-2026-0042"
    return History(service, profile_id, ids, db)


@dataclass(frozen=True)
class _Db:
    """A migrated database file with engine and sessions (as tests/conftest's `db`)."""

    url: str
    engine: Any
    sessions: Any


@pytest.fixture(scope="module", params=["index", "no index", "postgresql"])
def shop(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[History]:
    """One shop per module, with the trigram index, as SQLite without FTS5's trigram
    tokenizer leaves it (search columns, no index), or on the PostgreSQL test server."""
    folder = tmp_path_factory.mktemp("history")
    server: PostgresServer | None = None
    if request.param == "postgresql":
        server = request.getfixturevalue("postgres_server")
        url = server.fresh()
    else:
        url = f"sqlite:///{folder / 'tracker.sqlite3'}"
        prepare_database(url, folder / "tracker.sqlite3", folder / "backups")
    engine = make_engine(url)
    filled = _fill(_Db(url, engine, make_session_factory(engine)))
    if request.param == "no index":
        with engine.begin() as conn:
            for trigger in ("insert", "delete", "update"):
                conn.exec_driver_sql(f"DROP TRIGGER invoice_search_{trigger}")
            conn.exec_driver_sql("DROP TABLE invoice_search")
        engine.dispose()  # connections remember whether the index is there
    yield filled
    engine.dispose()
    if server is not None:
        server.drop(url)


@pytest.mark.parametrize("shop", ["postgresql"], indirect=True)
def test_postgresql_finds_a_word_through_the_trigram_index(shop: History) -> None:
    """On the server the search's LIKE is one pg_trgm's GIN index answers (seq scans off,
    as the planner would choose at 100,000 invoices)."""
    engine = shop.db.engine
    condition = history_search.search_condition(
        shop.db.sessions(), "strandvagen", "", counting=False
    )
    assert condition is not None
    query = select(Invoice.id).where(condition.condition)
    with engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        compiled = query.compile(conn, compile_kwargs={"literal_binds": True})
        plan = "\n".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {compiled}"))
    assert "ix_invoices_search_text_trgm" in plan
    assert shop.found("strandvagen") == {"lindqvist"}


@pytest.fixture(params=["as planned", "scanning"])
def history(
    request: pytest.FixtureRequest, shop: History, monkeypatch: pytest.MonkeyPatch
) -> History:
    """The shop searched as planned (index look-ups for few matches) and by scanning."""
    if request.param == "scanning":
        # Every indexed word counts as common: the page is found by scanning in its order.
        monkeypatch.setattr(history_search, "DENSE", 0)
    return shop


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-004", {"mueller"}),  # the number Stripe gave it
        ("GFW", {"mueller"}),
        ("söhne", {"mueller"}),  # the customer, in any case, with or without accents
        ("SÖHNE", {"mueller"}),
        ("sohne", {"mueller"}),
        ("MULLER", {"mueller"}),
        ("lindqvist@", {"lindqvist"}),  # the email
        ("example.jp", {"watanabe"}),
        ("strandvagen", {"lindqvist"}),  # the memo
        ("STRANDVÄGEN 7a", {"lindqvist"}),
        ("pressure", {"mueller"}),  # a line description
        ("daytona 116500", {"watanabe"}),
        ("7s2a9", {"watanabe"}),  # a serial, in the main search too
        ("strasse", {"odegaard"}),  # ß is ss
        ("ZURICH", {"odegaard"}),
        ("odegaard", {"odegaard"}),  # Ø is o
        ("siobhan", {"obrien"}),
        ("o'brien", {"obrien"}),
        ('"keep the box"', {"obrien"}),  # quotes are text, not search syntax
        ("50%", {"mueller"}),  # % and _ are literal
        ("50_", set()),
        ("söhne deposit", {"mueller"}),  # every word, anywhere in the invoice
        ("söhne daytona", set()),
        ("ox", {"obrien"}),  # words shorter than the index knows
        ("zü", {"odegaard"}),
        ("nothing like it", set()),
    ],
)
def test_text_search_finds_every_field(history: History, typed: str, expected: set[str]) -> None:
    assert history.found(text_=typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7S2A9XXX", {"watanabe"}),
        ("2a9x", {"watanabe"}),
        ("k38-", {"odegaard"}),
        ("k3", {"odegaard"}),  # shorter than the index knows
        ("x", {"watanabe"}),
        ("daytona", set()),  # the serial filter looks at serials only
    ],
)
def test_serial_search_looks_at_serials(history: History, typed: str, expected: set[str]) -> None:
    assert history.found(serial=typed) == expected


def test_search_follows_edits_to_invoices_lines_and_watches(db: Any) -> None:
    history = _fill(db)
    pid, ids, service = history.profile_id, history.ids, history.service
    draft = service.draft_input(pid, ids["lindqvist"])
    draft.memo = "Collected in Malmö"
    draft.lines[0].description = "Travel case"
    service.update_draft(pid, ids["lindqvist"], draft)
    assert history.found("strandvagen") == set()
    assert history.found("malmo") == {"lindqvist"}
    assert history.found("insured") == set()
    assert history.found("travel case") == {"lindqvist"}

    with session_scope(db.sessions, write=True) as session:  # a serial typed wrong, corrected
        watch = session.scalar(select(Watch).where(Watch.serial == "7S2A9XXX"))
        assert watch is not None
        watch.serial = "7S2A9YYY"
    assert history.found(serial="9xxx") == set()
    assert history.found(serial="9yyy") == {"watanabe"}
    assert history.found("9yyy") == {"watanabe"}

    service.delete_draft(pid, ids["obrien"])
    assert history.found("siobhan") == set()
    with db.engine.connect() as conn:  # the index agrees with the rows it was made from
        conn.exec_driver_sql(
            "INSERT INTO invoice_search(invoice_search) VALUES ('integrity-check')"
        )


def test_duplicate_is_found_like_the_original(db: Any) -> None:
    history = _fill(db)
    twin = history.service.duplicate(history.profile_id, history.ids["lindqvist"])
    history.ids["twin"] = twin
    assert history.found("strandvagen") == {"lindqvist", "twin"}


def test_the_search_index_is_kept_by_the_database_for_writes_outside_the_orm(db: Any) -> None:
    history = _fill(db)
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE invoices SET search_text = 'grande complication' WHERE id = :id"),
            {"id": history.ids["obrien"]},
        )
    assert history.found("complication") == {"obrien"}
    assert history.found("siobhan") == set()
