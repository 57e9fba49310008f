"""Settings › Other apps › Requests: what other programs asked of Cove through the
local API (app.api.request_log), newest first — when, which program, which model, how
it ended and how many tokens. What they asked and got is shown only when the user
ticked "Log what apps ask and get" (the log holds no text otherwise)."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.api.exchange import app_name
from app.api.request_log import Entry, RequestLog, default_path
from app.ui.widgets.plain import plain_label

SHOWN = 500  # the newest requests listed


class ApiRequestsDialog(QDialog):
    """The request log as a table; see the module docstring."""

    def __init__(self, parent: QWidget | None = None, log: RequestLog | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Requests from other apps"))
        self.resize(760, 420)
        entries = (log or RequestLog(default_path())).entries()[-SHOWN:][::-1]
        with_text = any(e.question or e.answer for e in entries)
        headers = [self.tr("Time"), self.tr("App"), self.tr("Model"), self.tr("Result"),
                   self.tr("Tokens in"), self.tr("Tokens out")]
        if with_text:
            headers += [self.tr("Question"), self.tr("Answer")]
        self.table = QTableWidget(len(entries), len(headers), self)
        self.table.setAccessibleName(self.tr("Requests"))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        for row, entry in enumerate(entries):
            for column, text in enumerate(self._cells(entry, with_text)):
                item = QTableWidgetItem(text)
                if column in (4, 5):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if column == 1:
                    item.setToolTip(entry.client)
                elif column >= 6:
                    item.setToolTip(text[:1000])
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (6, 7) if with_text else (1,):  # the text, else the program
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.empty = QLabel(self.tr("No requests yet. When a program uses Cove's model, "
                                    "it is listed here."), self)
        self.empty.setWordWrap(True)
        self.empty.setProperty("muted", True)
        self.table.setVisible(bool(entries))
        self.empty.setVisible(not entries)
        note = plain_label(QLabel(
            self.tr("Only time, program, model and token counts are logged.") if not with_text
            else self.tr("What apps asked and got is shown because you chose to log it."),
            self))
        note.setWordWrap(True)
        note.setProperty("muted", True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def _cells(self, entry: Entry, with_text: bool) -> list[str]:
        when = QLocale().toString(QDateTime.fromSecsSinceEpoch(int(entry.time)),
                                  QLocale.FormatType.ShortFormat)
        agent = entry.client.split(" ", 1)[1] if " " in entry.client else ""
        results = {200: self.tr("answered"), 401: self.tr("wrong key"),
                   499: self.tr("app left"), 503: self.tr("busy")}
        result = results.get(entry.status) or \
            self.tr("error {status}").format(status=entry.status)
        cells = [when, app_name(agent) or self.tr("unknown"), entry.model or "—", result,
                 str(entry.prompt_tokens), str(entry.completion_tokens)]
        if with_text:
            cells += [" ".join(entry.question.split()), " ".join(entry.answer.split())]
        return cells
