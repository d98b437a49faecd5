"""The inventory as CSV on a real SQLite file: what is exported imports back as the same
watches (into another profile), and a bad file is refused with a message per row and
nothing imported."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.repositories.profiles import create_profile
from tracker_desktop.domain.errors import ValidationError
from tracker_desktop.domain.watch_status import WatchStatus
from tracker_desktop.services.inventory.watch_service import InventoryService, WatchForm


def stock(inventory: InventoryService, profile_id: int) -> None:
    inventory.add(
        profile_id,
        WatchForm(
            brand="Rolex",
            model="Submariner Date",
            reference="126610LN",
            serial="7S2A9XXX",
            year="2021",
            condition="Unworn",
            has_box=True,
            has_papers=True,
            purchase_cost="9,800.00",
            asking_price="14,250.00",
            notes='=HYPERLINK("x")  is how a formula starts; “Söhne” stays',
        ),
    )
    inventory.add(
        profile_id,
        WatchForm(
            brand="Omega",
            model="Speedmaster",
            serial="K38-115",
            currency="JPY",
            asking_price="1,280,000",
            status=WatchStatus.ON_MEMO,
            away_with="Galerie Koch",
            away_since=dt.date(2026, 11, 3),
        ),
    )
    inventory.add(
        profile_id,
        WatchForm(
            brand="Cartier",
            model="Tank",
            serial="CT-1",
            status=WatchStatus.IN_SERVICE,
            away_since=dt.date(2026, 10, 1),
        ),
    )


def comparable(inventory: InventoryService, profile_id: int) -> list[tuple[object, ...]]:
    return [
        (
            w.brand, w.model, w.reference, w.serial, w.year, w.condition, w.has_box,
            w.has_papers, w.currency, w.purchase_cost, w.asking_price, w.notes, w.status,
            w.away_with, w.away_since,
        )
        for w in inventory.search(profile_id)
    ]  # fmt: skip


@pytest.fixture
def other_profile(factory: sessionmaker[Session]) -> int:
    with session_scope(factory, write=True) as session:
        return create_profile(session, "Lugano Vintage Timepieces").id


def test_export_then_import_gives_the_same_watches(
    inventory: InventoryService, profile_id: int, other_profile: int, tmp_path: Path
) -> None:
    stock(inventory, profile_id)
    out = tmp_path / "inventory.csv"
    assert inventory.csv.export(profile_id, out) == 3
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = {r["serial"]: r for r in csv.DictReader(handle)}
    assert rows["7S2A9XXX"]["asking_price"] == "14250.00"
    assert rows["K38-115"]["asking_price"] == "1280000"
    assert rows["7S2A9XXX"]["notes"].startswith("'=HYPERLINK")  # no formula in Excel

    preview = inventory.csv.preview(other_profile, out)
    assert preview.ok, preview.bad_rows
    assert inventory.csv.commit(other_profile, preview) == 3
    assert comparable(inventory, other_profile) == comparable(inventory, profile_id)


def test_a_bad_file_is_refused_with_a_message_per_row(
    inventory: InventoryService, profile_id: int, tmp_path: Path
) -> None:
    stock(inventory, profile_id)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "brand,model,serial,currency,year,box,asking_price,status,away_since\n"
        "Tudor,Black Bay,TB-1,USD,2020,yes,3200.00,in_stock,\n"  # fine on its own
        "Tudor,Pelagos,TB-1,USD,,no,,,\n"  # the serial again
        ",Royal Oak,AP-9,EUR,19,maybe,12.345,sold,\n"
        "Rolex,GMT,7s2a9xxx,USD,,,,on memo,03/11/2026\n",  # already in inventory
        encoding="utf-8",
    )
    preview = inventory.csv.preview(profile_id, bad)
    assert not preview.ok
    messages = {row.line: row.errors for row in preview.bad_rows}
    assert messages == {
        3: {"serial": "Serial TB-1 is also on line 2"},
        4: {
            "brand": "Enter the brand",
            "year": "Enter the year as four digits, like 2019",
            "box": "Write yes or no, not “maybe”",
            "asking_price": messages[4]["asking_price"],
            "status": "A watch is sold only through an invoice; import it in_stock",
        },
        5: {
            "away_since": "Write the date as 2026-11-03, not “03/11/2026”",
            "away_with": "Enter who has the watch on memo",
            "serial": "Serial 7S2A9XXX is already in inventory",
        },
    }
    assert "EUR" in messages[4]["asking_price"] or "decimal" in messages[4]["asking_price"]
    before = comparable(inventory, profile_id)
    with pytest.raises(ValidationError, match="nothing was imported"):
        inventory.csv.commit(profile_id, preview)
    assert comparable(inventory, profile_id) == before  # not even the good row


def test_a_file_without_the_needed_columns_says_which(
    inventory: InventoryService, profile_id: int, tmp_path: Path
) -> None:
    wrong = tmp_path / "clients.csv"
    wrong.write_text("name,email\nAmelia Hart,a@example.com\n", encoding="utf-8")
    preview = inventory.csv.preview(profile_id, wrong)
    assert preview.problem == "The file has no column named brand, model, serial, currency."
    assert not preview.ok
