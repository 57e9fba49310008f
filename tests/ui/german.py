"""Checks of what a window shows, for the German UI and for text that does not fit.

``problems(root)`` lists, in a German window, every visible text that is still an English
source string or reads as English, every label showing a stray "&", and every text that
is cut: ``clipped(root)`` (also run on English windows) finds a wrapped label lower than
its text needs (cut top and bottom), a word wider than its label (cut mid-word), and a
one-line label or button narrower than its text.

Every window's German test uses these (tests/ui/test_german_window.py,
tests/ui_models/test_german.py), so a string made outside Qt's translation, or a layout
that squeezes a label, fails on whatever screen shows it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument, QTextOption
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QSizePolicy,
    QTabWidget,
    QWidget,
)

from app.ui.widgets.resources import translations_dir

# Words that are English and not German (nor names); a visible text with two of them
# was not translated. ("download" and "was" are German too: "der Download", "was".)
ENGLISH = {"the", "and", "is", "are", "runs", "with", "your", "this", "of", "to", "for",
           "found", "needs", "memory", "words", "second", "fits", "slow",
           "nothing", "what", "free", "about", "cannot", "will", "it", "on", "graphics",
           "could", "not", "has", "have", "been", "there", "try", "again",
           "loaded", "file", "which", "that", "from", "when", "than", "check", "choose",
           "failed", "error", "please", "should", "safe", "kept", "written", "waiting"}
# Texts that are names, not words: a model's title, a path, a file name.
NAMES = re.compile(r"^(gpt-oss|Qwen3|Cove$|Hugging Face$|https?://|/|GGUF$|MXFP4)")


@cache
def english_sources() -> frozenset[str]:
    """The source strings of the translation whose German differs (so showing one
    means its translation was not applied)."""
    tree = ET.parse(translations_dir() / "cove_de.ts")
    found = set()
    for message in tree.getroot().iter("message"):
        source = message.findtext("source") or ""
        if source != (message.findtext("translation") or "") and len(source) > 3:
            found.add(source)
    return frozenset(found)


def visible_texts(root: QWidget) -> Iterator[tuple[QWidget, str]]:
    """Every text a user can read in ``root``: titles, labels, buttons, tabs, group
    boxes, placeholders, the entries of lists and drop-downs."""
    yield root, root.windowTitle()
    for widget in root.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, (QLabel, QAbstractButton)):
            yield widget, widget.text()
        elif isinstance(widget, QGroupBox):
            yield widget, widget.title()
        elif isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                yield widget, widget.tabText(i)
        elif isinstance(widget, QLineEdit):
            yield widget, widget.placeholderText()
        elif isinstance(widget, QComboBox):
            for i in range(widget.count()):
                yield widget, widget.itemText(i)
        elif isinstance(widget, QListWidget):
            for i in range(widget.count()):
                yield widget, widget.item(i).text()


def plain(text: str) -> str:
    return re.sub(r"<[^>]+>", " ", text).replace("&amp;", "&").replace("&lt;", "<") \
        .replace("&gt;", ">").replace("&nbsp;", " ")


def english_words(text: str) -> set[str]:
    """The words of ``text`` that are English only (paths and file names left out)."""
    words = re.findall(r"[A-Za-z']+", re.sub(r"\S*[/\\.]\S*[A-Za-z]\S*", "", text))
    return {w.lower() for w in words} & ENGLISH


def problems(root: QWidget, names: tuple[str, ...] = ()) -> list[str]:
    """Every English text, stray "&" and cut text in ``root``, described. ``names``:
    texts the test itself put there (a chat's title, a file name), not Cove's words."""
    sources = english_sources()
    found = []
    for widget, text in visible_texts(root):
        shown = plain(text).strip()
        if not shown or NAMES.match(shown) or widget.objectName() == "cardTitle" or \
                any(name in shown for name in names):
            continue
        if shown in sources or shown.replace("&", "") in sources:
            found.append(f"untranslated: {shown!r}")
            continue
        if len(english_words(shown)) >= 2:
            found.append(f"reads as English: {shown!r} ({sorted(english_words(shown))})")
        if isinstance(widget, QLabel) and _shows_ampersand(widget, shown):
            found.append(f"a visible '&': {shown!r}")
    return found + clipped(root)


def _shows_ampersand(label: QLabel, shown: str) -> bool:
    rich = "<" in label.text() and label.textFormat() != Qt.TextFormat.PlainText
    return "&" in shown.replace("&&", "") and label.buddy() is None and not rich


def clipped(root: QWidget) -> list[str]:
    """Every visible label or button in ``root`` whose text does not fit it."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, (QLabel, QAbstractButton)):
            continue
        if widget.sizePolicy().horizontalPolicy() == QSizePolicy.Policy.Ignored or \
                isinstance(widget.parentWidget(), QLineEdit) or \
                type(widget).__name__ == "ElidedLabel":  # they mean to elide
            continue
        shown = plain(widget.text())[:60].strip()
        if widget.hasHeightForWidth():
            needed = widget.heightForWidth(widget.width())
            if needed > widget.height() + 1:
                found.append(f"cut top and bottom ({widget.height()} of {needed} px "
                             f"high): {shown!r}")
        if isinstance(widget, QLabel) and widget.wordWrap():
            widest, room = widest_word(widget), widget.contentsRect().width()
            if widest > room + 1:
                found.append(f"a word cut ({room} px wide, a word needs {widest}): "
                             f"{shown!r}")
        elif shown and (not isinstance(widget, QLabel) or widget.pixmap().isNull()) and \
                widget.width() + 1 < widget.minimumSizeHint().width():
            found.append(f"cut off ({widget.width()} of "
                         f"{widget.minimumSizeHint().width()} px wide): {shown!r}")
    return found


def widest_word(label: QLabel) -> int:
    """The width of the label's widest word (or of a run it cannot break), in pixels."""
    document = QTextDocument()
    document.setDefaultFont(label.font())
    document.setDocumentMargin(0)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)  # as QLabel: never inside a word
    document.setDefaultTextOption(option)
    text = label.text()
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and "<" in text)
    if rich:
        document.setHtml(text)
    else:
        document.setPlainText(text)
    document.setTextWidth(0)
    return int(document.idealWidth() + 0.999)
