"""The language of the window: Cove's own translations plus Qt's for its dialogs."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from app.ui.widgets.resources import translations_dir

SUPPORTED = ("en", "de")

_installed: list[QTranslator] = []


def resolve(setting: str) -> str:
    """"system" becomes the system's language when Cove has it, else English."""
    if setting in SUPPORTED:
        return setting
    name = QLocale.system().name().split("_")[0]
    return name if name in SUPPORTED else "en"


def install(app: QApplication, setting: str) -> str:
    """Load the translations for ``setting`` (before any window is built); returns the
    language in use."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    language = resolve(setting)
    QLocale.setDefault(QLocale(language))
    if language == "en":
        return language
    ours = QTranslator(app)
    if ours.load(f"cove_{language}", str(translations_dir())):
        app.installTranslator(ours)
        _installed.append(ours)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}",
               QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    return language
