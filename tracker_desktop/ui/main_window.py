"""The main window: navigation on the left, one page at a time, the mode always in sight.

Nothing here touches the `Qt` namespace (`PySide6.QtCore.Qt`): making its enums is a good part
of a cold start, and the window paints before any page needs them
(tests/app/test_first_paint_imports.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop import APP_NAME
from tracker_desktop.ui.theme import banner_style, error_style
from tracker_desktop.ui.widgets.geometry import LayoutMemory
from tracker_desktop.ui.widgets.mode_badge import MODE_LIVE, MODE_PRACTICE, ModeBadge, mode_title

PRACTICE_BANNER = (
    "Practice mode: a local Stripe simulator. No real money moves and nothing reaches your "
    "Stripe account. Practice invoices are cleared each time Practice mode starts, and their "
    "watches go back in stock; Practice clients and watches are kept."
)


@dataclass(frozen=True)
class PageSpec:
    key: str  # "dashboard", "invoices", "clients", "watches", "settings"
    title: str
    factory: Callable[[], QWidget]


class MainWindow(QMainWindow):
    sync_requested = Signal()  # "Sync now" (F5)
    closing = Signal()  # the dealer closes the window: keep its layout
    layout_memory: LayoutMemory | None = None  # gives each page its kept splitters and columns

    def __init__(self, pages: list[PageSpec], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.resize(1180, 760)
        self.setMinimumSize(900, 560)
        self._page_keys: list[str] = []
        self._built: dict[str, QWidget] = {}
        self._specs = {spec.key: spec for spec in pages}

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        self.practice_banner = QLabel(PRACTICE_BANNER)
        self.practice_banner.setWordWrap(True)
        self.practice_banner.setObjectName("practiceBanner")
        self.practice_banner.setStyleSheet(
            "QLabel#practiceBanner { background: #6941c6; color: white; padding: 6px 12px; }"
        )
        self.practice_banner.setVisible(False)
        outer.addWidget(self.practice_banner)

        self.startup_banner = QLabel("Opening the database…")
        self.startup_banner.setObjectName("startupBanner")
        self.startup_banner.setWordWrap(True)
        self.startup_banner.setStyleSheet(banner_style("info", "QLabel#startupBanner"))
        outer.addWidget(self.startup_banner)
        self._outer = outer  # notices go under the banners (add_notice_bar)

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName("Pages")
        self.nav.setFixedWidth(180)
        self.nav.setFrameShape(QFrame.Shape.NoFrame)
        self.nav.setStyleSheet(
            "QListWidget#navigation { background: palette(alternate-base); font-size: 14px;"
            " padding-top: 8px; }"
            "QListWidget#navigation::item { padding: 10px 14px; }"
            "QListWidget#navigation::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }"
        )
        self.stack = QStackedWidget()
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        for index, spec in enumerate(pages):
            item = QListWidgetItem(spec.title)
            self.nav.addItem(item)
            self._page_keys.append(spec.key)
            self.stack.addWidget(QWidget())  # built on first visit: fast first paint
            if index < 9:  # Ctrl+1..Ctrl+9 jump to a page
                shortcut = QShortcut(QKeySequence(f"Ctrl+{index + 1}"), self)
                shortcut.activated.connect(lambda i=index: self.nav.setCurrentRow(i))
        self.nav.currentRowChanged.connect(self._show_row)

        self.mode_badge = ModeBadge()
        self.profile_label = QLabel("No profile")
        self.profile_label.setObjectName("profileLabel")
        self.sync_label = QLabel("Not syncing")
        self.sync_label.setObjectName("syncLabel")
        status = self.statusBar()
        status.addWidget(self.profile_label)
        status.addPermanentWidget(self.sync_label)
        self.sync_button = QToolButton()
        self.sync_button.setObjectName("syncNow")
        self.sync_button.setText("Sync now")
        self.sync_button.setToolTip("Ask Stripe for news now (F5)")
        self.sync_button.setAutoRaise(True)
        self.sync_button.clicked.connect(self.sync_requested)
        QShortcut(QKeySequence("F5"), self).activated.connect(self.sync_requested)
        status.addPermanentWidget(self.sync_button)
        status.addPermanentWidget(self.mode_badge)
        self._profile_name: str | None = None
        self._update_title()
        self._pages_enabled = False
        self.nav.setEnabled(False)

    # --- pages -------------------------------------------------------------------------
    def enable_pages(self, first: str = "invoices") -> None:
        """Called once the database is ready: pages may now read it."""
        self._pages_enabled = True
        self.nav.setEnabled(True)
        self.startup_banner.setVisible(False)
        self.show_page(first)

    def show_page(self, key: str) -> QWidget:
        row = self._page_keys.index(key)
        self.nav.setCurrentRow(row)
        self._show_row(row)
        return self.page(key)

    def page(self, key: str) -> QWidget:
        if key not in self._built:
            row = self._page_keys.index(key)
            widget = self._specs[key].factory()
            old = self.stack.widget(row)
            if old is not None:
                self.stack.removeWidget(old)
                old.deleteLater()
            self.stack.insertWidget(row, widget)
            self._built[key] = widget
            if self.layout_memory is not None:
                self.layout_memory.attach(key, widget)
            # Here, not at the top: its widget classes cost start-up time before the first paint.
            from tracker_desktop.ui.widgets.accessibility import tab_in_layout_order

            tab_in_layout_order(self)  # the new page between the navigation and the status bar
        return self._built[key]

    def _show_row(self, row: int) -> None:
        if row < 0 or not self._pages_enabled:
            return
        widget = self.page(self._page_keys[row])
        self.stack.setCurrentWidget(widget)

    def add_notice_bar(self, bar: QWidget) -> None:
        """The in-window notices (ui/notifications), under the banners and above the pages."""
        self._outer.insertWidget(self._outer.indexOf(self.startup_banner) + 1, bar)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)

    # --- status --------------------------------------------------------------------------
    def show_startup_problem(self, message: str) -> None:
        self.startup_banner.setText(message)
        self.startup_banner.setProperty("tone", "error")
        self.startup_banner.setStyleSheet(banner_style("error", "QLabel#startupBanner"))
        self.startup_banner.setVisible(True)

    def set_profile(self, name: str | None, mode: str, connection: str = "") -> None:
        """`connection`: the profile's connection in a few words (ProfileView.connection)."""
        self._profile_name = name
        text = f"Profile: {name}" if name else "No profile: open Settings"
        self.profile_label.setText(f"{text} · {connection}" if name and connection else text)
        self.mode_badge.set_mode(mode)
        self.practice_banner.setVisible(mode == MODE_PRACTICE)
        self._update_title()

    def set_sync_state(self, text: str, ok: bool = True) -> None:
        self.sync_label.setText(text)
        self.sync_label.setProperty("tone", "" if ok else "error")
        self.sync_label.setStyleSheet("" if ok else error_style())

    def _update_title(self) -> None:
        parts = [APP_NAME]
        if self._profile_name:
            parts.append(self._profile_name)
        mode = self.mode_badge.mode
        title = " — ".join(parts)
        title = f"[LIVE] {title}" if mode == MODE_LIVE else f"{title} [{mode_title(mode)}]"
        self.setWindowTitle(title)
