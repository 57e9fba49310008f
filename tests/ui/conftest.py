"""The window tests' fixtures live in :mod:`tests.ui.fixtures` (tests/test_gui.py uses
them too)."""

from tests.ui.fixtures import german, make_window, qapp, qt_warnings_fail, scripted, store

__all__ = ["german", "make_window", "qapp", "qt_warnings_fail", "scripted", "store"]
