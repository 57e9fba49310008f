"""The Thinking block above an answer: the model's reasoning, open while it streams
(with a running clock and "Answer now"), collapsed after with its duration and token
count.

Reasoning is appended as it arrives (never re-laid out whole), and its text widget is
built only when the block is first opened: a long history of collapsed blocks costs
little.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QToolButton, QVBoxLayout, QWidget

from app.ui.chat.markdown_view import FittedText
from app.ui.widgets.icons import icon


class ThinkingBlock(QFrame):
    """The model's reasoning: open while it streams, collapsed after, with its duration
    and token count; "Answer now" while it streams.

    Signals:
        answer_now(): the user wants the answer without more reasoning.
    """

    answer_now = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thinking")
        self.toggle = QToolButton(self)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setCursor(Qt.CursorShape.PointingHandCursor)
        self.toggle.clicked.connect(self._on_toggle_clicked)
        self.answer_now_button = QPushButton(icon("zap"), self.tr("Answer now"), self)
        self.answer_now_button.setObjectName("answerNow")
        self.answer_now_button.setToolTip(
            self.tr("Stop thinking and write the answer straight away"))
        self.answer_now_button.setAccessibleName(self.tr("Answer now"))
        self.answer_now_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.answer_now_button.clicked.connect(self._on_answer_now_clicked)
        self.answer_now_button.hide()
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.toggle)
        header.addWidget(self.answer_now_button)
        header.addStretch(1)
        self.body: FittedText | None = None  # built when first opened
        # Under the open reasoning, a rule: where the thinking ends and the answer begins.
        self.rule = QFrame(self)
        self.rule.setObjectName("thinkingRule")
        self.rule.setFrameShape(QFrame.Shape.HLine)
        self.rule.setFrameShadow(QFrame.Shadow.Plain)
        self.rule.hide()
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(10, 0, 0, 0)
        self._layout.setSpacing(2)
        self._layout.addLayout(header)
        self.text = ""
        self.tokens = 0
        self.estimated = False
        self.started: float | None = None
        self.duration_s: float | None = None
        self.streaming = False
        self.answer_now_available = True  # False where the backend cannot (a server)
        self._shown = 0
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._update_header)
        self.set_expanded(False)

    # -- streaming ----------------------------------------------------------------------
    def start(self) -> None:
        self.streaming = True
        self.started = time.monotonic()
        self.answer_now_button.setVisible(self.answer_now_available)
        self.answer_now_button.setEnabled(True)
        self._clock.start()
        self.set_expanded(True)
        self._update_header()

    def add(self, text: str) -> None:
        self.text += text
        self.tokens += 1

    def flush(self) -> None:
        """Append what arrived since the last render (never re-lays out the whole text)."""
        if self.streaming:
            self._update_header()
        if self.body is None or self._shown == len(self.text):
            return
        cursor = QTextCursor(self.body.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(self.text[self._shown:])
        self._shown = len(self.text)

    def finish(self) -> None:
        if not self.streaming:
            return
        self.flush()
        self.streaming = False
        self._clock.stop()
        if self.started is not None:
            self.duration_s = time.monotonic() - self.started
        self.answer_now_button.hide()
        self.set_expanded(False)

    def resume(self, text: str, started: float | None, until: float | None) -> None:
        """The reasoning so far of an answer still being written, shown again after its
        conversation was away: timed from when it really began (``time.monotonic``
        values; None when unknown), never from now."""
        self.text = text
        self.tokens = max(1, round(len(text) / 4))
        self.estimated = True
        self._shown = 0
        if until is not None:
            self.duration_s = until - started if started is not None else None
            self.set_expanded(False)
            return
        self.start()
        self.started = started if started is not None else self.started

    def set_duration_ms(self, duration_ms: int | None) -> None:
        """The duration saved with the message (None or 0: unknown, none is shown)."""
        self.duration_s = duration_ms / 1000 if duration_ms else None
        self._update_header()

    def load(self, text: str, duration_ms: int | None) -> None:
        """A finished reasoning from the history (its token count is estimated)."""
        self.text = text
        self.tokens = max(1, round(len(text) / 4))
        self.estimated = True
        self.duration_s = duration_ms / 1000 if duration_ms else None
        self._shown = 0
        if self.body is not None:
            self.body.clear()
        self.set_expanded(False)

    # -- view ---------------------------------------------------------------------------
    def set_expanded(self, expanded: bool) -> None:
        if expanded and self.body is None:
            self.body = FittedText(self)
            self.body.setObjectName("reasoningText")
            self.body.setAccessibleName(self.tr("Reasoning"))
            self._layout.addWidget(self.body)
        if expanded:
            self.flush()
        if self.body is not None:
            self.body.setVisible(expanded)
            self._layout.removeWidget(self.rule)
            self._layout.addWidget(self.rule)
        self.rule.setVisible(expanded)
        self._layout.setContentsMargins(10, 0, 0, 8 if expanded else 0)
        self.toggle.setIcon(icon("chevron-down" if expanded else "chevron-right"))
        self.toggle.setAccessibleName(
            self.tr("Hide the reasoning") if expanded else self.tr("Show the reasoning"))
        self._update_header()

    @property
    def expanded(self) -> bool:
        return self.body is not None and not self.body.isHidden()

    def _on_toggle_clicked(self) -> None:
        self.set_expanded(not self.expanded)

    def _on_answer_now_clicked(self) -> None:
        self.answer_now_button.setEnabled(False)
        self.answer_now_button.setText(self.tr("Answering…"))
        self.answer_now.emit()

    def _update_header(self) -> None:
        if self.streaming:
            elapsed = int(time.monotonic() - (self.started or time.monotonic()))
            self.toggle.setText(self.tr("Thinking… %1 s").replace("%1", str(elapsed)))
            return
        tokens = ("≈" if self.estimated else "") + QLocale().toString(self.tokens)
        if self.duration_s is not None:
            text = self.tr("Thought for %1 s · %2 tokens").replace(
                "%1", _seconds(self.duration_s))
            text = text.replace("%2", tokens)
        else:
            text = self.tr("Thought · %1 tokens").replace("%1", tokens)
        self.toggle.setText(text)


def _seconds(duration_s: float) -> str:
    """A thinking time in the locale's digits; under a tenth of a second it is "< 0.1"
    ("< 0,1"), not a "0.0" that reads as if nothing was timed."""
    if duration_s < 0.05:
        return "< " + QLocale().toString(0.1, "f", 1)
    return QLocale().toString(duration_s, "f", 1)
