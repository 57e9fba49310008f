"""The first screen of a chat: what Cove can do and the next step to take."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.ui.widgets.icons import icon
from app.ui.widgets.plain import plain_label


class EmptyState(QWidget):
    """What Cove can do and the next step: the examples when a model is ready, what is
    happening while one loads, and how to get one otherwise (buttons, never a command
    line: the terminal is not where a user of the window should have to go).

    It fits any column width: text wraps, and the cards and examples stack in one
    column when the chat is narrow (half a screen), so it never widens the window.

    Signals:
        open_model_requested()
        download_requested(): the user wants the Models window, to download a model.
        prompt_chosen(str): an example to put in the message box.
    """

    open_model_requested = Signal()
    download_requested = Signal()
    prompt_chosen = Signal(str)

    def __init__(self, model_name: str | None, parent: QWidget | None = None,
                 loading: str | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Getting started"))
        logo = QLabel(self)
        logo.setPixmap(icon("logo").pixmap(44, 44))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = _centred(self, self.tr("Private chat, on this computer"))
        title.setObjectName("emptyTitle")
        lead = _centred(self, self.tr(
            "Cove runs OpenAI's open-weight gpt-oss models on your own machine. Nothing "
            "you write leaves it, and it works without the internet."), muted=True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 40, 8, 16)
        layout.setSpacing(14)
        layout.addWidget(logo)
        layout.addWidget(title)
        layout.addWidget(lead)
        layout.addSpacing(6)

        self.open_button: QPushButton | None = None
        self.download_button: QPushButton | None = None
        self.examples: list[PromptButton] = []
        self._examples = QGridLayout()
        self._buttons = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._examples.setSpacing(8)
        if loading:
            self._add_loading(layout, loading)
        elif model_name:
            self._add_examples(layout, model_name)
        else:
            self._add_no_model(layout)

        self._cards = QGridLayout()
        self._cards.setSpacing(10)
        self.cards = [_card(self, icon_name, head, text) for icon_name, head, text in (
            ("brain", self.tr("Reasoning you can read"),
             self.tr("See how the model thinks, choose low, medium or high effort, and "
                     "press Answer now when it has thought enough.")),
            ("file", self.tr("Bring your text"),
             self.tr("Drop a text file or paste a long document into the message box; "
                     "drop a .gguf file to open that model.")),
            ("search", self.tr("Never lose a chat"),
             self.tr("Every conversation is saved as it is written, and Ctrl+K searches "
                     "them all.")),
        )]
        layout.addSpacing(10)
        layout.addLayout(self._cards)
        layout.addStretch(1)
        self._columns = 0
        self._reflow(WIDE)

    def _add_loading(self, layout: QVBoxLayout, name: str) -> None:
        label = _centred(self, self.tr("Loading %1…").replace("%1", name))
        busy = QProgressBar(self)
        busy.setRange(0, 0)
        busy.setTextVisible(False)
        busy.setMaximumHeight(6)
        busy.setMaximumWidth(200)
        busy.setAccessibleName(self.tr("Loading"))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(busy, 2)
        row.addStretch(1)
        layout.addWidget(label)
        layout.addLayout(row)

    def _add_examples(self, layout: QVBoxLayout, model_name: str) -> None:
        ready = _centred(self, self.tr("%1 is ready. Try one of these, or write your own:")
                         .replace("%1", model_name))
        layout.addWidget(ready)
        for text in (
            self.tr("Explain how a rainbow forms, step by step."),
            self.tr("Write a Python palindrome check, with tests."),
            self.tr("Plan three days in Lisbon on a small budget."),
            self.tr("Summarise the pros and cons of remote work in a table."),
        ):
            button = PromptButton(text, self)
            button.clicked.connect(lambda _=False, t=text: self.prompt_chosen.emit(t))
            self.examples.append(button)
        layout.addLayout(self._examples)

    def _add_no_model(self, layout: QVBoxLayout) -> None:
        open_button = QPushButton(icon("folder"), self.tr("Open a model…"), self)
        open_button.setObjectName("primary")
        open_button.setAccessibleName(self.tr("Open a model"))
        open_button.setCursor(Qt.CursorShape.PointingHandCursor)
        open_button.clicked.connect(self.open_model_requested)
        download_button = QPushButton(icon("download"), self.tr("Download a model…"), self)
        download_button.setAccessibleName(self.tr("Download a model"))
        download_button.setCursor(Qt.CursorShape.PointingHandCursor)
        download_button.clicked.connect(self.download_requested)
        self.open_button, self.download_button = open_button, download_button
        row = self._buttons
        row.addStretch(1)
        row.addWidget(open_button, 0, Qt.AlignmentFlag.AlignHCenter)
        row.addWidget(download_button, 0, Qt.AlignmentFlag.AlignHCenter)
        row.addStretch(1)
        layout.addLayout(row)
        download = _centred(self, self.tr(
            "No model yet? gpt-oss-20b (12 GB) runs on a laptop with 16 GB of memory: "
            "Download a model shows it, with what fits this computer."), muted=True)
        layout.addWidget(download)

    # -- width ----------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reflow(event.size().width())

    def _reflow(self, width: int) -> None:
        """Cards side by side when there is room, else one above the other."""
        columns = 1 if width < WIDE else 2
        if columns == self._columns:
            return
        self._columns = columns
        for i, card in enumerate(self.cards):
            self._cards.removeWidget(card)
            self._cards.addWidget(card, *((0, i) if columns > 1 else (i, 0)))
        for i, button in enumerate(self.examples):
            self._examples.removeWidget(button)
            self._examples.addWidget(button, *divmod(i, columns))
        self._buttons.setDirection(QBoxLayout.Direction.LeftToRight if columns > 1
                                   else QBoxLayout.Direction.TopToBottom)


WIDE = 600  # the width below which cards and examples stack


class PromptButton(QPushButton):
    """An example prompt: a button whose text wraps (a plain QPushButton keeps one line,
    which is as wide as the longest example in the longest language)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prompt = text
        self.setAccessibleName(text)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.label = plain_label(QLabel(text, self))
        self.label.setWordWrap(True)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._inner = QVBoxLayout(self)
        self._inner.setContentsMargins(12, 9, 12, 9)
        self._inner.addWidget(self.label)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def sizeHint(self) -> QSize:
        return self._inner.sizeHint()

    def minimumSizeHint(self) -> QSize:
        return self._inner.minimumSize()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._inner.totalHeightForWidth(width)


def _centred(parent: QWidget, text: str, muted: bool = False) -> QLabel:
    """A line of the page: centred, wrapped, plain text (it may name a model file)."""
    label = plain_label(QLabel(text, parent))
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setProperty("muted", muted)
    return label


def _card(parent: QWidget, icon_name: str, head: str, text: str) -> QFrame:
    card = QFrame(parent)
    card.setObjectName("emptyCard")
    badge = QLabel(card)
    badge.setPixmap(icon(icon_name).pixmap(20, 20))
    title = QLabel(f"<b>{head}</b>", card)
    title.setWordWrap(True)
    body = QLabel(text, card)
    body.setWordWrap(True)
    body.setProperty("muted", True)
    layout = QVBoxLayout(card)
    layout.setContentsMargins(14, 12, 14, 12)
    layout.addWidget(badge)
    layout.addWidget(title)
    layout.addWidget(body)
    layout.addStretch(1)
    return card
