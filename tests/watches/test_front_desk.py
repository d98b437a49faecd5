"""The front desk in the services, on a real database file: with the switch on for a profile,
the inventory's rows, its CSV file and the Dashboard's figures come without purchase cost and
margin (None, not 0), a cost typed there is refused with nothing saved, and an edit keeps the
stored cost; with it off, or for another profile, every figure is there. The switch is kept
in this computer's settings.json."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from dashboard_seed import seed_year
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.config.settings import AppSettings, load_settings
from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Watch
from tracker_desktop.db.repositories.profiles import create_profile
from tracker_desktop.domain.errors import ValidationError
from tracker_desktop.domain.money import Money
from tracker_desktop.services.dashboard import DashboardService
from tracker_desktop.services.events import EventHub
from tracker_desktop.services.front_desk import FrontDesk
from tracker_desktop.services.inventory.watch_service import InventoryService, WatchForm

SUBMARINER = WatchForm(
    brand="Rolex",
    model="Submariner Date",
    reference="126610LN",
    serial="7S2A9XXX",
    purchase_cost="9,800.00",
    asking_price="14,250.00",
)


@pytest.fixture
def desk(db: Any) -> FrontDesk:
    return FrontDesk(AppSettings(), db.paths.settings_file)


@pytest.fixture
def at_desk(db: Any, hub: EventHub, desk: FrontDesk) -> InventoryService:
    return InventoryService(db.sessions, hub, attachments=db.paths.attachments, front_desk=desk)


@pytest.fixture
def other_profile(factory: sessionmaker[Session]) -> int:
    with session_scope(factory, write=True) as session:
        return create_profile(session, "Lugano Vintage Timepieces").id


def stored_cost(factory: sessionmaker[Session], watch_id: int) -> int | None:
    with factory() as session:
        return session.scalar(select(Watch.purchase_cost_minor).where(Watch.id == watch_id))


def test_rows_leave_the_cost_out_at_the_front_desk_only(
    at_desk: InventoryService, desk: FrontDesk, profile_id: int, other_profile: int
) -> None:
    watch_id = at_desk.add(profile_id, SUBMARINER).id
    at_desk.add(other_profile, SUBMARINER)
    cost = Money(980_000, "USD")
    shown = (
        at_desk.search(profile_id)[0],
        at_desk.get(profile_id, watch_id),
        at_desk.find_by_serial(profile_id, "7s2a9xxx"),
    )
    assert [(r.purchase_cost, r.cost_hidden) for r in shown if r] == [(cost, False)] * 3

    desk.set_hides_cost(profile_id, True)
    hidden = (
        at_desk.search(profile_id)[0],
        at_desk.get(profile_id, watch_id),
        at_desk.find_by_serial(profile_id, "7s2a9xxx"),
    )
    assert [(r.purchase_cost, r.cost_hidden) for r in hidden if r] == [(None, True)] * 3
    assert hidden[0].asking_price == Money(1_425_000, "USD")  # the price the buyer sees stays
    # Another profile on the same computer is not the front desk.
    assert at_desk.search(other_profile)[0].purchase_cost == cost


def test_a_cost_typed_at_the_front_desk_is_refused_and_nothing_is_saved(
    at_desk: InventoryService, desk: FrontDesk, profile_id: int, factory: sessionmaker[Session]
) -> None:
    watch_id = at_desk.add(profile_id, SUBMARINER).id
    desk.set_hides_cost(profile_id, True)
    new = WatchForm(brand="Omega", model="Speedmaster", serial="K38-115", purchase_cost="4,100")
    with pytest.raises(ValidationError, match="hidden at the front desk") as refused:
        at_desk.add(profile_id, new)
    assert refused.value.field == "purchase_cost"
    assert at_desk.find_by_serial(profile_id, "K38-115") is None
    edit = WatchForm(**{**_fields(SUBMARINER), "purchase_cost": "1.00", "notes": "Polished"})
    with pytest.raises(ValidationError, match="hidden at the front desk"):
        at_desk.update(profile_id, watch_id, edit)
    assert at_desk.get(profile_id, watch_id).notes == ""
    assert stored_cost(factory, watch_id) == 980_000


def test_an_edit_at_the_front_desk_keeps_the_stored_cost(
    at_desk: InventoryService, desk: FrontDesk, profile_id: int, factory: sessionmaker[Session]
) -> None:
    watch_id = at_desk.add(profile_id, SUBMARINER).id
    desk.set_hides_cost(profile_id, True)
    # The front desk's form has no cost in it: saving must not wipe the back office's.
    edit = WatchForm(**{**_fields(SUBMARINER), "purchase_cost": "", "notes": "Polished"})
    assert at_desk.update(profile_id, watch_id, edit).purchase_cost is None
    assert stored_cost(factory, watch_id) == 980_000
    assert at_desk.get(profile_id, watch_id).notes == "Polished"
    # The cost is in the watch's currency, so that cannot change under it unseen.
    in_euros = WatchForm(**{**_fields(edit), "currency": "EUR"})
    with pytest.raises(ValidationError, match="currency is its purchase cost's") as refused:
        at_desk.update(profile_id, watch_id, in_euros)
    assert refused.value.field == "currency"
    desk.set_hides_cost(profile_id, False)
    assert at_desk.get(profile_id, watch_id).purchase_cost == Money(980_000, "USD")


def test_the_inventory_csv_has_no_cost_column_at_the_front_desk(
    at_desk: InventoryService, desk: FrontDesk, profile_id: int, other_profile: int, tmp_path: Path
) -> None:
    at_desk.add(profile_id, SUBMARINER)
    back_office, front = tmp_path / "back.csv", tmp_path / "front.csv"
    at_desk.csv.export(profile_id, back_office)
    desk.set_hides_cost(profile_id, True)
    at_desk.csv.export(profile_id, front)
    assert "purchase_cost" in _header(back_office)
    assert "9800.00" in back_office.read_text()
    assert "purchase_cost" not in _header(front)
    assert "9800.00" not in front.read_text()
    assert _rows(front)[0]["asking_price"] == "14250.00"  # the columns still line up

    # The front desk's file imports (no cost); a file with costs is refused row by row.
    desk.set_hides_cost(other_profile, True)
    preview = at_desk.csv.preview(other_profile, front)
    assert preview.ok, preview.bad_rows
    assert at_desk.csv.commit(other_profile, preview) == 1
    refused = at_desk.csv.preview(other_profile, back_office)
    assert not refused.ok
    assert "hidden at the front desk" in refused.rows[0].errors["purchase_cost"]
    desk.set_hides_cost(other_profile, False)
    assert at_desk.search(other_profile)[0].purchase_cost is None  # none came in


def test_the_dashboard_reads_no_margin_at_the_front_desk(db: Any, desk: FrontDesk) -> None:
    with session_scope(db.sessions, write=True) as session:
        profile_id = create_profile(session, "Geneva Fine Watches").id
    now = dt.datetime.now(dt.UTC)
    seed_year(db.sessions, profile_id, now)
    dashboard = DashboardService(db.sessions, clock=lambda: now, front_desk=desk)
    shown = dashboard.read(profile_id)
    assert shown.margins is not None
    assert shown.sale_margins
    assert {m.currency: m.total.minor for m in shown.margins} == {"USD": 950_000, "EUR": 220_000}

    desk.set_hides_cost(profile_id, True)
    hidden = dashboard.read(profile_id)
    assert hidden.margins is None
    assert hidden.sale_margins is None
    # Everything that is not cost or margin is the same figure as before.
    assert (hidden.sales, hidden.owed, hidden.clients, hidden.brands) == (
        shown.sales,
        shown.owed,
        shown.clients,
        shown.brands,
    )


def test_the_switch_is_kept_in_this_computers_settings_file(db: Any, desk: FrontDesk) -> None:
    desk.set_hides_cost(7, True)
    desk.set_hides_cost(3, True)
    assert load_settings(db.paths.settings_file).front_desk_profiles == [3, 7]
    again = FrontDesk(load_settings(db.paths.settings_file))
    assert [again.hides_cost(p) for p in (3, 5, 7)] == [True, False, True]
    desk.set_hides_cost(7, False)
    assert load_settings(db.paths.settings_file).front_desk_profiles == [3]
    # A hand-damaged value is not taken for a list of profiles.
    raw = json.loads(db.paths.settings_file.read_text())
    db.paths.settings_file.write_text(json.dumps({**raw, "front_desk_profiles": "3"}))
    assert load_settings(db.paths.settings_file).front_desk_profiles == []


def _fields(form: WatchForm) -> dict[str, object]:
    return {name: getattr(form, name) for name in WatchForm.__slots__}


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))
