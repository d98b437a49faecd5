"""Opens a link in the system browser, and says so plainly when the system cannot.

A payment link must never be lost because no browser is configured: the dealer gets the
link to copy and send to the buyer another way.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def open_in_browser(url: str, parent: QWidget | None = None, *, what: str = "page") -> bool:
    if QDesktopServices.openUrl(QUrl(url)):
        return True
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Could not open the browser")
    box.setText(
        f"The system did not open a browser for this {what}. Copy the link and open it "
        "yourself, or send it to the buyer."
    )
    box.setInformativeText(url)
    copy = box.addButton("Copy link", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    if box.clickedButton() is copy:
        copy_link(url)
    return False


def copy_link(url: str) -> None:
    clipboard = QGuiApplication.clipboard()
    if clipboard is not None:
        clipboard.setText(url)
