"""The card shown in place of an answer that failed: what went wrong, what is safe,
and buttons for what to do next (used by the chat view and by each answer)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui.widgets.icons import icon
from app.ui.widgets.plain import escaped


class ErrorCard(QFrame):
    """What went wrong, what is safe, and buttons for what to do next.

    Signals:
        action(str): the key of the button the user pressed.
    """

    action = Signal(str)

    def __init__(self, title: str, text: str, actions: list[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorCard")
        self.setAccessibleName(title)
        badge = QLabel(self)
        badge.setPixmap(icon("alert").pixmap(18, 18))
        badge.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.title = QLabel(f"<b>{escaped(title)}</b>", self)
        self.title.setWordWrap(True)
        self.text = QLabel(text, self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body = QVBoxLayout()
        body.setSpacing(4)
        body.addWidget(self.title)
        body.addWidget(self.text)
        self.buttons: dict[str, QPushButton] = {}
        if actions:
            row = QHBoxLayout()
            row.setSpacing(6)
            for key, label in actions:
                button = QPushButton(label, self)
                button.setAccessibleName(label)
                button.clicked.connect(lambda _=False, k=key: self.action.emit(k))
                row.addWidget(button)
                self.buttons[key] = button
            row.addStretch(1)
            body.addLayout(row)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(badge)
        layout.addLayout(body, 1)
