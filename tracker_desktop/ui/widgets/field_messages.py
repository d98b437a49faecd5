"""Messages beside fields that neither linger nor make the dialog jump.

`reserve_line` keeps one line's height for a message label while it is empty and hidden,
so a form keeps its size as messages come and go. `ClearWhenValid` re-checks a form as the
dealer types, after a save showed its messages, and clears each message whose field is now
right; it never adds a message while the dealer is still typing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QObject, SignalInstance
from PySide6.QtWidgets import QLabel, QSizePolicy

Check = Callable[[], Mapping[str, str]]


def reserve_line(label: QLabel) -> QLabel:
    policy = label.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    policy.setVerticalPolicy(QSizePolicy.Policy.Minimum)
    label.setSizePolicy(policy)
    label.setMinimumHeight(label.fontMetrics().height())
    return label


def clear_label(label: QLabel) -> None:
    label.setText("")
    label.setVisible(False)


def showing(label: QLabel) -> bool:
    return bool(label.text()) and not label.isHidden()


class ClearWhenValid(QObject):
    """Each change signal is tied to the fields it can make right; when it fires, those
    fields' messages that are showing are checked again, and cleared if now right. A message
    about another field (Stripe's, say) stays until its own field changes."""

    def __init__(
        self,
        check: Check,
        labels: Mapping[str, QLabel] | Callable[[], Mapping[str, QLabel]],
        parent: QObject,
        *,
        clear: Callable[[QLabel], None] = clear_label,
    ) -> None:
        super().__init__(parent)
        self._check = check
        self._labels = labels
        self._clear = clear

    def watch(self, signal: SignalInstance, *keys: str) -> ClearWhenValid:
        signal.connect(lambda *_args: self.recheck(keys))
        return self

    def labels(self) -> Mapping[str, QLabel]:
        return self._labels() if callable(self._labels) else self._labels

    def recheck(self, keys: Iterable[str]) -> None:
        labels = self.labels()
        shown = {k: labels[k] for k in keys if k in labels and showing(labels[k])}
        if not shown:
            return
        still_wrong = self._check()
        for key, label in shown.items():
            if key not in still_wrong:
                self._clear(label)
