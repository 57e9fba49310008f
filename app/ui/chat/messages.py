"""One widget per message: the user's bubble, the assistant's answer with its Thinking
block (:mod:`app.ui.chat.thinking`) or error card (:mod:`app.ui.chat.error_card`), and the actions
under each (copy, regenerate, edit, delete, "< 2/3 >").

Only a streaming answer changes after it is built. It collects tokens as they arrive and
renders at most every ``RENDER_INTERVAL_MS`` (longer when rendering itself gets slow),
so a fast model never makes the window render per token.
"""

from __future__ import annotations

import math
import time
from typing import Any

from PySide6.QtCore import QLocale, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QResizeEvent, QTextCursor, QTextOption
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.chat.error_card import ErrorCard
from app.ui.chat.markdown_view import FittedText, MarkdownView
from app.ui.chat.thinking import ThinkingBlock
from app.ui.chat.tool_card import ToolCallCard
from app.ui.widgets.icons import icon

RENDER_INTERVAL_MS = 50
USER_PREVIEW_CHARS = 3000  # longer user messages show this much until "Show all"
BUBBLE_SHARE = 0.85  # of the column, at most, for the user's bubble


def _tool_button(parent: QWidget, icon_name: str, tip: str) -> QToolButton:
    button = QToolButton(parent)
    button.setIcon(icon(icon_name))
    button.setToolTip(tip)
    button.setAccessibleName(tip)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setAutoRaise(True)
    return button


def _muted(label: QLabel) -> QLabel:
    label.setProperty("muted", True)
    return label


class SiblingNav(QWidget):
    """"< 2/3 >" between the versions of a message (regenerated answers, edits).

    Signals:
        navigate(int): -1 for the previous version, +1 for the next.
    """

    navigate = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.previous = _tool_button(self, "chevron-left", self.tr("Previous version"))
        self.next = _tool_button(self, "chevron-right", self.tr("Next version"))
        self.label = _muted(QLabel(self))
        self.previous.clicked.connect(lambda: self.navigate.emit(-1))
        self.next.clicked.connect(lambda: self.navigate.emit(1))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.previous)
        row.addWidget(self.label)
        row.addWidget(self.next)
        self.set_position(0, 1)

    def set_position(self, index: int, count: int) -> None:
        self.label.setText(f"{index + 1}/{count}")
        self.label.setAccessibleName(self.tr("Version %1 of %2").replace(
            "%1", str(index + 1)).replace("%2", str(count)))
        self.previous.setEnabled(index > 0)
        self.next.setEnabled(index < count - 1)
        self.setVisible(count > 1)


class MessageText(FittedText):
    """A user's message: plain text (never Markdown or HTML), selectable, wrapped at
    word boundaries or, for a run without spaces (a URL, a pasted hash, base64), anywhere:
    a long line never makes the column, and so the window, wider. The bubble is as wide
    as the text needs, up to the column."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._natural = 0

    def setText(self, text: str) -> None:  # QLabel's name, for its callers
        self.setPlainText(text)
        doc = self.document().clone(self)
        doc.setTextWidth(-1)  # laid out unwrapped: the widest line
        self._natural = math.ceil(min(doc.idealWidth(), 10_000))
        doc.deleteLater()
        self.updateGeometry()

    def text(self) -> str:
        return self.toPlainText()

    def sizeHint(self) -> QSize:
        return QSize(self._natural + 2 * self.frameWidth() + 2, self.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(40, self.height())


class _Actions(QWidget):
    """The row of small buttons under a message."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(2)
        self.nav = SiblingNav(self)
        self.info = _muted(QLabel(self))

    def add(self, button: QToolButton) -> QToolButton:
        self.row.addWidget(button)
        return button


class UserMessage(QWidget):
    """The user's message as a bubble on the right; it can be edited (which branches).

    Signals:
        edit_submitted(object, str): message id and the new text to send instead.
        delete_requested(object): message id.
        navigate(object, int): message id, -1 / +1 to another version.
    """

    edit_submitted = Signal(object, str)
    delete_requested = Signal(object)
    navigate = Signal(object, int)

    def __init__(self, message_id: Any, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message_id = message_id
        self.role = "user"
        self.text = text
        self.bubble = QFrame(self)
        self.bubble.setObjectName("userBubble")
        self.bubble.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.label = MessageText(self.bubble)
        self.label.setAccessibleName(self.tr("Your message"))
        self.more_button = QPushButton(self.bubble)
        self.more_button.setFlat(True)
        self.more_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.more_button.clicked.connect(self._on_more_clicked)
        inner = QVBoxLayout(self.bubble)
        inner.setContentsMargins(14, 9, 14, 9)
        inner.addWidget(self.label)
        inner.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.action_bar = _Actions(self)
        self.copy_button = self.action_bar.add(_tool_button(self, "copy", self.tr("Copy")))
        self.edit_button = self.action_bar.add(
            _tool_button(self, "pencil", self.tr("Edit and send again")))
        self.delete_button = self.action_bar.add(_tool_button(self, "trash", self.tr("Delete")))
        self.action_bar.row.addWidget(self.action_bar.nav)
        self.action_bar.info.hide()  # a user message has no model or speed to show
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.edit_button.clicked.connect(self.start_editing)
        self.delete_button.clicked.connect(lambda: self.delete_requested.emit(self.message_id))
        self.action_bar.nav.navigate.connect(lambda d: self.navigate.emit(self.message_id, d))

        self.editor: QPlainTextEdit | None = None
        self._editor_box: QWidget | None = None
        bubble_row = QHBoxLayout()
        bubble_row.addStretch(1)
        bubble_row.addWidget(self.bubble)  # as wide as its text, up to BUBBLE_SHARE
        action_row = QHBoxLayout()
        action_row.addStretch(1)
        action_row.addWidget(self.action_bar)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 6, 0, 0)
        self._layout.setSpacing(2)
        self._layout.addLayout(bubble_row)
        self._layout.addLayout(action_row)
        self._expanded = False
        self._show_text()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.bubble.setMaximumWidth(max(80, int(event.size().width() * BUBBLE_SHARE)))

    def _show_text(self) -> None:
        long = len(self.text) > USER_PREVIEW_CHARS
        if long and not self._expanded:
            self.label.setText(self.text[:USER_PREVIEW_CHARS].rstrip() + " …")
            self.more_button.setText(self.tr("Show all (%1 characters)").replace(
                "%1", QLocale().toString(len(self.text))))
        else:
            self.label.setText(self.text)
            self.more_button.setText(self.tr("Show less"))
        self.more_button.setVisible(long)

    def _on_more_clicked(self) -> None:
        self._expanded = not self._expanded
        self._show_text()

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.text)

    def set_siblings(self, index: int, count: int) -> None:
        self.action_bar.nav.set_position(index, count)

    def set_editable(self, editable: bool) -> None:
        self.edit_button.setEnabled(editable)
        self.delete_button.setEnabled(editable)

    def start_editing(self) -> None:
        if self.editor is not None:
            return
        box = QFrame(self)
        box.setObjectName("composer")
        self.editor = QPlainTextEdit(box)
        self.editor.setObjectName("composerInput")
        self.editor.setAccessibleName(self.tr("Edit your message"))
        self.editor.setPlainText(self.text)
        self.editor.setMinimumHeight(80)
        self.editor.installEventFilter(self)
        send = QPushButton(self.tr("Send"), box)
        send.setObjectName("primary")
        send.clicked.connect(self._on_edit_send)
        cancel = QPushButton(self.tr("Cancel"), box)
        cancel.clicked.connect(self.stop_editing)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(send)
        inner = QVBoxLayout(box)
        inner.addWidget(self.editor)
        inner.addLayout(buttons)
        self._layout.insertWidget(0, box)
        self.bubble.hide()
        self.action_bar.hide()
        self._editor_box = box
        self.editor.setFocus()
        self.editor.moveCursor(QTextCursor.MoveOperation.End)

    def stop_editing(self) -> None:
        if self._editor_box is not None:
            self._editor_box.deleteLater()
        self._editor_box = None
        self.editor = None
        self.bubble.show()
        self.action_bar.show()

    def _on_edit_send(self) -> None:
        if self.editor is None:
            return
        text = self.editor.toPlainText().strip()
        if not text:
            return
        self.stop_editing()
        self.edit_submitted.emit(self.message_id, text)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if watched is self.editor and isinstance(event, QKeyEvent) and \
                event.type() == QKeyEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape:
                self.stop_editing()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                    not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self._on_edit_send()
                return True
        return False


class AssistantMessage(QWidget):
    """An answer: the Thinking block, the Markdown answer, its status and actions.

    Signals:
        regenerate_requested(object): message id.
        delete_requested(object): message id.
        navigate(object, int): message id, -1 / +1 to another version.
        answer_now(): during thinking, the user wants the answer now.
        error_action(str): a button of the error card (``restart``, ``open_model``, …).
        tool_decided(int, bool): a tool call's id, and whether the user approved it.
        tool_requested(str, str): a tool card's other button (``ToolCallCard.requested``).
    """

    regenerate_requested = Signal(object)
    delete_requested = Signal(object)
    navigate = Signal(object, int)
    answer_now = Signal()
    error_action = Signal(str)
    tool_decided = Signal(int, bool)
    tool_requested = Signal(str, str)

    def __init__(self, message_id: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message_id = message_id
        self.role = "assistant"
        self.answer = ""
        self.status = "complete"
        self.streaming = False
        self.thinking: ThinkingBlock | None = None
        self._answer_now_available = True
        self.error_card: ErrorCard | None = None
        self.view = MarkdownView(self)
        self.progress = _muted(QLabel(self))
        self.progress.hide()
        self.notice = _muted(QLabel(self))
        self.notice.setWordWrap(True)
        self.notice.hide()

        self.action_bar = _Actions(self)
        self.copy_button = self.action_bar.add(_tool_button(self, "copy", self.tr("Copy")))
        self.regenerate_button = self.action_bar.add(
            _tool_button(self, "refresh", self.tr("Regenerate")))
        self.delete_button = self.action_bar.add(_tool_button(self, "trash", self.tr("Delete")))
        self.action_bar.row.addWidget(self.action_bar.nav)
        self.action_bar.row.addSpacing(8)
        self.action_bar.row.addWidget(self.action_bar.info)
        self.action_bar.row.addStretch(1)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.regenerate_button.clicked.connect(
            lambda: self.regenerate_requested.emit(self.message_id))
        self.delete_button.clicked.connect(lambda: self.delete_requested.emit(self.message_id))
        self.action_bar.nav.navigate.connect(lambda d: self.navigate.emit(self.message_id, d))

        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 10, 0, 4)
        self._layout.setSpacing(6)
        self._layout.addWidget(self.progress)
        self.tool_cards: dict[int, ToolCallCard] = {}
        self._tools = QVBoxLayout()  # the answer's tool calls, before its text
        self._tools.setSpacing(4)
        self._layout.addLayout(self._tools)
        self._layout.addWidget(self.view)
        self._layout.addWidget(self.notice)
        self._layout.addWidget(self.action_bar)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.render_now)
        self._interval = RENDER_INTERVAL_MS
        self._dirty = False
        self.render_count = 0

    # -- from the history ---------------------------------------------------------------
    def load(self, answer: str, reasoning: str = "", status: str = "complete",
             error: str | None = None, reasoning_ms: int | None = None,
             info: str = "") -> None:
        self.answer = answer
        if reasoning:
            self._ensure_thinking().load(reasoning, reasoning_ms)
        self.view.set_text(answer)
        self.set_status(status, error)
        self.action_bar.info.setText(info)

    # -- streaming ----------------------------------------------------------------------
    def start_streaming(self, reasons: bool = True) -> None:
        """``reasons``: the model thinks before it answers (gpt-oss); others are said
        to be writing, not thinking."""
        self.streaming = True
        self.action_bar.hide()
        self.progress.setText(self.tr("Thinking…") if reasons else self.tr("Writing…"))
        self.progress.show()

    def set_prompt_progress(self, done: int, total: int, seconds_left: float | None = None,
                            documents: bool = False) -> None:
        """The prompt being read: "Reading your documents… 40 % · about 2 min left"."""
        percent = int(100 * done / total) if total else 0
        text = self.tr("Reading your documents… %1 %") if documents else \
            self.tr("Reading the conversation… %1 %")
        text = text.replace("%1", str(percent))
        if seconds_left is not None and seconds_left >= 1 and done < total:
            left = self.tr("about %1 min left").replace("%1", str(math.ceil(seconds_left / 60))) \
                if seconds_left >= 90 else \
                self.tr("about %1 s left").replace("%1", str(max(5, round(seconds_left / 5) * 5)))
            text += " · " + left
        self.progress.setText(text)
        self.progress.show()

    def resume_reasoning(self, text: str, started: float | None,
                         until: float | None) -> None:
        """The reasoning so far of an answer being written, when its widget is built
        again (see :meth:`ThinkingBlock.resume`)."""
        self._ensure_thinking().resume(text, started, until)
        self.progress.hide()

    def add_reasoning(self, text: str) -> None:
        thinking = self._ensure_thinking()
        if not thinking.streaming and thinking.duration_s is None:
            thinking.start()
        thinking.add(text)
        self.progress.hide()
        self._schedule()

    def add_answer(self, text: str) -> None:
        if self.thinking is not None and self.thinking.streaming:
            self.thinking.finish()
        self.answer += text
        self.progress.hide()
        self._schedule()

    def _schedule(self) -> None:
        self._dirty = True
        if not self._timer.isActive():
            self._timer.start(self._interval)

    def render_now(self) -> None:
        """Show what has arrived; rendering slower than 10 ms stretches the interval."""
        if not self._dirty:
            return
        self._dirty = False
        began = time.perf_counter()
        if self.thinking is not None and self.thinking.expanded:
            self.thinking.flush()
        self.view.set_text(self.answer, streaming=self.streaming)
        spent_ms = (time.perf_counter() - began) * 1000
        self._interval = int(min(400, max(RENDER_INTERVAL_MS, spent_ms * 4)))
        self.render_count += 1

    def finish(self, status: str, error: str | None = None, info: str = "") -> None:
        self.streaming = False
        self._timer.stop()
        if self.thinking is not None:
            self.thinking.finish()
        self._dirty = True
        self.render_now()
        self.progress.hide()
        self.set_status(status, error)
        self.action_bar.info.setText(info)
        self.action_bar.show()

    # -- status -------------------------------------------------------------------------
    def set_status(self, status: str, error: str | None) -> None:
        self.status = status
        text = ""
        if status == "stopped":
            text = self.tr("Stopped.")
        elif status == "interrupted":
            text = self.tr("Interrupted: the answer was cut off before it ended.")
        self.notice.setText(text)
        self.notice.setVisible(bool(text))
        if status == "error" and error and self.error_card is None:
            self.show_error(self.tr("The answer failed"), error, [])

    def show_error(self, title: str, text: str, actions: list[tuple[str, str]]) -> None:
        if self.error_card is not None:
            self._layout.removeWidget(self.error_card)
            self.error_card.deleteLater()
        self.error_card = ErrorCard(title, text, actions, self)
        self.error_card.action.connect(self.error_action)
        self._layout.insertWidget(self._layout.indexOf(self.action_bar), self.error_card)

    def add_footer(self, widget: QWidget) -> None:
        """A widget between the answer and its actions (the sources of an answer)."""
        self._layout.insertWidget(self._layout.indexOf(self.action_bar), widget)

    def set_siblings(self, index: int, count: int) -> None:
        self.action_bar.nav.set_position(index, count)

    def set_editable(self, editable: bool) -> None:
        self.regenerate_button.setEnabled(editable)
        self.delete_button.setEnabled(editable)

    def set_answer_now_available(self, available: bool) -> None:
        """Whether the Thinking block offers "Answer now" (a server cannot)."""
        self._answer_now_available = available
        if self.thinking is not None:
            self.thinking.answer_now_available = available
            if not available:
                self.thinking.answer_now_button.hide()

    # -- tool calls ---------------------------------------------------------------------
    def tool_card(self, call_id: int) -> ToolCallCard:
        """The card of the answer's call ``call_id`` (made the first time)."""
        card = self.tool_cards.get(call_id)
        if card is None:
            card = ToolCallCard(call_id, self)
            card.decided.connect(self.tool_decided)
            card.requested.connect(self.tool_requested)
            self.tool_cards[call_id] = card
            self._tools.addWidget(card)
            card.show()
        return card

    def show_tool_call(self, call: Any) -> None:
        """A call as the session reports it (:class:`app.session.events.ToolCallInfo`)."""
        self.tool_card(call.id).show_call(call.tool, call.title, call.arguments, call.status,
                                          call.shown or call.result, call.ms, call.is_error)
        self.progress.hide()

    def load_tool_calls(self, records: list[dict[str, Any]]) -> None:
        """The calls as the history keeps them (numbered from 1, as the session does)."""
        for number, record in enumerate(records, start=1):
            self.tool_card(number).show_record(record)

    def _ensure_thinking(self) -> ThinkingBlock:
        if self.thinking is None:
            self.thinking = ThinkingBlock(self)
            self.thinking.answer_now_available = self._answer_now_available
            self.thinking.answer_now.connect(self.answer_now)
            self._layout.insertWidget(0, self.thinking)
        return self.thinking

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.answer)
