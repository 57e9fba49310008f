"""PyInstaller hook for PySide6.QtGui that collects only the Qt plugins Cove needs.

It replaces PyInstaller's own hook (hooks in ``hookspath`` take precedence) and
filters before PyInstaller scans the plugins' dependencies, so the libraries only
unwanted plugins need (Qt Quick, QML, EGLFS …) stay out too. The list, and why each
plugin is there, is in qt_plugins.py.
"""

from __future__ import annotations

import os
import sys

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qt_plugins import keep

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(src, dest) for src, dest in binaries if keep(src, dest)]
