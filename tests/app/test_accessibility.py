"""Every page and dialog of the real app, walked: a widget Tab can reach without a name a
screen reader can say fails the test, and Tab must follow the layout (form rows top to
bottom, label then field; boxes as laid out), not the order the widgets were made in."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from tracker_desktop.domain.money import Money
from tracker_desktop.services.clients.client_service import ClientInput
from tracker_desktop.services.inventory.watch_service import WatchForm
from tracker_desktop.services.invoicing.invoice_service import DraftInput, DraftLineInput
from tracker_desktop.ui.clients.form import ClientDialog
from tracker_desktop.ui.clients.page import ClientsPage
from tracker_desktop.ui.invoices.composer import ComposerDialog
from tracker_desktop.ui.invoices.page import InvoicesPage
from tracker_desktop.ui.settings import SettingsPage
from tracker_desktop.ui.settings.dialogs import AddProfileDialog
from tracker_desktop.ui.watches.page import WatchesPage
from tracker_desktop.ui.watches.watch_dialog import WatchDialog
from tracker_desktop.ui.welcome import WelcomeDialog
from tracker_desktop.ui.widgets.accessibility import accessible_name, layout_order, takes_tab


def unnamed(root: QWidget) -> list[str]:
    return [
        f"{type(w).__name__} {w.objectName()!r} under {type(w.parentWidget()).__name__}"
        for w in (root, *root.findChildren(QWidget))
        if takes_tab(w) and not accessible_name(w)
    ]


def tab_chain(root: QWidget, stops: list[QWidget]) -> list[QWidget]:
    """The stops in the order Tab reaches them (Qt's focus chain, from the first stop)."""
    wanted = {id(w) for w in stops}
    chain: list[QWidget] = []
    current = stops[0]
    for _ in range(10_000):
        if id(current) in wanted and current not in chain:
            chain.append(current)
        current = current.nextInFocusChain()
        if current is stops[0]:
            break
    return chain


def check(root: QWidget, what: str) -> None:
    missing = unnamed(root)
    assert not missing, f"{what}: focusable widgets without an accessible name: {missing}"
    stops = layout_order(root)
    assert stops, what
    order = [f"{type(w).__name__}:{accessible_name(w)}" for w in tab_chain(root, stops)]
    expected = [f"{type(w).__name__}:{accessible_name(w)}" for w in stops]
    assert order == expected, f"{what}: Tab does not follow the layout"


def dialogs_of(kind: type[QDialog]) -> list[QDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


@pytest.fixture
def day(qtbot: QtBot, start_app: Any) -> Any:
    """The Practice app with a watch, a client, a draft and an invoice sent to the simulator."""
    app = start_app(practice=True)
    services = app.services
    profile_id = services.base.active.id
    services.inventory.add(
        profile_id,
        WatchForm(brand="Rolex", model="Submariner", serial="7S2A9", asking_price="14,250"),
    )
    services.clients.clients.save(
        profile_id, None, ClientInput("Ada Reinholt", email="ada@example.ch")
    )
    invoices = services.invoices
    draft = DraftInput(
        "USD",
        [DraftLineInput("Strap", 1, Money(25_000, "USD"))],
        customer_name="Kenji",
        customer_email="k@example.jp",
    )
    invoices.save_draft(profile_id, draft)
    return app


def test_every_page_names_its_fields_and_tabs_in_layout_order(qtbot: QtBot, day: Any) -> None:
    window = day.window
    for key in ("invoices", "clients", "watches", "settings"):
        page = window.show_page(key)
        check(page, f"the {key} page")
    check(window, "the main window")


def test_the_tables_announce_their_rows(qtbot: QtBot, day: Any) -> None:
    page = day.window.show_page("invoices")
    assert isinstance(page, InvoicesPage)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    table = QAccessible.queryAccessibleInterface(page.table)
    assert table is not None
    assert table.role() == QAccessible.Role.Table
    assert table.text(QAccessible.Text.Name) == "Invoices"
    cells = [table.child(i) for i in range(table.childCount())]
    texts = [c.text(QAccessible.Text.Name) for c in cells if c is not None]
    assert "Draft #1" in texts  # the row's cells are there to be read out
    assert "Kenji" in texts


def test_every_dialog_names_its_fields_and_tabs_in_layout_order(qtbot: QtBot, day: Any) -> None:
    window = day.window
    invoices = window.show_page("invoices")
    assert isinstance(invoices, InvoicesPage)
    invoices.new_invoice()
    composer = invoices.composer
    assert isinstance(composer, ComposerDialog)
    check(composer, "the composer (a one-off customer)")
    composer.customer.client_radio.setChecked(True)
    composer.add_free_line()
    check(composer, "the composer (a client, a line)")
    composer.open_watch_picker()
    assert composer.picker is not None
    check(composer.picker, "the watch picker")
    composer.picker.reject()
    composer.reject()  # a line was added: it asks first
    question = composer.discard_question
    assert isinstance(question, QMessageBox)
    check(question, "Discard changes?")
    question.button(QMessageBox.StandardButton.Cancel).click()
    composer.discard()

    watches = window.show_page("watches")
    assert isinstance(watches, WatchesPage)
    watches.add_watch()
    assert isinstance(watches.dialog, WatchDialog)
    check(watches.dialog, "the watch form")
    watches.dialog.reject()
    watches.table.selectRow(0)
    watches.edit_selected()
    assert isinstance(watches.dialog, WatchDialog)
    assert watches.dialog.provenance is not None
    watches.dialog.tabs.setCurrentWidget(watches.dialog.provenance)
    check(watches.dialog, "the watch form of a saved watch, on its Provenance tab")
    watches.dialog.reject()

    clients = window.show_page("clients")
    assert isinstance(clients, ClientsPage)
    clients.actions_.new()
    (client_form,) = dialogs_of(ClientDialog)
    check(client_form, "the client form")
    client_form.reject()

    settings = window.show_page("settings")
    assert isinstance(settings, SettingsPage)
    settings.add_profile()
    assert isinstance(settings.dialog, AddProfileDialog)
    check(settings.dialog, "Add profile")
    settings.dialog.reject()

    welcome = WelcomeDialog(window)
    qtbot.addWidget(welcome)
    check(welcome, "the welcome dialog")
