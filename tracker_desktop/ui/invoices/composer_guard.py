"""Nothing typed is lost: the composer's state as typed, to tell whether anything changed
since it opened (or was last saved), and the "Discard changes?" question.

The question opens without a nested event loop (QMessageBox.open), so the qasync loop
keeps running and tests answer it like a person would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

if TYPE_CHECKING:
    from tracker_desktop.ui.invoices.composer import ComposerDialog

FormState = tuple[object, ...]


def form_state(composer: ComposerDialog) -> FormState:
    """Everything the dealer can type or pick, as plain comparable values."""
    lines = tuple(
        (row.watch_id, row.description.text(), row.quantity.text(), row.price.text())
        for row in composer.lines.rows
    )
    customer = composer.customer
    one_off = tuple(
        edit.text()
        for edit in (
            customer.name,
            customer.email,
            customer.line1,
            customer.line2,
            customer.city,
            customer.state,
            customer.postal_code,
        )
    )
    return (
        composer.currency.currentText(),
        composer.days_until_due.value(),
        composer.memo.toPlainText(),
        composer.footer.toPlainText(),
        customer.client_radio.isChecked(),
        customer.values().contact_id,
        one_off,
        customer.country.currentData(),
        customer.save_as_client.isChecked(),
        lines,
        composer.sale_box.typed(),
    )


def ask_discard(
    parent: QWidget, on_save: Callable[[], None], on_discard: Callable[[], None]
) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("discardDialog")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Discard changes?")
    box.setText("Discard changes?")
    box.setInformativeText(
        "What you typed in this invoice is not saved. Save it as a draft on this computer, "
        "or discard it."
    )
    save = box.addButton("Save draft", QMessageBox.ButtonRole.AcceptRole)
    save.setObjectName("discardSave")
    discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    discard.setObjectName("discardDiscard")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel.setObjectName("discardCancel")
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)

    def finished() -> None:
        clicked = box.clickedButton()
        box.deleteLater()
        if clicked is save:
            on_save()
        elif clicked is discard:
            on_discard()

    box.finished.connect(finished)
    box.open()
    return box
