"""The document tests of the window use the window tests' fixtures."""

from tests.ui.fixtures import make_window, qapp, qt_warnings_fail, scripted, store

__all__ = ["make_window", "qapp", "qt_warnings_fail", "scripted", "store"]
