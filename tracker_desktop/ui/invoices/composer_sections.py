"""The composer's "Terms" and "Lines" boxes, and the draft built from what was typed."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.domain.draft import DraftLine, InvoiceDraft, validate_draft
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.validation import DAYS_UNTIL_DUE_MAX, PostalAddress
from tracker_desktop.services.clients.client_service import ClientInput
from tracker_desktop.services.inventory.watch_service import ProfileDefaults
from tracker_desktop.services.invoicing.invoice_service import DraftInput, DraftLineInput
from tracker_desktop.ui.invoices.customer_panel import CustomerValues
from tracker_desktop.ui.invoices.lines_editor import LinesEditor, ParsedLine
from tracker_desktop.ui.watches.watch_dialog import currency_combo
from tracker_desktop.ui.widgets.accessibility import name_form_fields
from tracker_desktop.ui.widgets.locale_and_fields import FieldError


class TermsBox(QGroupBox):
    """Currency, days until due, memo and footer, each with its message label."""

    def __init__(self, defaults: ProfileDefaults) -> None:
        super().__init__("Terms")
        self.currency = currency_combo(defaults.currency)
        self.currency.setObjectName("currency")
        self.days_until_due = QSpinBox()
        self.days_until_due.setRange(0, DAYS_UNTIL_DUE_MAX)
        self.days_until_due.setValue(defaults.days_until_due)
        self.days_until_due.setSuffix(" days")
        self.memo = QPlainTextEdit()
        self.memo.setPlaceholderText("Shown on the invoice, e.g. “Thank you for your purchase.”")
        self.footer = QPlainTextEdit(defaults.footer)
        for text in (self.memo, self.footer):
            text.setTabChangesFocus(True)
            text.setFixedHeight(44)
        self.errors: dict[str, FieldError] = {
            name: FieldError(name) for name in ("currency", "days_until_due", "memo", "footer")
        }
        terms_form = QFormLayout(self)
        terms_form.addRow("Currency", _stacked(self.currency, self.errors["currency"]))
        terms_form.addRow("Due in", _stacked(self.days_until_due, self.errors["days_until_due"]))
        terms_form.addRow("Memo", _stacked(self.memo, self.errors["memo"]))
        terms_form.addRow("Footer", _stacked(self.footer, self.errors["footer"]))
        name_form_fields(terms_form)


class LinesBox(QGroupBox):
    """The scrolling lines editor with its "Add watch…" and "Add free-text line" buttons."""

    def __init__(self, locale: str) -> None:
        super().__init__("Lines")
        self.lines = LinesEditor(locale)
        self.add_watch_button = QPushButton("Add watch…")
        self.add_watch_button.setToolTip("Add a watch from inventory (Ctrl+Shift+W)")
        self.add_line_button = QPushButton("Add free-text line")
        self.add_line_button.setToolTip("A strap, a service, shipping… (Ctrl+L)")
        line_buttons = QHBoxLayout()
        line_buttons.addWidget(self.add_watch_button)
        line_buttons.addWidget(self.add_line_button)
        line_buttons.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setMinimumHeight(150)  # three lines in sight, whatever the boxes above need
        holder = QWidget()
        holder_box = QVBoxLayout(holder)
        holder_box.addWidget(self.lines)
        holder_box.addStretch(1)
        scroll.setWidget(holder)
        lines_box = QVBoxLayout(self)
        lines_box.addWidget(scroll, 1)
        lines_box.addLayout(line_buttons)


def _stacked(widget: QWidget, error: FieldError) -> QWidget:
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(1)
    column.addWidget(widget)
    column.addWidget(error)
    return holder


def _domain_line(parsed: ParsedLine, code: str) -> DraftLine:
    # A line whose typed amount did not parse is checked as zero; its own message wins.
    return DraftLine(
        description=parsed.description,
        quantity=parsed.quantity or 0,
        unit_price=parsed.unit_price or Money.zero(code),
        watch_id=None if parsed.watch_id is None else str(parsed.watch_id),
    )


def client_input(customer: CustomerValues) -> ClientInput:
    """The one-off customer as the client form would hold them ("Also save as client")."""
    a = customer.address or PostalAddress()
    return ClientInput(
        name=customer.name,
        email=customer.email,
        line1=a.line1,
        line2=a.line2,
        city=a.city,
        state=a.state,
        postal_code=a.postal_code,
        country=a.country,
    )


def customer_errors(client_errors: Mapping[str, str]) -> dict[str, str]:
    """The client form's message keys (check_client) as the composer's customer fields."""
    keys = {"name": "customer_name", "email": "customer_email"}
    found: dict[str, str] = {}
    for key, message in client_errors.items():
        if key in keys:
            found[keys[key]] = message
        elif key in PostalAddress.__dataclass_fields__:
            found[f"customer_address.{key}"] = message
        else:  # a field the composer does not have
            found.setdefault("form", message)
    return found


def typed_errors(
    code: str,
    customer: CustomerValues,
    parsed: list[ParsedLine],
    days_until_due: int,
    memo: str,
    locale: str,
    footer: str = "",
) -> dict[str, str]:
    """Every problem with the draft as typed, keyed by field or `lines[i].field`."""
    domain = InvoiceDraft(
        currency=code,
        lines=[_domain_line(p, code) for p in parsed],
        customer_name=customer.name,
        customer_email=customer.email,
        customer_address=customer.address,
        contact_id=None if customer.contact_id is None else str(customer.contact_id),
        days_until_due=days_until_due,
        memo=memo,
        footer=footer,
    )
    errors = validate_draft(domain, locale)
    for i, line in enumerate(parsed):
        errors.update({f"lines[{i}].{name}": msg for name, msg in line.errors.items()})
    return errors


def draft_input(
    code: str,
    customer: CustomerValues,
    parsed: list[ParsedLine],
    days_until_due: int,
    memo: str,
    footer: str,
) -> DraftInput:
    """The draft for the service, once typed_errors found nothing."""
    return DraftInput(
        currency=code,
        lines=[
            DraftLineInput(p.description, p.quantity or 1, p.unit_price, p.watch_id)
            for p in parsed
            if p.unit_price is not None
        ],
        contact_id=customer.contact_id,
        customer_name=customer.name,
        customer_email=customer.email,
        customer_address=customer.address,
        days_until_due=days_until_due,
        memo=memo.strip(),
        footer=footer.strip(),
    )
