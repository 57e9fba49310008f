"""The conversation as one centred, readable column of message widgets.

A conversation can hold thousands of messages; only a window of them has widgets. It
opens on the newest ``PAGE`` messages; scrolling near the top builds the page above,
near the bottom the page below, and once more than ``MAX_BUILT`` widgets exist the ones
furthest from view are dropped (they are built again from the history when needed).
So opening is as fast for 1,000 messages as for 10, and memory stays flat however far
the reader scrolls. Messages added during this visit (the sent question, the streaming
answer) are "live" widgets: always built, at the end.

While an answer streams the view follows it, unless the reader has scrolled up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.ui.chat.error_card import ErrorCard
from app.ui.chat.messages import AssistantMessage, UserMessage
from app.ui.widgets.plain import plain_label

COLUMN_WIDTH = 800
PAGE = 30
MAX_BUILT = 3 * PAGE
_NEAR_PX = 150

MessageWidget = UserMessage | AssistantMessage


class ChatView(QScrollArea):
    """Shows one conversation (or the empty state).

    Signals:
        page_loaded(int): widgets were built above (-1) or below (+1) the view.
    """

    page_loaded = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatScroll")
        self.setAccessibleName(self.tr("Conversation"))
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        canvas = QWidget()
        canvas.setObjectName("chatCanvas")
        self.column = QWidget(canvas)
        self.column.setObjectName("chatColumn")
        self.column.setMaximumWidth(COLUMN_WIDTH)
        self._column_layout = QVBoxLayout(self.column)
        self._column_layout.setContentsMargins(24, 16, 24, 24)
        self._column_layout.setSpacing(10)
        self._column_layout.addStretch(1)
        outer = QHBoxLayout(canvas)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addStretch(1)
        outer.addWidget(self.column, 100)
        outer.addStretch(1)
        self.setWidget(canvas)
        self.canvas = canvas

        self._messages: list[Any] = []  # the whole conversation, oldest first
        self._lo = 0  # built: self._messages[self._lo:self._hi]
        self._hi = 0
        self._built: list[MessageWidget] = []
        self._live: list[MessageWidget] = []
        self._by_id: dict[Any, MessageWidget] = {}
        self._factory: Callable[[Any], MessageWidget] | None = None
        self._extra: list[QWidget] = []  # the empty state, notices
        self._follow = True
        self._paging = False
        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(self._on_range_changed)
        bar.valueChanged.connect(self._on_value_changed)

    # -- what is built ------------------------------------------------------------------
    @property
    def widgets(self) -> list[MessageWidget]:
        """The message widgets that exist, in order."""
        return [*self._built, *self._live]

    @property
    def pending_count(self) -> int:
        """Messages of the conversation that have no widget now."""
        return len(self._messages) - (self._hi - self._lo)

    def widget_for(self, message_id: Any) -> MessageWidget | None:
        return self._by_id.get(message_id)

    def _make(self, message: Any) -> MessageWidget:
        assert self._factory is not None
        widget = self._factory(message)
        self._by_id[widget.message_id] = widget
        return widget

    def _drop(self, widget: MessageWidget) -> None:
        if self._by_id.get(widget.message_id) is widget:
            del self._by_id[widget.message_id]
        self._column_layout.removeWidget(widget)
        widget.hide()
        widget.deleteLater()

    # -- content ------------------------------------------------------------------------
    def clear(self) -> None:
        for widget in [*self._built, *self._live]:
            self._drop(widget)
        for extra in self._extra:
            self._column_layout.removeWidget(extra)
            extra.hide()
            extra.deleteLater()
        self._built.clear()
        self._live.clear()
        self._extra.clear()
        self._by_id.clear()
        self._messages = []
        self._lo = self._hi = 0

    def show_messages(self, messages: Sequence[Any],
                      factory: Callable[[Any], MessageWidget]) -> None:
        """Show ``messages`` (oldest first), built from the newest end."""
        self.setUpdatesEnabled(False)
        try:
            self.clear()
            self._factory = factory
            self._messages = list(messages)
            self._build_range(max(0, len(self._messages) - PAGE), len(self._messages))
        finally:
            self.setUpdatesEnabled(True)
        self._follow = True
        self.scroll_to_bottom()

    def _build_range(self, lo: int, hi: int) -> None:
        for widget in self._built:
            self._drop(widget)
        self._built = []
        self._lo, self._hi = lo, hi
        for i, message in enumerate(self._messages[lo:hi]):
            widget = self._make(message)
            self._built.append(widget)
            self._column_layout.insertWidget(i, widget)

    def show_widget(self, widget: QWidget) -> None:
        """Something that is not a message (the empty state, a notice) at the end."""
        self._extra.append(widget)
        self._column_layout.insertWidget(self._column_layout.count() - 1, widget)
        widget.show()

    def remove_widget(self, widget: QWidget) -> None:
        if widget in self._extra:
            self._extra.remove(widget)
        self._column_layout.removeWidget(widget)
        widget.hide()
        widget.deleteLater()

    def append(self, widget: MessageWidget) -> MessageWidget:
        """A message added now (it stays built while the conversation is shown)."""
        if self._hi < len(self._messages):
            self._build_range(max(0, len(self._messages) - PAGE), len(self._messages))
        self._follow = True
        self._live.append(widget)
        self._by_id[widget.message_id] = widget
        self._column_layout.insertWidget(len(self._built) + len(self._live) - 1, widget)
        return widget

    def remove_after(self, message_id: Any) -> None:
        """Remove everything after ``message_id`` (a branch changes from there)."""
        widget = self._by_id.get(message_id)
        if widget is None:
            return
        if widget in self._built:
            keep = self._built.index(widget) + 1
            for w in self._built[keep:]:
                self._drop(w)
            del self._built[keep:]
            self._hi = self._lo + keep
            del self._messages[self._hi:]
            for w in self._live:
                self._drop(w)
            self._live.clear()
        else:
            keep = self._live.index(widget) + 1
            for w in self._live[keep:]:
                self._drop(w)
            del self._live[keep:]

    def add_notice(self, title: str, text: str, actions: list[tuple[str, str]],
                   on_action: Callable[[str], None]) -> ErrorCard:
        card = ErrorCard(title, text, actions, self.column)
        card.action.connect(on_action)
        self.show_widget(card)
        self._follow = True
        self.scroll_to_bottom()
        return card

    def add_info(self, text: str) -> QLabel:
        label = plain_label(QLabel(text, self.column))
        label.setWordWrap(True)
        label.setProperty("muted", True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.show_widget(label)
        return label

    # -- paging -------------------------------------------------------------------------
    def load_older(self) -> int:
        """Build the page above; drop widgets far below. What is on screen stays put."""
        if self._lo == 0 or self._factory is None:
            return 0
        anchor = self._built[0] if self._built else None
        offset = self._offset_of(anchor)
        new_lo = max(0, self._lo - PAGE)
        self.setUpdatesEnabled(False)
        try:
            for i, message in enumerate(self._messages[new_lo:self._lo]):
                widget = self._make(message)
                self._built.insert(i, widget)
                self._column_layout.insertWidget(i, widget)
            added = self._lo - new_lo
            self._lo = new_lo
            while len(self._built) > MAX_BUILT:
                self._drop(self._built.pop())
                self._hi -= 1
        finally:
            self.setUpdatesEnabled(True)
        self._keep_in_place(anchor, offset)
        self.page_loaded.emit(-1)
        return added

    def load_newer(self) -> int:
        """Build the page below; drop widgets far above. What is on screen stays put."""
        if self._hi >= len(self._messages) or self._factory is None:
            return 0
        anchor = self._built[-1] if self._built else None
        offset = self._offset_of(anchor)
        new_hi = min(len(self._messages), self._hi + PAGE)
        self.setUpdatesEnabled(False)
        try:
            for message in self._messages[self._hi:new_hi]:
                widget = self._make(message)
                self._column_layout.insertWidget(len(self._built), widget)
                self._built.append(widget)
            added = new_hi - self._hi
            self._hi = new_hi
            while len(self._built) > MAX_BUILT:
                self._drop(self._built.pop(0))
                self._lo += 1
        finally:
            self.setUpdatesEnabled(True)
        self._keep_in_place(anchor, offset)
        self.page_loaded.emit(1)
        return added

    def _offset_of(self, widget: QWidget | None) -> int:
        if widget is None:
            return 0
        return self.column.y() + widget.y() - self.verticalScrollBar().value()

    def _keep_in_place(self, anchor: QWidget | None, offset: int) -> None:
        """After widgets came or went, scroll so ``anchor`` is where it was."""
        self._paging = True
        self._follow = False
        self._column_layout.activate()
        self.canvas.adjustSize()

        def restore() -> None:
            if anchor is not None:
                self.verticalScrollBar().setValue(self.column.y() + anchor.y() - offset)
            self._paging = False

        restore()
        QTimer.singleShot(0, restore)

    def ensure_built(self, message_id: Any) -> MessageWidget | None:
        """Build the page around ``message_id`` (a search result) if it has no widget."""
        if message_id not in self._by_id:
            index = next((i for i, m in enumerate(self._messages) if m.id == message_id), None)
            if index is None:
                return None
            lo = max(0, min(index - PAGE // 2, len(self._messages) - PAGE))
            self._build_range(lo, min(len(self._messages), lo + PAGE))
        return self._by_id.get(message_id)

    # -- scrolling ----------------------------------------------------------------------
    def scroll_to_bottom(self) -> None:
        self.canvas.adjustSize()
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())
        QTimer.singleShot(0, lambda: bar.setValue(bar.maximum()) if self._follow else None)

    def scroll_to_top(self) -> None:
        """Show the beginning (the empty state reads from its top), and stay there."""
        self._follow = False
        bar = self.verticalScrollBar()
        bar.setValue(0)
        QTimer.singleShot(0, lambda: bar.setValue(0) if not self._follow else None)

    def scroll_to(self, message_id: Any) -> None:
        widget = self.ensure_built(message_id)
        if widget is None:
            return
        self._follow = False

        def go() -> None:
            top = widget.mapTo(self.canvas, widget.rect().topLeft()).y()
            self.verticalScrollBar().setValue(max(0, top - 40))

        self._column_layout.activate()
        self.canvas.adjustSize()
        go()
        QTimer.singleShot(0, go)

    def _on_range_changed(self, _low: int, high: int) -> None:
        if self._follow:
            self.verticalScrollBar().setValue(high)

    def _on_value_changed(self, value: int) -> None:
        if self._paging:
            return
        bar = self.verticalScrollBar()
        self._follow = value >= bar.maximum() - 8 and self._hi >= len(self._messages)
        if value <= _NEAR_PX and self._lo > 0:
            QTimer.singleShot(0, self.load_older)
        elif value >= bar.maximum() - _NEAR_PX and self._hi < len(self._messages):
            QTimer.singleShot(0, self.load_newer)
