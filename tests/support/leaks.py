"""A fixture that fails a test which leaves a thread or a top-level widget behind.

A test that leaks is a test whose clean-up is wrong or whose code under test never
lets go: a worker thread still reading a closed pipe, a dialog nobody closed, a window
that outlives its test and then receives the next test's signals. Those bite later, in
another test, as a hang or a warning at exit; this fixture names them where they start.

Per test, it snapshots ``threading.enumerate()`` and (when a QApplication exists)
``QApplication.topLevelWidgets()`` before, and after the test's own fixtures are torn
down compares:

- widgets first: posted ``deleteLater`` calls are delivered
  (``sendPostedEvents(None, DeferredDelete)``), then any top-level widget made during
  the test that still exists, shown or hidden, is a leak (it is closed and deleted
  after being reported, so that the next test starts clean);
- then threads: each Python thread started during the test is joined, all of them
  within :data:`JOIN_S` (a thread that is ending gets the time to end: this waits for
  the event, it does not sleep); one still alive after that is a leak.

What existed before the test is never blamed: session- and module-scoped fixtures are
set up before a test's function-scoped fixtures, so their engine clients, servers and
QApplication are in the snapshot. Threads Python did not start (Qt's own, seen as
``_DummyThread`` when they call into Python) cannot be joined and are not counted.

Used by tests/conftest.py for every test. ``tests/test_leaks.py`` proves it fails.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

# The most a test's threads are waited for, all together. Generous: the machine is
# shared and busy, and only a test that really leaks ever waits this long.
JOIN_S = float(os.environ.get("COVE_TEST_LEAK_JOIN_S", "30"))

# Qt's own process-wide top-level helpers, made once on first use and kept for the
# life of the application (not something a test made and forgot).
QT_SINGLETONS = frozenset({"QTipLabel"})


def _application() -> Any:
    """The QApplication, if this process has one (without importing Qt otherwise)."""
    widgets = sys.modules.get("PySide6.QtWidgets")
    if widgets is None:
        return None
    app = widgets.QApplication.instance()
    return app if isinstance(app, widgets.QApplication) else None


def _flush_deletes() -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _key(widget: Any) -> int:
    import shiboken6

    return int(shiboken6.getCppPointer(widget)[0])


def _top_levels(app: Any) -> dict[int, Any]:
    import shiboken6

    return {_key(w): w for w in app.topLevelWidgets()
            if shiboken6.isValid(w) and w.metaObject().className() not in QT_SINGLETONS}


def _describe_widget(widget: Any) -> str:
    cls = widget.metaObject().className()
    title = widget.windowTitle()
    name = widget.objectName()
    state = "visible" if widget.isVisible() else "hidden, not deleted"
    return f"{cls}{f' {name!r}' if name else ''}{f' titled {title!r}' if title else ''} " \
           f"({state})"


def _describe_thread(thread: threading.Thread) -> str:
    target = getattr(thread, "_target", None)  # where it was started, to find the owner
    where = getattr(target, "__qualname__", None) or type(thread).__qualname__
    module = getattr(target, "__module__", None) or type(thread).__module__
    kind = "daemon" if thread.daemon else "non-daemon"
    return f"{thread.name!r} ({kind}, running {module}.{where})"


def leaked_widgets(before: dict[int, Any]) -> list[str]:
    """Top-level widgets made since ``before`` that still exist; they are then closed
    and deleted (reported once, not again by the next test)."""
    app = _application()
    if app is None:
        return []
    _flush_deletes()
    leaked = [w for key, w in _top_levels(app).items() if key not in before]
    found = [_describe_widget(w) for w in leaked]
    for widget in leaked:
        widget.close()
        widget.deleteLater()
    if leaked:
        _flush_deletes()
    return found


def leaked_threads(before: set[threading.Thread], join_s: float = JOIN_S) -> list[str]:
    """Python threads started since ``before`` that are still alive after being given
    ``join_s`` seconds, all together, to end."""
    deadline = time.monotonic() + join_s
    left = []
    for thread in threading.enumerate():
        if thread in before or thread is threading.current_thread() \
                or isinstance(thread, threading._DummyThread):
            continue
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            left.append(_describe_thread(thread))
    return left


@pytest.fixture(autouse=True)
def no_leaks() -> Iterator[None]:
    """Fail the test that leaves a thread or a top-level widget behind (see above)."""
    threads = set(threading.enumerate())
    app = _application()
    widgets = _top_levels(app) if app is not None else {}
    yield
    problems = [f"a top-level widget was left: {w}" for w in leaked_widgets(widgets)]
    problems += [f"a thread was left running: {t}" for t in leaked_threads(threads)]
    if problems:
        pytest.fail("The test leaked (close or join it in the test or its fixture):\n  "
                    + "\n  ".join(problems), pytrace=False)
