"""Where the user writes: Enter sends, Shift+Enter starts a new line, the button turns
into Stop while an answer is written, and the reasoning effort sits beside it (for
models that reason).

Enter while an answer is being written queues the message: it leaves the box (so what
is typed next is a new message, not glued onto it), a line above the box says that it
waits, and the window sends it when the answer ends. The line's Cancel puts it back.

The text box grows with its text up to a limit and then scrolls; it is a plain-text
editor, so pasting a long document (50,000 characters and more) is instant. A dropped
text file is inserted as a quoted block; a dropped GGUF model is offered to the window.

A small Tools button beside the effort says which tools this chat may use: a menu of
checkable entries (the window's tool shelf fills it and keeps the choice); it hides
when no tool is switched on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.widgets.icons import icon

MAX_LINES = 10
MAX_DROP_BYTES = 2 * 1024 * 1024


class ComposerInput(QPlainTextEdit):
    """The text box: reports Enter, accepts dropped files.

    Signals:
        submit(): Enter without Shift.
        model_dropped(str): a .gguf file was dropped.
        drop_failed(str): a dropped file could not be read (the text says why).
        files_dropped(list): other files or folders, when ``attaches`` is set (they
            are attached as documents instead of inserted).
    """

    submit = Signal()
    model_dropped = Signal(str)
    drop_failed = Signal(str)
    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composerInput")
        self.setTabChangesFocus(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.attaches = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                event.modifiers() & (Qt.KeyboardModifier.ShiftModifier
                                     | Qt.KeyboardModifier.AltModifier)):
            self.submit.emit()
            return
        super().keyPressEvent(event)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasUrls() or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        files = [Path(u.toLocalFile()) for u in source.urls() if u.isLocalFile()]
        if not files:
            super().insertFromMimeData(source)
            return
        if self.attaches:
            for path in files:
                if path.suffix.lower() == ".gguf":
                    self.model_dropped.emit(str(path))
            others = [str(p) for p in files if p.suffix.lower() != ".gguf"]
            if others:
                self.files_dropped.emit(others)
            return
        for path in files:
            self.insert_file(path)

    def insert_file(self, path: Path) -> None:
        if path.suffix.lower() == ".gguf":
            self.model_dropped.emit(str(path))
            return
        try:
            if path.stat().st_size > MAX_DROP_BYTES:
                raise ValueError(self.tr("%1 is larger than 2 MB.").replace("%1", path.name))
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            self.drop_failed.emit(self.tr(
                "%1 is not a text file. For now Cove reads plain text files (.txt, .md, "
                "source code); PDF and Word documents are coming.").replace("%1", path.name))
            return
        except (OSError, ValueError) as exc:
            self.drop_failed.emit(str(exc))
            return
        fence = "````" if "```" in text else "```"
        self.insertPlainText(f"{path.name}:\n{fence}\n{text.rstrip()}\n{fence}\n")


class Composer(QFrame):
    """The message box with its effort selector and Send/Stop button.

    Signals:
        send_requested(str, str): the text and the chosen effort.
        stop_requested()
        attach_requested(): the attach button was clicked.
        queued_changed(): a message was queued, or the queue was emptied.
        tool_switched(str, bool): a tool's entry in the Tools menu was checked or
            unchecked (its key, as given to :meth:`set_tool_choices`).
    """

    send_requested = Signal(str, str)
    stop_requested = Signal()
    attach_requested = Signal()
    queued_changed = Signal()
    tool_switched = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.input = ComposerInput(self)
        self.input.setPlaceholderText(self.tr("Ask anything"))
        self.input.setAccessibleName(self.tr("Message"))
        self.input.setAccessibleDescription(
            self.tr("Enter sends, Shift+Enter starts a new line"))
        self.input.submit.connect(self._on_input_submit)
        self.input.textChanged.connect(self._schedule_fit)
        self.input.installEventFilter(self)

        self.effort = QComboBox(self)
        self.effort.setAccessibleName(self.tr("Reasoning effort"))
        self.effort.setToolTip(self.tr(
            "How long the model thinks before it answers. Low is quickest; high is "
            "best for hard problems."))
        for key, label in (("low", self.tr("Low effort")),
                           ("medium", self.tr("Medium effort")),
                           ("high", self.tr("High effort"))):
            self.effort.addItem(icon("brain"), label, key)
        self.effort.setCurrentIndex(1)

        self.hint = QLabel(self)
        self.hint.setProperty("muted", True)
        self.hint.setWordWrap(True)
        # On its own line above the buttons: beside them, at 640 px, a German hint
        # wrapped into four cramped lines.
        self.hint.hide()

        # A message written while an answer streams: it waits here, said plainly.
        self.queued: str | None = None
        self.queued_effort = ""
        self.queue_bar = QWidget(self)
        self.queue_label = QLabel(self.queue_bar)
        self.queue_label.setProperty("muted", True)
        self.queue_label.setWordWrap(True)
        self.queue_label.setTextFormat(Qt.TextFormat.PlainText)
        self.queue_cancel = QToolButton(self.queue_bar)
        self.queue_cancel.setText(self.tr("Cancel"))
        self.queue_cancel.setToolTip(self.tr("Do not send it; put it back in the box"))
        self.queue_cancel.setAccessibleName(self.tr("Cancel the waiting message"))
        self.queue_cancel.clicked.connect(self.unqueue)
        queue_row = QHBoxLayout(self.queue_bar)
        queue_row.setContentsMargins(0, 0, 0, 0)
        queue_row.addWidget(self.queue_label, 1)
        queue_row.addWidget(self.queue_cancel)
        self.queue_bar.hide()

        self.send_button = QToolButton(self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setIconSize(self.send_button.iconSize() * 1.1)
        self.send_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.send_button.clicked.connect(self._on_send_clicked)

        self.attach_button = QToolButton(self)
        self.attach_button.setObjectName("attachButton")
        self.attach_button.setText(self.tr("Attach"))
        self.attach_button.setToolTip(self.tr("Attach documents to this conversation"))
        self.attach_button.setAccessibleName(self.tr("Attach documents"))
        self.attach_button.clicked.connect(self.attach_requested)

        self.tools_button = QToolButton(self)
        self.tools_button.setObjectName("toolsButton")
        self.tools_button.setText(self.tr("Tools"))
        self.tools_button.setToolTip(self.tr("Which tools this chat may use"))
        self.tools_button.setAccessibleName(self.tr("Tools for this chat"))
        self.tools_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.tools_menu = QMenu(self.tools_button)
        self.tools_menu.setToolTipsVisible(True)
        self.tools_button.setMenu(self.tools_menu)
        self.tools_button.hide()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.attach_button)
        row.addWidget(self.effort)
        row.addWidget(self.tools_button)
        row.addStretch(1)
        row.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.setSpacing(4)
        layout.addWidget(self.queue_bar)
        layout.addWidget(self.input)
        layout.addWidget(self.hint)
        layout.addLayout(row)

        self.generating = False
        self.ready = True
        self.reasons = True
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.timeout.connect(self._fit)
        self._set_send_look()
        self._fit()

    # -- state --------------------------------------------------------------------------
    def set_generating(self, generating: bool) -> None:
        self.generating = generating
        self._set_send_look()

    def set_ready(self, ready: bool, hint: str = "") -> None:
        """Whether a message can be sent now (a model is loaded); ``hint`` says why not."""
        self.ready = ready
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self._set_send_look()

    def set_reasons(self, reasons: bool) -> None:
        """Whether the model reasons (gpt-oss): only then is there an effort to choose."""
        self.reasons = reasons
        self.effort.setVisible(reasons)

    def set_effort(self, effort: str) -> None:
        index = self.effort.findData(effort)
        if index >= 0:
            self.effort.setCurrentIndex(index)

    def current_effort(self) -> str:
        return str(self.effort.currentData())

    def set_tool_choices(self, choices: list[tuple[str, str, bool]],
                         unavailable: list[str] | None = None) -> None:
        """The Tools menu's entries: (key, label, checked) each, in order; none hides
        the button. Checking or unchecking one emits :attr:`tool_switched`.
        ``unavailable``: lines shown greyed out below them (a server that could not
        start, and why)."""
        unavailable = list(unavailable or [])
        actions = [a for a in self.tools_menu.actions() if a.isCheckable()]
        greyed = [a.text() for a in self.tools_menu.actions()
                  if not a.isCheckable() and not a.isSeparator()]
        if [(str(a.data()), a.text()) for a in actions] == [(k, t) for k, t, _ in choices] \
                and greyed == unavailable:
            for action, (_, _, checked) in zip(actions, choices, strict=True):
                action.blockSignals(True)  # the same entries (maybe from their own signal)
                action.setChecked(checked)
                action.blockSignals(False)
        else:
            self._fill_tools_menu(choices, unavailable)
        self.tools_button.setVisible(bool(choices or unavailable))
        left_out = sum(1 for _, _, checked in choices if not checked)
        self.tools_button.setText(self.tr("Tools") if not left_out else
                                  self.tr("Tools (%1 off)").replace("%1", str(left_out)))

    def _fill_tools_menu(self, choices: list[tuple[str, str, bool]],
                         unavailable: list[str]) -> None:
        self.tools_menu.clear()
        for key, label, checked in choices:
            action = self.tools_menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(checked)
            action.setData(key)
            action.toggled.connect(lambda on, key=key: self.tool_switched.emit(key, on))
        if unavailable and choices:
            self.tools_menu.addSeparator()
        for line in unavailable:
            self.tools_menu.addAction(line).setEnabled(False)

    def tool_choices(self) -> dict[str, bool]:
        """The Tools menu's entries now: key → checked."""
        return {str(a.data()): a.isChecked() for a in self.tools_menu.actions()
                if a.isCheckable()}

    def _set_send_look(self) -> None:
        button = self.send_button
        if self.generating:
            button.setIcon(icon("stop", colour=_colour("base")))
            tip = self.tr("Stop (Esc)")
            button.setEnabled(True)
        else:
            button.setIcon(icon("send", colour=_colour("accent_text")))
            tip = self.tr("Send (Enter)")
            button.setEnabled(self.ready)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        if button.property("stop") != self.generating:
            button.setProperty("stop", self.generating)
            button.style().unpolish(button)
            button.style().polish(button)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._set_send_look()

    # -- actions ------------------------------------------------------------------------
    def _on_send_clicked(self) -> None:
        if self.generating:
            self.stop_requested.emit()
        else:
            self._on_input_submit()

    def _on_input_submit(self) -> None:
        text = self.input.toPlainText()
        if not text.strip():
            return
        if self.generating:
            self.queue(text.strip(), self.current_effort())
            return
        if not self.ready:
            return
        self.send_requested.emit(text.strip(), self.current_effort())

    # -- a message that waits -----------------------------------------------------------
    def queue(self, text: str, effort: str) -> None:
        """Keep ``text`` to send when the answer ends (one message waits; more text is
        added to it, as the user wrote it)."""
        self.queued = f"{self.queued}\n\n{text}" if self.queued else text
        self.queued_effort = effort
        self.input.clear()
        preview = " ".join(self.queued.split())
        if len(preview) > 80:
            preview = preview[:79] + "…"
        self.queue_label.setText(self.tr("Waiting to send when the answer ends: %1")
                                 .replace("%1", preview))
        self.queue_bar.show()
        self.queued_changed.emit()

    def take_queued(self) -> tuple[str, str] | None:
        """The waiting message and its effort, removed from the queue."""
        if self.queued is None:
            return None
        taken = (self.queued, self.queued_effort)
        self.queued = None
        self.queue_bar.hide()
        self.queued_changed.emit()
        return taken

    def unqueue(self) -> None:
        """The waiting message goes back into the box, before what was typed since."""
        taken = self.take_queued()
        if taken is None:
            return
        typed = self.input.toPlainText()
        self.input.setPlainText(taken[0] + ("\n" + typed if typed.strip() else ""))
        self.input.moveCursor(QTextCursor.MoveOperation.End)
        self.input.setFocus()

    def take_text(self) -> str:
        text = self.input.toPlainText()
        self.input.clear()
        return text

    # -- size ---------------------------------------------------------------------------
    def _schedule_fit(self) -> None:
        if not self._fit_timer.isActive():
            self._fit_timer.start(0)

    def _fit(self) -> None:
        doc = self.input.document()
        line = self.input.fontMetrics().lineSpacing()
        # Lines including wrapped ones, but never lay out more than MAX_LINES' worth.
        if doc.characterCount() > 4000 or doc.blockCount() > MAX_LINES:
            lines = MAX_LINES
        else:
            lines = max(1, int(doc.documentLayout().documentSize().height()))
        lines = min(max(lines, 2), MAX_LINES)
        margins = self.input.contentsMargins()
        height = lines * line + 2 * int(doc.documentMargin()) + margins.top() + \
            margins.bottom() + 2
        if self.input.height() != height:
            self.input.setFixedHeight(height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.input and event.type() in (QEvent.Type.FocusIn,
                                                      QEvent.Type.FocusOut):
            self.setProperty("focused", event.type() == QEvent.Type.FocusIn)
            self.style().unpolish(self)
            self.style().polish(self)
        return super().eventFilter(watched, event)


def _colour(name: str) -> Any:
    from PySide6.QtGui import QColor

    from app.ui.widgets import theme
    return QColor(getattr(theme.current(), name))
