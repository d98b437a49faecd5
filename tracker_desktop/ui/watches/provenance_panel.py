"""The watch dialog's Provenance tab: stolen-register checks (register, date, certificate
number and its file) and the box-and-papers documents and photos. Every file is copied into
the app's data folder by the service; the list shows the kept copy, which Open shows (a PDF
in the app's viewer). A bad check shows its messages beside the fields and keeps nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate, QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.domain.errors import FormInvalid, TrackerError, ValidationError
from tracker_desktop.domain.validation import CERTIFICATE_NUMBER_MAX, REGISTER_MAX
from tracker_desktop.services.inventory.provenance import (
    REGISTERS,
    CheckForm,
    CheckRow,
    DocumentRow,
    ProvenanceService,
)
from tracker_desktop.ui.watches.files import ATTACHMENT_FILTER, ask_open_path, open_attachment
from tracker_desktop.ui.watches.form_fields import button_row, with_error
from tracker_desktop.ui.widgets.accessibility import name_form_fields
from tracker_desktop.ui.widgets.locale_and_fields import FieldError
from tracker_desktop.ui.widgets.questions import ask_yes_no

ROLE = Qt.ItemDataRole.UserRole


class ProvenancePanel(QWidget):
    def __init__(
        self, provenance: ProvenanceService, profile_id: int, watch_id: int, title: str
    ) -> None:
        super().__init__()
        self._provenance = provenance
        self._profile_id = profile_id
        self._watch_id = watch_id
        self._title = title
        self.opened: QWidget | None = None  # the last viewer opened, for callers and tests

        self.checks = QListWidget()
        self.checks.setObjectName("provenanceChecks")
        self.checks.setAccessibleName("Stolen-register checks")
        self.register = QComboBox()
        self.register.setEditable(True)
        self.register.addItems(["", *REGISTERS])
        register_edit = self.register.lineEdit()
        assert register_edit is not None  # editable
        register_edit.setMaxLength(REGISTER_MAX)
        self.checked_on = QDateEdit()
        self.checked_on.setCalendarPopup(True)
        self.checked_on.setDisplayFormat("yyyy-MM-dd")
        self.checked_on.setMaximumDate(QDate.currentDate())
        self.checked_on.setDate(QDate.currentDate())
        self.certificate_number = QLineEdit()
        self.certificate_number.setMaxLength(CERTIFICATE_NUMBER_MAX)
        self.certificate_file = QLineEdit()
        self.certificate_file.setPlaceholderText("The register's certificate (PDF or photo)")
        self.choose_button = QPushButton("Choose file…")
        self.add_check_button = QPushButton("Add check")
        self.open_certificate_button = QPushButton("Open certificate")
        self.remove_check_button = QPushButton("Remove check")
        self.documents = QListWidget()
        self.documents.setObjectName("provenanceDocuments")
        self.documents.setAccessibleName("Box and papers, photos")
        self.documents.setIconSize(QSize(56, 42))
        self.add_papers_button = QPushButton("Add box and papers…")
        self.add_photo_button = QPushButton("Add photo…")
        self.open_document_button = QPushButton("Open")
        self.remove_document_button = QPushButton("Remove")
        self.errors = {n: FieldError(n) for n in ("register", "checked_on", "number", "file")}
        self.message = FieldError("action")

        form = QFormLayout()
        form.addRow("Register", with_error(self.register, self.errors["register"]))
        form.addRow("Date checked", with_error(self.checked_on, self.errors["checked_on"]))
        form.addRow("Certificate no.", with_error(self.certificate_number, self.errors["number"]))
        file_row = QHBoxLayout()
        file_row.addWidget(self.certificate_file, 1)
        file_row.addWidget(self.choose_button)
        file_box = QWidget()
        file_column = QVBoxLayout(file_box)
        file_column.setContentsMargins(0, 0, 0, 0)
        file_column.addLayout(file_row)
        file_column.addWidget(self.errors["file"])
        form.addRow("Certificate file", file_box)
        name_form_fields(form)
        check_buttons = button_row(
            self.add_check_button, self.open_certificate_button, self.remove_check_button
        )
        document_buttons = button_row(
            self.add_papers_button,
            self.add_photo_button,
            self.open_document_button,
            self.remove_document_button,
        )
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Stolen-register checks</b>"))
        layout.addWidget(self.checks, 1)
        layout.addLayout(form)
        layout.addLayout(check_buttons)
        layout.addWidget(QLabel("<b>Box and papers, photos</b> (kept as copies in the app)"))
        layout.addWidget(self.documents, 1)
        layout.addLayout(document_buttons)
        layout.addWidget(self.message)

        self.choose_button.clicked.connect(self._choose_certificate)
        self.add_check_button.clicked.connect(self.add_check)
        self.open_certificate_button.clicked.connect(self.open_certificate)
        self.remove_check_button.clicked.connect(self.remove_check)
        self.add_papers_button.clicked.connect(lambda: self._choose_document("document"))
        self.add_photo_button.clicked.connect(lambda: self._choose_document("photo"))
        self.open_document_button.clicked.connect(self.open_document)
        self.remove_document_button.clicked.connect(self.remove_document)
        self.checks.currentItemChanged.connect(self._enable)
        self.documents.currentItemChanged.connect(self._enable)
        self.checks.itemActivated.connect(lambda _item: self.open_certificate())
        self.documents.itemActivated.connect(lambda _item: self.open_document())
        self.reload()

    # --- lists ---------------------------------------------------------------------------
    def reload(self) -> None:
        self.checks.clear()
        self.documents.clear()
        try:
            checks = self._provenance.checks(self._profile_id, self._watch_id)
            documents = self._provenance.documents(self._profile_id, self._watch_id)
        except TrackerError as exc:
            self.message.show_message(str(exc))
            return
        for check in checks:
            item = QListWidgetItem(_check_text(check))
            item.setData(ROLE, check)
            self.checks.addItem(item)
        if not checks:
            self.checks.addItem(_placeholder("No check on record yet."))
        for document in documents:
            item = QListWidgetItem(f"{document.kind_label}: {document.original_name}")
            item.setData(ROLE, document)
            item.setToolTip(str(document.path))
            if document.kind == "photo":  # a thumbnail of the kept copy
                item.setIcon(QIcon(str(document.path)))
            self.documents.addItem(item)
        if not documents:
            self.documents.addItem(_placeholder("No documents or photos yet."))
        self._enable()

    def selected_check(self) -> CheckRow | None:
        item = self.checks.currentItem()
        found = item.data(ROLE) if item is not None else None
        return found if isinstance(found, CheckRow) else None

    def selected_document(self) -> DocumentRow | None:
        item = self.documents.currentItem()
        found = item.data(ROLE) if item is not None else None
        return found if isinstance(found, DocumentRow) else None

    def _enable(self, *_args: object) -> None:
        check = self.selected_check()
        self.open_certificate_button.setEnabled(bool(check and check.certificate_path))
        self.remove_check_button.setEnabled(check is not None)
        document = self.selected_document()
        self.open_document_button.setEnabled(document is not None)
        self.remove_document_button.setEnabled(document is not None)

    # --- checks --------------------------------------------------------------------------
    def _choose_certificate(self) -> None:
        ask_open_path(
            self, "Choose the certificate", ATTACHMENT_FILTER, self.certificate_file.setText
        )

    def add_check(self) -> bool:
        for error in (*self.errors.values(), self.message):
            error.clear_message()
        qdate = self.checked_on.date()
        form = CheckForm(
            register=self.register.currentText(),
            checked_on=dt.date(qdate.year(), qdate.month(), qdate.day()),
            certificate_number=self.certificate_number.text(),
            certificate_path=self.certificate_file.text().strip(),
        )
        try:
            self._provenance.add_check(self._profile_id, self._watch_id, form)
        except FormInvalid as exc:
            for name, text in exc.errors.items():
                key = "number" if name == "certificate_number" else name
                self.errors.get(key, self.message).show_message(text)
            return False
        except ValidationError as exc:
            self.errors.get(exc.field or "", self.message).show_message(str(exc))
            return False
        except TrackerError as exc:  # the data folder refused the copy (full, read-only)
            self.message.show_message(str(exc))
            return False
        self.register.setCurrentText("")
        self.certificate_number.clear()
        self.certificate_file.clear()
        self.reload()
        return True

    def open_certificate(self) -> None:
        check = self.selected_check()
        if check is not None and check.certificate_path is not None:
            self._open(check.certificate_path, f"{check.register} certificate — {self._title}")

    def remove_check(self) -> None:
        check = self.selected_check()
        if check is not None:
            ask_yes_no(
                self,
                "Remove check",
                f"Remove the {check.register} check of {check.checked_on.isoformat()} and its "
                "kept certificate?",
                lambda: self._removed(self._provenance.remove_check, check.id),
            )

    # --- documents and photos ------------------------------------------------------------
    def _choose_document(self, kind: str) -> None:
        title = "Add a photo" if kind == "photo" else "Add box and papers"
        ask_open_path(self, title, ATTACHMENT_FILTER, lambda path: self.add_document(kind, path))

    def add_document(self, kind: str, path: str) -> bool:
        self.message.clear_message()
        try:
            self._provenance.add_document(self._profile_id, self._watch_id, kind, path)
        except TrackerError as exc:
            self.message.show_message(str(exc))
            return False
        self.reload()
        return True

    def open_document(self) -> None:
        document = self.selected_document()
        if document is not None:
            self._open(document.path, f"{document.original_name} — {self._title}")

    def remove_document(self) -> None:
        document = self.selected_document()
        if document is not None:
            ask_yes_no(
                self,
                "Remove file",
                f"Remove {document.original_name} from this watch? The copy kept by the app "
                "is deleted; your own file is not touched.",
                lambda: self._removed(self._provenance.remove_document, document.id),
            )

    def _removed(self, remove: Callable[[int, int], None], row_id: int) -> None:
        try:
            remove(self._profile_id, row_id)
        except TrackerError as exc:
            self.message.show_message(str(exc))
        self.reload()

    def _open(self, path: Path, title: str) -> None:
        if not path.is_file():
            self.message.show_message(f"The kept copy is missing from {path}.")
            return
        self.opened = open_attachment(path, title, self)


def _check_text(check: CheckRow) -> str:
    parts = [check.checked_on.isoformat(), check.register]
    if check.certificate_number:
        parts.append(f"certificate {check.certificate_number}")
    parts.append(f"file: {check.certificate_name}" if check.certificate_name else "no file")
    return " · ".join(parts)


def _placeholder(text: str) -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.setFlags(Qt.ItemFlag.NoItemFlags)  # not a row to select
    return item
