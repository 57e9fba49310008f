"""The installed Qt binding must not leak or drop references to None/True/False.

PySide6 6.12.0 on CPython 3.11 dropped one reference to None per void C++ call and one
to True per signal emit, so a long chat aborted the app ("none_dealloc"). pyproject
pins below it; this test catches a binding with the same fault.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget


class _Emitter(QObject):
    fired = Signal(bool)


def test_void_calls_and_emits_keep_singleton_refcounts() -> None:
    app = QApplication.instance() or QApplication(["cove-test"])
    assert app is not None
    widget = QWidget()
    emitter = _Emitter()
    count = [0]

    def on_fired(value: bool) -> None:
        count[0] += value

    emitter.fired.connect(on_fired)
    before = sys.getrefcount(None), sys.getrefcount(True)
    for i in range(20_000):
        widget.resize(10 + i % 3, 10)
        emitter.fired.emit(True)
    after = sys.getrefcount(None), sys.getrefcount(True)
    widget.deleteLater()
    assert count[0] == 20_000
    # A reference too many is harmless (the count only grows); one too few per call
    # (20,000 here) is the fault that aborts the interpreter.
    assert after[0] >= before[0] - 500
    assert after[1] >= before[1] - 500
