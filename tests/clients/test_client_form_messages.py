"""The client form's messages go once their own field is right; Stripe's message about the
email stays while the dealer types elsewhere, and goes when the email itself changes."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tracker_desktop.services.clients.client_service import check_client
from tracker_desktop.ui.clients.form import ClientDialog


def test_messages_go_with_their_field(qtbot: QtBot) -> None:
    dialog = ClientDialog("New client")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.edits["line1"], "Quai du Mont-Blanc 12")  # a started address
    errors = check_client(dialog.values())
    assert set(errors) == {"name", "city", "country"}
    # As after Save: the form's own checks, and Stripe's refusal of the email.
    errors["email"] = "Invalid email address: ada..reinholt@example.com"
    dialog.show_errors(errors)
    height = dialog.height()
    assert dialog.error_text("name") == "Enter the client's name"

    qtbot.keyClicks(dialog.edits["name"], "Ada Reinholt")
    assert dialog.error_text("name") == ""
    assert dialog.error_text("email").startswith("Invalid email address")  # Stripe's: stays
    assert dialog.error_text("city") == "Enter the city"
    dialog.edits["line1"].clear()  # no address after all: city and country are not needed
    assert dialog.error_text("city") == ""
    assert dialog.error_text("country") == ""
    qtbot.keyClicks(dialog.edits["email"], "ada@example.ch")
    assert dialog.error_text("email") == ""
    assert dialog.height() == height
