"""The invoice history as CSV: what an accountant's spreadsheet reads back, for USD and JPY,
with the filters on screen, and no formula a typed name could smuggle in."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tracker_desktop.domain.errors import TrackerError
from tracker_desktop.domain.invoice_state import DisplayKind
from tracker_desktop.services.invoicing import csv_export
from tracker_desktop.services.invoicing.csv_export import HEADER, InvoiceExporter
from tracker_desktop.services.invoicing.invoice_service import (
    InvoiceDetail,
    InvoiceFilters,
    InvoiceService,
)
from tracker_desktop.services.invoicing.pdf_cache import PdfCache

from .conftest import Shop, draft

ZURICH = ZoneInfo("Europe/Zurich")


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == HEADER
    return [dict(zip(HEADER, r, strict=True)) for r in rows[1:]]


def history(shop: Shop) -> dict[str, InvoiceDetail]:
    """A paid USD sale of two watches, an open JPY one, and a local draft."""
    nautilus = shop.add_watch("5711X42", 12_885_000)
    royal_oak = shop.add_watch("RO-15202-J", 1_550_000)
    seiko = shop.add_watch("GS-SBGA211", 1_288_500, "JPY")

    async def sales(svc: InvoiceService, _pdfs: PdfCache) -> dict[str, InvoiceDetail]:
        pid = shop.profile_id
        usd = svc.save_draft(
            pid,
            draft(("Nautilus", 12_885_000, nautilus), ("Royal Oak", 1_550_000, royal_oak)),
        )
        usd_open = await svc.push(pid, usd)
        assert usd_open.stripe_invoice_id
        shop.sb.pay_as_buyer(usd_open.stripe_invoice_id)
        usd_paid = await svc.refresh(pid, usd)
        jpy = svc.save_draft(
            pid,
            draft(
                ("Grand Seiko Snowflake", 1_288_500, seiko),
                currency="JPY",
                name="Kenji Watanabe",
                email="kenji@example.jp",
            ),
        )
        jpy_open = await svc.push(pid, jpy)
        local = svc.save_draft(
            pid, draft(("Strap", 35_000, None), name="Zoë Müller", email="zoe@example.ch")
        )
        return {"usd": usd_paid, "jpy": jpy_open, "draft": svc.get(pid, local)}

    return shop.run(sales)


def test_csv_of_the_whole_history(shop: Shop, tmp_path: Path) -> None:
    made = history(shop)
    usd, jpy = made["usd"], made["jpy"]
    path = tmp_path / "invoices.csv"
    exporter = InvoiceExporter(shop.sessions, clock=shop.now, tz=ZURICH)

    assert exporter.write_csv(shop.profile_id, None, path) == 3
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = read(path)
    assert [r["Status"] for r in rows] == ["Draft", "Open", "Paid"]  # newest first
    draft_row, jpy_row, usd_row = rows

    assert usd_row["Number"] == usd.number
    assert usd_row["Client"] == "Amelia Hart"
    assert usd_row["Email"] == "amelia.hart@example.com"
    assert usd_row["Currency"] == "USD"
    assert usd_row["Total"] == "144350.00"
    assert usd_row["Amount paid"] == "144350.00"
    assert usd_row["Stripe invoice"] == usd.stripe_invoice_id
    assert usd_row["Serials"] == "5711X42; RO-15202-J"
    assert usd.paid_at is not None
    assert usd.due_at is not None
    assert usd_row["Paid at"] == usd.paid_at.astimezone(ZURICH).isoformat(timespec="seconds")
    assert usd_row["Due"] == usd.due_at.astimezone(ZURICH).date().isoformat()
    assert usd_row["Created"] == usd.created_at.astimezone(ZURICH).date().isoformat()

    assert jpy_row["Currency"] == "JPY"
    assert jpy_row["Total"] == "1288500"  # zero-decimal: no ".00", not 100 times too much
    assert jpy_row["Amount paid"] == "0"
    assert jpy_row["Client"] == "Kenji Watanabe"
    assert jpy_row["Paid at"] == ""
    assert jpy_row["Number"] == jpy.number

    assert draft_row["Number"] == ""
    assert draft_row["Client"] == "Zoë Müller"
    assert draft_row["Total"] == "350.00"
    assert draft_row["Due"] == ""
    assert draft_row["Stripe invoice"] == ""


def test_filters_on_screen_are_honoured(shop: Shop, tmp_path: Path) -> None:
    made = history(shop)
    exporter = InvoiceExporter(shop.sessions, clock=shop.now)
    pid, path = shop.profile_id, tmp_path / "f.csv"

    assert exporter.write_csv(pid, InvoiceFilters(statuses=(DisplayKind.PAID,)), path) == 1
    assert [r["Number"] for r in read(path)] == [made["usd"].number]

    exporter.write_csv(pid, InvoiceFilters(serial="sbga"), path)
    assert [r["Client"] for r in read(path)] == ["Kenji Watanabe"]

    exporter.write_csv(pid, InvoiceFilters(text="zoe@"), path)
    assert [r["Status"] for r in read(path)] == ["Draft"]

    tomorrow = shop.now() + dt.timedelta(days=1)
    assert exporter.write_csv(pid, InvoiceFilters(created_from=tomorrow), path) == 0
    assert read(path) == []


def test_formulas_typed_into_names_are_neutralised(shop: Shop, tmp_path: Path) -> None:
    typed = ['=HYPERLINK("http://evil.example","x")', "+41 22 000", "-2+3", "@SUM(A1)"]

    async def drafts(svc: InvoiceService, _pdfs: PdfCache) -> None:
        for n, name in enumerate(typed):
            svc.save_draft(
                shop.profile_id, draft(("Strap", 35_000, None), name=name, email=f"b{n}@x.ch")
            )

    shop.run(drafts)
    path = tmp_path / "evil.csv"
    InvoiceExporter(shop.sessions).write_csv(shop.profile_id, None, path)
    clients = [r["Client"] for r in read(path)]
    assert sorted(clients) == sorted("'" + t for t in typed)
    assert all(r["Total"] == "350.00" for r in read(path))  # our own numbers are left alone


def test_a_long_history_is_read_page_by_page(
    shop: Shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def drafts(svc: InvoiceService, _pdfs: PdfCache) -> None:
        for n in range(7):
            svc.save_draft(
                shop.profile_id,
                draft(("Strap", 1_000 + n, None), name=f"Buyer {n}", email=f"b{n}@x.ch"),
            )

    shop.run(drafts)
    monkeypatch.setattr(csv_export, "PAGE", 3)
    path = tmp_path / "paged.csv"
    assert InvoiceExporter(shop.sessions).write_csv(shop.profile_id, None, path) == 7
    assert [r["Client"] for r in read(path)] == [f"Buyer {n}" for n in range(6, -1, -1)]


def test_an_unwritable_place_says_why_and_leaves_nothing(shop: Shop, tmp_path: Path) -> None:
    path = tmp_path / "no such folder" / "invoices.csv"
    with pytest.raises(TrackerError, match="could not be written"):
        InvoiceExporter(shop.sessions).write_csv(shop.profile_id, None, path)
    assert not path.parent.exists()
