"""Repositories against a migrated SQLite file: scoping, searches, refusals, idempotency."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Invoice, InvoiceEvent, InvoiceLine, Profile
from tracker_desktop.db.repositories import (
    contacts,
    contacts_sync,
    invoice_history,
    invoices,
    profiles,
    sync,
    watches,
    watches_extra,
)
from tracker_desktop.db.repositories.contacts import ContactFields
from tracker_desktop.db.repositories.invoices import InvoiceDraft, LineDraft
from tracker_desktop.db.repositories.watches import WatchFields
from tracker_desktop.domain.errors import ValidationError
from tracker_desktop.domain.invoice_state import DisplayKind
from tracker_desktop.services.invoicing import history
from tracker_desktop.services.invoicing.state_moves import add_timeline, sync_watches
from tracker_desktop.services.invoicing.views import InvoiceFilters, InvoicePage

T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def sub(serial: str, **kw: object) -> WatchFields:
    data = WatchFields(brand="Rolex", model="Submariner", serial=serial, currency="USD")
    for key, value in kw.items():
        setattr(data, key, value)
    return data


def seed(session: Session, name: str) -> tuple[Profile, int, int, Invoice]:
    profile = profiles.create_profile(session, name)
    client = contacts.add_contact(
        session, profile.id, ContactFields(name="Ada Lovelace", email="ada@example.com")
    )
    watch = watches.add_watch(session, profile.id, sub("S-100", reference="126610LN"))
    invoice = invoices.create_draft(
        session,
        profile.id,
        InvoiceDraft(currency="usd", contact_id=client.id),
        [LineDraft("Rolex Submariner 126610LN", 1_250_000, watch_id=watch.id)],
    )
    return profile, client.id, watch.id, invoice


def history_page(session: Session, profile_id: int, filters: InvoiceFilters) -> InvoicePage:
    """What the Invoices window and the CSV export read (services/invoicing/history)."""
    query = history.history_query(profile_id, filters, T0)
    return history.read_page(session, query, offset=0, limit=50, with_total=True)


def test_second_profile_sees_nothing_of_the_first(session: Session) -> None:
    first, client_id, watch_id, invoice = seed(session, "Geneva shop")
    other = profiles.create_profile(session, "London shop")

    assert contacts.list_contacts(session, other.id).items == []
    assert contacts.get_contact(session, other.id, client_id) is None
    assert watches_extra.search_watches(session, other.id) == []
    assert watches_extra.search_watches(session, other.id, "S-100") == []
    assert watches.get_watch(session, other.id, watch_id) is None
    assert watches.get_watch_by_serial(session, other.id, "S-100") is None
    assert history_page(session, other.id, InvoiceFilters()).rows == ()
    assert history_page(session, other.id, InvoiceFilters(text="Ada")).total == 0
    assert history_page(session, other.id, InvoiceFilters(serial="S-100")).total == 0
    assert invoices.get_invoice(session, other.id, invoice.id) is None
    assert invoices.get_invoice_by_uuid(session, other.id, invoice.uuid) is None
    with pytest.raises(ValidationError):
        contacts.delete_contact(session, other.id, client_id)
    with pytest.raises(ValidationError):  # a watch of another profile cannot go on a line
        invoices.create_draft(
            session,
            other.id,
            InvoiceDraft(currency="USD", customer_name="Walk-in"),
            [LineDraft("Sub", 1, watch_id=watch_id)],
        )
    # the same serial may exist once in each profile
    watches.add_watch(session, other.id, sub("S-100"))
    assert contacts.list_contacts(session, first.id).total == 1


def test_contact_search_and_paging(session: Session) -> None:
    p = profiles.create_profile(session, "Shop")
    for i in range(30):
        contacts.add_contact(
            session,
            p.id,
            ContactFields(name=f"Client {i:02}", city="Zürich" if i % 3 == 0 else "Basel"),
        )
    contacts.add_contact(
        session, p.id, ContactFields(name="Bea", company="100%_Watches", email="B@X.ch")
    )

    page = contacts.list_contacts(session, p.id, offset=10, limit=10)
    assert [c.name for c in page.items][:2] == ["Client 09", "Client 10"]  # Bea sorts first
    assert (page.total, page.has_more) == (31, True)
    assert contacts.list_contacts(session, p.id, search="zürich").total == 10
    assert [c.name for c in contacts.list_contacts(session, p.id, search="b@x").items] == ["Bea"]
    # % and _ are literal, not wildcards
    assert [c.name for c in contacts.list_contacts(session, p.id, search="0%_").items] == ["Bea"]
    assert contacts.list_contacts(session, p.id, search="0%_W").total == 1
    assert contacts.list_contacts(session, p.id, search="1_").total == 0


def test_contact_with_invoices_is_not_deleted(session: Session) -> None:
    profile, client_id, _, _ = seed(session, "Shop")
    with pytest.raises(ValidationError, match=r"Ada Lovelace has 1 invoice.*history stays"):
        contacts.delete_contact(session, profile.id, client_id)
    spare = contacts.add_contact(session, profile.id, ContactFields(name="Spare"))
    contacts.delete_contact(session, profile.id, spare.id)
    assert contacts.get_contact(session, profile.id, spare.id) is None


def test_editing_a_synced_contact_marks_it_for_sync(session: Session) -> None:
    p = profiles.create_profile(session, "Shop")
    c = contacts.add_contact(session, p.id, ContactFields(name="Ada"))
    c.stripe_customer_id = "cus_1"
    session.flush()
    contacts.update_contact(session, p.id, c.id, ContactFields(name="Ada"))
    assert not c.needs_sync  # nothing changed
    contacts.update_contact(session, p.id, c.id, ContactFields(name="Ada", city="Paris"))
    assert c.needs_sync
    assert contacts_sync.contacts_by_customer_ids(session, p.id, ["cus_1"]) == {"cus_1": c}


def test_duplicate_serial_is_refused_naming_the_watch(session: Session) -> None:
    p = profiles.create_profile(session, "Shop")
    first = watches.add_watch(session, p.id, sub("ABC123", reference="126610LN"))
    with pytest.raises(ValidationError, match=r"Rolex Submariner 126610LN.*in stock") as err:
        watches.add_watch(session, p.id, sub(" abc123 ", brand="Omega"))
    assert err.value.field == "serial"
    second = watches.add_watch(session, p.id, sub("XYZ9"))
    with pytest.raises(ValidationError, match="already in inventory"):
        watches.update_watch(session, p.id, second.id, sub("ABC123"))
    watches.update_watch(session, p.id, first.id, sub("ABC123", year=2021))  # itself is fine
    assert watches.get_watch_by_serial(session, p.id, "abc123") is first


def test_watch_search_status_and_delete(session: Session) -> None:
    profile, _, watch_id, invoice = seed(session, "Shop")
    watches.add_watch(session, profile.id, sub("D-1", brand="Patek Philippe", model="Nautilus"))
    assert [w.serial for w in watches_extra.search_watches(session, profile.id, "nautil")] == [
        "D-1"
    ]
    assert [w.serial for w in watches_extra.search_watches(session, profile.id, "126610")] == [
        "S-100"
    ]
    invoice.state = "open"
    sync_watches(session, invoice)  # as the app reserves a watch on an open invoice
    reserved = watches_extra.search_watches(session, profile.id, statuses=("reserved",))
    assert [w.serial for w in reserved] == ["S-100"]
    with pytest.raises(ValidationError, match="is on an invoice"):
        watches.delete_watch(session, profile.id, watch_id)


def test_draft_totals_lines_and_customer(session: Session) -> None:
    profile, client_id, watch_id, invoice = seed(session, "Shop")
    assert invoice.state == "local_draft"
    assert invoice.currency == "USD"
    assert invoice.customer_name == "Ada Lovelace"
    assert invoice.customer_email == "ada@example.com"
    assert invoice.total_minor == invoice.amount_remaining_minor == 1_250_000
    assert len(invoice.uuid) == 36

    invoices.update_draft(
        session,
        profile.id,
        invoice.id,
        InvoiceDraft(currency="USD", contact_id=client_id),
        [
            LineDraft("Rolex Submariner", 1_250_000, watch_id=watch_id),
            LineDraft("Strap", 15_000, quantity=2),
        ],
    )
    again = invoices.get_invoice(session, profile.id, invoice.id)
    assert again is not None
    assert [(line.position, line.description) for line in again.lines] == [
        (0, "Rolex Submariner"),
        (1, "Strap"),
    ]
    assert again.total_minor == 1_280_000
    assert session.scalar(select(func.count()).select_from(InvoiceLine)) == 2

    with pytest.raises(ValidationError, match="at least one line"):
        invoices.create_draft(session, profile.id, InvoiceDraft(currency="USD"), [])
    with pytest.raises(ValidationError, match="customer name"):
        invoices.create_draft(
            session, profile.id, InvoiceDraft(currency="USD"), [LineDraft("x", 1)]
        )
    again.push_step = "create-invoice"
    with pytest.raises(ValidationError, match="can no longer be edited"):
        invoices.update_draft(
            session, profile.id, invoice.id, InvoiceDraft(currency="USD"), [LineDraft("x", 1)]
        )


def test_invoice_filters(session: Session) -> None:
    profile, client_id, _, sold = seed(session, "Shop")
    walk_in = invoices.create_draft(
        session,
        profile.id,
        InvoiceDraft(currency="EUR", customer_name="Walk-in buyer", memo="cash deposit"),
        [LineDraft("Omega Speedmaster, serial 77-OM", 500_000)],
    )
    sold.state, sold.number, sold.created_at = "paid", "INV-0042", T0
    walk_in.created_at = T0 + dt.timedelta(days=10)
    session.flush()

    def ids(f: InvoiceFilters) -> list[int]:
        page = history_page(session, profile.id, f)
        assert page.total == len(page.rows)
        return [row.id for row in page.rows]

    assert ids(InvoiceFilters()) == [walk_in.id, sold.id]  # newest first
    assert ids(InvoiceFilters(statuses=(DisplayKind.PAID,))) == [sold.id]
    assert ids(InvoiceFilters(statuses=(DisplayKind.OPEN, DisplayKind.DRAFT))) == [walk_in.id]
    assert ids(InvoiceFilters(created_from=T0 + dt.timedelta(days=1))) == [walk_in.id]
    assert ids(InvoiceFilters(created_before=T0 + dt.timedelta(days=1))) == [sold.id]
    assert ids(InvoiceFilters(contact_id=client_id)) == [sold.id]
    assert ids(InvoiceFilters(serial="s-100")) == [sold.id]  # the watch on the line
    # The serial filter looks at the serials of the watches on an invoice. A serial only
    # typed into a line's description is text: the search box finds it, the serial filter
    # does not (it would otherwise list invoices that never held the watch).
    assert ids(InvoiceFilters(serial="77-OM")) == []
    assert ids(InvoiceFilters(text="77-OM")) == [walk_in.id]
    assert ids(InvoiceFilters(text="inv-0042")) == [sold.id]
    assert ids(InvoiceFilters(text="deposit")) == [walk_in.id]
    assert ids(InvoiceFilters(text="speedmaster")) == [walk_in.id]
    assert ids(InvoiceFilters(text="s-100")) == [sold.id]  # the search box reads serials too
    rows = history_page(session, profile.id, InvoiceFilters()).rows
    assert [row.serials for row in rows] == [(), ("S-100",)]


def test_lines_and_events_readable_after_the_session_closes(
    factory: sessionmaker[Session],
) -> None:
    with session_scope(factory, write=True) as s:
        profile, _, _, invoice = seed(s, "Shop")
        add_timeline(s, invoice, "created", T0)
    with session_scope(factory) as s:
        loaded = invoices.get_invoice(s, profile.id, invoice.id)
        exported = invoice_history.invoices(s, [invoice.id])  # what the CSV export reads
    assert loaded is not None
    assert [e.kind for e in loaded.events] == ["created"]
    assert loaded.events[0].occurred_at == T0
    assert exported[0].lines[0].unit_amount_minor == 1_250_000


def test_timeline_entries_are_idempotent_per_stripe_event(session: Session) -> None:
    _, _, _, invoice = seed(session, "Shop")
    later = T0 + dt.timedelta(minutes=5)
    assert add_timeline(session, invoice, "payment_failed", T0, "Declined", "evt_1")
    assert not add_timeline(session, invoice, "payment_failed", T0, "Declined", "evt_1")
    assert add_timeline(session, invoice, "payment_failed", later, "Declined", "evt_2")
    assert add_timeline(session, invoice, "finalized", T0, stripe_event_id="evt_1")
    # An entry the app wrote itself is claimed by the Stripe event that reports it.
    assert add_timeline(session, invoice, "paid", T0)
    assert not add_timeline(session, invoice, "paid", later, stripe_event_id="evt_3")
    assert not add_timeline(session, invoice, "paid", later)  # once in an invoice's life
    assert session.scalar(select(func.count()).select_from(InvoiceEvent)) == 4
    loaded = invoices.get_invoice(session, invoice.profile_id, invoice.id)
    assert loaded is not None
    paid = [e for e in loaded.events if e.kind == "paid"]
    assert [(e.stripe_event_id, e.occurred_at) for e in paid] == [("evt_3", later)]


def test_processed_events_and_sync_state(session: Session) -> None:
    a = profiles.create_profile(session, "A")
    b = profiles.create_profile(session, "B")
    assert sync.mark_processed(session, a.id, "evt_1", 1_700_000_000)
    assert not sync.mark_processed(session, a.id, "evt_1", 1_700_000_000)
    assert sync.mark_processed(session, a.id, "evt_2", 1_800_000_000)
    assert sync.processed_ids(session, b.id, ["evt_1"]) == set()
    assert sync.processed_ids(session, a.id, ["evt_1", "evt_3"]) == {"evt_1"}
    assert sync.prune_processed(session, a.id, created_before=1_750_000_000) == 1
    assert sync.processed_ids(session, a.id, ["evt_1", "evt_2"]) == {"evt_2"}

    state = sync.get_sync_state(session, a.id)
    assert state.events_cursor is None
    state.events_cursor, state.cursor_created, state.last_poll_at = "evt_2", 1_800_000_000, T0
    session.flush()
    again = sync.get_sync_state(session, a.id)
    assert (again.events_cursor, again.last_poll_at) == ("evt_2", T0)
    assert sync.get_sync_state(session, b.id).events_cursor is None


def test_profile_settings_rename_and_delete(session: Session) -> None:
    profile, _, _, _ = seed(session, "Shop")
    keep = profiles.create_profile(session, "Keep", kind="practice")
    contacts.add_contact(session, keep.id, ContactFields(name="Other"))
    profiles.rename_profile(session, profile.id, "  Geneva  ")
    profiles.update_profile_settings(
        session, profile.id, default_currency="chf", default_due_days=30, invoice_footer="Thanks"
    )
    profiles.set_stripe_account(
        session,
        profile.id,
        account_id="acct_1",
        account_name="Geneva SA",
        livemode=False,
        key_last4="4242",
    )
    got = profiles.get_profile(session, profile.id)
    assert got is not None
    assert (got.name, got.default_currency, got.default_due_days) == ("Geneva", "CHF", 30)
    assert [p.name for p in profiles.list_profiles(session)] == ["Geneva", "Keep"]
    with pytest.raises(ValidationError):
        profiles.update_profile_settings(session, profile.id, default_currency="XXX")
    with pytest.raises(ValidationError):
        profiles.rename_profile(session, profile.id, "  ")

    profiles.delete_profile(session, profile.id)
    assert [p.name for p in profiles.list_profiles(session)] == ["Keep"]
    assert session.scalar(select(func.count()).select_from(Invoice)) == 0
    assert contacts.list_contacts(session, keep.id).total == 1
