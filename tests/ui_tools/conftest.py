"""The tools' window tests: the window tests' fixtures (QApplication, Qt-warning guard,
windows, the real worker's engine)."""

from tests.ui.fixtures import engine_for, make_window, qapp, qt_warnings_fail, store

__all__ = ["engine_for", "make_window", "qapp", "qt_warnings_fail", "store"]
