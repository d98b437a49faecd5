"""Nothing typed is lost, and the composer says it the way it is: Esc or close asks
"Discard changes?" once anything was typed (Save draft, Discard, Cancel); a message beside a
field goes once the field is right, without the dialog jumping; a watch line priced far from
its asking price or below cost is warned of, with the asking price, and can still be sent."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tracker_desktop.services.inventory.watch_service import WatchForm
from tracker_desktop.ui.invoices.composer import ComposerDialog

from .conftest import Desk
from .test_compose_push_void import open_composer
from .test_composer_checks import composer_by_shortcut, one_off


def question_of(composer: ComposerDialog) -> QMessageBox:
    question = composer.discard_question
    assert isinstance(question, QMessageBox)
    assert question.isVisible()
    return question


def answer(question: QMessageBox, name: str) -> None:
    found = [b for b in question.buttons() if b.objectName() == name]
    assert len(found) == 1, [b.text() for b in question.buttons()]
    found[0].click()


def test_nothing_typed_closes_without_asking(qtbot: QtBot, desk: Desk) -> None:
    composer = composer_by_shortcut(qtbot, desk)
    qtbot.keyClick(composer, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not composer.isVisible())
    assert composer.discard_question is None


def test_esc_after_typing_asks_and_cancel_keeps_everything(qtbot: QtBot, desk: Desk) -> None:
    composer = composer_by_shortcut(qtbot, desk)
    one_off(qtbot, composer)
    qtbot.keyClick(composer.customer.email, Qt.Key.Key_Escape)
    question = question_of(composer)
    assert question.text() == "Discard changes?"
    assert {b.text() for b in question.buttons()} == {"Save draft", "Discard", "Cancel"}
    assert question.defaultButton().text() == "Save draft"
    assert question.escapeButton() is question.button(QMessageBox.StandardButton.Cancel)
    assert composer.isVisible()
    answer(question, "discardCancel")
    qtbot.waitUntil(lambda: not question.isVisible())
    assert composer.isVisible()
    assert composer.customer.name.text() == "Kenji Watanabe"
    assert desk.invoices.model.rowCount() == 0


def test_the_close_button_asks_and_discard_throws_it_away(qtbot: QtBot, desk: Desk) -> None:
    composer = composer_by_shortcut(qtbot, desk)
    qtbot.keyClicks(composer.memo, "Thank you")
    event = QCloseEvent()
    QApplication.sendEvent(composer, event)  # the window's close button
    assert not event.isAccepted()
    answer(question_of(composer), "discardDiscard")
    qtbot.waitUntil(lambda: not composer.isVisible())
    assert desk.invoices.model.rowCount() == 0


def test_save_draft_from_the_question_keeps_the_invoice(qtbot: QtBot, desk: Desk) -> None:
    composer = composer_by_shortcut(qtbot, desk)
    one_off(qtbot, composer)
    qtbot.mouseClick(composer.add_line_button, Qt.MouseButton.LeftButton)
    row = composer.lines.rows[0]
    qtbot.keyClicks(row.description, "Service, Omega 321")
    qtbot.keyClicks(row.price, "450")
    composer.reject()
    answer(question_of(composer), "discardSave")
    qtbot.waitUntil(lambda: not composer.isVisible())
    qtbot.waitUntil(lambda: desk.invoices.model.rowCount() == 1)
    # The banner names the draft once its detail is read (off the GUI thread).
    qtbot.waitUntil(lambda: desk.invoices.banner.text().startswith("Draft saved on this computer"))


def test_save_draft_with_a_mistake_stays_open_and_shows_it(qtbot: QtBot, desk: Desk) -> None:
    composer = composer_by_shortcut(qtbot, desk)
    qtbot.keyClicks(composer.customer.name, "Kenji Watanabe")  # no email, no line
    composer.reject()
    answer(question_of(composer), "discardSave")
    assert composer.isVisible()
    assert composer.customer.errors["customer_email"].isVisible()
    assert desk.invoices.model.rowCount() == 0


def test_a_fixed_field_loses_its_message_and_the_dialog_keeps_its_size(
    qtbot: QtBot, desk: Desk
) -> None:
    composer = composer_by_shortcut(qtbot, desk)
    qtbot.keyClicks(composer.customer.name, "Kenji Watanabe")
    qtbot.keyClicks(composer.customer.email, "kenji@")
    qtbot.mouseClick(composer.add_line_button, Qt.MouseButton.LeftButton)
    row = composer.lines.rows[0]
    qtbot.keyClicks(row.description, "Strap")
    qtbot.keyClicks(row.price, "12,5,0")
    height = composer.customer.height()
    qtbot.mouseClick(composer.save_button, Qt.MouseButton.LeftButton)
    email_error = composer.customer.errors["customer_email"]
    assert email_error.isVisible()
    assert row.error.isVisible()
    assert composer.customer.height() == height  # the message had its line kept for it

    qtbot.keyClicks(composer.customer.email, "example.jp")
    assert not email_error.isVisible()
    assert email_error.text() == ""
    assert row.error.isVisible()  # the price is still wrong: its message stays
    row.price.clear()
    qtbot.keyClicks(row.price, "125")
    assert not row.error.isVisible()
    assert composer.customer.height() == height


def test_a_watch_priced_far_from_asking_is_warned_of_and_can_still_be_sent(
    qtbot: QtBot, desk: Desk, browser_urls: list[str]
) -> None:
    inventory = desk.services.inventory
    watch = inventory.add(
        desk.profile_id,
        WatchForm(
            brand="Grand Seiko",
            model="Snowflake",
            serial="GS90210",
            reference="SBGA211",
            purchase_cost="3,900",
            asking_price="5,800",
        ),
    )
    composer = open_composer(qtbot, desk)
    one_off(qtbot, composer)
    composer.add_watch_line(watch.id)
    row = composer.lines.rows[0]
    assert row.price.text() == "5,800.00"
    assert not row.price_note.isVisible()  # at the asking price: nothing to say

    row.price.clear()
    qtbot.keyClicks(row.price, "580000")  # two zeros too many
    assert row.price_note.isVisible()
    assert row.price_note.property("tone") == "warning"
    assert row.price_note.text() == (
        "Check the price: $580,000.00 is 100 times this watch's asking price of $5,800.00."
    )
    row.price.clear()
    qtbot.keyClicks(row.price, "3500")
    assert row.price_note.text() == (
        "Check the price: $3,500.00 is below what this watch cost ($3,900.00); "
        "its asking price is $5,800.00."
    )
    assert not row.error.isVisible()  # a warning, not an error

    qtbot.mouseClick(composer.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(browser_urls), timeout=15_000)  # the dealer may go on
    assert not composer.isVisible()
