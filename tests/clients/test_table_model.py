"""The clients table model on its own: no window, no database."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tracker_desktop.services.clients.client_service import ClientRow
from tracker_desktop.ui.clients.table_model import (
    COL_COMPANY,
    COL_NAME,
    COL_PLACE,
    COL_STRIPE,
    HEADERS,
    ID_ROLE,
    ClientsTableModel,
)


def row(i: int, name: str, city: str, country: str, **kw: object) -> ClientRow:
    values: dict[str, object] = {
        "company": "",
        "email": f"{name.split()[0].lower()}@example.com",
        "phone": "",
        "stripe_customer_id": None,
        "needs_sync": False,
        "sync_error": None,
        "payment_method": None,
    }
    values.update(kw)
    return ClientRow(i, name, city=city, country=country, **values)  # type: ignore[arg-type]


ROWS = [
    row(1, "Ada Reinholt", "Geneva", "CH", company="Reinholt Collection"),
    row(
        2,
        "Ben Okafor",
        "London",
        "GB",
        stripe_customer_id="cus_B",
        payment_method="Visa ending 4242",
    ),
    row(3, "Chen Wei", "Hong Kong", "HK", stripe_customer_id="cus_C", needs_sync=True),
    row(4, "dana brooks", "New York", "US", sync_error="No such customer"),
]


def texts(model: ClientsTableModel, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_columns_and_text_a_dealer_reads() -> None:
    model = ClientsTableModel()
    model.set_rows(ROWS)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(HEADERS))] == [
        "Name",
        "Company",
        "Email",
        "Phone",
        "City / country",
        "Stripe",
    ]
    assert texts(model, COL_NAME) == ["Ada Reinholt", "Ben Okafor", "Chen Wei", "dana brooks"]
    assert texts(model, COL_PLACE)[1] == "London, GB"
    assert texts(model, COL_STRIPE) == [
        "Not in Stripe",
        "Linked · Visa ending 4242",
        "Needs sync",
        "Stripe refused",
    ]
    assert model.index(3, COL_STRIPE).data(Qt.ItemDataRole.ToolTipRole) == "No such customer"
    assert model.index(0, 0).data(ID_ROLE) == 1


def test_search_narrows_widens_and_ignores_case() -> None:
    model = ClientsTableModel()
    model.set_rows(ROWS)
    model.set_search("LON")
    assert texts(model, COL_NAME) == ["Ben Okafor"]
    model.set_search("ho")  # not an extension: searched afresh over every client
    assert texts(model, COL_NAME) == ["Ada Reinholt", "Chen Wei"]  # "Reinholt", "Hong Kong"
    model.set_search("zzz")
    assert model.rowCount() == 0
    model.set_search("")
    assert model.rowCount() == 4
    assert model.total_count() == 4


def test_sorting_keeps_the_search_and_puts_empty_values_last() -> None:
    model = ClientsTableModel()
    model.set_rows(ROWS)
    model.sort(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert texts(model, COL_NAME) == ["dana brooks", "Chen Wei", "Ben Okafor", "Ada Reinholt"]
    model.sort(COL_COMPANY, Qt.SortOrder.AscendingOrder)
    assert texts(model, COL_COMPANY)[0] == "Reinholt Collection"
    model.set_search("o")
    model.sort(COL_PLACE, Qt.SortOrder.AscendingOrder)
    assert texts(model, COL_PLACE) == ["Geneva, CH", "Hong Kong, HK", "London, GB", "New York, US"]
    assert model.row_of(2) == 2
    assert model.row_at(2).name == "Ben Okafor"


def test_new_rows_replace_old_ones_and_keep_the_search() -> None:
    model = ClientsTableModel()
    model.set_rows(ROWS)
    model.set_search("chen")
    model.set_rows([*ROWS, row(5, "Chen Li", "Shanghai", "CN")])
    assert texts(model, COL_NAME) == ["Chen Li", "Chen Wei"]
    assert model.row_of(1) is None


def test_plain_tuples_from_the_service_read_like_named_rows() -> None:
    model = ClientsTableModel()
    model.set_rows([tuple(r) for r in ROWS])  # what ClientService.load_rows hands over
    assert texts(model, COL_STRIPE) == texts_of_named(COL_STRIPE)
    assert model.row_at(0) == ROWS[0]
    assert model.row_at(0).name == "Ada Reinholt"


def texts_of_named(column: int) -> list[str]:
    model = ClientsTableModel()
    model.set_rows(ROWS)
    return texts(model, column)


def test_field_positions_match_the_service_row() -> None:
    from tracker_desktop.ui.clients import table_model as tm

    positions = {
        "id": tm._ID,
        "name": tm._NAME,
        "company": tm._COMPANY,
        "email": tm._EMAIL,
        "phone": tm._PHONE,
        "city": tm._CITY,
        "country": tm._COUNTRY,
        "stripe_customer_id": tm._CUSTOMER,
        "needs_sync": tm._NEEDS,
        "sync_error": tm._ERROR,
        "payment_method": tm._CARD,
    }
    assert tuple(sorted(positions, key=positions.__getitem__)) == ClientRow._fields
