"""The chat window with the real worker and the gemma test model (a base model: greedy
sampling makes its text deterministic), on Qt's offscreen platform, with a real history
file: load, send, stream, stop, regenerate, edit, a crashed worker, a broken model, a
restart with the history intact. And the harmony path (Thinking, "Answer now") with the
scripted tiny gpt-oss model through the same real window, bridge and worker."""

from __future__ import annotations

import os
import signal
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QTextEdit, QWidget

from app.chats.store import ChatStore
from app.config.settings import Settings
from app.ui.chat.messages import AssistantMessage, UserMessage
from app.ui.services.bridge import EngineBridge
from tests.ui.fixtures import make_window, qapp, qt_warnings_fail, store, wait_until

__all__ = ["make_window", "qapp", "qt_warnings_fail", "store"]  # fixtures used here

GREEDY = Settings(sampling={"temp": 0.0}, n_ctx=2048)


def ask(app: QApplication, window: Any, text: str, timeout: float = 600) -> AssistantMessage:
    """Send ``text`` and wait for the answer to end (``timeout`` only catches a hang: on a
    busy machine a real model's answer can take minutes)."""
    window.composer.input.setPlainText(text)
    QTest.keyClick(window.composer.input, Qt.Key.Key_Return)
    assert window.generating
    widget = window.view.live
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
    widget = window.view.live
    wait_until(qapp, lambda: len(widget.answer) > 3, 120, "the first tokens")
    window.activateWindow()
    window.composer.input.setFocus()  # Esc acts on what has focus: the message box here
    QTest.keyClick(window.composer.input, Qt.Key.Key_Escape)
    wait_until(qapp, lambda: not window.generating, 60, "the stop")
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
    widget = window.view.live
    wait_until(qapp, lambda: len(widget.answer) > 3, 120, "the first tokens")
    pid = bridge.client.pid  # type: ignore[union-attr]
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
    wait_until(qapp, lambda: window.view.notices, 60, "the load error")
    card = window.view.notices[-1]
    assert card.title.text() == "<b>The model could not be loaded</b>"
    assert "ends inside its header" in card.text.text()
    assert "is still loaded and in use" in card.text.text()  # the model before it answers
    assert "gemma" in window.topbar.model_button.text().lower()
    assert window.isVisible()


def test_history_is_intact_after_a_restart(qapp: QApplication, make_window: Any,
                                           gemma_engine: Any, tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    first = ChatStore(path)
    try:
        window = make_window(gemma_engine, settings=GREEDY, history=first)
        answer = ask(qapp, window, "What is the capital of France?")
        conv_id = window.conversation_id
        window.close()
    finally:
        first.close()

    second = ChatStore(path)
    try:
        assert second.interrupted_on_open == 0
        window = make_window(gemma_engine, settings=GREEDY, history=second)
        assert window.conversation_id is None  # it starts on a new chat …
        item = window.sidebar.item_for(conv_id)
        assert item is not None and item.text() == "What is the capital of France?"
        window.sidebar.list.setCurrentItem(item)  # … and the old one is a click away
        assert window.conversation_id == conv_id
        assert window.topbar.title.text() == "What is the capital of France?"
        user, reply = window.chat.widgets
        assert isinstance(user, UserMessage) and isinstance(reply, AssistantMessage)
        assert user.text == "What is the capital of France?"
        assert reply.answer == answer.answer and "Paris" in reply.answer
        assert reply.status == "complete" and reply.notice.isHidden()
        assert "tokens/s" in reply.action_bar.info.text()
        saved = second.path(conv_id)
        assert [(m.role, m.status) for m in saved] == [("user", "complete"),
                                                       ("assistant", "complete")]
        assert saved[1].content == answer.answer
        window.close()
    finally:
        second.close()


def test_an_abandoned_answer_reopens_as_interrupted(qapp: QApplication, make_window: Any,
                                                    gemma_engine: Any, tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    first = ChatStore(path, flush_interval=0.2)
    try:
        window = make_window(gemma_engine, settings=GREEDY, history=first)
        window.composer.input.setPlainText("Count from 1 to 1000, separated by commas:")
        QTest.keyClick(window.composer.input, Qt.Key.Key_Return)
        answer_id = window.session.answer_id
        widget = window.view.live
        wait_until(qapp, lambda: len(first.message(answer_id).content) > 10, 120,
                   "the answer to reach the file")
        # The history goes away mid-answer, as when Cove is killed: nobody finishes the
        # answer, so the file still says it is being written.
        first.close()
        shown = widget.answer
        window.close()
    finally:
        first.close()

    second = ChatStore(path)
    try:
        assert second.interrupted_on_open == 1
        conv_id = second.conversations()[0].id
        question, partial = second.path(conv_id)
        assert question.content == "Count from 1 to 1000, separated by commas:"
        assert partial.status == "interrupted"
        assert len(partial.content) > 10 and shown.startswith(partial.content)
        window = make_window(gemma_engine, settings=GREEDY, history=second)
        window.open_conversation(conv_id)
        reply = window.chat.widgets[-1]
        assert isinstance(reply, AssistantMessage) and reply.answer == partial.content
        assert reply.status == "interrupted"
        assert not reply.notice.isHidden()
        assert reply.notice.text() == "Interrupted: the answer was cut off before it ended."
        assert reply.regenerate_button.isEnabled()
        window.close()
    finally:
        second.close()


def visible_text(root: QWidget) -> list[str]:
    """Every text a user can see in ``root``: labels, buttons, documents."""
    texts = [root.windowTitle()]
    for label in root.findChildren(QLabel):
        if label.isVisibleTo(root):
            texts.append(label.text())
    for button in root.findChildren(QAbstractButton):
        if button.isVisibleTo(root):
            texts += [button.text(), button.toolTip()]
    for document in root.findChildren(QTextEdit):
        if document.isVisibleTo(root):
            texts.append(document.toPlainText())
    return texts


def test_thinking_and_answer_now_with_a_gpt_oss_model(qapp: QApplication, make_window: Any,
                                                      scripted_gpt_oss_path: Path,
                                                      store: ChatStore) -> None:
    """The scripted model reasons "xxxx…" until "Answer now", then answers "xxxx…"
    until stopped: every step goes through the real bridge, worker and harmony parser."""
    window = make_window(settings=Settings(sampling={"temp": 0.0}, n_ctx=2048))
    window.load_model(str(scripted_gpt_oss_path))
    wait_until(qapp, lambda: window.composer.send_button.isEnabled(), 120, "the model")
    assert window.model_info.harmony and window.model_info.raw["architecture"] == "gpt-oss"

    window.composer.input.setPlainText("Hi")
    QTest.keyClick(window.composer.input, Qt.Key.Key_Return)
    widget = window.view.live

    def shown_reasoning() -> str:
        body = widget.thinking.body if widget.thinking is not None else None
        return body.toPlainText() if body is not None else ""

    wait_until(qapp, lambda: len(shown_reasoning()) >= 8, 120, "the Thinking block to fill")
    thinking = widget.thinking
    assert thinking.streaming and thinking.expanded
    assert thinking.answer_now_button.isVisible() and "Thinking…" in thinking.toggle.text()
    assert set(shown_reasoning()) == {"x"} and widget.answer == ""

    thinking.answer_now_button.click()
    wait_until(qapp, lambda: len(widget.view.plain_text()) >= 8, 60, "the answer")
    assert not thinking.streaming and not thinking.expanded  # closed once the answer began
    assert "Thought for" in thinking.toggle.text()
    assert window.generating  # the answer goes on until stopped
    window.composer.send_button.click()  # Stop
    wait_until(qapp, lambda: not window.generating, 20, "the stop")

    assert set(widget.answer) == {"x"} and set(thinking.text) == {"x"}
    assert widget.notice.text() == "Stopped."
    thinking.toggle.click()  # open the reasoning again: still only the model's text
    shown = "\n".join(visible_text(window))
    assert "xxxxxxxx" in shown and "<|" not in shown and "|>" not in shown
    saved = store.path(window.conversation_id)
    assert [m.role for m in saved] == ["user", "assistant"]
    answer = saved[1]
    assert answer.status == "stopped" and answer.model == window.model_info.name
    assert answer.reasoning == thinking.text and answer.content == widget.answer
    assert answer.reasoning_ms and answer.completion_tokens
    assert "<|" not in answer.reasoning + answer.content + store.export_markdown(
        window.conversation_id, reasoning=True)


def test_a_question_about_a_document_with_the_real_worker(
        qapp: QApplication, make_window: Any, gemma_engine: Any, tmp_path: Path) -> None:
    """The documents are searched on the engine thread, the conversation is counted with
    the model's own tokenizer, the passage goes in and the answer lists its source."""
    from app.ui.chat.attachments import SourcesView
    from tests.ui_documents.test_attachments import book, drop, ready

    # A short answer: the base model would otherwise write until the context is full,
    # which takes minutes when the machine is busy; the sources are what is checked.
    window = make_window(gemma_engine, settings=replace(GREEDY, max_tokens=48))
    threads: list[str] = []
    counted: list[list[str]] = []
    real_prepare, real_count = window.documents.prepare, gemma_engine.count_tokens

    def prepare(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real_prepare(*args, **kwargs)

    def count(texts: list[str]) -> list[int]:
        counted.append(list(texts))
        return real_count(texts)

    window.documents.prepare = prepare
    gemma_engine.count_tokens = count
    try:
        drop(window, book(tmp_path / "harbour.pdf", 60))
        ready(qapp, window, "harbour.pdf")
        widget = ask(qapp, window, "Who logged the comet? Answer with the name.")
    finally:
        del gemma_engine.count_tokens
    assert threads == ["cove-engine"]
    # The read-ahead (issue 15) counts the conversation with the question left empty;
    # the question itself is counted with the model's tokenizer when it is asked.
    assert [texts[0] for texts in counted if texts[0]] == [
        "Who logged the comet? Answer with the name."]
    sources = widget.findChild(SourcesView)
    assert sources is not None and sources.buttons
    assert any("harbour.pdf, page 7" in b.text() for b in sources.buttons)
    assert "documents" in window.attachments.meter.text()
    assert widget.answer.strip()
