"""The window check of the release folder uses the window tests' fixtures."""

from tests.ui.fixtures import qapp, qt_warnings_fail

__all__ = ["qapp", "qt_warnings_fail"]
