"""A tool call inside an answer: which tool, with what, how it went, what came back.

:class:`ToolCallCard` shows one call as the session reports it
(:class:`app.session.events.ToolCallInfo`) or as the history keeps it (a record of
:meth:`app.chats.records.Message.calls`): the tool, its arguments, its status
(asking / running / done / failed / denied), the time it took and its result, folded
when long. While the call asks first it offers Approve and Deny. Everything the model
or a tool wrote is shown as plain text, never rich text.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui.widgets.plain import escaped

FOLD_CHARS = 400  # a longer result shows this much until "Show all"
ARGUMENT_CHARS = 2000  # arguments longer than this are cut on screen (kept in full)


class ToolCallCard(QFrame):
    """One tool call of an answer.

    Signals:
        decided(int, bool): the call's id, and whether the user approved it.
    """

    decided = Signal(int, bool)

    def __init__(self, call_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.call_id = call_id
        self.status = ""
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

        self.arguments = self._plain(mono)
        self.result_label = self._plain(mono)
        self.result_label.hide()
        self.fold_button = QPushButton(self)
        self.fold_button.setFlat(True)
        self.fold_button.hide()
        self.fold_button.clicked.connect(self._toggle_fold)

        self.approve_button = QPushButton(self.tr("Approve"), self)
        self.deny_button = QPushButton(self.tr("Deny"), self)
        self.approve_button.clicked.connect(lambda: self._decide(True))
        self.deny_button.clicked.connect(lambda: self._decide(False))
        self.question = QLabel(self.tr("Allow this tool call?"), self)
        asking = QHBoxLayout()
        asking.addWidget(self.question, 1)
        asking.addWidget(self.deny_button)
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
        self.status = status
        name = title or tool
        self.title.setText(self.tr("Tool: %1").replace("%1", f"<b>{escaped(name)}</b>"))
        self.setAccessibleName(self.tr("Tool call: %1").replace("%1", name))
        shown = arguments if len(arguments) <= ARGUMENT_CHARS else \
            arguments[:ARGUMENT_CHARS] + "…"
        self.arguments.setText(shown)
        self.arguments.setVisible(bool(arguments.strip()))
        self.state.setText(self._status_text(status, ms))
        self._asking.setVisible(status == "asking")
        self.result = result
        self.result_label.setProperty("error", is_error)
        self._show_result()

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

    def _decide(self, approved: bool) -> None:
        self.approve_button.setEnabled(False)
        self.deny_button.setEnabled(False)
        self.decided.emit(self.call_id, approved)
