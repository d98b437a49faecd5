"""A known Stripe key goes through every flow the app has, then is looked for everywhere a
secret must never land: the database (and its WAL), the log files, the settings file, any
other file under TRACKER_HOME, every text shown in a widget or message box, every event
published, and every error raised. Only the keychain may hold it.

The flows cover the key's checks in Settings, every gateway operation, failing calls, client
sync and import, invoice pushes, the buyer paying, polling, void, send and a recorded wire.
A new flow joins by appending a function to FLOWS: it gets the Hygiene context, drives the
app with `ctx.key`, and calls `ctx.snapshot()` whenever something worth reading is on
screen (dialogs are deleted once answered).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
from app_wiring import make_foundation
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tracker_desktop.config.log_setup import configure_logging
from tracker_desktop.config.paths import app_paths
from tracker_desktop.config.settings import load_settings
from tracker_desktop.db.engine import make_engine, make_session_factory
from tracker_desktop.db.migrate import prepare_database
from tracker_desktop.domain.errors import TrackerError
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.stripe_types import CustomerDraft, LineDraft
from tracker_desktop.services.app_services import Foundation
from tracker_desktop.services.events import EventHub
from tracker_desktop.services.profiles.profile_service import ProfileService
from tracker_desktop.services.profiles.stripe_access import GatewayProvider
from tracker_desktop.stripe_gateway import StripeGateway, idempotency_key
from tracker_desktop.ui.bridge import QtEventBridge
from tracker_desktop.ui.settings import SettingsPage
from tracker_desktop.ui.settings.dialogs import AddProfileDialog

T = TypeVar("T")
CLICK = Qt.MouseButton.LeftButton
KEY_FIELD = "keyField"  # the one widget allowed to hold the key, while it is typed


@dataclass
class Hygiene:
    qtbot: QtBot
    services: Foundation
    profiles: ProfileService
    gateways: GatewayProvider
    page: SettingsPage
    sandbox: Any
    key: str
    shown: list[str] = field(default_factory=list)  # texts seen on screen and in errors

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Await on the app's own (qasync) loop, as a window would."""
        task = asyncio.ensure_future(coro)
        self.qtbot.waitUntil(task.done, timeout=15000)
        return task.result()

    def fails(self, coro: Coroutine[Any, Any, Any]) -> TrackerError:
        task = asyncio.ensure_future(coro)
        self.qtbot.waitUntil(task.done, timeout=15000)
        exc = task.exception()
        assert isinstance(exc, TrackerError), exc
        self.shown.append(str(exc))
        self.shown.append(repr(exc))
        logging.getLogger("tracker.test").warning("call failed", exc_info=exc)
        return exc

    def snapshot(self) -> None:
        for widget in QApplication.allWidgets():
            self.shown.extend(widget_texts(widget))


def widget_texts(widget: QWidget) -> list[str]:
    texts = [widget.windowTitle(), widget.toolTip()]
    if isinstance(widget, QLineEdit) and widget.objectName() != KEY_FIELD:
        texts += [widget.text(), widget.placeholderText()]
    elif isinstance(widget, QLabel | QAbstractButton):
        texts.append(widget.text())
    elif isinstance(widget, QPlainTextEdit):
        texts.append(widget.toPlainText())
    elif isinstance(widget, QListWidget):
        texts += [widget.item(i).text() for i in range(widget.count())]
    if isinstance(widget, QMessageBox):
        texts += [widget.text(), widget.informativeText(), widget.detailedText()]
    return texts


# -- the flows ----------------------------------------------------------------------------
def flow_refused_keys(ctx: Hygiene) -> None:
    """Publishable and revoked variants of the key: refused, with the reason on screen."""
    body = ctx.key.removeprefix("sk_test_")
    section = ctx.page.key_section
    for wrong in (f"pk_test_{body}", f"sk_test_revoked{body}"):
        section.key_edit.clear()
        ctx.qtbot.keyClicks(section.key_edit, wrong)
        ctx.qtbot.mouseClick(section.verify_button, CLICK)
        ctx.qtbot.waitUntil(lambda: section.key_error.isVisible() and not ctx.page.runner.busy)
        ctx.snapshot()
    section.key_edit.clear()


def flow_verify_key(ctx: Hygiene) -> None:
    section = ctx.page.key_section
    ctx.qtbot.keyClicks(section.key_edit, ctx.key)
    ctx.qtbot.mouseClick(section.show_key, CLICK)  # the dealer checks what they pasted
    ctx.qtbot.mouseClick(section.verify_button, CLICK)
    ctx.qtbot.waitUntil(
        lambda: "Connected to" in section.status.text() and not ctx.page.runner.busy
    )
    ctx.snapshot()
    assert section.key_edit.text() == ""  # cleared once saved
    assert ctx.key[-4:] in section.status.text()


def flow_gateway_operations(ctx: Hygiene) -> None:
    """Every gateway operation, through the profile's gateway (key from the keychain)."""
    profile_id = ctx.profiles.active_profile_id
    assert profile_id is not None
    gw = ctx.gateways.gateway(profile_id)
    local = uuid.uuid4()
    ctx.run(gw.verify_key())
    customer = ctx.run(
        gw.create_customer(
            CustomerDraft(name="Ana Client", email="ana@example.com"),
            idempotency_key=idempotency_key(local, "customer"),
        )
    )
    ctx.run(
        gw.update_customer(
            customer.id,
            CustomerDraft(name="Ana Client", email="ana@example.com", phone="+41 22 000 00 00"),
            idempotency_key=idempotency_key(local, "customer-r1"),
        )
    )
    ctx.run(gw.retrieve_customer(customer.id))
    invoice = ctx.run(
        gw.create_invoice(
            customer_id=customer.id,
            currency="USD",
            days_until_due=14,
            tracker_invoice_id=str(local),
            idempotency_key=idempotency_key(local, "create-invoice"),
        )
    )
    line = LineDraft("Rolex Submariner 126610LN, serial 7S2A9", Money(1_250_000, "USD"))
    ctx.run(gw.add_lines(invoice.id, [line], idempotency_key=idempotency_key(local, "lines")))
    final = ctx.run(gw.finalize_invoice(invoice.id, idempotency_key=idempotency_key(local, "fin")))
    ctx.run(gw.send_invoice(invoice.id, idempotency_key=idempotency_key(local, "send")))
    ctx.run(gw.find_invoice_by_tracker_id(str(local)))
    ctx.run(gw.list_invoices(customer_id=customer.id))
    assert final.invoice_pdf is not None
    ctx.run(gw.download_invoice_pdf(final.invoice_pdf))
    ctx.run(gw.pay_out_of_band(invoice.id, idempotency_key=idempotency_key(local, "wire")))
    ctx.run(gw.list_invoice_payments(invoice.id))
    ctx.run(gw.list_events(types=["invoice.paid"]))
    ctx.run(gw.retrieve_invoice(invoice.id))
    other = ctx.run(
        gw.create_invoice(
            customer_id=customer.id,
            currency="USD",
            days_until_due=14,
            tracker_invoice_id=f"{local}-2",
            idempotency_key=idempotency_key(local, "create-invoice-2"),
        )
    )
    ctx.run(gw.add_lines(other.id, [line], idempotency_key=idempotency_key(local, "lines-2")))
    ctx.run(gw.finalize_invoice(other.id, idempotency_key=idempotency_key(local, "fin-2")))
    ctx.run(gw.mark_uncollectible(other.id, idempotency_key=idempotency_key(local, "unc-2")))
    ctx.run(gw.void_invoice(other.id, idempotency_key=idempotency_key(local, "void-2")))


def flow_failing_calls(ctx: Hygiene) -> None:
    profile_id = ctx.profiles.active_profile_id
    assert profile_id is not None
    gw = ctx.gateways.gateway(profile_id)
    ctx.fails(gw.retrieve_invoice("in_doesnotexist"))
    line = LineDraft("Omega Speedmaster", Money(500_000, "USD"))
    ctx.fails(gw.add_lines("in_doesnotexist", [line], idempotency_key="hygiene:missing"))
    # A gateway made with a revoked variant of the key: Stripe's 401 names a masked key.
    revoked = StripeGateway(
        f"sk_test_revoked{ctx.key.removeprefix('sk_test_')}",
        api_base=ctx.sandbox.base_url,
        max_network_retries=0,
    )
    ctx.fails(revoked.verify_key())
    ctx.run(revoked.close())
    ctx.sandbox.inject_faults(next=3, kinds=["500"], phase="before")
    try:
        ctx.fails(gw.list_invoices())
    finally:
        ctx.sandbox.clear_faults()
    ctx.snapshot()


def flow_clients_sync_and_import(ctx: Hygiene) -> None:
    """Clients: create, link to Stripe, edit (update sent), refresh, unlink, import."""
    from tracker_desktop.services.clients.client_service import ClientInput, ClientService
    from tracker_desktop.services.clients.customer_import import CustomerImport
    from tracker_desktop.services.clients.stripe_customers import ClientSync

    profile_id = ctx.profiles.active_profile_id
    assert profile_id is not None
    hub, sessions = ctx.services.hub, ctx.services.session_factory
    clients = ClientService(sessions, hub)
    sync = ClientSync(sessions, ctx.gateways, hub)
    saved = clients.save(
        profile_id,
        None,
        ClientInput(
            name="Amélie Favre",
            email="amelie@favre-horlogerie.ch",
            country="CH",
            line1="Rue du Rhône 62",
            city="Geneva",
            postal_code="1204",
        ),
    )
    ctx.run(sync.push(profile_id, saved.id))
    edited = clients.save(
        profile_id,
        saved.id,
        ClientInput(
            name="Amélie Favre",
            email="amelie@favre-horlogerie.ch",
            phone="+41 22 310 44 10",
            country="CH",
            line1="Rue du Rhône 62",
            city="Geneva",
            postal_code="1204",
        ),
    )
    ctx.run(sync.push(profile_id, edited.id))
    ctx.run(sync.refresh(profile_id, saved.id))
    sync.unlink(profile_id, saved.id)
    report = ctx.run(CustomerImport(sessions, ctx.gateways, hub).run(profile_id))
    ctx.shown.append(repr(report))
    ctx.shown.append(repr(clients.get(profile_id, saved.id)))


def flow_invoice_push_poll_and_actions(ctx: Hygiene) -> None:
    """Invoices: a push, the buyer paying, a poll; another pushed and voided; a wire."""
    from tracker_desktop.services.inventory.watch_service import InventoryService, WatchForm
    from tracker_desktop.services.invoicing.invoice_service import (
        DraftInput,
        DraftLineInput,
        InvoiceService,
    )
    from tracker_desktop.services.sync.poller import Poller

    profile_id = ctx.profiles.active_profile_id
    assert profile_id is not None
    hub, sessions = ctx.services.hub, ctx.services.session_factory
    inventory = InventoryService(sessions, hub)
    invoices = InvoiceService(sessions, ctx.gateways.gateway, hub)
    made = []
    for serial, price in (("HYG-001", "14,250"), ("HYG-002", "6,900"), ("HYG-003", "5,200")):
        watch = inventory.add(
            profile_id,
            WatchForm(brand="Rolex", model="Submariner", serial=serial, asking_price=price),
        )
        draft = DraftInput(
            currency="USD",
            customer_name="Hans Keller",
            customer_email="hans@example.ch",
            lines=[DraftLineInput(watch.line_description, 1, Money(1_000_000, "USD"), watch.id)],
        )
        made.append(ctx.run(invoices.push(profile_id, invoices.save_draft(profile_id, draft))))
    ctx.sandbox.pay_as_buyer(made[0].stripe_invoice_id)
    ctx.sandbox.pay_as_buyer(made[1].stripe_invoice_id, card="4000000000000002")  # declined
    poller = Poller(sessions, ctx.gateways.gateway, profile_id, hub)
    ctx.run(poller.poll_now())
    ctx.run(invoices.void(profile_id, made[1].id))
    ctx.run(invoices.send_email(profile_id, made[2].id))
    ctx.run(invoices.record_wire(profile_id, made[2].id, "UBS wire ref 2026-11-26"))
    for row in invoices.list(profile_id).rows:
        detail = invoices.get(profile_id, row.id)
        ctx.shown.append(repr(detail))
    assert invoices.get(profile_id, made[0].id).status.label == "Paid"
    ctx.snapshot()


def flow_remove_key(ctx: Hygiene) -> None:
    profile_id = ctx.profiles.active_profile_id
    assert profile_id is not None
    ctx.run(ctx.profiles.remove_key(profile_id))
    ctx.page.refresh(profile_id)
    ctx.snapshot()


FLOWS: list[Callable[[Hygiene], None]] = [
    flow_refused_keys,
    flow_verify_key,
    flow_gateway_operations,
    flow_failing_calls,
    flow_clients_sync_and_import,
    flow_invoice_push_poll_and_actions,
    flow_remove_key,
]


# -- the harness --------------------------------------------------------------------------
@pytest.fixture
def hygiene(
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    tracker_home: Path,
    memory_keyring: Any,
) -> Iterator[Hygiene]:
    from tracker_desktop.sandbox import Sandbox

    paths = app_paths().ensure()
    root = logging.getLogger()
    level = root.level
    configure_logging(paths.logs, level=logging.DEBUG)  # strictest: everything is written
    url = f"sqlite:///{paths.database_file}"
    prepare_database(url, paths.database_file, paths.backups)
    engine = make_engine(url)
    hub = EventHub()
    services = make_foundation(
        paths, make_session_factory(engine), settings=load_settings(paths.settings_file), hub=hub
    )
    with Sandbox(port=0, account_name="Geneva Fine Watches") as sandbox:
        gateways = GatewayProvider(
            services.session_factory, services.keystore, api_base=sandbox.base_url
        )
        profiles = ProfileService(services, gateways)
        page = SettingsPage(profiles, QtEventBridge(hub))
        qtbot.addWidget(page)
        page.show()
        ctx = Hygiene(qtbot, services, profiles, gateways, page, sandbox, sandbox.new_key())
        hub.subscribe_all(lambda event: ctx.shown.append(repr(event)))
        ctx.qtbot.mouseClick(page.add_button, CLICK)
        dialog = page.dialog
        assert isinstance(dialog, AddProfileDialog)
        qtbot.keyClicks(dialog.name_edit, "Geneva Fine Watches")
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
        try:
            yield ctx
        finally:
            ctx.run(gateways.close_all())
            engine.dispose()
            for handler in list(root.handlers):
                if getattr(handler, "_tracker", False):
                    handler.flush()
                    root.removeHandler(handler)
                    handler.close()
            root.setLevel(level)


def test_the_key_is_nowhere_but_the_keychain(hygiene: Hygiene, memory_keyring: Any) -> None:
    key = hygiene.key
    secrets = {key, key.removeprefix("sk_test_")}
    for flow in FLOWS:
        flow(hygiene)
    hygiene.snapshot()
    for handler in logging.getLogger().handlers:
        handler.flush()

    home = hygiene.services.paths.data.parent
    files = [p for p in home.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert {"tracker.sqlite3", "tracker.log", "settings.json"} <= names
    assert "tracker.sqlite3-wal" in names  # WAL written and searched too
    log_text = (hygiene.services.paths.logs / "tracker.log").read_text()
    assert "POST /v1/invoices" in log_text  # the flows did reach the log
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, f"the key is in {path.relative_to(home)}"
    assert any("Connected to" in text for text in hygiene.shown)
    assert any("revoked" in text for text in hygiene.shown)
    assert any("publishable" in text for text in hygiene.shown)
    for text in hygiene.shown:
        for secret in secrets:
            assert secret not in text, f"the key was shown: {text[:80]!r}"
    # The one place it was: the keychain, until the key was removed.
    assert memory_keyring.store == {}
