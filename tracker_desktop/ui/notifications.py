"""Notifications on the desktop: a tray icon's message where the platform has a tray, else
a bar across the main window. Either names the client and the amount, and a click opens
the invoice in the Invoices window. Off in Settings (`AppSettings.notifications`), nothing
is shown. Offscreen and on bare X servers Qt has no tray: `showMessage` would do nothing,
so the bar is used there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, SignalInstance
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QPushButton,
    QStyle,
    QSystemTrayIcon,
    QWidget,
)

from tracker_desktop import APP_NAME
from tracker_desktop.config.settings import AppSettings
from tracker_desktop.domain.money_format import format_money
from tracker_desktop.services.notifications import Notice
from tracker_desktop.ui.widgets.banner import Banner

if TYPE_CHECKING:
    from tracker_desktop.services.app_services import AppServices
    from tracker_desktop.ui.main_window import MainWindow

TRAY_MESSAGE_MS = 10_000


class Tray(Protocol):
    """What is used of QSystemTrayIcon (a test stands in for it where there is no tray)."""

    @property
    def messageClicked(self) -> SignalInstance: ...

    def showMessage(
        self, title: str, msg: str, icon: QSystemTrayIcon.MessageIcon, msecs: int
    ) -> None: ...


def notice_text(notice: Notice, locale: str) -> str:
    amount = format_money(notice.amount, locale)
    invoice = f"invoice {notice.number}" if notice.number else "an invoice"
    if notice.paid:
        text = f"{amount} received for {invoice}."
    elif notice.kind == "payment_failed":
        text = f"A payment of {amount} for {invoice} failed" + (
            f": {notice.reason}" if notice.reason else "."
        )
    else:
        text = f"{amount} is overdue on {invoice}."
    return text


class NoticeBar(QWidget):
    """The in-window notice: the words, "Open invoice" and "Dismiss"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.banner = Banner("noticeBanner")
        self.open_button = QPushButton("Open invoice")
        self.open_button.setObjectName("openNoticeInvoice")
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.setObjectName("dismissNotice")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.addWidget(self.banner, 1)
        layout.addWidget(self.open_button)
        layout.addWidget(self.dismiss_button)
        self.dismiss_button.clicked.connect(lambda: self.setVisible(False))
        self.setVisible(False)

    def show_notice(self, headline: str, text: str, good_news: bool) -> None:
        self.banner.say(f"{headline}. {text}", "success" if good_news else "warning")
        self.setVisible(True)


class NoticeCenter(QObject):
    """Shows each Notice of the active profile, and opens its invoice when clicked."""

    def __init__(
        self,
        settings: AppSettings,
        bar: NoticeBar,
        open_invoice: Callable[[int], object],
        locale: Callable[[], str],
        active_profile: Callable[[], int | None],
        tray: Tray | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self.bar = bar
        self._open_invoice = open_invoice
        self._locale = locale
        self._active = active_profile
        self.tray: Tray | None = None
        self.last: Notice | None = None  # the one a click on the tray message opens
        self.shown: list[Notice] = []
        self.started: asyncio.Future[None] | None = None  # the service's first look
        self.set_tray(tray if tray is not None else system_tray(self))
        bar.open_button.clicked.connect(self._open_from_bar)

    def set_tray(self, tray: Tray | None) -> None:
        """Where messages go (None: the bar). Tests hand in a stand-in where Qt has no tray."""
        if self.tray is not None:
            self.tray.messageClicked.disconnect(self.open_last)
        self.tray = tray
        if tray is not None:
            tray.messageClicked.connect(self.open_last)

    def notify(self, notice: Notice) -> None:
        if not self._settings.notifications or notice.profile_id != self._active():
            return
        self.last = notice
        self.shown.append(notice)
        text = notice_text(notice, self._locale())
        if self.tray is not None:
            icon = (
                QSystemTrayIcon.MessageIcon.Information
                if notice.paid
                else QSystemTrayIcon.MessageIcon.Warning
            )
            self.tray.showMessage(notice.headline, text, icon, TRAY_MESSAGE_MS)
        else:
            self.bar.show_notice(notice.headline, text, notice.paid)

    def open_last(self) -> None:
        if self.last is not None:
            self._open_invoice(self.last.invoice_id)

    def _open_from_bar(self) -> None:
        self.bar.setVisible(False)
        self.open_last()


def system_tray(parent: QObject) -> QSystemTrayIcon | None:
    """The app's tray icon, or None where the platform has no tray."""
    if not QSystemTrayIcon.isSystemTrayAvailable():
        return None
    style = QApplication.style()
    icon = QApplication.windowIcon()
    if icon.isNull():
        icon = QIcon(style.standardIcon(QStyle.StandardPixmap.SP_ComputerIcon))
    tray = QSystemTrayIcon(icon, parent)
    tray.setToolTip(APP_NAME)
    tray.show()
    return tray


def attach_notices(window: MainWindow, services: AppServices) -> NoticeCenter:
    """The app's notices: the bar in `window`, the tray if any, each opening its invoice."""
    bar = NoticeBar()
    window.add_notice_bar(bar)
    base = services.base

    def open_invoice(invoice_id: int) -> None:
        from tracker_desktop.ui.invoices.page import InvoicesPage

        page = window.show_page("invoices")
        if isinstance(page, InvoicesPage):
            page.select_invoice(invoice_id)
        window.showNormal()
        window.raise_()
        window.activateWindow()

    center = NoticeCenter(
        base.settings, bar, open_invoice, base.locale, lambda: base.active.id, parent=window
    )
    services.notices.listen(center.notify)
    # Queued on the database worker ahead of the first poll: what is there now is old news.
    center.started = asyncio.ensure_future(services.notices.start())
    return center
