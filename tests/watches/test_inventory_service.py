"""The inventory service against a real SQLite file: forms, serials, search, status words."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.repositories.contacts import ContactFields, add_contact
from tracker_desktop.db.repositories.invoices import InvoiceDraft, LineDraft, create_draft
from tracker_desktop.domain.errors import FormInvalid, ValidationError
from tracker_desktop.domain.money import Money
from tracker_desktop.services.clients.client_service import ClientInput, ClientService
from tracker_desktop.services.events import Event, EventHub, WatchesChanged
from tracker_desktop.services.inventory.watch_service import (
    InventoryService,
    WatchForm,
)
from tracker_desktop.services.invoicing.state_moves import sync_watches


def sub() -> WatchForm:
    return WatchForm(
        brand="Rolex",
        model="Submariner",
        reference="126610LN",
        serial=" 7s2a9 ",
        year="2021",
        condition="Unworn",
        has_box=True,
        has_papers=True,
        purchase_cost="9,800.00",
        asking_price="14,250",
    )


def test_add_stores_normalized_serial_and_exact_amounts(
    inventory: InventoryService, profile_id: int, hub: EventHub
) -> None:
    heard: list[Event] = []
    hub.subscribe_all(heard.append)
    row = inventory.add(profile_id, sub())
    assert row.serial == "7S2A9"
    assert row.asking_price == Money(1_425_000, "USD")
    assert row.purchase_cost == Money(980_000, "USD")
    assert row.year == 2021
    assert row.has_box
    assert row.has_papers
    assert row.status_label == "In stock"
    assert row.line_description == "Rolex Submariner 126610LN, serial 7S2A9"
    assert heard == [WatchesChanged(profile_id)]


def test_duplicate_serial_is_refused_naming_the_watch(
    inventory: InventoryService, profile_id: int
) -> None:
    inventory.add(profile_id, sub())
    other = WatchForm(brand="Omega", model="Speedmaster", serial="7S2A9 ", currency="USD")
    with pytest.raises(ValidationError) as caught:
        inventory.add(profile_id, other)
    assert caught.value.field == "serial"
    assert str(caught.value) == "Serial 7S2A9 is already on Rolex Submariner 126610LN (in stock)"
    assert len(inventory.search(profile_id)) == 1


def test_editing_a_watch_keeps_its_own_serial(inventory: InventoryService, profile_id: int) -> None:
    row = inventory.add(profile_id, sub())
    form = sub()
    form.asking_price = "13,900.00"
    updated = inventory.update(profile_id, row.id, form)
    assert updated.asking_price == Money(1_390_000, "USD")
    assert inventory.serial_problem(profile_id, "7s2a9", except_id=row.id) == ""
    assert "already on Rolex" in inventory.serial_problem(profile_id, "7s2a9")


def test_every_bad_field_is_reported_at_once(inventory: InventoryService, profile_id: int) -> None:
    form = WatchForm(serial="X1", currency="JPY", year="20x1", asking_price="1500.50")
    with pytest.raises(FormInvalid) as caught:
        inventory.add(profile_id, form)
    errors = caught.value.errors
    assert errors["brand"] == "Enter the brand"
    assert errors["model"] == "Enter the model"
    assert "four digits" in errors["year"]
    assert errors["asking_price"] == "JPY has no decimals: enter whole yen"
    assert inventory.search(profile_id) == []


def test_search_finds_serial_first_and_any_column(
    inventory: InventoryService, profile_id: int
) -> None:
    inventory.add(profile_id, WatchForm(brand="Omega", model="Seamaster 7S2A9X", serial="AB1"))
    inventory.add(profile_id, sub())
    inventory.add(
        profile_id,
        WatchForm(brand="Patek Philippe", model="Nautilus", serial="P5711", condition="Mint"),
    )
    assert [r.serial for r in inventory.search(profile_id, "7s2a9")] == ["7S2A9", "AB1"]
    assert [r.serial for r in inventory.search(profile_id, "mint")] == ["P5711"]
    assert [r.serial for r in inventory.search(profile_id, "rolex 2021")] == ["7S2A9"]
    assert inventory.search(profile_id, "100%") == []


def test_status_and_holding_invoice_are_shown(
    inventory: InventoryService, profile_id: int, factory: sessionmaker[Session]
) -> None:
    row = inventory.add(profile_id, sub())
    with session_scope(factory, write=True) as session:
        invoice = create_draft(
            session,
            profile_id,
            InvoiceDraft(currency="USD", customer_name="A. Buyer"),
            [LineDraft(row.line_description, 1_425_000, watch_id=row.id)],
        )
        invoice.state, invoice.number = "open", "INV-0042"
        sync_watches(session, invoice)  # as an open invoice holds it
    shown = inventory.get(profile_id, row.id)
    assert shown.status_label == "Reserved"
    assert shown.held_by == "INV-0042"
    assert shown.why_not_invoiceable == "Reserved on INV-0042"
    with pytest.raises(ValidationError) as caught:
        inventory.add(profile_id, WatchForm(brand="Tudor", model="BB58", serial="7s2a9"))
    assert str(caught.value).endswith("(reserved on INV-0042)")


def test_clients_and_profile_defaults_for_the_composer(
    inventory: InventoryService, profile_id: int, factory: sessionmaker[Session]
) -> None:
    with session_scope(factory, write=True) as session:
        add_contact(session, profile_id, ContactFields(name="Hans Keller", email="hk@example.ch"))
    # The Clients window's checks: a started address needs its city; nothing is saved.
    with pytest.raises(FormInvalid) as refused:
        inventory.add_client(
            profile_id,
            ClientInput("Amelia Hart", email="amelia@", line1="1 Bond St", country="GB"),
        )
    assert set(refused.value.errors) == {"email", "city"}
    assert [c.name for c in inventory.clients(profile_id)] == ["Hans Keller"]
    added = inventory.add_client(
        profile_id,
        ClientInput(
            " Amelia  Hart ",
            email=" amelia@example.com",
            line1="1  Bond St",
            city="London",
            country="gb",
        ),
    )
    # Kept as the Clients window keeps a client typed there.
    saved = ClientService(factory).get(profile_id, added.id).form
    assert saved == ClientInput(
        "Amelia Hart", email="amelia@example.com", line1="1 Bond St", city="London", country="GB"
    )
    assert [c.name for c in inventory.clients(profile_id)] == ["Amelia Hart", "Hans Keller"]
    assert [c.id for c in inventory.clients(profile_id, "amelia")] == [added.id]
    assert added.label == "Amelia Hart (amelia@example.com)"
    defaults = inventory.profile_defaults(profile_id)
    assert (defaults.currency, defaults.days_until_due) == ("USD", 14)
