"""First start with no profile: connect a Stripe key, or practise with the simulator."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from tracker_desktop import APP_NAME
from tracker_desktop.ui.theme import note_style

INTRO = (
    "Tracker Desktop keeps your clients, watches and invoices on this computer and creates "
    "invoices in your own Stripe account; the buyer pays on Stripe's payment page."
)
CONNECT_TEXT = (
    "Add your business and paste a Stripe key (Dashboard → Developers → API keys). A test "
    "key (sk_test_ or rk_test_) is a good start. The key stays in your system keychain."
)
PRACTISE_TEXT = (
    "Try everything against a Stripe simulator inside the app: no account, no real money. "
    "Practice clients and watches are kept; practice invoices start afresh each session."
    " The payment page lists the test cards (one pays, others are declined)."
)


class WelcomeDialog(QDialog):
    connect_chosen = Signal()
    practise_chosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeDialog")
        self.setWindowTitle(f"Welcome to {APP_NAME}")
        self.connect_button = QPushButton("Connect a Stripe key…")
        self.connect_button.setObjectName("connectStripe")
        self.connect_button.setDefault(True)
        self.practise_button = QPushButton("Practise with the simulator")
        self.practise_button.setObjectName("practiseWelcome")
        self.later_button = QPushButton("Later")
        self.later_button.setObjectName("welcomeLater")

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>Welcome to {APP_NAME}</h2>"))
        layout.addWidget(_wrapped(INTRO))
        for button, text in (
            (self.connect_button, CONNECT_TEXT),
            (self.practise_button, PRACTISE_TEXT),
        ):
            button.setMinimumHeight(36)
            layout.addSpacing(8)
            layout.addWidget(button)
            layout.addWidget(_wrapped(text, muted=True))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.later_button)
        layout.addSpacing(8)
        layout.addLayout(row)
        self.setMinimumWidth(480)

        self.connect_button.clicked.connect(lambda: self._choose(self.connect_chosen))
        self.practise_button.clicked.connect(lambda: self._choose(self.practise_chosen))
        self.later_button.clicked.connect(self.reject)  # Escape does the same

    def _choose(self, signal: SignalInstance) -> None:
        self.accept()
        signal.emit()


def _wrapped(text: str, *, muted: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if muted:
        label.setStyleSheet(note_style())
    return label
