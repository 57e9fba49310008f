"""Keys and state that must not surprise (issue 18 §4, §5): Esc acts on what has focus,
Enter during an answer queues the message, Ctrl+Q quits (asking only while an answer is
written, answered here in a real QMessageBox), the top bar shows the model and chat on
screen, thinking times are the saved ones, non-reasoning models get no effort, opened
models are remembered, sources that cannot be opened say so, and a message too long
for the context is offered as a document.

The engine is the scripted client (the harmony parts on demand); the history is a real
SQLite file; keys go through Qt's own key handling (shortcut override, propagation)."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.chats.store import ChatStore
from app.documents.context import Context, Source
from app.ui.chat.attachments import SourcesView
from app.ui.chat.messages import AssistantMessage
from app.ui.widgets.sidebar import HTML_ROLE, highlighted
from tests.ui.fixtures import settle, wait_until
from tests.ui.test_window import delete_later, finish, send


def answer_box(qapp: QApplication, button: QMessageBox.StandardButton,
               seen: list[str]) -> None:
    """Press ``button`` in the next modal message box, when it appears."""
    def poll() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.button(button).click()
        else:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def activate(qapp: QApplication, window: QWidget) -> None:
    """Keys reach the active window (shortcuts, focus): make it so, as a click would."""
    window.activateWindow()
    wait_until(qapp, lambda: QApplication.activeWindow() is window, 10, "an active window")


def test_esc_acts_on_what_has_focus(qapp, make_window, scripted, store: ChatStore) -> None:
    window = make_window(scripted([], ["word "] * 5000, delay=0.002))
    activate(qapp, window)
    send(qapp, window, "Go on")
    search = window.sidebar.search
    window.sidebar.focus_search()
    QTest.keyClicks(search, "tram")
    QTest.keyClick(search, Qt.Key.Key_Escape)
    assert search.text() == "" and window.generating  # the field cleared, nothing stopped
    QTest.keyClick(search, Qt.Key.Key_Escape)
    assert window.composer.input.hasFocus() and window.generating  # it left the field
    QTest.keyClick(window.composer.input, Qt.Key.Key_Escape)  # here Esc is the answer's
    finish(qapp, window)
    assert store.path(window.conversation_id)[-1].status == "stopped"
    # Editing a message: Esc cancels the edit, nothing else.
    user = window.chat.widgets[0]
    user.edit_button.click()
    assert user.editor is not None
    QTest.keyClick(user.editor, Qt.Key.Key_Escape)
    assert user.editor is None and window.isVisible()


def test_enter_while_answering_queues_the_message(qapp, make_window, scripted,
                                                  store: ChatStore) -> None:
    hold = threading.Event()
    client = scripted([], ["First answer."], hold=hold)
    window = make_window(client)
    send(qapp, window, "First")
    box = window.composer.input
    QTest.keyClicks(box, "Second")
    QTest.keyClick(box, Qt.Key.Key_Return)
    assert box.toPlainText() == ""  # what is typed next is not glued onto it
    assert window.composer.queue_bar.isVisible()
    assert window.composer.queue_label.text() == \
        "Waiting to send when the answer ends: Second"
    QTest.keyClicks(box, "Third, not yet sent")
    hold.set()
    wait_until(qapp, lambda: len(store.path(window.conversation_id)) == 4, 20,
               "the queued message to be sent")
    finish(qapp, window)
    assert [m.content for m in store.path(window.conversation_id)] == [
        "First", "First answer.", "Second", "First answer."]
    assert box.toPlainText() == "Third, not yet sent"
    assert not window.composer.queue_bar.isVisible()
    # Cancel puts a queued message back in the box, before what was typed since.
    hold.clear()
    box.clear()
    send(qapp, window, "Fourth")
    QTest.keyClicks(box, "Fifth")
    QTest.keyClick(box, Qt.Key.Key_Return)
    QTest.keyClicks(box, "sixth")
    window.composer.queue_cancel.click()
    assert box.toPlainText() == "Fifth\nsixth" and window.composer.queued is None
    hold.set()
    finish(qapp, window)
    assert store.path(window.conversation_id)[-1].parent_id is not None
    assert [m.content for m in store.path(window.conversation_id)][-2] == "Fourth"


def test_ctrl_q_quits_at_once_when_idle(qapp, make_window, scripted) -> None:
    window = make_window(scripted([], ["ok"]))
    activate(qapp, window)
    seen: list[str] = []
    answer_box(qapp, QMessageBox.StandardButton.Yes, seen)
    QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    settle(qapp)
    assert not window.isVisible() and not window.generating
    assert seen == []  # nothing was asked


def test_ctrl_q_asks_while_an_answer_is_written(qapp, make_window, scripted,
                                                store: ChatStore) -> None:
    window = make_window(scripted([], ["word "] * 5000, delay=0.002))
    activate(qapp, window)
    send(qapp, window, "Go on")
    seen: list[str] = []
    answer_box(qapp, QMessageBox.StandardButton.No, seen)
    QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert len(seen) == 1 and "An answer is being written" in seen[0]
    assert window.isVisible() and window.generating  # "No": nothing happened
    conv_id = window.conversation_id
    activate(qapp, window)  # the box had the focus
    answer_box(qapp, QMessageBox.StandardButton.Yes, seen)
    QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert len(seen) == 2 and not window.isVisible()
    saved = store.path(conv_id)[-1]
    assert saved.status == "stopped" and saved.content.startswith("word")


def test_the_top_bar_shows_this_model_and_this_chat(qapp, make_window, scripted,
                                                    store: ChatStore) -> None:
    client = scripted([], ["ok"])
    window = make_window(client)
    bar = window.topbar
    send(qapp, window, "Q")
    finish(qapp, window)
    first = window.conversation_id
    assert "tokens/s" in bar.speed.text() and bar.context.text().startswith("Context")
    window.new_chat()  # an empty chat: the model's context, no speed
    assert bar.speed.text() == "" and bar.context.text() == "8,192 tokens of context"
    window.open_conversation(first)
    assert "tokens/s" in bar.speed.text()
    # Another model: its own context, no speed from the last one's answers.
    client.info = {**client.info, "name": "Other model", "n_ctx": 4096,
                   "path": "/models/other.gguf"}
    window.load_model("/models/other.gguf")
    wait_until(qapp, lambda: getattr(window.model_info, "name", None) == "Other model", 10, "load")
    assert bar.speed.text() == "" and bar.context.text() == "4,096 tokens of context"
    window.open_conversation(first)  # written by the other model
    assert bar.speed.text() == "" and bar.context.text() == "4,096 tokens of context"


def test_thinking_time_is_the_saved_one_after_switching_and_restart(
        qapp, make_window, scripted, store: ChatStore) -> None:
    hold = threading.Event()
    client = scripted(["step "] * 100, ["Done."], hold=hold)
    other = store.create_conversation("Other")
    store.add_user_message(other.id, "hi")
    window = make_window(client)
    send(qapp, window, "Think")
    conv_id = window.conversation_id
    wait_until(qapp, lambda: window.session.live_answer(conv_id).reasoning_from is not None,
               10, "reasoning")
    window.open_conversation(other.id)
    delete_later(qapp)
    window.open_conversation(conv_id)  # the widget is built again, mid-thinking
    delete_later(qapp)
    hold.set()
    finish(qapp, window)
    saved = store.path(conv_id)[-1]
    assert saved.reasoning_ms and saved.reasoning_ms > 0
    seconds = QLocale().toString(saved.reasoning_ms / 1000, "f", 1)
    if saved.reasoning_ms < 50:  # a very fast reasoning: "< 0.1 s", never "0.0 s"
        seconds = "< " + QLocale().toString(0.1, "f", 1)
    widget = window.chat.widgets[-1]
    assert f"Thought for {seconds} s" in widget.thinking.toggle.text()
    assert "Thought for 0.0 s" not in widget.thinking.toggle.text()
    # Another conversation and back, then a restart: the same duration.
    window.open_conversation(other.id)
    window.open_conversation(conv_id)
    assert f"Thought for {seconds} s" in window.chat.widgets[-1].thinking.toggle.text()
    again = make_window(history=ChatStore(store.db_path))
    again.open_conversation(conv_id)
    assert f"Thought for {seconds} s" in again.chat.widgets[-1].thinking.toggle.text()
    again.store.close()


def test_models_that_do_not_reason_get_no_effort_and_no_thinking(
        qapp, make_window, scripted) -> None:
    hold = threading.Event()
    client = scripted([], ["Plain answer."], hold=hold)
    client.info = {**client.info, "name": "gemma", "harmony": False}
    window = make_window(client)
    assert not window.composer.effort.isVisible()
    send(qapp, window, "Hello")
    widget = window.view.live
    assert widget.progress.text() == "Writing…"
    hold.set()
    finish(qapp, window)
    assert widget.thinking is None
    client.info = {**client.info, "name": "gpt-oss-20b", "harmony": True}
    window.load_model("/models/gpt-oss-20b.gguf")
    wait_until(qapp, lambda: getattr(window.model_info, "harmony", None) is True, 10, "load")
    assert window.composer.effort.isVisible()


def test_open_reasoning_is_set_apart_from_the_answer(qapp, make_window, scripted) -> None:
    window = make_window(scripted(["Reasoning here."], ["The answer."]))
    send(qapp, window, "Q")
    finish(qapp, window)
    widget: AssistantMessage = window.chat.widgets[-1]
    thinking = widget.thinking
    assert not thinking.rule.isVisible()
    thinking.toggle.click()
    settle(qapp)
    assert thinking.rule.isVisible()
    rule_bottom = thinking.rule.mapTo(widget, thinking.rule.rect().bottomLeft()).y()
    assert widget.view.y() > rule_bottom + 4


def test_a_model_opened_from_a_file_stays_in_the_model_menu(qapp, make_window,
                                                            gemma_path: Path,
                                                            tmp_path: Path,
                                                            monkeypatch) -> None:
    # A library of its own: other tests of the session may have added Gemma already.
    monkeypatch.setenv("COVE_HOME", str(tmp_path / "home"))
    kept = tmp_path / "elsewhere" / gemma_path.name
    kept.parent.mkdir()
    shutil.copyfile(gemma_path, kept)
    window = make_window()
    menu = window.topbar.model_menu
    window.topbar.library_models = None  # read the real library
    menu.aboutToShow.emit()
    assert "Gemma 3 270m" not in [a.text() for a in menu.actions()]
    # What the bridge reports once the worker loaded a file the user opened (Ctrl+O).
    window.bridge.loaded.emit({"path": str(kept), "name": "Gemma 3 270m", "backend": "CPU",
                              "n_ctx": 2048, "harmony": False})
    menu.aboutToShow.emit()
    opened = [a for a in menu.actions() if a.text() == "Gemma 3 270m"]
    assert len(opened) == 1 and opened[0].isEnabled()
    # Offered until removed: a new window (a restart) still has it.
    again = make_window()
    again.topbar.library_models = None
    again.topbar.model_menu.aboutToShow.emit()
    assert "Gemma 3 270m" in [a.text() for a in again.topbar.model_menu.actions()]


def test_search_results_highlight_the_words(qapp, make_window, store: ChatStore) -> None:
    assert highlighted("a <b>Tram</b> & trams", ["tram"]).count("<span") == 2
    assert "&lt;b&gt;" in highlighted("a <b>Tram</b>", ["tram"])  # text, never markup
    conv = store.create_conversation("Lisbon")
    user = store.add_user_message(conv.id, "Are there trams in Lisbon?")
    writer = store.start_answer(conv.id, user.id, "m", "low")
    writer.append(answer="Yes: the <tram> 28 crosses the old town; in HTML <b>x</b>, "
                         "in BBCode [mark]x[/mark].")
    writer.finish("complete")
    window = make_window()
    window.sidebar.focus_search()
    QTest.keyClicks(window.sidebar.search, "old town")
    wait_until(qapp, lambda: window.sidebar.results.count() > 0, 30, "search results")
    item = window.sidebar.results.item(0)
    html = item.data(HTML_ROLE)
    assert ">old</span>" in html and ">town</span>" in html and "&lt;tram&gt;" in html
    # The user's own text keeps what looks like markup: nothing is stripped from it.
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "[mark]x[/mark]" in html
    assert "<b>x</b>, in BBCode [mark]x[/mark]." in item.text()


def test_a_source_that_cannot_be_opened_says_so(qapp, make_window, tmp_path: Path,
                                                qt_warnings_fail: list[str]) -> None:
    document = tmp_path / "report.xyz-no-viewer"
    document.write_text("The tram 28 crosses the old town.", encoding="utf-8")
    source = Source(1, 1, document.name, str(document), None, None, "", 1,
                    "The tram 28 crosses the old town.", (1,), 0)
    view = SourcesView(Context("retrieved", "", (source,), True, 10), "[1]")
    # No app for the file (the offscreen platform has none): it says so, with a way on.
    box = view.open_source(source)
    # The offscreen platform's own word that it opens nothing (a desktop has handlers).
    qt_warnings_fail[:] = [w for w in qt_warnings_fail if "openDocument()" not in w]
    assert box is not None and "no app set to open report.xyz-no-viewer" in box.text()
    show = next(b for b in box.buttons() if b.text() == "Show in folder")
    show.click()
    qt_warnings_fail[:] = [w for w in qt_warnings_fail if "openDocument()" not in w]
    assert view.notice is not None and str(document) in view.notice.text()
    view.notice.close()
    box.close()
    # A file that is gone says that instead.
    document.unlink()
    box = view.open_source(source)
    assert box is not None and "moved or deleted" in box.text()
    box.close()
    view.deleteLater()


def test_too_long_message_offers_to_attach_it(qapp, make_window, scripted,
                                              store: ChatStore) -> None:
    client = scripted([], [], error={
        "code": "too_long",
        "message": "This message is too long for the model's context window (8192 tokens, "
                   "with 1024 kept free for the answer)."})
    window = make_window(client)
    text = "A pasted report. " * 2000
    send(qapp, window, text)
    finish(qapp, window)
    card = window.chat.widgets[-1].error_card
    assert card is not None and "does not fit" in card.title.text()
    assert set(card.buttons) == {"attach_text"}  # no longer context to choose here
    assert "Settings" not in card.text.text()
    card.buttons["attach_text"].click()
    conv_id = window.conversation_id
    wait_until(qapp, lambda: window.attachments.index.documents(conv_id), 30, "the document")
    assert store.path(conv_id) == []  # the failed pair left the chat
    chip = next(iter(window.attachments.chips.values()))
    assert chip.name.startswith("Pasted text") and chip.isVisible()
    index = window.attachments.index
    document = index.documents(conv_id)[0]
    wait_until(qapp, lambda: index.document(document.id).status == "ready", 30, "read")
    words = " ".join(t.text for t, _ in index.unit_texts(document.id))
    assert words.count("A pasted report.") == 2000
    # its words are in the encrypted documents.db now: the plain file is erased
    wait_until(qapp, lambda: not Path(document.path).exists(), 30, "the file erased")

