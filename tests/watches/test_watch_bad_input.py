"""Absurd input into the watch form: the service answers with a message per field and saves
nothing, and the real dialog shows each message beside its field and cannot be typed past
what the database keeps."""

from __future__ import annotations

import pytest
from absurd_input import AMOUNT_TEXT, FIELD_TEXT, LOCALES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tracker_desktop.domain.errors import FormInvalid, ValidationError
from tracker_desktop.services.inventory.watch_service import (
    WATCH_TEXT_MAX,
    InventoryService,
    WatchForm,
    WatchRow,
    parse_watch_form,
)
from tracker_desktop.ui.watches.page import WatchesPage
from tracker_desktop.ui.watches.watch_dialog import WatchDialog

CLICK = Qt.MouseButton.LeftButton
TEXT_FIELDS = ("brand", "model", "serial", "reference", "condition", "notes")

forms = st.builds(
    WatchForm,
    brand=FIELD_TEXT,
    model=FIELD_TEXT,
    serial=FIELD_TEXT,
    currency=st.one_of(st.sampled_from(["USD", "JPY", "KWD", "CHF"]), FIELD_TEXT),
    reference=FIELD_TEXT,
    year=st.one_of(FIELD_TEXT, st.text("0123456789", min_size=3, max_size=6000)),
    condition=FIELD_TEXT,
    purchase_cost=AMOUNT_TEXT,
    asking_price=AMOUNT_TEXT,
    notes=FIELD_TEXT,
)


@given(form=forms, locale=LOCALES)
def test_any_watch_form_is_fields_or_messages_by_field(form: WatchForm, locale: str) -> None:
    try:
        fields = parse_watch_form(form, locale)
    except FormInvalid as exc:
        errors = exc.errors
    else:
        errors = {}
        for name in TEXT_FIELDS:
            assert len(getattr(fields, name)) <= WATCH_TEXT_MAX[name]
    assert set(errors) <= {*TEXT_FIELDS, "currency", "year", "purchase_cost", "asking_price"}
    assert all(message.strip() for message in errors.values())


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=forms)
def test_saving_any_form_saves_a_watch_or_nothing(
    inventory: InventoryService, profile_id: int, form: WatchForm
) -> None:
    before = len(inventory.search(profile_id))
    try:
        saved: WatchRow | None = inventory.add(profile_id, form)
    except ValidationError as exc:
        assert str(exc)  # noqa: PT017 - the message is the point; any other exception fails
        saved = None
    after = inventory.search(profile_id)
    assert len(after) == before + (saved is not None)


def make_dialog(qtbot: QtBot, inventory: InventoryService, profile_id: int) -> WatchDialog:
    page = WatchesPage(inventory, lambda: profile_id, "en_US")
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.dialog_opened) as opened:
        qtbot.mouseClick(page.add_button, CLICK)
    dialog = opened.args[0]
    assert isinstance(dialog, WatchDialog)
    return dialog


def paste(edit: object, text: str) -> None:
    """As a paste does: insert at the cursor, where maxLength applies."""
    edit.insert(text)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("price", "message"),
    [
        (
            "1,111,111,111,111,111,111,111,111,111.00",
            "Stripe accepts at most $999,999.99 for one amount",
        ),
        (
            "11111111111111111111111111111111111111111",
            "Stripe accepts at most $999,999.99 for one amount",
        ),
        ("NaN", "Enter an amount like 1,250.50"),
        ("Infinity", "Enter an amount like 1,250.50"),
        ("1e999", "Enter an amount like 1,250.50"),
        (",", "Enter an amount like 1,250.50"),
        ("-5", "Enter the amount without a minus sign: it cannot be negative"),
        ("1\x00", "Enter an amount like 1,250.50"),
    ],
)
def test_absurd_prices_are_explained_beside_the_field_and_nothing_is_saved(
    qtbot: QtBot, inventory: InventoryService, profile_id: int, price: str, message: str
) -> None:
    dialog = make_dialog(qtbot, inventory, profile_id)
    qtbot.keyClicks(dialog.brand, "Rolex")
    qtbot.keyClicks(dialog.model, "Daytona")
    qtbot.keyClicks(dialog.serial, "D1")
    paste(dialog.asking_price, price)
    paste(dialog.purchase_cost, price)
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.isVisible()
    for name in ("asking_price", "purchase_cost"):
        assert dialog.errors[name].isVisible()
        assert dialog.errors[name].text() == message
    assert not dialog.form_error.isVisible()
    assert dialog.focusWidget() is dialog.purchase_cost
    assert inventory.search(profile_id) == []


def test_text_fields_cannot_be_typed_past_the_database_and_absurd_text_is_explained(
    qtbot: QtBot, inventory: InventoryService, profile_id: int
) -> None:
    dialog = make_dialog(qtbot, inventory, profile_id)
    for name in ("brand", "model", "reference", "serial"):
        paste(getattr(dialog, name), "W" * 1000)
        assert len(getattr(dialog, name).text()) == WATCH_TEXT_MAX[name]
    paste(dialog.condition.lineEdit(), "C" * 1000)
    assert len(dialog.condition.currentText()) == WATCH_TEXT_MAX["condition"]

    dialog.brand.clear()
    paste(dialog.brand, "Rolex\x07")
    dialog.year.setText("9" * 5000)
    dialog.notes.setPlainText("n" * 6000)
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.isVisible()
    assert dialog.errors["brand"].text() == (
        "Remove an invisible control character: it cannot be part of this field"
    )
    assert dialog.errors["year"].text() == "Enter the year as four digits, like 2019"
    assert dialog.errors["notes"].text() == "At most 5,000 characters (this has 6,000)"
    assert dialog.errors["brand"].isVisible()
    assert dialog.errors["notes"].isVisible()
    assert inventory.search(profile_id) == []


def test_an_absurd_edit_leaves_the_stored_watch_as_it_was(
    qtbot: QtBot, inventory: InventoryService, profile_id: int
) -> None:
    stored = inventory.add(
        profile_id,
        WatchForm(brand="Omega", model="Speedmaster", serial="OM1", asking_price="6,900"),
    )
    page = WatchesPage(inventory, lambda: profile_id, "en_US")
    qtbot.addWidget(page)
    page.show()
    page.table.selectRow(0)
    with qtbot.waitSignal(page.dialog_opened) as opened:
        page.edit_selected()
    dialog = opened.args[0]
    assert isinstance(dialog, WatchDialog)
    dialog.asking_price.selectAll()
    paste(dialog.asking_price, "6,900,000,000,000,000,000,000,000,000.00")
    dialog.model.selectAll()
    paste(dialog.model, "Speedmaster\nProfessional")
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.isVisible()
    assert dialog.errors["asking_price"].text() == (
        "Stripe accepts at most $999,999.99 for one amount"
    )
    assert inventory.get(profile_id, stored.id) == stored
