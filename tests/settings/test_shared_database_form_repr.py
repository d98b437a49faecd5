"""The shared database's form carries the password only as far as the keychain: printed or
logged (a traceback shows its repr), it says nothing of it."""

from __future__ import annotations

from tracker_desktop.services.shared_database import SharedDatabaseForm


def test_the_forms_repr_leaves_the_password_out() -> None:
    form = SharedDatabaseForm("db.shop.local", "5432", "tracker", "frontdesk", "Zürich-Ba1ance")
    assert form.password == "Zürich-Ba1ance"
    assert "Zürich-Ba1ance" not in repr(form)
    assert "Zürich-Ba1ance" not in str(form)
    assert "frontdesk" in repr(form)
