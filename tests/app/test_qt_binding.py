"""The pinned Qt binding keeps Python's singletons counted right.

PySide6 6.12.0 dropped one reference to None on every call of a Qt method that returns
nothing (setText, QTimer.start, processEvents...). On Python 3.11, where None is not
immortal, a session of a few hours ended in "Fatal Python error: none_dealloc". The pin
(pyproject.toml) holds PySide6 at a release without the fault; this test refuses a binding
that has it, whatever the pin says later.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel


class _Emitter(QObject):
    changed = Signal(int)


def test_void_qt_calls_leave_none_counted(qtbot: object) -> None:
    label = QLabel()
    timer = QTimer()
    emitter = _Emitter()
    emitter.changed.connect(lambda value: None)
    before = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    for n in range(2_000):
        label.setText(str(n))
        label.setVisible(False)
        timer.start(1_000)
        timer.stop()
        emitter.changed.emit(n)
        QCoreApplication.processEvents()
    after = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    # A few references may come or go with Python's own bookkeeping; the fault lost one
    # per call (about 12,000 here).
    assert all(abs(a - b) < 200 for a, b in zip(after, before, strict=True)), (before, after)
