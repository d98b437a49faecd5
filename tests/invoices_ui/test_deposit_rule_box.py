"""Settings' deposit rule box on a real profile: saved in the profile's currency, refused
beside the box when half filled, and offered to the composer as the profile's rule."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tracker_desktop.domain.money import Money
from tracker_desktop.domain.sale_math import DepositRule
from tracker_desktop.ui.settings.deposit_rule import DepositRuleBox

from .conftest import Desk


def test_the_deposit_rule_is_saved_and_refused_when_half_filled(qtbot: QtBot, desk: Desk) -> None:
    view = desk.services.profiles.active()
    assert view is not None
    box = DepositRuleBox(desk.services.sales, "en_US")
    qtbot.addWidget(box)
    box.show_profile(view)
    qtbot.keyClicks(box.threshold, "20,000")
    box.save()
    assert box.error.text() == "Fill in all three, or leave all three empty"
    assert desk.services.sales.deposit_rule(view.id) is None

    qtbot.keyClicks(box.fixed, "1,000")
    qtbot.keyClicks(box.percent, "30")
    box.save()
    assert box.error.text() == ""
    code = view.default_currency
    assert desk.services.sales.deposit_rule(view.id) == DepositRule(
        Money(2_000_000, code), Money(100_000, code), 3_000
    )
    again = DepositRuleBox(desk.services.sales, "en_US")
    qtbot.addWidget(again)
    again.show_profile(view)
    assert (again.threshold.text(), again.fixed.text(), again.percent.text()) == (
        "20,000.00",
        "1,000.00",
        "30",
    )
    for edit in (again.threshold, again.fixed, again.percent):
        edit.clear()
    again.save()
    assert desk.services.sales.deposit_rule(view.id) is None
