"""The composer at the front desk: a watch line priced below what the watch cost is not
warned of with the cost (the composer is given none), while the asking price still guards
against a slip of the keyboard. Off the front desk the same price names the cost."""

from __future__ import annotations

from dataclasses import replace

from pytestqt.qtbot import QtBot

from tracker_desktop.services.inventory.watch_service import WatchForm
from tracker_desktop.ui.invoices.composer import ComposerDialog

from .conftest import Desk
from .test_compose_push_void import open_composer
from .test_composer_checks import one_off

SNOWFLAKE = WatchForm(
    brand="Grand Seiko",
    model="Snowflake",
    serial="GS90210",
    reference="SBGA211",
    purchase_cost="3,900",
    asking_price="5,800",
)


def priced_note(qtbot: QtBot, composer: ComposerDialog, watch_id: int, price: str) -> str:
    composer.add_watch_line(watch_id)
    row = composer.lines.rows[-1]
    row.price.clear()
    qtbot.keyClicks(row.price, price)
    return row.price_note.text() if row.price_note.isVisible() else ""


def test_the_composer_names_no_cost_at_the_front_desk(qtbot: QtBot, desk: Desk) -> None:
    inventory = desk.services.inventory
    before = inventory.add(desk.profile_id, SNOWFLAKE)
    after = inventory.add(desk.profile_id, replace(SNOWFLAKE, serial="GS90211"))
    slip = inventory.add(desk.profile_id, replace(SNOWFLAKE, serial="GS90212"))
    composer = open_composer(qtbot, desk)
    one_off(qtbot, composer)
    assert "below what this watch cost ($3,900.00)" in priced_note(
        qtbot, composer, before.id, "3500"
    )

    desk.services.front_desk.set_hides_cost(desk.profile_id, True)
    assert priced_note(qtbot, composer, after.id, "3500") == ""  # nothing about a cost
    assert priced_note(qtbot, composer, slip.id, "580000") == (
        "Check the price: $580,000.00 is 100 times this watch's asking price of $5,800.00."
    )
