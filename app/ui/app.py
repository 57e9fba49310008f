"""The application window (a minimal one until the chat window lands).

A model file chooser, a box to write in, and the streamed answer with its reasoning.
The engine runs in its worker process; :class:`EngineBridge` turns the client's
blocking calls into Qt signals so the window never waits on the model.
"""

from __future__ import annotations

import html
import os
import threading
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.engine import protocol
from app.engine.client import EngineClient, EngineError
from app.engine.transcript import Reply


class EngineBridge(QObject):
    """Runs engine calls on a background thread and reports through signals.

    Signals:
        loaded(dict): the model's info after a load.
        message(dict): one streamed message of a chat (events, progress).
        finished(dict): the chat's ``done`` or ``error`` message.
        failed(str): a load or start failed; the text is for the user.
    """

    loaded = Signal(dict)
    message = Signal(dict)
    finished = Signal(dict)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client: EngineClient | None = None
        self._thread: threading.Thread | None = None

    @property
    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self, target: Any) -> None:
        self._thread = threading.Thread(target=target, daemon=True)
        self._thread.start()

    def load(self, path: str, n_ctx: int | None = None) -> None:
        def work() -> None:
            try:
                if self._client is None or not self._client.alive:
                    self._client = EngineClient()
                self.loaded.emit(self._client.load(path, n_ctx=n_ctx))
            except EngineError as exc:
                self.failed.emit(str(exc))

        self._run(work)

    def chat(
        self, messages: Sequence[dict[str, str]], effort: str, sampling: dict[str, Any]
    ) -> None:
        client = self._client

        def work() -> None:
            if client is None:
                self.finished.emit({"type": protocol.ERROR, "code": protocol.NOT_LOADED,
                                    "message": "Choose a model first."})
                return
            stream = client.chat(list(messages), effort=effort,  # type: ignore[arg-type]
                                 sampling=sampling)
            for msg in stream:
                if msg.get("type") in (protocol.DONE, protocol.ERROR):
                    self.finished.emit(msg)
                else:
                    self.message.emit(msg)

        self._run(work)

    def cancel(self) -> None:
        if self._client is not None:
            self._client.cancel()

    def restart(self) -> None:
        client = self._client

        def work() -> None:
            if client is None:
                return
            try:
                client.restart()
                self.loaded.emit(client.info)
            except EngineError as exc:
                self.failed.emit(str(exc))

        self._run(work)

    def close(self) -> None:
        if self._client is not None:
            self._client.cancel()
            if self._thread is not None:
                self._thread.join(5)
            self._client.close()
            self._client = None


class MainWindow(QMainWindow):
    def __init__(self, model_path: str | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Cove")
        self.resize(900, 700)
        self.bridge = EngineBridge(self)
        self.history: list[dict[str, str]] = []
        self.sampling: dict[str, Any] = {}  # overrides of the model's sampling defaults
        self.reply = Reply()
        self._transcript_html = ""

        self.model_label = QLabel(self.tr("No model loaded."))
        self.model_label.setAccessibleName(self.tr("Model status"))
        self.open_button = QPushButton(self.tr("Open model…"))
        self.open_button.clicked.connect(self._on_open_clicked)
        top = QHBoxLayout()
        top.addWidget(self.model_label, 1)
        top.addWidget(self.open_button)

        self.view = QTextBrowser()
        self.view.setOpenExternalLinks(False)
        self.view.setAccessibleName(self.tr("Conversation"))
        self.view.setPlaceholderText(
            self.tr("Open a GGUF model (gpt-oss-20b recommended), then ask anything. "
                    "Everything stays on this computer.")
        )

        self.input = QPlainTextEdit()
        self.input.setPlaceholderText(self.tr("Message"))
        self.input.setAccessibleName(self.tr("Message"))
        self.input.setMaximumHeight(110)
        self.effort = QComboBox()
        self.effort.addItems(["low", "medium", "high"])
        self.effort.setCurrentText("medium")
        self.effort.setAccessibleName(self.tr("Reasoning effort"))
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.clicked.connect(self._on_send_clicked)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.clicked.connect(self.bridge.cancel)
        self.stop_button.setEnabled(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.input, 1)
        side = QVBoxLayout()
        side.addWidget(self.effort)
        side.addWidget(self.send_button)
        side.addWidget(self.stop_button)
        bottom.addLayout(side)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        self.setCentralWidget(central)

        QShortcut(QKeySequence("Ctrl+Return"), self, self._on_send_clicked)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.bridge.cancel)

        self.bridge.loaded.connect(self._on_bridge_loaded)
        self.bridge.failed.connect(self._on_bridge_failed)
        self.bridge.message.connect(self._on_bridge_message)
        self.bridge.finished.connect(self._on_bridge_finished)
        self._set_ready(False)
        if model_path:
            self.load_model(model_path)

    # -- actions ------------------------------------------------------------------------
    def load_model(self, path: str) -> None:
        self.model_label.setText(self.tr("Loading {}…").format(os.path.basename(path)))
        self.open_button.setEnabled(False)
        self.bridge.load(path)

    @Slot()
    def _on_open_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open a model"), "", self.tr("GGUF models (*.gguf)")
        )
        if path:
            self.load_model(path)

    @Slot()
    def _on_send_clicked(self) -> None:
        text = self.input.toPlainText().strip()
        if not text or self.bridge.busy:
            return
        self.input.clear()
        self.history.append({"role": "user", "content": text})
        self._transcript_html += f"<p><b>{html.escape(self.tr('You'))}:</b> " \
            f"{html.escape(text).replace(chr(10), '<br>')}</p>"
        self.reply = Reply()
        self._render()
        self.send_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.bridge.chat(self.history, self.effort.currentText(), self.sampling)

    # -- engine -------------------------------------------------------------------------
    @Slot(dict)
    def _on_bridge_loaded(self, info: dict[str, Any]) -> None:
        self.model_label.setText(
            self.tr("{name} — runs on {backend}, {ctx} tokens of context").format(
                name=info.get("name", "?"), backend=info.get("backend", "CPU"),
                ctx=info.get("n_ctx", "?"))
        )
        self.open_button.setEnabled(True)
        self._set_ready(True)

    @Slot(str)
    def _on_bridge_failed(self, text: str) -> None:
        self.model_label.setText(self.tr("No model loaded."))
        self.open_button.setEnabled(True)
        self._append_notice(text)

    @Slot(dict)
    def _on_bridge_message(self, msg: dict[str, Any]) -> None:
        self.reply.add(msg)
        if msg.get("type") == protocol.CONTEXT_TRIMMED:
            self._append_notice(self.tr("{} earlier turn(s) no longer fit in the context and "
                                        "were left out.").format(msg["dropped_turns"]))
        self._render()

    @Slot(dict)
    def _on_bridge_finished(self, msg: dict[str, Any]) -> None:
        self.reply.add(msg)
        self._transcript_html += self._reply_html()
        if self.reply.error is None:
            self.history.append({"role": "assistant", "content": self.reply.answer})
        else:
            self.history.pop()
            self._append_notice(self.reply.error)
            if self.reply.error_code == protocol.WORKER_CRASHED:
                self.bridge.restart()
        self.reply = Reply()
        self.stop_button.setEnabled(False)
        self.send_button.setEnabled(True)
        self._render()

    # -- view ---------------------------------------------------------------------------
    def _reply_html(self) -> str:
        parts = []
        if self.reply.reasoning:
            parts.append('<p style="color:#777"><i>' + html.escape(self.tr("Thinking")) +
                         ":</i> " + html.escape(self.reply.reasoning).replace("\n", "<br>")
                         + "</p>")
        if self.reply.answer:
            parts.append("<p>" + html.escape(self.reply.answer).replace("\n", "<br>") + "</p>")
        if self.reply.finish_reason == "cancelled":
            parts.append('<p style="color:#777">' + html.escape(self.tr("(stopped)")) + "</p>")
        return "".join(parts)

    def _append_notice(self, text: str) -> None:
        self._transcript_html += f'<p style="color:#b00020">{html.escape(text)}</p>'
        self._render()

    def _render(self) -> None:
        bar = self.view.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 4
        self.view.setHtml(self._transcript_html + self._reply_html())
        if at_end:
            bar.setValue(bar.maximum())

    def _set_ready(self, ready: bool) -> None:
        self.send_button.setEnabled(ready)
        self.input.setEnabled(ready)

    def closeEvent(self, event: Any) -> None:
        self.bridge.close()
        super().closeEvent(event)


def run_gui(argv: Sequence[str]) -> int:
    app = QApplication.instance() or QApplication(["Cove", *argv])
    assert isinstance(app, QApplication)
    app.setApplicationName("Cove")
    model = os.environ.get("COVE_MODEL")
    window = MainWindow(model_path=model)
    window.show()
    return app.exec()
