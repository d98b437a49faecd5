from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tracker_desktop.ui.browser import open_in_browser

URL = "http://127.0.0.1:9/i/in_test_page"


def test_handled_link_opens_without_a_dialog(browser_urls: list[str]) -> None:
    assert open_in_browser(URL)
    assert browser_urls == [URL]


def test_when_no_browser_opens_the_link_is_offered_to_copy(qtbot: QtBot) -> None:
    # Offscreen, with no handler installed, Qt cannot open any browser.
    seen: list[str] = []

    def click_copy() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.informativeText())
        copy = next(b for b in box.buttons() if b.text() == "Copy link")
        copy.click()

    QTimer.singleShot(50, click_copy)
    assert not open_in_browser(URL, what="payment page")
    assert seen == [URL]
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None
    assert clipboard.text() == URL
