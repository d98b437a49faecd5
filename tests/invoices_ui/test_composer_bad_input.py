"""Absurd input into the composer: each line's message beside the line, the terms' beside
their box, nothing saved and nothing sent; text fields stop where the database or Stripe does."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Invoice
from tracker_desktop.ui.invoices.composer import ComposerDialog

from .conftest import Desk
from .test_composer_checks import composer_by_shortcut, create, one_off

CLICK = Qt.MouseButton.LeftButton


def paste_line(composer: ComposerDialog, description: str, qty: str, price: str) -> None:
    composer.add_line_button.click()
    row = composer.lines.rows[-1]
    row.description.insert(description)
    row.quantity.selectAll()
    row.quantity.insert(qty)
    row.price.insert(price)


def saved_invoices(desk: Desk) -> int:
    with session_scope(desk.services.base.session_factory) as session:
        return session.query(Invoice).count()


@pytest.mark.parametrize(
    ("qty", "price", "messages"),
    [
        (
            "1",
            "1,111,111,111,111,111,111,111,111,111.00",
            ["Stripe accepts at most $999,999.99 for one amount"],
        ),
        ("1", "NaN", ["Enter an amount like 1,250.50"]),
        ("1", "-Infinity", ["Enter the amount without a minus sign: it cannot be negative"]),
        ("1", "1e999", ["Enter an amount like 1,250.50"]),
        ("1", "\u00a0,\u00a0", ["Enter an amount like 1,250.50"]),
        ("9" * 30, "12.50", ["The quantity can be at most 99,999,999"]),
        ("1e3", "١٢٫٥٠", ["Enter a whole number for the quantity"]),
    ],
)
def test_absurd_lines_are_explained_on_the_line_and_nothing_is_saved_or_sent(
    qtbot: QtBot, desk: Desk, sandbox: Any, qty: str, price: str, messages: list[str]
) -> None:
    composer = composer_by_shortcut(qtbot, desk)
    one_off(qtbot, composer)
    paste_line(composer, "Strap, alligator", qty, price)
    assert composer.lines.rows[0].amount.text() == "—"
    before = sandbox.request_count()
    create(qtbot, composer)
    error = composer.lines.rows[0].error
    assert error.isVisible()
    for message in messages:
        assert message in error.text()
    assert composer.isVisible()
    assert saved_invoices(desk) == 0
    assert sandbox.request_count() == before


def test_text_stops_at_the_limits_and_the_terms_are_explained_beside_their_box(
    qtbot: QtBot, desk: Desk, sandbox: Any
) -> None:
    composer = composer_by_shortcut(qtbot, desk)
    composer.customer.one_off_radio.setChecked(True)
    for edit, limit in (
        (composer.customer.name, 200),
        (composer.customer.email, 320),
        (composer.customer.line1, 200),
        (composer.customer.city, 120),
        (composer.customer.postal_code, 20),
    ):
        edit.insert("x" * 1000)
        assert len(edit.text()) == limit
        edit.clear()
    paste_line(composer, "d" * 1000, "1", "450")
    assert len(composer.lines.rows[0].description.text()) == 500
    assert composer.lines.rows[0].amount.text() == "$450.00"

    composer.customer.name.insert("Kenji\x1b Watanabe")
    composer.customer.email.insert("kenji@example.jp")
    composer.memo.setPlainText("m" * 600)
    composer.footer.setPlainText("Thank you\x00")
    before = sandbox.request_count()
    qtbot.mouseClick(composer.save_button, CLICK)
    assert composer.isVisible()
    assert composer.customer.errors["customer_name"].text() == (
        "Remove an invisible control character: it cannot be part of this field"
    )
    assert composer.errors["memo"].isVisible()
    assert composer.errors["memo"].text() == "At most 500 characters (this has 600)"
    assert composer.errors["footer"].text() == (
        "Remove an invisible control character: it cannot be part of this field"
    )
    assert saved_invoices(desk) == 0
    assert sandbox.request_count() == before
