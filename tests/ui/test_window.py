"""The window driven through its own widgets, with a real history file and the engine
protocol played by a scripted client (the harmony parts: thinking, Answer now, errors)."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QMimeData, Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.chats.store import ChatStore
from app.ui.chat.messages import AssistantMessage, UserMessage
from tests.ui.fixtures import settle, wait_until
from tests.ui.scripted import ScriptedClient

REASONING = ["The user ", "wants ", "a haiku ", "about ", "the sea."]
ANSWER = ["## Sea\n\n", "Waves fold ", "into light.\n\n", "```python\n", "print('sea')\n",
          "```\n"]


def send(qapp: QApplication, window: Any, text: str) -> None:
    window.composer.input.setPlainText(text)
    QTest.keyClick(window.composer.input, Qt.Key.Key_Return)
    assert window.generating


def finish(qapp: QApplication, window: Any) -> None:
    wait_until(qapp, lambda: not window.generating, 20, "the answer to end")


def test_thinking_block_streams_open_and_collapses_after(qapp, make_window, scripted,
                                                         store: ChatStore) -> None:
    hold = threading.Event()
    client = scripted(REASONING, ANSWER, hold=hold)
    window = make_window(client)
    send(qapp, window, "A haiku about the sea")
    widget = window.view.live
    wait_until(qapp, lambda: widget.thinking is not None
               and widget.thinking.text == "".join(REASONING), what="reasoning")
    thinking = widget.thinking
    wait_until(qapp, lambda: "The user wants a haiku" in thinking.body.toPlainText(),
               what="the reasoning on screen")  # the next render, however late it comes
    assert thinking.expanded and thinking.streaming
    assert thinking.answer_now_button.isVisible()
    assert "The user wants a haiku" in thinking.body.toPlainText()
    assert "Thinking…" in thinking.toggle.text()
    hold.set()
    finish(qapp, window)
    assert not thinking.expanded
    assert not thinking.answer_now_button.isVisible()
    assert "Thought for" in thinking.toggle.text() and "5 tokens" in thinking.toggle.text()
    thinking.toggle.click()
    assert thinking.expanded
    # The answer is Markdown with a highlighted code block and its own copy button.
    assert widget.view.code_blocks()[0].code == "print('sea')"
    widget.view.code_blocks()[0].copy_button.click()
    assert QGuiApplication.clipboard().text() == "print('sea')"
    # Saved: answer, reasoning, timing, status.
    saved = store.path(window.conversation_id)
    assert [m.role for m in saved] == ["user", "assistant"]
    assert saved[1].content == "".join(ANSWER)
    assert saved[1].reasoning == "".join(REASONING)
    assert saved[1].status == "complete" and saved[1].reasoning_ms is not None
    assert window.topbar.backend.text() == "CUDA"
    assert "tokens/s" in window.topbar.speed.text()
    assert "Context" in window.topbar.context.text()


def test_answer_now_ends_thinking(qapp, make_window, scripted, store: ChatStore) -> None:
    client = scripted(["thinking "] * 2000, ["Here it is."], delay=0.002)
    window = make_window(client)
    send(qapp, window, "Think hard")
    widget = window.view.live
    wait_until(qapp, lambda: widget.thinking is not None and widget.thinking.tokens > 5)
    widget.thinking.answer_now_button.click()
    finish(qapp, window)
    assert client.answer_now_calls == 1
    assert widget.answer == "Here it is."
    assert widget.thinking.tokens < 2000
    assert store.path(window.conversation_id)[-1].status == "complete"


def test_stop_keeps_the_partial_answer(qapp, make_window, scripted, store: ChatStore) -> None:
    client = scripted([], ["word "] * 5000, delay=0.002)
    window = make_window(client)
    send(qapp, window, "Go on forever")
    widget = window.view.live
    wait_until(qapp, lambda: len(widget.answer) > 20)
    assert window.composer.send_button.accessibleName() == "Stop (Esc)"
    QTest.keyClick(window, Qt.Key.Key_Escape)
    finish(qapp, window)
    message = store.path(window.conversation_id)[-1]
    assert message.status == "stopped"
    assert message.content and message.content == widget.answer
    assert widget.notice.text() == "Stopped."
    assert window.composer.send_button.accessibleName() == "Send (Enter)"


class BurstClient(ScriptedClient):
    """Answer tokens in bursts: after each burst the client waits for the test's go, so
    the test decides when tokens arrive, not the machine's speed."""

    def __init__(self, answer: list[str], burst: int) -> None:
        super().__init__([], answer, delay=0)
        self.burst = burst
        self.sent = [threading.Event() for _ in range(0, len(answer), burst)]
        self.go = [threading.Event() for _ in self.sent]

    def chat(self, *args: Any, **kwargs: Any) -> Iterator[dict[str, Any]]:
        n = 0
        for msg in super().chat(*args, **kwargs):
            yield msg
            if msg.get("kind") == "answer":
                n += 1
                if n % self.burst == 0 or n == len(self.answer):
                    self.sent[(n - 1) // self.burst].set()  # the bridge passed it on
                    self.go[(n - 1) // self.burst].wait(120)


def test_streaming_renders_in_batches_not_per_token(qapp, make_window) -> None:
    # Each burst of 100 tokens reaches the window between two renders (the GUI thread
    # processes nothing until the burst is queued); per-token rendering would render
    # 400 times, batched rendering once per burst. No clock decides how many.
    answer = ["token "] * 399 + ["\n\n```js\nlet x = 1;\n```\n"]
    client = BurstClient(answer, burst=100)
    window = make_window(client)
    send(qapp, window, "Many tokens")
    widget = window.view.live
    for k, (sent, go) in enumerate(zip(client.sent, client.go)):
        assert sent.wait(120)
        rendered = widget.render_count
        wait_until(qapp, lambda r=rendered: widget.render_count > r or not window.generating,
                   what=f"burst {k + 1} on screen")
        if window.generating:
            assert widget.view.plain_text().count("token") == min(100 * (k + 1), 399)
        go.set()
    finish(qapp, window)
    assert widget.render_count <= len(client.sent) + 1  # a render per burst, and the end
    assert widget.view.code_blocks()[0].code == "let x = 1;"


def delete_later(qapp: QApplication) -> None:
    """Delete what deleteLater() marked, as the running event loop would."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    qapp.processEvents()


def test_other_conversations_can_be_read_while_an_answer_streams(
        qapp, make_window, scripted, store: ChatStore, monkeypatch: pytest.MonkeyPatch) -> None:
    failures: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, exc, tb: failures.append(exc))
    other = store.create_conversation("Other")
    store.add_user_message(other.id, "hi")
    midway = threading.Event()  # the answer waits halfway until the test comes back
    client = scripted(["Let me ", "count."], ["word "] * 150, delay=0.004, midway=midway)
    window = make_window(client)
    send(qapp, window, "Go on")
    conv_id = window.conversation_id
    wait_until(qapp, lambda: len(window.view.live.answer) > 20, what="the answer")
    window.sidebar.list.setCurrentItem(window.sidebar.item_for(other.id))
    delete_later(qapp)  # the streaming widget is gone; the answer goes on being saved
    assert window.conversation_id == other.id
    assert [w.text for w in window.chat.widgets] == ["hi"]
    settle(qapp, 0.1)
    # Back to it: a new widget with the text so far, and the rest streams into it.
    window.sidebar.list.setCurrentItem(window.sidebar.item_for(conv_id))
    delete_later(qapp)
    widget = window.view.live
    assert widget is window.chat.widgets[-1] and widget.streaming
    assert widget.answer.startswith("word word ") and widget.thinking.text == "Let me count."
    midway.set()
    finish(qapp, window)
    assert widget.answer == "word " * 150 and widget.status == "complete"
    assert store.path(conv_id)[-1].content == "word " * 150
    # Away until it ends: saved whole, and the message box is free again.
    client.answer = ["more "] * 100
    send(qapp, window, "Again")
    window.new_chat()
    delete_later(qapp)
    finish(qapp, window)
    assert not window.composer.generating and window.chat.widgets == []
    saved = store.path(conv_id)[-1]
    assert (saved.content, saved.status) == ("more " * 100, "complete")
    window.open_conversation(conv_id)
    assert window.chat.widgets[-1].answer == "more " * 100
    assert failures == []


def test_regenerate_keeps_the_previous_answer_reachable(qapp, make_window, scripted,
                                                         store: ChatStore) -> None:
    client = scripted([], ["First answer."])
    window = make_window(client)
    send(qapp, window, "Question")
    finish(qapp, window)
    client.answer = ["Second answer."]
    first = window.chat.widgets[-1]
    first.regenerate_button.click()
    finish(qapp, window)
    answer = window.chat.widgets[-1]
    assert isinstance(answer, AssistantMessage) and answer.answer == "Second answer."
    assert answer.action_bar.nav.label.text() == "2/2"
    assert len(window.chat.widgets) == 2
    answer.action_bar.nav.previous.click()
    answer = window.chat.widgets[-1]
    assert answer.answer == "First answer."
    assert answer.action_bar.nav.label.text() == "1/2"
    assert [m.content for m in store.path(window.conversation_id)] == ["Question",
                                                                       "First answer."]


def test_edit_and_resend_branches(qapp, make_window, scripted, store: ChatStore) -> None:
    client = scripted([], ["Answer one."])
    window = make_window(client)
    send(qapp, window, "Original question")
    finish(qapp, window)
    user = window.chat.widgets[0]
    assert isinstance(user, UserMessage)
    user.edit_button.click()
    assert user.editor is not None
    user.editor.setPlainText("Edited question")
    client.answer = ["Answer two."]
    QTest.keyClick(user.editor, Qt.Key.Key_Return)
    finish(qapp, window)
    path = store.path(window.conversation_id)
    assert [m.content for m in path] == ["Edited question", "Answer two."]
    assert client.requests[-1]["messages"] == [{"role": "user", "content": "Edited question"}]
    user = window.chat.widgets[0]
    assert user.action_bar.nav.label.text() == "2/2"
    user.action_bar.nav.previous.click()
    assert [w.text if isinstance(w, UserMessage) else w.answer
            for w in window.chat.widgets] == ["Original question", "Answer one."]


def test_delete_message(qapp, make_window, scripted, store: ChatStore) -> None:
    window = make_window(scripted([], ["Answer."]))
    send(qapp, window, "Question")
    finish(qapp, window)
    window.view.delete_message(window.chat.widgets[-1].message_id, confirm=False)
    assert [m.role for m in store.path(window.conversation_id)] == ["user"]
    assert len(window.chat.widgets) == 1


def test_conversations_rename_pin_delete_and_undo(qapp, make_window, store: ChatStore) -> None:
    older = store.create_conversation("Older chat")
    store.add_user_message(older.id, "hello")
    time.sleep(0.01)
    newer = store.create_conversation("Newer chat")
    store.add_user_message(newer.id, "hi")
    window = make_window()
    titles = [window.sidebar.list.item(i).text() for i in range(window.sidebar.list.count())]
    assert titles == ["Newer chat", "Older chat"]
    # Pin the older one: it moves to the top.
    item = window.sidebar.item_for(older.id)
    menu = window.sidebar.menu_for(item)
    next(a for a in menu.actions() if a.text() == "Pin").trigger()
    assert window.sidebar.list.item(0).text() == "Older chat"
    assert store.conversation(older.id).pinned
    # Rename through the list's editor.
    item = window.sidebar.item_for(newer.id)
    item.setText("Renamed")
    settle(qapp)
    assert store.conversation(newer.id).title == "Renamed"
    # Delete, then undo from the bar.
    window.sidebar.list.setCurrentItem(window.sidebar.item_for(newer.id))
    assert window.conversation_id == newer.id
    QTest.keyClick(window.sidebar.list, Qt.Key.Key_Delete)
    assert window.sidebar.item_for(newer.id) is None
    assert window.conversation_id is None
    assert window.sidebar.undo_bar.isVisible()
    assert "Renamed" in window.sidebar.undo_label.text()
    window.sidebar.undo_button.click()
    assert window.sidebar.item_for(newer.id) is not None
    assert window.conversation_id == newer.id
    assert [w.text for w in window.chat.widgets] == ["hi"]


def test_search_finds_answers_and_jumps_to_the_message(qapp, make_window,
                                                       store: ChatStore) -> None:
    conv = store.create_conversation("Travel")
    parent = None
    for i in range(80):  # more than one page, so the hit must be built on demand
        user = store.add_user_message(conv.id, f"question {i}", parent)
        writer = store.start_answer(conv.id, user.id, "m", "low")
        writer.append(answer="Lisbon has trams" if i == 3 else f"answer {i}",
                      reasoning="about the unusual word zanzibar" if i == 5 else "")
        parent = writer.finish("complete").id
    window = make_window()
    window.sidebar.focus_search()
    QTest.keyClicks(window.sidebar.search, "trams")
    wait_until(qapp, lambda: window.sidebar.results.count() > 0, 5, "search results")
    assert window.sidebar.results.isVisible() and not window.sidebar.list.isVisible()
    hit = window.sidebar.results.item(0)
    assert "Lisbon has trams" in hit.text()
    window.sidebar.results.itemClicked.emit(hit)
    assert window.conversation_id == conv.id
    target = window.chat.widget_for(hit.data(Qt.ItemDataRole.UserRole + 1))
    assert isinstance(target, AssistantMessage) and target.answer == "Lisbon has trams"
    # Reasoning is searched too; clearing the field brings the list back.
    window.sidebar.search.setText("zanzibar")
    wait_until(qapp, lambda: window.sidebar.results.count() == 1, 5, "reasoning hit")
    window.sidebar.search.clear()
    assert window.sidebar.list.isVisible()


def test_long_conversation_builds_a_window_of_widgets(qapp, make_window,
                                                      store: ChatStore) -> None:
    from app.ui.chat.chatview import MAX_BUILT, PAGE

    conv = store.create_conversation("Long")
    parent = None
    for i in range(150):
        parent = store.add_user_message(conv.id, f"message {i}", parent).id
    window = make_window()
    window.open_conversation(conv.id)
    chat = window.chat
    assert len(chat.widgets) == PAGE and chat.widgets[-1].text == "message 149"
    bar = chat.verticalScrollBar()
    wait_until(qapp, lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), 5, "layout")
    # Scroll to the top a page at a time, as a user does, until the first message is
    # built (each step waits for the page it asked for, not for a time), then back down.
    scroll_until(qapp, chat, 0, lambda: chat.widgets[0].text == "message 0")
    assert len(chat.widgets) <= MAX_BUILT  # the newest ones were dropped
    scroll_until(qapp, chat, None, lambda: chat.widgets[-1].text == "message 149")
    assert len(chat.widgets) <= MAX_BUILT


def scroll_until(qapp: QApplication, chat: Any, value: int | None,
                 reached: Callable[[], bool]) -> None:
    """Move the scroll bar to ``value`` (None: the bottom), as a user does, each time
    the view has finished building the page before; until ``reached``. Counted in
    attempts, not time: a busy machine only makes each attempt slower."""
    bar = chat.verticalScrollBar()
    for _ in range(40):
        if reached():
            return
        wait_until(qapp, lambda: not chat._paging, what="the page to be built")
        bar.setValue(bar.maximum() if value is None else value)
        settle(qapp, 0.02)
    assert reached(), "scrolling did not reach the end of the conversation"


def test_enter_sends_and_shift_enter_adds_a_line(qapp, make_window, scripted) -> None:
    window = make_window(scripted([], ["ok"]))
    box = window.composer.input
    box.setFocus()
    QTest.keyClicks(box, "line one")
    QTest.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClicks(box, "line two")
    assert box.toPlainText() == "line one\nline two"
    QTest.keyClick(box, Qt.Key.Key_Return)
    assert window.generating and box.toPlainText() == ""
    finish(qapp, window)
    assert window.chat.widgets[0].text == "line one\nline two"


def test_effort_and_system_prompt_reach_the_engine(qapp, make_window, scripted,
                                                    store: ChatStore) -> None:
    client = scripted([], ["ok"])
    window = make_window(client)
    window.set_system_prompt("Answer in French.")
    window.composer.set_effort("high")
    send(qapp, window, "Hello")
    finish(qapp, window)
    request = client.requests[-1]
    assert request["effort"] == "high" and request["instructions"] == "Answer in French."
    assert store.path(window.conversation_id)[-1].effort == "high"
    assert store.conversation(window.conversation_id).system_prompt == "Answer in French."


def test_a_50k_paste_is_kept_whole_and_sends(qapp, make_window, scripted,
                                            store: ChatStore) -> None:
    # How long paste and send take is measured by bench/ui.py (paste_50k_ms,
    # send_50k_ms); a bound here would fail on a busy machine.
    window = make_window(scripted([], ["Got it."]))
    text = ("All work and no play makes Jack a dull boy. " * 1200)[:50_000]
    data = QMimeData()
    data.setText(text)
    window.composer.input.insertFromMimeData(data)
    settle(qapp, 0.05)
    assert len(window.composer.input.toPlainText()) == 50_000
    QTest.keyClick(window.composer.input, Qt.Key.Key_Return)
    assert window.generating and window.composer.input.toPlainText() == ""
    finish(qapp, window)
    assert store.path(window.conversation_id)[0].content == text.strip()
    user = window.chat.widgets[0]
    assert user.more_button.isVisible() and len(user.label.text()) < 4000


def test_dropping_a_text_file_attaches_it(qapp, make_window, tmp_path) -> None:
    window = make_window()
    path = tmp_path / "notes.md"
    path.write_text("# Notes\nremember the milk\n", encoding="utf-8")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    window.composer.input.insertFromMimeData(data)
    assert window.composer.input.toPlainText() == ""  # attached, not pasted
    assert window.conversation_id is not None
    assert [c.name for c in window.attachments.chips.values()] == ["notes.md"]


def test_errors_show_in_the_chat_with_what_to_do(qapp, make_window, scripted,
                                                 store: ChatStore) -> None:
    client = scripted(["thinking"], [], error={
        "code": "generation_failed",
        "message": "ggml_backend_cuda_buffer_type_alloc_buffer: allocating 2048 MiB on "
                   "device 0: cudaMalloc failed: out of memory"})
    window = make_window(client)
    send(qapp, window, "Hello")
    finish(qapp, window)
    widget = window.chat.widgets[-1]
    card = widget.error_card
    assert card is not None and card.title.text() == "<b>Not enough memory</b>"
    assert "shorter context" in card.text.text()
    assert set(card.buttons) == {"settings", "open_model"}
    assert store.path(window.conversation_id)[-1].status == "error"
    assert window.isVisible() and not window.generating
    # A crashed worker: the text so far is kept, the window restarts the worker.
    client.error = {"code": "worker_crashed", "message": "The model worker stopped."}
    client.reasoning = []
    send(qapp, window, "Again")
    finish(qapp, window)
    wait_until(qapp, lambda: client.restarts == 1, 5, "restart")
    card = window.chat.widgets[-1].error_card
    assert "stopped unexpectedly" in card.title.text() and "retry" in card.buttons
    assert store.path(window.conversation_id)[-1].status == "interrupted"
    # The conversation reopens with the error shown again.
    window.open_conversation(window.conversation_id)
    assert window.chat.widgets[-1].notice.text().startswith("Interrupted")


def test_without_a_model_sending_is_off_and_the_empty_state_teaches(qapp, make_window) -> None:
    window = make_window()
    assert not window.composer.send_button.isEnabled()
    assert window.composer.hint.text() == "Open a model to start."
    assert window.view.empty is not None and window.view.empty.open_button.isVisible()


def test_load_failure_is_a_card_not_a_crash(qapp, make_window) -> None:
    window = make_window()
    window.bridge.load_failed.emit("llama_model_load: error loading model: out of memory",
                                  "load_failed")
    assert window.chat._extra[-1].title.text() == "<b>Not enough memory</b>"
    window.bridge.load_failed.emit("The file ends inside its header.", "load_failed")
    card = window.chat._extra[-1]
    assert card.title.text() == "<b>The model could not be loaded</b>"
    assert "ends inside its header" in card.text.text()
    assert "open_model" in card.buttons


def test_shortcuts(qapp, make_window, scripted) -> None:
    window = make_window(scripted([], ["The last answer."]))
    send(qapp, window, "Q")
    finish(qapp, window)
    QGuiApplication.clipboard().clear()
    QTest.keyClick(window, Qt.Key.Key_C,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert QGuiApplication.clipboard().text() == "The last answer."
    QTest.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.sidebar.search.hasFocus()
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.conversation_id is None and window.chat.widgets == []


def test_controls_have_accessible_names(qapp, make_window, scripted) -> None:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit

    window = make_window(scripted([], ["ok"]))
    send(qapp, window, "Q")
    finish(qapp, window)
    unnamed = [
        w for kind in (QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit)
        for w in window.findChildren(kind)
        if w.isVisible() and not w.accessibleName() and not
        (isinstance(w, QAbstractButton) and w.text())
    ]
    assert unnamed == []


def test_menu_opens_models_welcome_and_this_computer(qapp, make_window) -> None:
    """The "…" menu reaches the Models window, the welcome wizard and This computer;
    none of them makes a network request on opening, and closing the window lets the
    download manager go."""
    from app.ui.dialogs.computer import ComputerDialog
    from app.ui.dialogs.models_dialog import ModelsDialog
    from app.ui.dialogs.tools_dialog import ToolsDialog
    from app.ui.dialogs.welcome import WelcomeWizard

    window = make_window()
    actions = {a.text(): a for a in window.sidebar.history_menu.actions()}
    assert {"Models…", "This computer…", "Get started…", "Tools…"} <= set(actions)
    window.open_models()
    window.open_welcome()
    window.open_computer()
    actions["Tools…"].trigger()
    settle(qapp)
    open_kinds = {type(w) for w in QApplication.topLevelWidgets() if w.isVisible()}
    assert {ModelsDialog, WelcomeWizard, ComputerDialog, ToolsDialog} <= open_kinds
    assert window.downloads is window.downloads  # one manager, shared
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, (ModelsDialog, WelcomeWizard, ComputerDialog, ToolsDialog)):
            widget.close()
    settle(qapp)
