"""The panel beside the table: the selected client and its Stripe customer."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.domain.validation import country_choices
from tracker_desktop.services.clients.client_service import (
    LINKED,
    NEEDS_SYNC,
    REFUSED,
    ClientDetails,
)
from tracker_desktop.services.clients.stripe_customers import StripeLinkMode
from tracker_desktop.ui.theme import tone

_COUNTRY_NAMES = dict(country_choices("en"))


def _label(name: str, *, wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ClientPanel(QFrame):
    create_clicked = Signal()
    sync_clicked = Signal()
    refresh_clicked = Signal()
    unlink_clicked = Signal()
    dashboard_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(260)
        layout = QVBoxLayout(self)
        self.title = _label("panelTitle")
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.contact = _label("panelContact")
        self.address = _label("panelAddress")
        for widget in (self.title, self.contact, self.address):
            layout.addWidget(widget)

        box = QGroupBox("Stripe customer")
        stripe = QVBoxLayout(box)
        self.state = _label("stripeState")
        self.customer_id = _label("stripeCustomerId")
        self.payment_method = _label("paymentMethod")
        self.dashboard_button = QPushButton("Open in Stripe Dashboard")
        self.dashboard_button.setObjectName("dashboardButton")
        self.create_button = QPushButton("Create in Stripe")
        self.create_button.setObjectName("createInStripeButton")
        self.sync_button = QPushButton("Send changes now")
        self.sync_button.setObjectName("syncNowButton")
        self.refresh_button = QPushButton("Refresh payment method")
        self.refresh_button.setObjectName("refreshButton")
        self.unlink_button = QPushButton("Unlink…")
        self.unlink_button.setObjectName("unlinkButton")
        parts: tuple[QWidget, ...] = (
            self.state,
            self.customer_id,
            self.payment_method,
            self.dashboard_button,
            self.refresh_button,
            self.create_button,
            self.sync_button,
            self.unlink_button,
        )
        for part in parts:
            stripe.addWidget(part)
        layout.addWidget(box)
        layout.addStretch(1)

        self.create_button.clicked.connect(self.create_clicked.emit)
        self.sync_button.clicked.connect(self.sync_clicked.emit)
        self.refresh_button.clicked.connect(self.refresh_clicked.emit)
        self.unlink_button.clicked.connect(self.unlink_clicked.emit)
        self.dashboard_button.clicked.connect(self.dashboard_clicked.emit)
        self.client: ClientDetails | None = None
        self.show_client(None, None)

    def show_client(
        self, client: ClientDetails | None, mode: StripeLinkMode | None, busy: bool = False
    ) -> None:
        self.client = client
        if client is None:
            self.title.setText("No client selected")
            self.contact.setText("Choose a client in the list, or press Ctrl+N for a new one.")
            self.address.clear()
            self._stripe(None, None, busy)
            return
        form = client.form
        self.title.setText(form.name + (f" — {form.company}" if form.company else ""))
        self.contact.setText(
            "<br>".join(escape(p) for p in (form.email, form.phone) if p) or "No email or phone"
        )
        country = _COUNTRY_NAMES.get(form.country, form.country)
        city_line = " ".join(p for p in (form.postal_code, form.city) if p)
        lines = [form.line1, form.line2, city_line, form.state, country]
        self.address.setText("<br>".join(escape(p) for p in lines if p) or "No address")
        self._stripe(client, mode, busy)

    def _stripe(
        self, client: ClientDetails | None, mode: StripeLinkMode | None, busy: bool
    ) -> None:
        customer_id = client.stripe_customer_id if client is not None else None
        linked = customer_id is not None
        state = client.stripe_state if client is not None else ""
        self.customer_id.setText(f"Customer {customer_id}" if customer_id else "")
        self.customer_id.setVisible(linked)
        amber, red, green = (tone(t).name() for t in ("warning", "error", "success"))
        # The last attempt's reason, whole, in the tooltip; the line says it once.
        self.state.setToolTip((client.sync_error or "") if client is not None else "")
        if client is None:
            self.state.setText("")
        elif state == NEEDS_SYNC:
            self.state.setText(
                f"<span style='color:{amber}'>Waiting to send to Stripe; it is sent "
                "automatically when Stripe is reachable.</span>"
            )
        elif state == REFUSED:
            reason = client.sync_error or ""
            said = (
                reason
                if reason.startswith("Stripe")
                else f"Stripe refused the last change: {reason}"
            )
            self.state.setText(f"<span style='color:{red}'>{escape(said)}</span>")
        elif state == LINKED:
            self.state.setText(f"<span style='color:{green}'>Linked to Stripe</span>")
        else:
            self.state.setText("Not in Stripe yet.")
        if linked and client is not None:
            pm = client.payment_method
            self.payment_method.setText(
                f"Payment method: {pm}" if pm else "No saved payment method"
            )
        self.payment_method.setVisible(linked)
        has_stripe = mode is not None
        url = mode.customer_url(customer_id) if customer_id and mode else None
        self.dashboard_button.setVisible(url is not None)
        self.dashboard_button.setToolTip(url or "")
        self.refresh_button.setVisible(linked)
        self.unlink_button.setVisible(linked)
        self.create_button.setVisible(client is not None and not linked)
        self.sync_button.setVisible(client is not None and state in (NEEDS_SYNC, REFUSED))
        for button in (self.create_button, self.sync_button, self.refresh_button):
            button.setEnabled(has_stripe and not busy)
        self.unlink_button.setEnabled(not busy)
