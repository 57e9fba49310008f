"""Text that users, models and documents wrote, shown as text and never as HTML.

Qt guesses: a QLabel, a tooltip or a message box whose text "looks like" HTML (anything
with a tag near its start, ``Vec<String>`` included) is rendered as rich text, and
whatever the HTML parser does not understand disappears. An answer about generics, a
file called ``<draft>.txt`` or a passage quoting XML would then lose words on screen.

Every widget that shows such text goes through one of these helpers:

- :func:`plain_label` for labels (and :func:`plain_box` for message boxes): Qt is told
  the text is plain, so it is never parsed.
- :func:`escaped` where the text is part of a string that is deliberately rich (a bold
  title, a table): the text is escaped first.
- :func:`tooltip` for tooltips, which have no plain-text switch (nor has a message box's
  informative text): the text is escaped and wrapped so Qt renders it as (escaped) rich
  text, keeping line breaks.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox


def escaped(text: str) -> str:
    """``text`` safe inside rich text: every character shown as it is, line breaks kept."""
    return html.escape(text, quote=False).replace("\n", "<br>")


def literal(text: str) -> str:
    """``text`` for a place that guesses rich text and has no plain switch (a tooltip, a
    message box's informative text, ``QMessageBox.question``): escaped and wrapped, so it
    shows literally, line breaks kept; empty text stays empty."""
    if not text:
        return ""
    return f"<p style='white-space:pre-wrap'>{html.escape(text, quote=False)}</p>"


tooltip = literal  # the common case, by its name


def plain_label(label: QLabel) -> QLabel:
    """``label`` never parses its text as HTML; returned for chaining."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_box(box: QMessageBox) -> QMessageBox:
    """A message box whose text and details are shown literally."""
    box.setTextFormat(Qt.TextFormat.PlainText)
    if box.informativeText():
        box.setInformativeText(tooltip(box.informativeText()))
    return box
