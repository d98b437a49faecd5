"""The push's steps with ticks, so the dealer sees where it is and where it stopped."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from tracker_desktop.services.invoicing.invoice_service import PushStep
from tracker_desktop.ui.theme import Tone, muted, tone

STEPS: tuple[tuple[PushStep, str], ...] = (
    (PushStep.CUSTOMER, "Customer"),
    (PushStep.CREATE_INVOICE, "Invoice"),
    (PushStep.ADD_LINES, "Lines"),
    (PushStep.FINALIZE, "Finalize"),
)
WAITING, WORKING, DONE, FAILED = "○", "…", "✓", "✗"
_TONES: dict[str, Tone] = {WORKING: "info", DONE: "success", FAILED: "error"}


class PushStepList(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.labels: dict[PushStep, QLabel] = {}
        self._names = dict(STEPS)
        self._marks: dict[PushStep, str] = {}
        self.current: PushStep | None = None
        for step, _name in STEPS:
            label = QLabel()
            label.setObjectName(f"step_{step.value}")
            self.labels[step] = label
            layout.addWidget(label)
        layout.addStretch(1)
        self.reset()

    def reset(self) -> None:
        self.current = None
        for step, _ in STEPS:
            self._mark(step, WAITING)

    def started(self, step: PushStep) -> None:
        """A step began: those before it are done (a resumed push skips what is done)."""
        self.current = step
        reached = step == PushStep.DONE
        for each, _ in STEPS:
            if each == step:
                self._mark(each, WORKING)
                reached = True
            elif not reached or step == PushStep.DONE:
                self._mark(each, DONE)

    def finished(self) -> None:
        self.started(PushStep.DONE)

    def failed(self) -> None:
        step = self.current or PushStep.CUSTOMER
        if step in self._names:
            self._mark(step, FAILED)

    def mark(self, step: PushStep) -> str:
        return self._marks[step]

    def _mark(self, step: PushStep, mark: str) -> None:
        self._marks[step] = mark
        label = self.labels[step]
        label.setText(f"{mark} {self._names[step]}")
        weight = "normal" if mark == WAITING else "bold"
        colour = tone(_TONES[mark]) if mark in _TONES else muted()
        label.setStyleSheet(f"color: {colour.name()}; font-weight: {weight}; padding-right: 14px;")
