"""Client services without a window: real SQLite file, the simulator over real HTTP."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest
from sqlalchemy import event, select

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Contact, Invoice, SyncState
from tracker_desktop.domain.errors import (
    FormInvalid,
    InvalidRequest,
    NotFound,
    Offline,
    ValidationError,
)
from tracker_desktop.domain.stripe_types import CustomerDraft
from tracker_desktop.services.clients.client_service import (
    LINKED,
    NEEDS_SYNC,
    NOT_LINKED,
    REFUSED,
    ClientInput,
    ClientRow,
    ClientService,
)
from tracker_desktop.services.clients.stripe_customers import dashboard_url

from .conftest import World, save_a_card

T = TypeVar("T")

ADA = ClientInput(
    name="Ada Reinholt",
    company="Reinholt Collection",
    email="ada@reinholt.ch",
    phone="+41 22 310 00 00",
    line1="Rue du Rhône 48",
    city="Geneva",
    postal_code="1204",
    country="CH",
)


def table_rows(clients: ClientService, profile_id: int) -> list[ClientRow]:
    """The clients table's lines, read as the window reads them (load_rows' worker call)."""
    return [ClientRow._make(t) for t in clients.row_tuples(profile_id)]


def run(world: World, body: Callable[[], Awaitable[T]]) -> T:
    """One loop per test, as the app has one; the gateway's HTTP client closes at the end."""

    async def main() -> T:
        try:
            return await body()
        finally:
            await world.gateways.close_all()

    return asyncio.run(main())


async def stripe_customers(world: World) -> list[str]:
    page = await world.gateway().list_customers()
    return [c.id for c in page.customers]


def test_nothing_is_saved_until_every_field_is_right(world: World) -> None:
    clients = world.services.clients
    bad = ClientInput(name="  ", email="ada@", phone="call me", line1="Rue 1", country="XX")
    with pytest.raises(FormInvalid) as caught:
        clients.save(world.profile_id, None, bad)
    assert set(caught.value.errors) == {"name", "email", "phone", "city", "country"}
    assert "name@example.com" in caught.value.errors["email"]
    assert table_rows(clients, world.profile_id) == []


def test_saved_client_is_listed_with_its_place(world: World) -> None:
    saved = world.services.clients.save(world.profile_id, None, ADA)
    (row,) = table_rows(world.services.clients, world.profile_id)
    assert row.id == saved.id
    assert (row.name, row.place, row.stripe_state) == ("Ada Reinholt", "Geneva, CH", NOT_LINKED)


def test_delete_is_refused_while_an_invoice_names_the_client(world: World) -> None:
    saved = world.services.clients.save(world.profile_id, None, ADA)
    with session_scope(world.sessions, write=True) as session:
        session.add(
            Invoice(
                uuid=str(uuid.uuid4()),
                profile_id=world.profile_id,
                contact_id=saved.id,
                currency="CHF",
            )
        )
    with pytest.raises(ValidationError, match="cannot be deleted; their history stays"):
        world.services.clients.delete(world.profile_id, saved.id)
    assert len(table_rows(world.services.clients, world.profile_id)) == 1


def test_push_creates_one_customer_and_later_edits_update_it(world: World) -> None:
    clients, sync = world.services.clients, world.services.sync
    saved = clients.save(world.profile_id, None, ADA)

    async def body() -> None:
        linked = await sync.push(world.profile_id, saved.id)
        assert linked.stripe_state == LINKED
        customer = await world.gateway().retrieve_customer(linked.stripe_customer_id or "")
        assert customer.metadata["tracker_client_id"] == str(saved.id)
        assert customer.address["city"] == "Geneva"
        # A → B → A: each edit is sent, even the one that restores earlier values.
        for email in ("ada@other.ch", "ada@reinholt.ch"):
            edited = clients.save(
                world.profile_id, saved.id, ClientInput(**{**_d(ADA), "email": email})
            )
            assert edited.stripe_state == NEEDS_SYNC
            await sync.push(world.profile_id, saved.id)
            again = await world.gateway().retrieve_customer(linked.stripe_customer_id or "")
            assert again.email == email
        assert await stripe_customers(world) == [linked.stripe_customer_id]

    run(world, body)
    assert table_rows(world.services.clients, world.profile_id)[0].stripe_state == LINKED


def test_create_lost_on_the_way_back_never_makes_a_second_customer(world: World) -> None:
    saved = world.services.clients.save(world.profile_id, None, ADA)
    sync = world.services.sync

    async def body() -> None:
        # Stripe creates the customer, then the answer is lost: the app sees "offline".
        world.sandbox.inject_faults(next=1, kinds=["drop"], phase="after", methods=["POST"])
        with pytest.raises(Offline):
            await sync.push(world.profile_id, saved.id)
        world.sandbox.clear_faults()
        assert table_rows(world.services.clients, world.profile_id)[0].stripe_state == NEEDS_SYNC
        # Edited before the retry: a new create key, but the earlier customer is found.
        world.services.clients.save(
            world.profile_id, saved.id, ClientInput(**{**_d(ADA), "phone": "+41 79 000 00 00"})
        )
        report = await sync.sync_pending(world.profile_id)
        assert (report.synced, report.failed) == (1, 0)
        (only,) = await stripe_customers(world)
        customer = await world.gateway().retrieve_customer(only)
        assert customer.phone == "+41 79 000 00 00"

    run(world, body)
    row = table_rows(world.services.clients, world.profile_id)[0]
    assert row.stripe_state == LINKED


def test_offline_edit_waits_then_syncs_by_itself(world: World) -> None:
    clients, sync = world.services.clients, world.services.sync
    saved = clients.save(world.profile_id, None, ADA)

    async def body() -> None:
        await sync.push(world.profile_id, saved.id)
        clients.save(world.profile_id, saved.id, ClientInput(**{**_d(ADA), "city": "Carouge"}))
        world.sandbox.inject_faults(next=5, kinds=["drop"], phase="before")
        report = await sync.sync_pending(world.profile_id)
        assert report.synced == 0
        assert report.error
        assert "could not be reached" in report.error
        row = table_rows(clients, world.profile_id)[0]
        assert row.stripe_state == NEEDS_SYNC
        assert row.sync_error
        world.sandbox.clear_faults()
        report = await sync.sync_pending(world.profile_id)
        assert report.synced == 1
        customer = await world.gateway().retrieve_customer(row.stripe_customer_id or "")
        assert customer.address["city"] == "Carouge"

    run(world, body)
    assert table_rows(clients, world.profile_id)[0].stripe_state == LINKED


def test_customer_gone_in_stripe_is_a_refusal_kept_beside_the_client(world: World) -> None:
    saved = world.services.clients.save(world.profile_id, None, ADA)
    with session_scope(world.sessions, write=True) as session:
        session.get(Contact, saved.id).stripe_customer_id = "cus_GoneLongAgo"  # type: ignore[union-attr]

    async def body() -> None:
        with pytest.raises(NotFound):
            await world.services.sync.push(world.profile_id, saved.id)
        report = await world.services.sync.sync_pending(world.profile_id)
        assert report.synced == 0  # a refusal is not retried by itself

    run(world, body)
    row = table_rows(world.services.clients, world.profile_id)[0]
    assert row.stripe_state == REFUSED
    assert "Unlink the client" in (row.sync_error or "")


def test_email_stripe_refuses_is_kept_locally_with_stripes_reason(world: World) -> None:
    odd = ClientInput(name="Ada Reinholt", email="ada..reinholt@example.com")
    saved = world.services.clients.save(world.profile_id, None, odd)  # the local check passes

    async def body() -> None:
        with pytest.raises(InvalidRequest) as caught:
            await world.services.sync.push(world.profile_id, saved.id)
        assert caught.value.param == "email"
        assert "Invalid email address: ada..reinholt@example.com" in str(caught.value)
        assert await stripe_customers(world) == []

    run(world, body)
    (row,) = table_rows(world.services.clients, world.profile_id)
    assert (row.email, row.stripe_state) == ("ada..reinholt@example.com", REFUSED)


def test_rows_are_read_off_the_calling_thread_in_one_query(world: World) -> None:
    for name in ("Ada Reinholt", "Ben Okafor", "Chen Wei"):
        world.services.clients.save(world.profile_id, None, ClientInput(name=name))
    engine = world.sessions.kw["bind"]
    seen: list[tuple[str, str]] = []

    def record(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append((threading.current_thread().name, sql))

    event.listen(engine, "before_cursor_execute", record)
    try:
        rows = asyncio.run(world.services.clients.load_rows(world.profile_id))
    finally:
        event.remove(engine, "before_cursor_execute", record)
    # Plain tuples (see RowTuple), in ClientRow's order, by name.
    assert [ClientRow._make(r).name for r in rows] == ["Ada Reinholt", "Ben Okafor", "Chen Wei"]
    assert {type(r) for r in rows} == {tuple}
    ((thread, sql),) = seen  # one query, on a worker thread, no ORM entity load
    assert thread != threading.current_thread().name
    assert "contacts.notes" not in sql


def test_unlink_keeps_the_stripe_customer_and_payment_method_is_read(world: World) -> None:
    saved = world.services.clients.save(world.profile_id, None, ADA)
    sync = world.services.sync

    async def body() -> str:
        linked = await sync.push(world.profile_id, saved.id)
        customer_id = linked.stripe_customer_id or ""
        await save_a_card(world, customer_id)
        refreshed = await sync.refresh(world.profile_id, saved.id)
        assert refreshed.payment_method == "Visa ending 4242"
        unlinked = sync.unlink(world.profile_id, saved.id)
        assert unlinked.stripe_state == NOT_LINKED
        assert unlinked.payment_method is None
        still = await world.gateway().retrieve_customer(customer_id)
        return still.id

    assert run(world, body).startswith("cus_")


def test_dashboard_links_for_test_and_live() -> None:
    assert (
        dashboard_url("cus_1", livemode=False)
        == "https://dashboard.stripe.com/test/customers/cus_1"
    )
    assert dashboard_url("cus_1", livemode=True) == "https://dashboard.stripe.com/customers/cus_1"


def _d(form: ClientInput) -> dict[str, str]:
    from dataclasses import asdict

    return asdict(form)


async def _seed_customers(world: World, drafts: list[CustomerDraft]) -> list[str]:
    made = []
    for i, draft in enumerate(drafts):
        customer = await world.gateway().create_customer(
            draft, idempotency_key=f"seed-{world.key}-{i}"
        )
        made.append(customer.id)
    return made


def test_import_links_by_email_creates_the_rest_and_skips_conflicts(world: World) -> None:
    clients = world.services.clients
    clients.save(world.profile_id, None, ADA)
    linked_elsewhere = clients.save(
        world.profile_id, None, ClientInput(name="Ben Okafor", email="ben@okafor.co.uk")
    )
    with session_scope(world.sessions, write=True) as session:
        session.get(Contact, linked_elsewhere.id).stripe_customer_id = "cus_AlreadyLinked"  # type: ignore[union-attr]

    async def body() -> None:
        await _seed_customers(
            world,
            [
                CustomerDraft(name="ADA R.", email="ADA@Reinholt.CH"),
                CustomerDraft(name="Ben Okafor", email="ben@okafor.co.uk"),
                CustomerDraft(
                    name="Chen Wei",
                    email="chen@wei.hk",
                    address={"city": "Hong Kong", "country": "HK"},
                ),
                CustomerDraft(name="Dana Brooks", email="dana@brooks.nyc"),
            ],
        )
        report = await world.services.importer.run(world.profile_id)
        assert report.finished
        assert report.read == 4
        assert report.linked == ["Ada Reinholt"]
        assert sorted(report.created) == ["Chen Wei", "Dana Brooks"]
        assert [s.label for s in report.skipped] == ["Ben Okafor"]
        assert "already linked to another Stripe customer" in report.skipped[0].reason
        again = await world.services.importer.run(world.profile_id)
        assert again.already == 3
        assert not again.created
        assert not again.linked

    run(world, body)
    rows = {r.name: r for r in table_rows(clients, world.profile_id)}
    assert len(rows) == 4
    assert rows["Ada Reinholt"].stripe_customer_id
    assert rows["Ada Reinholt"].email == "ada@reinholt.ch"
    assert rows["Chen Wei"].place == "Hong Kong, HK"


def test_import_resumes_after_a_network_failure_without_duplicates(world: World) -> None:
    names = [f"Collector {i}" for i in range(8)]

    async def body() -> None:
        await _seed_customers(
            world, [CustomerDraft(name=n, email=f"c{i}@example.com") for i, n in enumerate(names)]
        )
        pages: list[int] = []

        def progress(report: object) -> None:
            pages.append(1)
            if len(pages) == 1:  # the network fails after the first page
                world.sandbox.inject_faults(
                    next=1, kinds=["drop"], methods=["GET"], path_prefix="/v1/customers"
                )

        first = await world.services.importer.run(world.profile_id, progress=progress)
        assert first.read == 3
        assert first.error
        assert not first.finished
        with session_scope(world.sessions) as session:
            assert session.get(SyncState, world.profile_id).customers_import_cursor  # type: ignore[union-attr]
        world.sandbox.clear_faults()
        second = await world.services.importer.run(world.profile_id)
        assert second.resumed
        assert second.finished
        assert second.read == 5
        assert len(second.created) == 5
        assert second.already == 0

    run(world, body)
    with session_scope(world.sessions) as session:
        stored = sorted(session.scalars(select(Contact.name)))
        assert session.get(SyncState, world.profile_id).customers_import_cursor is None  # type: ignore[union-attr]
    assert stored == sorted(names)


def test_import_cancel_keeps_what_was_done(world: World) -> None:
    async def body() -> None:
        await _seed_customers(world, [CustomerDraft(name=f"Buyer {i}") for i in range(5)])
        report = await world.services.importer.run(
            world.profile_id,
            cancelled=lambda: report_pages[0] > 0,
            progress=lambda r: report_pages.__setitem__(0, 1),
        )
        assert report.cancelled
        assert report.read == 3
        rest = await world.services.importer.run(world.profile_id)
        assert rest.read == 2
        assert rest.finished

    report_pages = [0]
    run(world, body)
    assert len(table_rows(world.services.clients, world.profile_id)) == 5


def test_revision_is_the_last_edit_not_the_last_sync(world: World) -> None:
    """Sync bookkeeping leaves updated_at alone, so a retry reuses its idempotency key."""
    saved = world.services.clients.save(world.profile_id, None, ADA)
    with session_scope(world.sessions) as session:
        before = session.get(Contact, saved.id).updated_at  # type: ignore[union-attr]

    run(world, lambda: world.services.sync.push(world.profile_id, saved.id))
    with session_scope(world.sessions) as session:
        after = session.get(Contact, saved.id).updated_at  # type: ignore[union-attr]
    assert before == after
    assert isinstance(after, dt.datetime)
