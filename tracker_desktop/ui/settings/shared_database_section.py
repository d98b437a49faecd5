"""Settings -> Shared database: several workstations of one shop on one PostgreSQL database.

The dealer types the server, port, database, user and password (masked; it goes to the
keychain only), may Test connection, then Use this database: the server is upgraded, the
history chosen is moved into it, the setting saved, and the app asks to be started again
(it opens its database once, at start). Stop sharing goes back to this computer's file.
Every step that waits on the network or a disk runs off the GUI thread (services).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker_desktop.domain.errors import FormInvalid, TrackerError
from tracker_desktop.services.shared_database import (
    BackupNeedsYes,
    HistoryChoice,
    LocalProfile,
    SharedDatabaseForm,
    SharedDatabaseSetup,
    Switched,
)
from tracker_desktop.ui.settings.profile_form import error_label, show_error
from tracker_desktop.ui.tasks import TaskRunner, describe_error
from tracker_desktop.ui.theme import error_style, note_style, tone_style
from tracker_desktop.ui.widgets.accessibility import name_form_fields
from tracker_desktop.ui.widgets.field_messages import ClearWhenValid
from tracker_desktop.ui.widgets.questions import ask_choice, ask_yes_no

FIELDS = ("host", "port", "database", "user")
NOTHING, EVERYTHING = "none", "all"


class SharedDatabaseSection(QGroupBox):
    def __init__(self, setup: SharedDatabaseSetup, parent: QWidget | None = None) -> None:
        super().__init__("Shared database (several workstations)", parent)
        self.setObjectName("sharedDatabaseSection")
        self._setup = setup
        self.runner = TaskRunner(self)
        self.dialog: QWidget | None = None  # the last question asked (tests answer it)
        self.where = QLabel()
        self.where.setObjectName("sharedWhere")
        self.where.setWordWrap(True)
        self.edits = {
            "host": QLineEdit(),
            "port": QLineEdit("5432"),
            "database": QLineEdit("tracker"),
            "user": QLineEdit("tracker"),
        }
        self.edits["host"].setPlaceholderText("e.g. backoffice.local or 192.168.1.20")
        for key, edit in self.edits.items():
            edit.setObjectName(f"shared_{key}")
            edit.setMaxLength(253 if key == "host" else 63)
        self.password = QLineEdit()
        self.password.setObjectName("shared_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("kept in the system keychain")
        self.errors = {key: error_label(f"shared_{key}Error") for key in FIELDS}
        self.history = QComboBox()
        self.history.setObjectName("sharedHistory")
        self.history.addItem("Nothing: start the shared database empty", NOTHING)
        self.test_button = QPushButton("Test connection")
        self.test_button.setObjectName("sharedTest")
        self.use_button = QPushButton("Use this database…")
        self.use_button.setObjectName("sharedUse")
        self.stop_button = QPushButton("Stop sharing…")
        self.stop_button.setObjectName("sharedStop")
        self.progress = QProgressBar()
        self.progress.setObjectName("sharedProgress")
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.answer = QLabel()
        self.answer.setObjectName("sharedAnswer")
        self.answer.setWordWrap(True)
        self.answer.setVisible(False)

        form = QFormLayout()
        for label, key in (("Server", "host"), ("Port", "port"), ("Database", "database"),
                           ("User", "user")):  # fmt: skip
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addWidget(self.edits[key])
            cell.addWidget(self.errors[key])
            form.addRow(label, cell)
        form.addRow("Password", self.password)
        form.addRow("Bring along", self.history)
        name_form_fields(form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.use_button)
        buttons.addStretch(1)
        buttons.addWidget(self.stop_button)
        hint = QLabel(
            "For a shop with several computers: every workstation set to the same PostgreSQL "
            "database sees the same clients, watches and invoices. Set it up on one, bring "
            "this computer's history along, then set the others with Nothing."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(note_style())
        outer = QVBoxLayout(self)
        outer.addWidget(self.where)
        outer.addWidget(hint)
        outer.addLayout(form)
        outer.addLayout(buttons)
        outer.addWidget(self.progress)
        outer.addWidget(self.answer)

        self.test_button.clicked.connect(self.test_connection)
        self.use_button.clicked.connect(self.use_database)
        self.stop_button.clicked.connect(self.stop_sharing)
        self.runner.busy_changed.connect(self._set_busy)
        clear = ClearWhenValid(self._problems, self.errors, self)
        for key in FIELDS:
            clear.watch(self.edits[key].textChanged, key)
        self._show_setting()
        self.runner.run(setup.profiles_here(), self._offer_profiles)

    # -- what is shown ------------------------------------------------------------------
    def _show_setting(self) -> None:
        shared = self._setup.current()
        if self._setup.set_elsewhere():
            self.where.setText(
                "The database is chosen by TRACKER_DATABASE_URL on this computer; "
                "a setting made here applies once it is unset."
            )
        elif shared is None:
            self.where.setText("This computer works in its own database file.")
        else:
            self.where.setText(
                f'Set to the shared database "{shared.database}" on {shared.host}:'
                f"{shared.port} (user {shared.user})."
            )
            for key, value in shared.to_settings().items():
                self.edits[key].setText(str(value))
        self.stop_button.setVisible(shared is not None)

    def _offer_profiles(self, choices: list[LocalProfile]) -> None:
        if not choices:
            return
        self.history.addItem("Every business profile (Practice stays here)", EVERYTHING)
        for choice in choices:
            self.history.addItem(f"Only {choice.name}", choice.id)

    def form(self) -> SharedDatabaseForm:
        values = {key: edit.text() for key, edit in self.edits.items()}
        return SharedDatabaseForm(**values, password=self.password.text())

    def _problems(self) -> dict[str, str]:
        try:
            self._setup.checked(self.form())
        except FormInvalid as exc:
            return exc.errors
        return {}

    def _valid(self) -> bool:
        problems = self._problems()
        for key, label in self.errors.items():
            show_error(label, problems.get(key, ""))
        if problems:
            self.edits[next(iter(problems))].setFocus()
        return not problems

    def _tell(self, text: str, ok: bool) -> None:
        self.answer.setText(text)
        self.answer.setStyleSheet(tone_style("success") if ok else error_style())
        self.answer.setVisible(bool(text))

    def _set_busy(self, busy: bool) -> None:
        for widget in (*self.edits.values(), self.password, self.history, self.test_button,
                       self.use_button, self.stop_button):  # fmt: skip
            widget.setEnabled(not busy)
        if not busy:
            self.progress.setVisible(False)

    def _working(self, line: str, fraction: float | None = None) -> None:
        """The busy state: what is being done, and how far when that is known."""
        self._tell("", True)
        self.progress.setVisible(True)
        self.progress.setFormat(line)
        self.progress.setRange(0, 0 if fraction is None else 100)
        if fraction is not None:
            self.progress.setValue(round(fraction * 100))

    # -- actions ------------------------------------------------------------------------
    def test_connection(self) -> None:
        if self.runner.busy or not self._valid():
            return
        self._working("Testing the connection…")
        self.runner.run(
            self._setup.test_connection(self.form()),
            lambda problem: self._tell(
                problem or "Connected: this workstation can use that database.", problem is None
            ),
            lambda exc: self._tell(describe_error(exc), False),
        )

    def use_database(self) -> None:
        if self.runner.busy or not self._valid():
            return
        shared = self._setup.checked(self.form())
        label = self.history.currentText()
        self.dialog = ask_yes_no(
            self,
            "Use the shared database?",
            f'Use the database "{shared.database}" on {shared.host} on this computer? It is '
            f"brought up to this version first. Bring along: {label}. This computer's own "
            "file is kept as it is, and Tracker Desktop must be started again afterwards.",
            lambda: self._switch(upgrade_without_backup=False),
        )

    def _switch(self, *, upgrade_without_backup: bool) -> None:
        history: HistoryChoice = self.history.currentData()
        self._working("Connecting…")
        self.runner.run(
            self._setup.use(
                self.form(), history, upgrade_without_backup=upgrade_without_backup,
                progress=self._working,
            ),
            self._switched,
            self._not_switched,
        )  # fmt: skip

    def _switched(self, done: Switched) -> None:
        self.password.clear()
        self._show_setting()
        self._tell(str(done), True)
        self._ask_restart(str(done))

    def _not_switched(self, exc: Exception) -> None:
        if isinstance(exc, FormInvalid):
            self._valid()
        elif isinstance(exc, BackupNeedsYes):
            # What stands until the dealer says yes (a No leaves it so).
            self._tell(
                "The shared database was not upgraded and has not been changed: back it up, "
                "then answer Yes, or install pg_dump so a copy is kept first.",
                False,
            )
            self.dialog = ask_yes_no(
                self, "Upgrade without a copy?", str(exc),
                lambda: self._switch(upgrade_without_backup=True),
            )  # fmt: skip
            return
        self._tell(describe_error(exc), False)

    def stop_sharing(self) -> None:
        if self.runner.busy:
            return

        def stop() -> None:
            try:
                self._setup.stop_sharing()
            except TrackerError as exc:
                self._tell(describe_error(exc), False)
                return
            self._show_setting()
            text = (
                "From its next start Tracker Desktop works in this computer's own file again, "
                "as it was before sharing; the shared database is left as it is. If this "
                "computer is a front desk, set that again in Settings after the start."
            )
            self._tell(text, True)
            self._ask_restart(text)

        self.dialog = ask_yes_no(
            self,
            "Stop sharing?",
            "Go back to this computer's own database file? What was done in the shared "
            "database stays there and is not brought back to this computer.",
            stop,
        )

    def _ask_restart(self, text: str) -> None:
        """Closing the main window quits the app the usual way (pollers stopped, state kept)."""
        self.dialog = ask_choice(
            self, "Start Tracker Desktop again", text, [("Quit now", self.window().close)], "Later"
        )
