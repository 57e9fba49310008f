"""The window tests' fixtures live in :mod:`tests.ui.fixtures` (tests/test_gui.py uses
them too)."""

from tests.ui.fixtures import (
    engine_for,
    german,
    look,
    make_window,
    qapp,
    qt_warnings_fail,
    scripted,
    store,
)

__all__ = ["engine_for", "german", "look", "make_window", "qapp", "qt_warnings_fail",
           "scripted", "store"]
