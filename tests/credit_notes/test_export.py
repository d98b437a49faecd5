"""The CSV export carries an invoice's credit notes as columns of its row."""

from __future__ import annotations

import csv
from pathlib import Path

from tracker_desktop.services.credit.values import (
    CreditLineRequest,
    CreditReason,
    CreditRequest,
    Settlement,
)
from tracker_desktop.services.invoicing.csv_export import HEADER, InvoiceExporter

from .conftest import PRICE, STRAP, Credits


def test_credit_notes_are_columns_of_their_invoice(credits: Credits, tmp_path: Path) -> None:
    env = credits.env
    paid, _watch = credits.paid_invoice()
    wired, _watch2 = credits.paid_invoice(wire=True)
    untouched, _watch3 = credits.open_invoice(watch=False)
    strap = CreditRequest(CreditReason.ORDER_CHANGE, lines=(CreditLineRequest(1),))
    on_paid = credits.run(lambda c: c.issue(env.profile_id, paid, strap))
    outside = CreditRequest(CreditReason.DUPLICATE, settlement=Settlement.OUT_OF_BAND)
    on_wired = credits.run(lambda c: c.issue(env.profile_id, wired, outside))

    path = tmp_path / "history.csv"
    assert InvoiceExporter(env.sessions, clock=env.now).write_csv(env.profile_id, None, path) == 3
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == HEADER
    by_number = {r[0]: dict(zip(HEADER, r, strict=True)) for r in rows[1:]}
    number = env.service.get(env.profile_id, paid).number or ""
    row = by_number[number]
    assert row["Credited"] == row["Refunded"] == "400.00"
    assert row["Returned outside Stripe"] == "0.00"
    assert row["Net"] == f"{PRICE // 100}.00"
    assert row["Credit notes"] == on_paid.number
    wired_row = by_number[env.service.get(env.profile_id, wired).number or ""]
    assert wired_row["Returned outside Stripe"] == f"{(PRICE + STRAP) // 100}.00"
    assert wired_row["Net"] == "0.00"
    assert wired_row["Credit notes"] == on_wired.number
    open_row = by_number[env.service.get(env.profile_id, untouched).number or ""]
    assert (open_row["Credited"], open_row["Credit notes"]) == ("0.00", "")
