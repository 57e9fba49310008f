"""A tool call inside an answer: which tool, with what, how it went, what came back.

:class:`ToolCallCard` shows one call as the session reports it
(:class:`app.session.events.ToolCallInfo`) or as the history keeps it (a record of
:meth:`app.chats.records.Message.calls`): the tool, its arguments, its status
(asking / running / done / failed / denied), the time it took and its result, folded
when long. While the call asks first it shows ALL of what would run (python: "Run this
code?" over the whole code; others: all their arguments), never cut: a prompt-injected
document could hide a payload past a cut. Its buttons: Run / Allow, Deny, and "Always in
this chat". A python run's created files each get a "Save…" button. Everything the
model or a tool wrote is shown as plain text, never rich text.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.services.conversation_tools import ALWAYS, SAVE
from app.ui.widgets.plain import escaped

FOLD_CHARS = 400  # a longer result shows this much until "Show all"
ASKING_HEIGHT = 320  # the code or arguments while asking: taller than this scrolls
DECIDED_HEIGHT = 140  # … and once the call is decided
# The python tool's note of the files a run wrote (app.tools.python); the last one
# counts (the code's own output could print a look-alike before it).
_FILES_RE = re.compile(r"^\[files written: (.+)\]$", re.MULTILINE)


class _Code(QPlainTextEdit):
    """The call's code or arguments: all of it, monospace, read-only; scrolls past a
    height."""

    def __init__(self, font: Any, parent: QWidget) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFont(font)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setObjectName("toolCallCode")
        self.limit = ASKING_HEIGHT

    def text(self) -> str:
        return self.toPlainText()

    def show_text(self, text: str, limit: int) -> None:
        if text != self.toPlainText():
            self.setPlainText(text)
        self.limit = limit
        lines = max(1, self.document().blockCount())
        margins = int(2 * self.frameWidth() + 2 * self.document().documentMargin())
        wide = self.document().size().width() > self.viewport().width() > 0
        bar = self.horizontalScrollBar().sizeHint().height() if wide else 0
        edges = self.contentsMargins().top() + self.contentsMargins().bottom()
        # A little more than the lines: a last line cut by a pixel would scroll.
        needed = (lines + 0.5) * self.fontMetrics().lineSpacing() + margins + edges + bar
        self.setFixedHeight(min(limit, int(needed)))


def created_files(tool: str, result: str) -> list[str]:
    """The files a python run wrote, as its result names them."""
    if tool != "python":
        return []
    found = _FILES_RE.findall(result)
    return [n for n in found[-1].split(", ") if n] if found else []


class ToolCallCard(QFrame):
    """One tool call of an answer.

    Signals:
        decided(int, bool): the call's id, and whether the user approved it.
        requested(str, str): ``(ALWAYS, tool)``: allow the tool always in this chat
            (sent before ``decided``); ``(SAVE, name)``: save a file the run created.
    """

    decided = Signal(int, bool)
    requested = Signal(str, str)

    def __init__(self, call_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.call_id = call_id
        self.status = ""
        self.tool = ""
        self.files: list[str] = []
        self.result = ""
        self._unfolded = False
        self.setObjectName("toolCallCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.state = QLabel(self)
        self.state.setObjectName("toolCallStatus")
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.state)

        self.arguments = _Code(mono, self)
        self.result_label = self._plain(mono)
        self.result_label.hide()
        self.fold_button = QPushButton(self)
        self.fold_button.setFlat(True)
        self.fold_button.hide()
        self.fold_button.clicked.connect(self._toggle_fold)

        self.approve_button = QPushButton(self.tr("Allow"), self)
        self.deny_button = QPushButton(self.tr("Deny"), self)
        self.always_button = QPushButton(self.tr("Always in this chat"), self)
        self.always_button.setToolTip(self.tr(
            "Run this tool without asking for the rest of this chat (the chat's Tools "
            "menu takes it back)"))
        self.approve_button.clicked.connect(lambda: self._decide(True))
        self.deny_button.clicked.connect(lambda: self._decide(False))
        self.always_button.clicked.connect(self._always)
        self.question = QLabel(self.tr("Allow this tool call?"), self)
        asking = QHBoxLayout()
        asking.addWidget(self.question, 1)
        asking.addWidget(self.deny_button)
        asking.addWidget(self.always_button)
        asking.addWidget(self.approve_button)
        self._asking = QWidget(self)
        self._asking.setLayout(asking)
        asking.setContentsMargins(0, 0, 0, 0)
        self._asking.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.arguments)
        layout.addWidget(self._asking)
        layout.addWidget(self.result_label)
        layout.addWidget(self.fold_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._files = QVBoxLayout()  # a row per created file, with its Save… button
        self._files.setSpacing(2)
        layout.addLayout(self._files)

    def _plain(self, font: Any) -> QLabel:
        label = QLabel(self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setFont(font)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    # -- what it shows ------------------------------------------------------------------
    def show_call(self, tool: str, title: str, arguments: str, status: str,
                  result: str = "", ms: int | None = None, is_error: bool = False) -> None:
        """Show the call as it stands now (called again as it changes)."""
        self.status, self.tool = status, tool
        name = title or tool
        self.title.setText(self.tr("Tool: %1").replace("%1", f"<b>{escaped(name)}</b>"))
        self.setAccessibleName(self.tr("Tool call: %1").replace("%1", name))
        asking = status == "asking"
        self.arguments.show_text(arguments, ASKING_HEIGHT if asking else DECIDED_HEIGHT)
        self.arguments.setVisible(bool(arguments.strip()))
        self.arguments.setAccessibleName(self.tr("Code") if tool == "python"
                                         else self.tr("Arguments"))
        self.state.setText(self._status_text(status, ms))
        code = tool == "python"
        self.question.setText(self.tr("Run this code?") if code
                              else self.tr("Allow this tool call?"))
        self.approve_button.setText(self.tr("Run") if code else self.tr("Allow"))
        self._asking.setVisible(asking)
        self.result = result
        self.result_label.setProperty("error", is_error)
        self._show_result()
        self._show_files(created_files(tool, result) if status in ("done", "failed") else [])

    def show_record(self, record: dict[str, Any]) -> None:
        """A call as the history keeps it."""
        ms = record.get("ms")
        self.show_call(str(record.get("tool") or "?"), "", str(record.get("arguments") or ""),
                       str(record.get("status") or ""),
                       str(record.get("shown") or record.get("result") or ""),
                       ms if isinstance(ms, int) else None, bool(record.get("is_error")))

    def _status_text(self, status: str, ms: int | None) -> str:
        words = {
            "asking": self.tr("Waiting for your approval"),
            "running": self.tr("Running…"),
            "done": self.tr("Done"),
            "failed": self.tr("Failed"),
            "denied": self.tr("Denied"),
        }
        text = words.get(status, status)
        if ms is not None and status in ("done", "failed"):
            seconds = QLocale().toString(ms / 1000, "f", 1)
            text = self.tr("%1 · %2 s").replace("%1", text).replace("%2", seconds)
        return text

    def _show_result(self) -> None:
        text = self.result
        long = len(text) > FOLD_CHARS
        if long and not self._unfolded:
            text = text[:FOLD_CHARS].rstrip() + "…"
        self.result_label.setText(text)
        self.result_label.setVisible(bool(self.result))
        self.fold_button.setVisible(long)
        self.fold_button.setText(self.tr("Show less") if self._unfolded
                                 else self.tr("Show all"))

    def _toggle_fold(self) -> None:
        self._unfolded = not self._unfolded
        self._show_result()

    def _show_files(self, names: list[str]) -> None:
        if names == self.files:
            return
        self.files = names
        while self._files.count():
            item = self._files.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for name in names:
            row = QWidget(self)
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            label = QLabel(self.tr("File: %1").replace("%1", name), row)
            label.setTextFormat(Qt.TextFormat.PlainText)
            button = QPushButton(self.tr("Save…"), row)
            button.setObjectName("saveToolFile")
            button.setAccessibleName(self.tr("Save %1").replace("%1", name))
            button.clicked.connect(lambda _=False, name=name: self.requested.emit(SAVE, name))
            line.addWidget(label, 1)
            line.addWidget(button)
            self._files.addWidget(row)
            row.show()

    def save_buttons(self) -> dict[str, QPushButton]:
        """The Save… button of each created file, by its name."""
        found: dict[str, QPushButton] = {}
        for i in range(self._files.count()):
            item = self._files.itemAt(i)
            row = item.widget() if item is not None else None
            button = row.findChild(QPushButton) if row is not None else None
            if button is not None:
                found[self.files[i]] = button
        return found

    def _always(self) -> None:
        self.requested.emit(ALWAYS, self.tool)
        self._decide(True)

    def _decide(self, approved: bool) -> None:
        for button in (self.approve_button, self.deny_button, self.always_button):
            button.setEnabled(False)
        self.decided.emit(self.call_id, approved)
