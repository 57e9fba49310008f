"""The chat window with the real worker and the gemma test model (a base model: greedy
sampling makes its text deterministic), on Qt's offscreen platform, with a real history
file: load, send, stream, stop, regenerate, edit, a crashed worker, a broken model."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.chats.store import ChatStore
from app.config.settings import Settings
from app.ui.bridge import EngineBridge
from app.ui.messages import AssistantMessage, UserMessage
from tests.ui.fixtures import make_window, qapp, qt_warnings_fail, store, wait_until

__all__ = ["make_window", "qapp", "qt_warnings_fail", "store"]  # fixtures used here

GREEDY = Settings(sampling={"temp": 0.0}, n_ctx=2048)


def ask(app: QApplication, window: Any, text: str, timeout: float = 120) -> AssistantMessage:
    window.composer.input.setPlainText(text)
    QTest.keyClick(window.composer.input, Qt.Key.Key_Return)
    assert window.generating
    widget = window.generation.widget
    wait_until(app, lambda: not window.generating, timeout, "the answer")
    return widget


def test_send_stream_stop_regenerate_and_edit(qapp: QApplication, make_window: Any,
                                              gemma_engine: Any, store: ChatStore) -> None:
    window = make_window(gemma_engine, settings=GREEDY)
    assert "gemma" in window.topbar.model_button.text().lower()
    assert window.topbar.backend.text() == "CPU"

    answer = ask(qapp, window, "What is the capital of France?")
    assert "Paris" in answer.answer
    saved = store.path(window.conversation_id)
    assert [m.role for m in saved] == ["user", "assistant"]
    assert saved[1].content == answer.answer and saved[1].status == "complete"
    assert saved[1].completion_tokens and saved[1].tokens_per_s
    assert "tokens/s" in window.topbar.speed.text()
    assert "Context" in window.topbar.context.text() and "2,048" in window.topbar.context.text()
    assert window.sidebar.list.item(0).text() == "What is the capital of France?"

    # Regenerate: greedy gives the same text again, as a second version.
    answer.regenerate_button.click()
    wait_until(qapp, lambda: not window.generating, 120, "the regenerated answer")
    again = window.chat.widgets[-1]
    assert isinstance(again, AssistantMessage) and again.message_id != answer.message_id
    assert "Paris" in again.answer
    assert again.action_bar.nav.label.text() == "2/2"

    # Edit the question: the conversation branches.
    user = window.chat.widgets[0]
    assert isinstance(user, UserMessage)
    user.edit_button.click()
    assert user.editor is not None
    user.editor.setPlainText("What is the capital of Germany?")
    QTest.keyClick(user.editor, Qt.Key.Key_Return)
    wait_until(qapp, lambda: not window.generating, 120, "the answer to the edit")
    assert "Berlin" in window.chat.widgets[-1].answer
    assert window.chat.widgets[0].action_bar.nav.label.text() == "2/2"
    assert store.path(window.conversation_id)[0].content == "What is the capital of Germany?"

    # Stop: the partial answer is kept and marked stopped.
    window.composer.input.setPlainText("Count from 1 to 1000, separated by commas:")
    QTest.keyClick(window.composer.input, Qt.Key.Key_Return)
    widget = window.generation.widget
    wait_until(qapp, lambda: len(widget.answer) > 3, 120, "the first tokens")
    QTest.keyClick(window, Qt.Key.Key_Escape)
    wait_until(qapp, lambda: not window.generating, 10, "the stop")
    last = store.path(window.conversation_id)[-1]
    assert last.status == "stopped" and last.content == widget.answer
    assert widget.notice.text() == "Stopped."


def test_load_crash_restart_and_broken_model(qapp: QApplication, make_window: Any,
                                             gemma_path: Path, store: ChatStore,
                                             tmp_path: Path) -> None:
    window = make_window(settings=Settings(sampling={"temp": 0.0}, n_ctx=1024))
    assert not window.composer.send_button.isEnabled()
    window.load_model(str(gemma_path))
    wait_until(qapp, lambda: window.composer.send_button.isEnabled(), 120, "the model")
    assert window.settings.model_path == str(gemma_path)
    assert (tmp_path / "settings.json").exists()

    # The worker dies mid-answer: the text so far is kept, the window restarts it.
    bridge: EngineBridge = window.bridge
    window.composer.input.setPlainText("Count from 1 to 1000, separated by commas:")
    QTest.keyClick(window.composer.input, Qt.Key.Key_Return)
    widget = window.generation.widget
    wait_until(qapp, lambda: len(widget.answer) > 3, 120, "the first tokens")
    pid = bridge._client.pid  # type: ignore[union-attr]
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    wait_until(qapp, lambda: not window.generating, 30, "the crash to be noticed")
    assert widget.error_card is not None
    assert "stopped unexpectedly" in widget.error_card.title.text()
    assert store.path(window.conversation_id)[-1].status == "interrupted"
    wait_until(qapp, lambda: window.composer.send_button.isEnabled(), 120, "the restart")
    assert ask(qapp, window, "What is the capital of France?").answer

    # A broken file: a card says what happened; the window stays usable.
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF\x03\x00\x00\x00")
    window.load_model(str(bad))
    wait_until(qapp, lambda: window._notices, 60, "the load error")
    card = window._notices[-1]
    assert card.title.text() == "<b>The model could not be loaded</b>"
    assert "ends inside its header" in card.text.text()
    assert window.topbar.model_button.text() == "No model"
    assert window.isVisible()
