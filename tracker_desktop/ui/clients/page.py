"""The Clients window: search, table, the selected client's panel, and the actions on them.

Local changes go through ClientService; anything that talks to Stripe runs on the qasync
loop through TaskRunner. The table reloads (coalesced) whenever contacts change; its rows are
read in a worker thread (RowLoader), so the window shows at once and says "Loading clients…"
until they arrive, then emits `rows_loaded`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from tracker_desktop.domain.errors import TrackerError, ValidationError
from tracker_desktop.services.app_services import ClientServices
from tracker_desktop.services.clients.client_service import RowTuple
from tracker_desktop.services.clients.customer_import import ImportReport
from tracker_desktop.services.clients.stripe_customers import StripeLinkMode
from tracker_desktop.services.profiles.stripe_access import NoStripeKey
from tracker_desktop.ui.bridge import Changes, QtEventBridge
from tracker_desktop.ui.clients.client_actions import ClientActions
from tracker_desktop.ui.clients.page_layout import ClientsPageLayout
from tracker_desktop.ui.clients.row_loader import RowLoader
from tracker_desktop.ui.tasks import TaskRunner, describe_error
from tracker_desktop.ui.widgets.key_handler import KeyHandler

DEFAULT_RETRY_MS = 30_000


class ClientsPage(ClientsPageLayout):
    rows_loaded = Signal(int)  # the table has just been filled with this many clients

    def __init__(
        self,
        services: ClientServices,
        profile_id: Callable[[], int | None],
        bridge: QtEventBridge | None = None,
        *,
        retry_interval_ms: int = DEFAULT_RETRY_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("clientsPage")
        self.services = services
        self._profile_id = profile_id
        self.runner = TaskRunner(self)
        self.link_mode: StripeLinkMode | None = None
        self.selected_id: int | None = None
        self.last_import: ImportReport | None = None
        self._reload_pending = False
        self._retrying = False
        self._shown_profile: int | None = None  # whose rows the table holds
        self.loader = RowLoader(services.clients.load_rows, profile_id, self)
        self.actions_ = ClientActions(self)
        self._connect(bridge)
        self.retry_timer = QTimer(self)
        self.retry_timer.setInterval(retry_interval_ms)
        self.retry_timer.timeout.connect(self.retry_pending)
        self.retry_timer.start()
        self.profile_changed()

    def closeEvent(self, event: QCloseEvent) -> None:
        # A closed window sends nothing more to Stripe: the timer is a child of the page,
        # so deleting the page ends it too, but a closed page may live on for a while.
        self.retry_timer.stop()
        super().closeEvent(event)

    # -- wiring (the widgets are made in page_layout.py) -------------------------------------

    def _connect(self, bridge: QtEventBridge | None) -> None:
        self.search.textChanged.connect(self._search_changed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.actions_.edit())
        self.new_button.clicked.connect(self.actions_.new)
        self.edit_button.clicked.connect(self.actions_.edit)
        self.delete_button.clicked.connect(self.actions_.delete)
        self.import_button.clicked.connect(self.actions_.start_import)
        self.import_bar.cancel_button.clicked.connect(self._show_cancelling)
        self.settings_button.clicked.connect(self._open_settings)
        self.panel.create_clicked.connect(self.actions_.push)
        self.panel.sync_clicked.connect(self.actions_.push)
        self.panel.refresh_clicked.connect(self.actions_.refresh)
        self.panel.unlink_clicked.connect(self.actions_.unlink)
        self.panel.dashboard_clicked.connect(self.open_dashboard)
        self.runner.busy_changed.connect(lambda _busy: self.show_selected())
        # Window-wide while this page is shown (Qt ignores shortcuts of hidden pages), so they
        # work straight after the page is chosen in the navigation.
        for keys, slot in (("Ctrl+N", self.actions_.new), ("Ctrl+F", self.focus_search)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
        # Keys on the table and the search box themselves (not shortcuts: they must not
        # steal Enter or Delete from the form or the search box).
        self._keys = KeyHandler(
            {
                (self.table, Qt.Key.Key_Return): self.actions_.edit,
                (self.table, Qt.Key.Key_Enter): self.actions_.edit,
                (self.table, Qt.Key.Key_Delete): self.actions_.delete,
                (self.search, Qt.Key.Key_Down): self.table.setFocus,
            },
            self,
        )
        self.loader.rows_ready.connect(self._rows_ready)
        self.loader.failed.connect(self._rows_failed)
        if bridge is not None:
            bridge.profile_changed.connect(lambda _pid: self.profile_changed())
            bridge.profiles_edited.connect(self._profile_edited)
            bridge.data_changed.connect(self._data_changed)

    # -- state ------------------------------------------------------------------------------

    @property
    def profile_id(self) -> int | None:
        return self._profile_id()

    def profile_changed(self) -> None:
        """A profile switch or a key change: what Stripe this is, the list, pending syncs."""
        pid = self.profile_id
        self.link_mode = None
        self.key_banner.hide()
        if pid is not None:
            try:
                self.link_mode = self.services.sync.link_mode(pid)
            except TrackerError as exc:
                self.key_message.setText(str(exc))
                self.settings_button.setVisible(isinstance(exc, NoStripeKey))
                self.key_banner.show()
        self.selected_id = None
        if pid != self._shown_profile and self.model.total_count():
            self.model.set_rows([])  # never another profile's clients while this one loads
        self.reload()
        self.show_selected()  # nothing selected until the rows are here
        self.retry_pending()

    @property
    def loading(self) -> bool:
        """True until the active profile's rows have reached the table."""
        return self._shown_profile != self.profile_id or self.loader.loading

    def reload(self) -> None:
        """Ask for fresh rows; they arrive later, read in a worker thread."""
        self._reload_pending = False
        self.loader.request()
        self._show_count()  # not the selection: it waits for the rows

    def _rows_ready(self, pid: int | None, rows: list[RowTuple]) -> None:
        if pid != self.profile_id:
            return  # read for a profile since switched away from; its own read follows
        self._shown_profile = pid
        wanted = self.selected_id
        self.model.set_rows(rows)
        self._after_model_change()
        if self.selected_id is None and self.loader.loading:
            self.selected_id = wanted  # a client just saved may be in the newer read
        self.rows_loaded.emit(len(rows))

    def _rows_failed(self, pid: int | None, exc: Exception) -> None:
        if pid == self.profile_id:
            self.show_failure(exc, "Could not read the clients: ")
            self._show_count()

    def schedule_reload(self) -> None:
        if not self._reload_pending:
            self._reload_pending = True
            QTimer.singleShot(0, self._reload_if_pending)

    def _reload_if_pending(self) -> None:
        if self._reload_pending:
            self.reload()

    def _profile_edited(self, profile_id: int) -> None:
        if profile_id == self.profile_id:  # its key may have changed: how clients link
            self.profile_changed()

    def _data_changed(self, changes: Changes) -> None:
        if self.profile_id in changes.clients:
            self.schedule_reload()

    def _search_changed(self, text: str) -> None:
        self.model.set_search(text)
        self._after_model_change()

    def _after_model_change(self) -> None:
        self._show_count()
        self.select_client(self.selected_id)

    def _show_count(self) -> None:
        total, shown = self.model.total_count(), self.model.rowCount()
        noun = "client" if total == 1 else "clients"
        if self._shown_profile != self.profile_id:
            text = "Loading clients…" if self.loader.loading else "Clients not loaded"
        elif shown == total:
            text = f"{total} {noun}"
        else:
            text = f"{shown} of {total} {noun}"
        self.count_label.setText(text)

    def select_client(self, client_id: int | None) -> None:
        row = self.model.row_of(client_id) if client_id is not None else None
        selection = self.table.selectionModel()
        if row is None:
            selection.clearSelection()
            self.selected_id = None
        else:
            self.selected_id = client_id
            index = self.model.index(row, 0)
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(index)
        self.show_selected()

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.selected_id = self.model.row_at(rows[0].row()).id if rows else None
        self.show_selected()

    def show_selected(self) -> None:
        client = None
        pid = self.profile_id
        if self.selected_id is not None and pid is not None:
            try:
                client = self.services.clients.get(pid, self.selected_id)
            except ValidationError:
                client = None
        self.panel.show_client(client, self.link_mode, busy=self.runner.busy)
        has = client is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.import_button.setEnabled(self.link_mode is not None and self.import_bar.isHidden())

    def show_failure(self, exc: Exception, prefix: str = "") -> None:
        if isinstance(exc, NoStripeKey):
            self.profile_changed()
        self.show_message(f"{prefix}{describe_error(exc)}", "error")

    # -- small actions ----------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _show_cancelling(self) -> None:
        self.show_message("Stopping the import after the current page…", "warning")

    def open_dashboard(self) -> None:
        client = self.panel.client
        if client is None or client.stripe_customer_id is None or self.link_mode is None:
            return
        url = self.link_mode.customer_url(client.stripe_customer_id)
        if url is not None:
            QDesktopServices.openUrl(QUrl(url))

    def _open_settings(self) -> None:
        window = self.window()
        show_page = getattr(window, "show_page", None)
        if callable(show_page):
            show_page("settings")

    def retry_pending(self) -> None:
        """Timer and profile switch: send clients marked "needs sync" when there are any."""
        pid = self.profile_id
        if pid is None or self._retrying or self.link_mode is None:
            return
        if not self.services.clients.pending_count(pid):
            return
        self._retrying = True

        def done(report: object) -> None:
            self._retrying = False
            synced = getattr(report, "synced", 0)
            if synced:
                noun = "client" if synced == 1 else "clients"
                self.show_message(f"Sent {synced} waiting {noun} to Stripe.")
            self.schedule_reload()

        def failed(exc: Exception) -> None:
            self._retrying = False

        self.runner.run(self.services.sync.sync_pending(pid), done, failed)
