"""The frozen app's entry point: ``Cove`` is the ``cove`` command.

Double-clicked it starts the window; ``Cove worker ADDRESS`` is the model worker the
window starts from this same executable (app.engine.client.worker_command);
``Cove --self-test``, ``Cove chat`` and ``Cove models`` work as in a checkout. All of it
is app.cli.main, except ``Cove --run-python CONFIG``: the python tool's sandboxed
child (app.tools.python_child), which this same executable is, as the frozen app has
no separate Python interpreter.

``COVE_SMOKE_QUIT_AFTER_MS`` is for the packaging smoke test only (tools/package_smoke.py):
when set, and the window is being started, a probe prints one line
``cove-smoke: window-painted`` on stdout as soon as the first top-level window has been
painted, then closes every window after that many milliseconds, as a user would. It
watches from outside: it neither creates the QApplication nor changes how the app
builds its window, so what is measured is the app as users start it. Without the
variable nothing here touches Qt.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication

SMOKE_ENV = "COVE_SMOKE_QUIT_AFTER_MS"
MARKER = "cove-smoke: window-painted"


def _starts_gui(argv: list[str]) -> bool:
    return not argv or argv[0] == "gui"


def _watch_for_window(quit_after_ms: int) -> None:
    """Wait (on a helper thread) for the app's QApplication, then hand the real work to
    the GUI thread through a queued call: Qt objects are only touched there."""

    def wait_for_app() -> None:
        while True:
            widgets = sys.modules.get("PySide6.QtWidgets")
            try:  # the module may still be initialising on the main thread
                app = widgets.QApplication.instance() if widgets is not None else None
            except (AttributeError, ImportError):
                app = None
            if app is not None:
                from PySide6.QtCore import QTimer

                QTimer.singleShot(0, app, lambda a=app: _install_probe(a, quit_after_ms))
                return
            time.sleep(0.005)

    threading.Thread(target=wait_for_app, name="cove-smoke-probe", daemon=True).start()


def _install_probe(app: QCoreApplication, quit_after_ms: int) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    class Probe(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if (event.type() == QEvent.Type.Paint and isinstance(obj, QWidget)
                    and obj.window().isVisible()):
                app.removeEventFilter(self)
                print(f"{MARKER} {obj.window().windowTitle()!r}", flush=True)
                QTimer.singleShot(quit_after_ms, QApplication.closeAllWindows)
                # A window that refuses to close (a "discard changes?" question) must
                # not hang the smoke test: quit anyway a little later.
                QTimer.singleShot(quit_after_ms + 3000, QApplication.quit)
            return False

    probe = Probe(app)
    app.installEventFilter(probe)
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            widget.update()  # painted before the probe was in place: paint once more


def main() -> int:
    if sys.argv[1:2] == ["--run-python"]:  # the python tool's sandboxed child, nothing else
        from app.tools import python_child

        return python_child.main(sys.argv[2:])
    multiprocessing.freeze_support()  # harmless unless something spawns processes
    smoke = os.environ.get(SMOKE_ENV)
    if smoke and _starts_gui(sys.argv[1:]):
        _watch_for_window(int(smoke))
    from app.cli import main as cove_main

    return cove_main()


if __name__ == "__main__":
    raise SystemExit(main())
