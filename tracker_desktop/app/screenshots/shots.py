"""Each README screenshot: the real app, started by its composition root, in the state a
dealer would see after a morning's work."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path

from PySide6.QtGui import QImage

from tracker_desktop.app.composition import Application
from tracker_desktop.app.screenshots.capture import (
    HEIGHT,
    WIDTH,
    ShotFailed,
    save,
    settle,
    wait_until,
    window_image,
    with_dialog,
)
from tracker_desktop.app.screenshots.provenance_shots import (
    pdf_viewer_shot,
    provenance_shot,
    seed_provenance,
)
from tracker_desktop.app.screenshots.seed import Seeded, Story
from tracker_desktop.app.screenshots.shared_database_shot import shared_database_shot
from tracker_desktop.config.paths import app_paths
from tracker_desktop.config.settings import AppSettings, save_settings
from tracker_desktop.domain.validation import PostalAddress
from tracker_desktop.sandbox import Sandbox
from tracker_desktop.services.profiles.profile_service import MODE_PRACTICE, MODE_TEST
from tracker_desktop.ui.clients.page import ClientsPage
from tracker_desktop.ui.dashboard.page import DashboardPage
from tracker_desktop.ui.invoices.page import InvoicesPage
from tracker_desktop.ui.watches.page import WatchesPage

# In README order. "welcome" runs on a home of its own: a first start has no profile yet.
SHOTS = (
    "main-window",
    "dashboard",
    "invoices",
    "clients",
    "watches",
    "composer",
    "pdf-viewer",
    "provenance",
    "credit-note",
    "deposit",
    "settings",
    "shared-database",
    "welcome",
)
# A simulator key, not a secret; fixed so the shot reads "key ending 4242" on every run.
GENEVA_KEY = "sk_test_TrackerDesktopScreenshotsGeneva4242"
MEMO_COMPOSER = "Thank you for your purchase. Both watches ship insured from Geneva."


def start_app(home: Path, *, practice: bool) -> Application:
    paths = app_paths(home).ensure()
    save_settings(paths.settings_file, AppSettings(locale="en_US"))  # same money text anywhere
    app = Application(paths, practice=practice, quit_after_ready=False, self_test=False)
    app.window.resize(WIDTH, HEIGHT)
    app.start()
    return app


async def until_ready(app: Application) -> None:
    await wait_until(lambda: app.services is not None or app.failure is not None, "start-up")
    if app.failure:
        raise ShotFailed(f"the app did not start: {app.failure}")


async def close(app: Application) -> None:
    await app.shutdown()
    app.window.close()
    app.window.deleteLater()


async def practice_shots(home: Path, outdir: Path, wanted: set[str]) -> list[Path]:
    app = start_app(home, practice=True)
    saved: list[Path] = []
    try:
        await until_ready(app)
        assert app.services is not None
        if app.window.mode_badge.mode != MODE_PRACTICE:
            raise ShotFailed("Practice mode did not start")
        seeded = await Story(app.services).run()
        seed_provenance(app.services, home / "dealer-files")
        plan: list[tuple[str, Callable[[], Awaitable[QImage]]]] = [
            ("main-window", partial(invoices_shot, app, seeded.paid_after_decline)),
            ("dashboard", partial(dashboard_shot, app, seeded)),
            ("invoices", partial(invoices_shot, app, seeded.payment_failed)),
            ("clients", partial(clients_shot, app, seeded)),
            ("watches", partial(watches_shot, app)),
            ("composer", partial(composer_shot, app, seeded)),
            ("pdf-viewer", partial(pdf_viewer_shot, app, seeded.paid_after_decline)),
            ("provenance", partial(provenance_shot, app)),
            ("credit-note", partial(credit_note_shot, app, seeded.paid_after_decline)),
            ("deposit", partial(deposit_shot, app, seeded)),
            ("settings", partial(settings_shot, app)),  # it switches the profile
            ("shared-database", partial(shared_database_shot, app)),
        ]
        for name, shoot in plan:
            if name in wanted:
                saved.append(save(await shoot(), outdir, name))
    finally:
        await close(app)
    return saved


async def invoices_shot(app: Application, invoice_id: int) -> QImage:
    page = app.window.show_page("invoices")
    assert isinstance(page, InvoicesPage)
    page.select_invoice(invoice_id)

    def shown() -> bool:  # the rows and the detail are read off the GUI thread
        detail = page.detail.detail
        return not page.loading and detail is not None and detail.id == invoice_id

    await wait_until(shown, f"invoice {invoice_id}")
    await settle()
    if page.selected_id() != invoice_id:
        raise ShotFailed(f"invoice {invoice_id} is not in the Invoices window")
    return window_image(app.window)


async def dashboard_shot(app: Application, seeded: Seeded) -> QImage:
    services = app.services
    assert services is not None
    services.dashboard.set_goal(seeded.profile_id, "500,000", "USD", "en_US")  # as in Settings
    page = app.window.show_page("dashboard")
    assert isinstance(page, DashboardPage)
    page.reload()
    await wait_until(lambda: page.board is not None and not page.loading, "the dashboard")
    await settle()
    return window_image(app.window)


async def clients_shot(app: Application, seeded: Seeded) -> QImage:
    page = app.window.show_page("clients")
    assert isinstance(page, ClientsPage)
    await wait_until(lambda: not page.loading and page.model.rowCount() > 0, "the clients")
    page.select_client(seeded.client_with_card)
    await settle()
    return window_image(app.window)


async def watches_shot(app: Application) -> QImage:
    page = app.window.show_page("watches")
    assert isinstance(page, WatchesPage)
    await wait_until(lambda: page.model.rowCount() > 0, "the watches")
    page.table.selectRow(0)
    await settle()
    return window_image(app.window)


async def composer_shot(app: Application, seeded: Seeded) -> QImage:
    page = app.window.show_page("invoices")
    assert isinstance(page, InvoicesPage)
    page.new_invoice()
    composer = page.composer
    if composer is None:
        raise ShotFailed("the composer did not open")
    try:
        composer.customer.set_one_off(
            "Charlotte Lindqvist",
            "charlotte.lindqvist@example.se",
            PostalAddress("Strandvägen 7A", "", "Stockholm", "", "114 56", "SE"),
        )
        for watch_id in seeded.composer_watches:
            composer.add_watch_line(watch_id)
        strap = composer.add_free_line()
        strap.description.setText("Alligator strap, fitted, with deployant clasp")
        strap.price.setText("420.00")
        composer.memo.setPlainText(MEMO_COMPOSER)
        await settle()
        if "some lines" in composer.total_label.text():
            raise ShotFailed(f"the composer's total is incomplete: {composer.total_label.text()}")
        return with_dialog(app.window, composer)
    finally:
        composer.discard()


async def credit_note_shot(app: Application, invoice_id: int) -> QImage:
    """The credit-note dialog on a paid invoice: its watch returned, refunded to the card."""
    page = app.window.show_page("invoices")
    assert isinstance(page, InvoicesPage)
    await invoices_shot(app, invoice_id)
    page.credits.open_selected()
    dialog = page.credits.dialog
    if dialog is None or not dialog.isVisible():
        raise ShotFailed("the credit-note dialog did not open")
    try:
        watch_rows = [row for row in dialog.rows if row.restock is not None]
        if not watch_rows:
            raise ShotFailed("the paid invoice has no watch line")
        watch_rows[0].pick.setChecked(True)
        watch_rows[0].restock.setChecked(True)  # type: ignore[union-attr]
        dialog.memo.setText("Returned unworn within 14 days")
        await settle()
        return with_dialog(app.window, dialog)
    finally:
        dialog.reject()


async def deposit_shot(app: Application, seeded: Seeded) -> QImage:
    """A deposit of 25 percent on one watch, with a watch taken in part exchange."""
    page = app.window.show_page("invoices")
    assert isinstance(page, InvoicesPage)
    page.new_invoice()
    composer = page.composer
    if composer is None:
        raise ShotFailed("the composer did not open")
    try:
        composer.customer.set_one_off("Henrik Aalto", "henrik.aalto@example.fi", None)
        composer.add_watch_line(seeded.composer_watches[0])
        box = composer.sale_box
        box.take_deposit.setChecked(True)
        box.deposit_mode.setCurrentIndex(1)
        box.deposit_value.setText("25")
        box.trade_in.setChecked(True)
        for name, text in (("brand", "Omega"), ("model", "Speedmaster"), ("serial", "78101234")):
            box.trade_edits[name].setText(text)
        box.trade_allowance.setText("3,200.00")
        await settle()
        return with_dialog(app.window, composer)
    finally:
        composer.discard()


async def settings_shot(app: Application) -> QImage:
    """A second business with a verified TEST key. Its simulator stands in for Stripe, as in
    the tests; the key is a simulator key and the window shows only its last four."""
    services = app.services
    assert services is not None
    gateways = services.gateways
    geneva = Sandbox(port=0, account_name="Geneva Fine Watches SA").start()
    services.base.closers.insert(0, geneva.stop)  # closers run newest first: this one last
    # The composition root makes real-key profiles talk to Stripe; here, to that simulator.
    await gateways.point_real_profiles_at(geneva.base_url)
    profiles = services.profiles
    view = profiles.create_profile(
        "Geneva Fine Watches",
        default_currency="CHF",
        default_due_days=30,
        invoice_footer="Bank: UBS Geneva · IBAN CH93 0076 2011 6238 5295 7",
    )
    profiles.create_profile("Lugano Vintage Timepieces", default_currency="EUR")
    await profiles.verify_and_save_key(view.id, GENEVA_KEY)
    profiles.switch_to(view.id)
    app.window.show_page("settings")
    await wait_until(lambda: app.window.mode_badge.mode == MODE_TEST, "the TEST mode badge")
    await wait_until(
        lambda: app.window.sync_label.text().startswith("Synced"), "the first sync of Geneva"
    )
    await settle()
    return window_image(app.window)


async def welcome_shot(home: Path, outdir: Path) -> Path:
    app = start_app(home, practice=False)
    try:
        await until_ready(app)
        await wait_until(
            lambda: app.welcome is not None and app.welcome.isVisible(), "the welcome dialog"
        )
        await settle()
        assert app.welcome is not None
        return save(with_dialog(app.window, app.welcome), outdir, "welcome")
    finally:
        if app.welcome is not None:
            app.welcome.reject()
        await close(app)
