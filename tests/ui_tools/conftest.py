"""The Tools window's tests: the window tests' QApplication and Qt-warning guard."""

from tests.ui.fixtures import qapp, qt_warnings_fail

__all__ = ["qapp", "qt_warnings_fail"]
