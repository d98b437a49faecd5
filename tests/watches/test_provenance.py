"""Provenance on a real SQLite file: a stolen-register check keeps a copy of its certificate
in the data folder, survives a restart (a new engine on the same file) and reaches the CSV
export; documents and photos are copies too; bad input keeps nothing."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tracker_desktop.db.engine import make_engine, make_session_factory
from tracker_desktop.domain.errors import FormInvalid, ValidationError
from tracker_desktop.services.inventory.provenance import CheckForm
from tracker_desktop.services.inventory.watch_service import InventoryService, WatchForm

CERTIFICATE = b"%PDF-1.4 The Watch Register certificate TWR-2026-118842\n"


def nautilus(inventory: InventoryService, profile_id: int, serial: str = "5711-4419") -> int:
    form = WatchForm(brand="Patek Philippe", model="Nautilus", serial=serial, currency="USD")
    return inventory.add(profile_id, form).id


def kept_files(db: Any) -> list[Path]:
    return sorted(p for p in db.paths.attachments.rglob("*") if p.is_file())


def test_a_check_and_its_certificate_survive_a_restart_and_an_export(
    inventory: InventoryService, profile_id: int, db: Any, tmp_path: Path
) -> None:
    watch_id = nautilus(inventory, profile_id)
    source = tmp_path / "usb-stick" / "TWR certificate.pdf"
    source.parent.mkdir()
    source.write_bytes(CERTIFICATE)
    form = CheckForm(
        register="The  Watch Register ",
        checked_on=dt.date(2026, 11, 20),
        certificate_number=" TWR-2026-118842 ",
        certificate_path=str(source),
    )
    inventory.provenance.add_check(profile_id, watch_id, form)
    source.unlink()  # the stick is gone: the app kept its own copy
    db.engine.dispose()

    engine = make_engine(db.url)  # a restart: a new engine, a new service on the same file
    try:
        again = InventoryService(make_session_factory(engine), attachments=db.paths.attachments)
        [check] = again.provenance.checks(profile_id, watch_id)
        assert check.register == "The Watch Register"
        assert check.checked_on == dt.date(2026, 11, 20)
        assert check.certificate_number == "TWR-2026-118842"
        assert check.certificate_name == "TWR certificate.pdf"
        assert check.certificate_path is not None
        assert check.certificate_path.is_relative_to(db.paths.attachments)
        assert check.certificate_path.read_bytes() == CERTIFICATE
        assert check.certificate_path.stat().st_mode & 0o077 == 0

        out = tmp_path / "inventory.csv"
        assert again.csv.export(profile_id, out) == 1
        with out.open(encoding="utf-8-sig", newline="") as handle:
            [row] = list(csv.DictReader(handle))
        assert row["serial"] == "5711-4419"
        assert row["last_check_register"] == "The Watch Register"
        assert row["last_check_date"] == "2026-11-20"
        assert row["certificate_number"] == "TWR-2026-118842"
        assert Path(row["certificate_file"]).read_bytes() == CERTIFICATE
    finally:
        engine.dispose()


def test_bad_check_keeps_nothing(
    inventory: InventoryService, profile_id: int, db: Any, tmp_path: Path
) -> None:
    watch_id = nautilus(inventory, profile_id)
    source = tmp_path / "certificate.pdf"
    source.write_bytes(CERTIFICATE)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(FormInvalid) as caught:
        inventory.provenance.add_check(
            profile_id, watch_id, CheckForm(" ", tomorrow, certificate_path=str(source))
        )
    assert caught.value.errors == {
        "register": "Enter the register you checked, like The Watch Register",
        "checked_on": "A check cannot be dated in the future",
    }
    with pytest.raises(ValidationError) as missing:
        inventory.provenance.add_check(
            profile_id,
            watch_id,
            CheckForm("Art Loss Register", dt.date(2026, 1, 5), "", str(tmp_path / "gone.pdf")),
        )
    assert missing.value.field == "file"
    assert "Could not read gone.pdf" in str(missing.value)
    assert inventory.provenance.checks(profile_id, watch_id) == []
    assert kept_files(db) == []


def test_documents_and_photos_are_copies_removed_with_them(
    inventory: InventoryService, profile_id: int, db: Any, tmp_path: Path
) -> None:
    watch_id = nautilus(inventory, profile_id)
    papers = tmp_path / "papers.pdf"
    papers.write_bytes(b"%PDF-1.4 warranty card")
    photo = tmp_path / "dial.jpg"
    photo.write_bytes(b"\xff\xd8\xff dial photo")
    kept_papers = inventory.provenance.add_document(profile_id, watch_id, "document", str(papers))
    kept_photo = inventory.provenance.add_document(profile_id, watch_id, "photo", str(photo))
    papers.write_bytes(b"edited afterwards")  # the copy keeps what was attached
    assert kept_papers.path.read_bytes() == b"%PDF-1.4 warranty card"
    assert [d.kind_label for d in inventory.provenance.documents(profile_id, watch_id)] == [
        "Box and papers",
        "Photo",
    ]

    inventory.provenance.remove_document(profile_id, kept_photo.id)
    assert not kept_photo.path.exists()
    assert kept_files(db) == [kept_papers.path]

    inventory.delete(profile_id, watch_id)  # the watch's files go with it
    assert kept_files(db) == []
    assert photo.exists()  # the dealer's own files are never touched


def test_warning_for_a_watch_with_no_check_or_an_old_one(
    db: Any, hub: Any, profile_id: int
) -> None:
    inventory = InventoryService(
        db.sessions, hub, attachments=db.paths.attachments, check_max_age_days=lambda: 180
    )
    watch_id = nautilus(inventory, profile_id)
    warning = inventory.provenance_warning
    title = "Patek Philippe Nautilus"
    assert warning.text(profile_id, watch_id, title) == (
        "No stolen-register check is on record for Patek Philippe Nautilus. "
        "Add one in its Provenance tab (Watches window) before it leaves the shop."
    )
    old = dt.date.today() - dt.timedelta(days=200)
    inventory.provenance.add_check(profile_id, watch_id, CheckForm("Art Loss Register", old))
    assert warning.text(profile_id, watch_id, title) == (
        f"The last stolen-register check of Patek Philippe Nautilus (Art Loss Register, "
        f"{old.isoformat()}) is 200 days old, more than the 180 days set in Settings. "
        "Check it again before it leaves the shop."
    )
    recent = dt.date.today() - dt.timedelta(days=3)
    inventory.provenance.add_check(profile_id, watch_id, CheckForm("The Watch Register", recent))
    assert warning.text(profile_id, watch_id, title) == ""
