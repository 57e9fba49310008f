"""Light and dark palettes, one accent colour, and the few style rules Fusion lacks.

``apply(app, "system" | "light" | "dark")`` sets the palette and the style sheet; with
"system" it follows the operating system's colour scheme, also when that changes while
Cove runs. :func:`current` tells widgets that draw their own colours (code blocks,
bubbles) which set of colours is in force.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


@dataclass(frozen=True)
class Colours:
    dark: bool
    base: str  # the chat column
    sidebar: str
    surface: str  # user bubble, chips
    hover: str
    selection: str
    text: str
    muted: str
    border: str
    accent: str
    accent_text: str
    code_bg: str
    error_bg: str
    error_border: str
    pygments_style: str


LIGHT = Colours(
    dark=False, base="#ffffff", sidebar="#f5f5f7", surface="#eef1f5", hover="#e9e9ee",
    selection="#e1e5ec", text="#1d1d1f", muted="#6b6b73", border="#e0e0e6",
    accent="#0b7a75", accent_text="#ffffff", code_bg="#f6f8fa", error_bg="#fdf0ef",
    error_border="#efb9b4", pygments_style="default",
)
DARK = Colours(
    dark=True, base="#1f2023", sidebar="#18191c", surface="#2d2f34", hover="#2a2c31",
    selection="#34373e", text="#e8e8ea", muted="#9b9ba4", border="#36383e",
    accent="#3cbfb6", accent_text="#0c1d1c", code_bg="#16171a", error_bg="#3a2325",
    error_border="#7b3c40", pygments_style="github-dark",
)

_current = LIGHT
_setting = "system"


def current() -> Colours:
    return _current


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def resolve(setting: str) -> Colours:
    if setting == "dark":
        return DARK
    if setting == "light":
        return LIGHT
    return DARK if system_is_dark() else LIGHT


def palette_for(c: Colours) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    window = QColor(c.sidebar)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        p.setColor(group, role.Window, window)
        p.setColor(group, role.WindowText, QColor(c.text))
        p.setColor(group, role.Base, QColor(c.base))
        p.setColor(group, role.AlternateBase, QColor(c.surface))
        p.setColor(group, role.Text, QColor(c.text))
        p.setColor(group, role.Button, QColor(c.surface))
        p.setColor(group, role.ButtonText, QColor(c.text))
        p.setColor(group, role.Highlight, QColor(c.accent))
        p.setColor(group, role.HighlightedText, QColor(c.accent_text))
        p.setColor(group, role.Link, QColor(c.accent))
        p.setColor(group, role.LinkVisited, QColor(c.accent))
        p.setColor(group, role.ToolTipBase, QColor(c.surface))
        p.setColor(group, role.ToolTipText, QColor(c.text))
        p.setColor(group, role.PlaceholderText, QColor(c.muted))
        p.setColor(group, role.Mid, QColor(c.border))
        p.setColor(group, role.Midlight, QColor(c.hover))
        p.setColor(group, role.Light, QColor(c.base))
        p.setColor(group, role.Dark, QColor(c.border))
        p.setColor(group, role.Shadow, QColor(c.border))
    disabled = QColor(c.muted)
    disabled.setAlpha(150)
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, r, disabled)
    p.setColor(QPalette.ColorGroup.Disabled, role.Base, QColor(c.base))
    p.setColor(QPalette.ColorGroup.Disabled, role.Window, window)
    p.setColor(QPalette.ColorGroup.Disabled, role.Button, QColor(c.surface))
    return p


def style_sheet(c: Colours) -> str:
    return f"""
QWidget#sidebar {{ background: {c.sidebar}; }}
QWidget#main, QScrollArea#chatScroll, QWidget#chatColumn, QWidget#chatCanvas {{
    background: {c.base}; }}
QScrollArea#chatScroll {{ border: none; }}
QListWidget#conversationList, QListWidget#searchResults {{
    background: transparent; border: none; outline: none; }}
QListWidget#conversationList::item, QListWidget#searchResults::item {{
    padding: 7px 8px; border-radius: 7px; color: {c.text}; }}
QListWidget#conversationList::item:hover, QListWidget#searchResults::item:hover {{
    background: {c.hover}; }}
QListWidget#conversationList::item:selected, QListWidget#searchResults::item:selected {{
    background: {c.selection}; color: {c.text}; }}
QLineEdit#searchField {{ background: {c.base}; border: 1px solid {c.border};
    border-radius: 8px; padding: 5px 8px; }}
QLineEdit#searchField:focus {{ border-color: {c.accent}; }}
QFrame#undoBar {{ background: {c.surface}; border-radius: 8px; }}
QWidget#topBar {{ background: {c.base}; border-bottom: 1px solid {c.border}; }}
QLabel#chip {{ background: {c.surface}; border-radius: 9px; padding: 2px 9px;
    color: {c.muted}; }}
QLabel[muted="true"] {{ color: {c.muted}; }}
QLabel#emptyTitle {{ font-size: 22pt; font-weight: 600; }}
QFrame#emptyCard {{ background: {c.surface}; border-radius: 12px; }}
QFrame#userBubble {{ background: {c.surface}; border-radius: 16px; }}
QFrame#codeBlock {{ background: {c.code_bg}; border: 1px solid {c.border};
    border-radius: 8px; }}
QWidget#codeHeader {{ border-bottom: 1px solid {c.border}; }}
QLabel#codeLanguage {{ color: {c.muted}; }}
QFrame#thinking {{ border-left: 2px solid {c.border}; }}
QFrame#thinkingRule {{ color: {c.border}; }}
QTextBrowser#reasoningText {{ color: {c.muted}; }}
QFrame#errorCard {{ background: {c.error_bg}; border: 1px solid {c.error_border};
    border-radius: 10px; }}
QFrame#composer {{ background: {c.base}; border: 1px solid {c.border};
    border-radius: 16px; }}
QFrame#composer[focused="true"] {{ border-color: {c.accent}; }}
QPlainTextEdit#composerInput {{ background: transparent; border: none; }}
QToolButton {{ border: none; border-radius: 6px; padding: 4px; }}
QToolButton:hover {{ background: {c.hover}; }}
QToolButton:pressed {{ background: {c.selection}; }}
QToolButton#sendButton {{ background: {c.accent}; border-radius: 15px; padding: 5px; }}
QToolButton#sendButton:disabled {{ background: {c.border}; }}
QToolButton#sendButton[stop="true"] {{ background: {c.text}; }}
QPushButton#primary {{ background: {c.accent}; color: {c.accent_text}; border: none;
    border-radius: 7px; padding: 7px 16px; font-weight: 600; }}
QPushButton#primary:hover {{ background: {QColor(c.accent).lighter(110).name()}; }}
QPushButton#answerNow {{ border: 1px solid {c.border}; border-radius: 11px;
    padding: 2px 10px; background: {c.base}; }}
QPushButton#answerNow:hover {{ border-color: {c.accent}; }}
QSplitter::handle {{ background: {c.border}; }}
"""


def apply(app: QApplication, setting: str) -> Colours:
    """Use the palette for ``setting`` (system / light / dark) from now on."""
    global _current, _setting
    _setting = setting
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    _current = resolve(setting)
    app.setPalette(palette_for(_current))
    app.setStyleSheet(style_sheet(_current))
    return _current


def follow_system(app: QApplication) -> None:
    """Re-apply the palette when the system's scheme changes and the setting is system."""

    def changed(_scheme: Qt.ColorScheme) -> None:
        if _setting == "system":
            apply(app, "system")

    app.styleHints().colorSchemeChanged.connect(changed)
