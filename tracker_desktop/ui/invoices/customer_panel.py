"""Who is billed: a client picked with search, or a one-off customer typed in by hand."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.domain.validation import (
    ADDRESS_MAX,
    EMAIL_MAX,
    NAME_MAX,
    PostalAddress,
    country_choices,
)
from tracker_desktop.services.inventory.watch_service import ClientChoice, InventoryService
from tracker_desktop.ui.widgets.accessibility import name_form_fields
from tracker_desktop.ui.widgets.locale_and_fields import FieldError

ADDRESS_FIELDS = ("line1", "line2", "city", "state", "postal_code", "country")


@dataclass(frozen=True, slots=True)
class CustomerValues:
    contact_id: int | None
    name: str
    email: str
    address: PostalAddress | None
    save_as_client: bool


class CustomerPanel(QWidget):
    changed = Signal()

    def __init__(
        self, inventory: InventoryService, profile_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._inventory = inventory
        self._profile_id = profile_id
        self.errors: dict[str, FieldError] = {}

        self.client_radio = QRadioButton("Client")
        self.one_off_radio = QRadioButton("One-off customer")
        group = QButtonGroup(self)
        group.addButton(self.client_radio)
        group.addButton(self.one_off_radio)
        choice = QHBoxLayout()
        choice.addWidget(self.client_radio)
        choice.addWidget(self.one_off_radio)
        choice.addStretch(1)

        # Client: search box over a list, like the Clients window.
        self.client_search = QLineEdit()
        self.client_search.setPlaceholderText("Search clients by name, company, email or city")
        self.client_list = QListWidget()
        self.client_list.setObjectName("clientList")
        self.client_list.setMinimumHeight(110)
        self.client_list.setMaximumHeight(190)  # the lines below need the room more
        client_page = QWidget()
        client_box = QVBoxLayout(client_page)
        client_box.setContentsMargins(0, 0, 0, 0)
        client_box.addWidget(self.client_search)
        client_box.addWidget(self.client_list)
        client_box.addWidget(self._error("contact"))

        # One-off: name, email, Stripe-shaped address with a country picker.
        self.name = QLineEdit()
        self.email = QLineEdit()
        self.line1 = QLineEdit()
        self.line2 = QLineEdit()
        self.city = QLineEdit()
        self.state = QLineEdit()
        self.postal_code = QLineEdit()
        self.country = QComboBox()
        self.country.addItem("", "")
        for code, label in country_choices("en"):
            self.country.addItem(f"{label} ({code})", code)
        # What the database keeps of each, so nothing longer can be typed.
        self.name.setMaxLength(NAME_MAX)
        self.email.setMaxLength(EMAIL_MAX)
        for field, limit in ADDRESS_MAX.items():
            edit = getattr(self, field)
            assert isinstance(edit, QLineEdit)
            edit.setMaxLength(limit)
        self.save_as_client = QCheckBox("Also save as a client")
        one_off = QWidget()
        form = QFormLayout(one_off)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(1)  # each row keeps a line for its message already
        for label, name, widget in (
            ("Name", "customer_name", self.name),
            ("Email", "customer_email", self.email),
            ("Address", "customer_address.line1", self.line1),
            ("", "customer_address.line2", self.line2),
            ("City", "customer_address.city", self.city),
            ("State / region", "customer_address.state", self.state),
            ("Postal code", "customer_address.postal_code", self.postal_code),
            ("Country", "customer_address.country", self.country),
        ):
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(1)
            column.addWidget(widget)
            column.addWidget(self._error(name))
            form.addRow(label, holder)
        form.addRow("", self.save_as_client)
        name_form_fields(form)
        self.line2.setAccessibleName("Address line 2")
        self.client_search.setAccessibleName("Search clients")
        self.client_list.setAccessibleName("Clients")

        self.stack = QStackedWidget()
        self.stack.addWidget(client_page)
        self.stack.addWidget(one_off)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(choice)
        layout.addWidget(self.stack)

        self.client_radio.toggled.connect(self._switch)
        self.client_search.textChanged.connect(self.reload_clients)
        self.client_list.currentItemChanged.connect(lambda *_: self.changed.emit())
        for edit in (self.name, self.email):
            edit.textChanged.connect(self.changed)
        self.reload_clients()
        # With no clients yet, a one-off customer is the only way; start there.
        (self.client_radio if self.client_list.count() else self.one_off_radio).setChecked(True)
        self._switch()

    def address_edits(self) -> tuple[QLineEdit, ...]:
        return (self.line1, self.line2, self.city, self.state, self.postal_code)

    def _error(self, name: str) -> FieldError:
        error = FieldError(name.replace(".", "_"))
        self.errors[name] = error
        return error

    def _switch(self, *_args: object) -> None:
        self.stack.setCurrentIndex(0 if self.client_radio.isChecked() else 1)
        self.changed.emit()

    def reload_clients(self) -> None:
        current = self.selected_client()
        self.client_list.clear()
        for client in self._inventory.clients(self._profile_id, self.client_search.text()):
            item = QListWidgetItem(client.label)
            item.setData(Qt.ItemDataRole.UserRole, client)
            self.client_list.addItem(item)
            if current is not None and client.id == current.id:
                self.client_list.setCurrentItem(item)
        if self.client_list.currentItem() is None and self.client_list.count() == 1:
            self.client_list.setCurrentRow(0)

    def selected_client(self) -> ClientChoice | None:
        item = self.client_list.currentItem()
        found = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return found if isinstance(found, ClientChoice) else None

    def select_client(self, contact_id: int) -> None:
        self.client_radio.setChecked(True)
        self.client_search.clear()
        for row in range(self.client_list.count()):
            item = self.client_list.item(row)
            client = item.data(Qt.ItemDataRole.UserRole)
            if isinstance(client, ClientChoice) and client.id == contact_id:
                self.client_list.setCurrentItem(item)

    def set_one_off(self, name: str, email: str, address: PostalAddress | None) -> None:
        self.one_off_radio.setChecked(True)
        self.name.setText(name)
        self.email.setText(email)
        address = address or PostalAddress()
        for field in ADDRESS_FIELDS[:-1]:
            edit = getattr(self, field)
            assert isinstance(edit, QLineEdit)
            edit.setText(getattr(address, field))
        self.country.setCurrentIndex(max(self.country.findData(address.country), 0))

    def values(self) -> CustomerValues:
        if self.client_radio.isChecked():
            client = self.selected_client()
            if client is None:
                return CustomerValues(None, "", "", None, False)
            return CustomerValues(client.id, client.name, client.email, None, False)
        address = PostalAddress(
            line1=self.line1.text(),
            line2=self.line2.text(),
            city=self.city.text(),
            state=self.state.text(),
            postal_code=self.postal_code.text(),
            country=str(self.country.currentData() or ""),
        ).normalized()
        return CustomerValues(
            None,
            " ".join(self.name.text().split()),
            self.email.text().strip(),
            None if address.is_empty else address,
            self.save_as_client.isChecked(),
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        """Field keys as domain.draft names them; a client's missing email goes by the list."""
        for error in self.errors.values():
            error.clear_message()
        client_mode = self.client_radio.isChecked()
        for key, message in errors.items():
            if client_mode and key in ("customer_name", "customer_email", "contact"):
                text = message
                if key == "customer_email":
                    # Stripe emails the invoice, so a client without an email cannot be billed.
                    text = "This client has no usable email address; add one in Clients"
                if key == "customer_name" or self.selected_client() is None:
                    text = "Choose a client, or switch to a one-off customer"
                self.errors["contact"].show_message(text)
            elif key in self.errors:
                self.errors[key].show_message(message)

    def set_editable(self, editable: bool) -> None:
        for widget in (self.client_radio, self.one_off_radio, self.stack):
            widget.setEnabled(editable)
