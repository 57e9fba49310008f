"""The first screen of a chat: what Cove can do and the next step to take."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.icons import icon
from app.ui.plain import plain_label

DOWNLOAD_COMMAND = "cove models download ggml-org/gpt-oss-20b-GGUF gpt-oss-20b-mxfp4.gguf"


class EmptyState(QWidget):
    """Signals:
        open_model_requested()
        prompt_chosen(str): an example to put in the message box.
    """

    open_model_requested = Signal()
    prompt_chosen = Signal(str)

    def __init__(self, model_name: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Getting started"))
        logo = QLabel(self)
        logo.setPixmap(icon("logo").pixmap(44, 44))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel(self.tr("Private chat, on this computer"), self)
        title.setObjectName("emptyTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lead = QLabel(self.tr(
            "Cove runs OpenAI's open-weight gpt-oss models on your own machine. Nothing "
            "you write leaves it, and it works without the internet."), self)
        lead.setWordWrap(True)
        lead.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lead.setProperty("muted", True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 40, 8, 16)
        layout.setSpacing(14)
        layout.addWidget(logo)
        layout.addWidget(title)
        layout.addWidget(lead)

        if model_name:
            ready = plain_label(QLabel(
                self.tr("%1 is ready. Try one of these, or write your own:")
                .replace("%1", model_name), self))
            ready.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addSpacing(6)
            layout.addWidget(ready)
            grid = QGridLayout()
            grid.setSpacing(8)
            examples = [
                self.tr("Explain how a rainbow forms, step by step."),
                self.tr("Write a Python palindrome check, with tests."),
                self.tr("Plan three days in Lisbon on a small budget."),
                self.tr("Summarise the pros and cons of remote work in a table."),
            ]
            for i, text in enumerate(examples):
                button = QPushButton(text, self)
                button.setAccessibleName(text)
                button.setCursor(Qt.CursorShape.PointingHandCursor)
                button.setStyleSheet("text-align: left; padding: 10px;")
                button.clicked.connect(lambda _=False, t=text: self.prompt_chosen.emit(t))
                grid.addWidget(button, i // 2, i % 2)
            layout.addLayout(grid)
        else:
            open_button = QPushButton(icon("folder"), self.tr("Open a model…"), self)
            open_button.setObjectName("primary")
            open_button.setAccessibleName(self.tr("Open a model"))
            open_button.setCursor(Qt.CursorShape.PointingHandCursor)
            open_button.clicked.connect(self.open_model_requested)
            self.open_button = open_button
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(open_button)
            row.addStretch(1)
            layout.addSpacing(6)
            layout.addLayout(row)
            download = QLabel(self.tr(
                "No model yet? gpt-oss-20b (12 GB) runs on a laptop with 16 GB of memory. "
                "Download it once with:"), self)
            download.setWordWrap(True)
            download.setAlignment(Qt.AlignmentFlag.AlignCenter)
            download.setProperty("muted", True)
            command = QLabel(f"<code>{DOWNLOAD_COMMAND}</code>", self)
            command.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            command.setAlignment(Qt.AlignmentFlag.AlignCenter)
            command.setWordWrap(True)
            layout.addWidget(download)
            layout.addWidget(command)

        cards = QHBoxLayout()
        cards.setSpacing(10)
        for icon_name, head, text in (
            ("brain", self.tr("Reasoning you can read"),
             self.tr("See how the model thinks, choose low, medium or high effort, and "
                     "press Answer now when it has thought enough.")),
            ("file", self.tr("Bring your text"),
             self.tr("Drop a text file or paste a long document into the message box; "
                     "drop a .gguf file to open that model.")),
            ("search", self.tr("Never lose a chat"),
             self.tr("Every conversation is saved as it is written, and Ctrl+K searches "
                     "them all.")),
        ):
            cards.addWidget(_card(self, icon_name, head, text), 1)
        layout.addSpacing(10)
        layout.addLayout(cards)
        layout.addStretch(1)


def _card(parent: QWidget, icon_name: str, head: str, text: str) -> QFrame:
    card = QFrame(parent)
    card.setObjectName("emptyCard")
    badge = QLabel(card)
    badge.setPixmap(icon(icon_name).pixmap(20, 20))
    title = QLabel(f"<b>{head}</b>", card)
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
