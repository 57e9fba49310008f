"""Export and import through the window's own menus and shortcut, with real history
files; the file dialogs are answered by the test (a native dialog cannot be driven)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from app.chats.store import ChatStore, Message
from tests.ui.fixtures import wait_until

REASONING = ["The user ", "wants ", "a haiku."]
ANSWER = ["Waves fold ", "into light."]
MD = "Markdown (*.md)"
MD_REASONING = "Markdown with the model's reasoning (*.md)"
JSON = "Cove JSON (*.json)"
JSON_REASONING = "Cove JSON with the model's reasoning (*.json)"


class Dialogs:
    """Stands in for QFileDialog's static functions: answers with the next path (and
    file type) and remembers what the window offered."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.answers: list[tuple[str, str]] = []
        self.offered: list[dict[str, Any]] = []
        monkeypatch.setattr(QFileDialog, "getSaveFileName", self._answer)
        monkeypatch.setattr(QFileDialog, "getOpenFileName", self._answer)

    def will_answer(self, path: Path | str, file_type: str = "") -> None:
        self.answers.append((str(path), file_type))

    def _answer(self, parent: Any, caption: str, folder: str, filters: str,
                selected: str = "", *_: Any) -> tuple[str, str]:
        self.offered.append({"caption": caption, "folder": folder,
                             "filters": filters.split(";;"), "selected": selected})
        return self.answers.pop(0) if self.answers else ("", "")


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    return Dialogs(monkeypatch)


def message_boxes(window: Any) -> list[QMessageBox]:
    return [box for box in window.findChildren(QMessageBox) if box.isVisible()]


def dismiss(app: QApplication, window: Any) -> tuple[str, str, str]:
    """The one message the window shows (headline, text, details); it is closed."""
    (box,) = message_boxes(window)
    shown = QTextDocument()  # the informative text is escaped rich text: read it as shown
    shown.setHtml(box.informativeText())
    texts = (box.text(), shown.toPlainText(), box.detailedText())
    box.done(0)
    app.processEvents()
    return texts


def chat(app: QApplication, window: Any, client: Any, text: str,
         answer: list[str] | None = None) -> None:
    if answer is not None:
        client.answer = answer
    window.composer.input.setPlainText(text)
    QTest.keyClick(window.composer.input, Qt.Key.Key_Return)
    wait_until(app, lambda: not window.generating, 20, "the answer")


def shape(messages: list[Message]) -> list[tuple[Any, ...]]:
    """A conversation's messages without their ids (an import gives new ones), with
    each parent as a position in the list."""
    place = {m.id: i for i, m in enumerate(messages)}
    return [(None if m.parent_id is None else place[m.parent_id], m.role, m.content,
             m.reasoning, m.status, m.effort, m.model, m.prompt_tokens, m.completion_tokens,
             m.reasoning_ms, m.tokens_per_s, m.created_at) for m in messages]


def test_export_a_conversation_and_import_it_again(qapp, make_window, scripted, dialogs,
                                                   store: ChatStore, tmp_path: Path) -> None:
    client = scripted(REASONING, ANSWER)
    window = make_window(client)
    assert not window.sidebar.export_action.isEnabled()  # a new chat has nothing to export
    chat(qapp, window, client, "A haiku about the sea")
    window.chat.widgets[-1].regenerate_button.click()  # a second branch
    wait_until(qapp, lambda: not window.generating, 20, "the regenerated answer")
    chat(qapp, window, client, "Shorter, please", ["Waves."])
    conv_id = window.conversation_id
    assert window.sidebar.export_action.isEnabled()

    # Markdown without reasoning, from the conversation's menu in the sidebar.
    item = window.sidebar.item_for(conv_id)
    menu = window.sidebar.menu_for(item)
    dialogs.will_answer(tmp_path / "haiku.md", MD)
    next(a for a in menu.actions() if a.text() == "Export conversation…").trigger()
    offered = dialogs.offered[-1]
    assert offered["caption"] == "Export conversation"
    assert offered["filters"] == [MD, MD_REASONING, JSON, JSON_REASONING]
    assert offered["folder"].endswith("A haiku about the sea.md")
    text = (tmp_path / "haiku.md").read_text(encoding="utf-8")
    assert text.startswith("# A haiku about the sea\n")
    assert "## You\n\nShorter, please" in text and "Waves fold into light." in text
    assert "The user wants" not in text and "Thinking" not in text

    # With reasoning, by the shortcut; the suffix is added to a name typed without one.
    dialogs.will_answer(tmp_path / "haiku-thinking", MD_REASONING)
    QTest.keyClick(window, Qt.Key.Key_E,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert dialogs.offered[-1]["selected"] == MD  # the last choice comes first
    text = (tmp_path / "haiku-thinking.md").read_text(encoding="utf-8")
    assert "<summary>Thinking</summary>" in text and "The user wants a haiku." in text

    # JSON, with and without reasoning, from the sidebar's export menu; a ".json" typed
    # by the user wins over the file type chosen.
    dialogs.will_answer(tmp_path / "haiku.json", JSON_REASONING)
    window.sidebar.export_action.trigger()
    dialogs.will_answer(tmp_path / "plain.json", MD)
    window.sidebar.export_action.trigger()
    full = json.loads((tmp_path / "haiku.json").read_text(encoding="utf-8"))
    plain = json.loads((tmp_path / "plain.json").read_text(encoding="utf-8"))
    assert full == store.export_json(conv_id, reasoning=True)
    assert plain == store.export_json(conv_id, reasoning=False)
    assert len(full["messages"]) == 5  # both answers to the first question are kept
    assert {m["reasoning"] for m in full["messages"]} == {"", "The user wants a haiku."}
    assert {m["reasoning"] for m in plain["messages"]} == {""}
    assert message_boxes(window) == []
    for path in tmp_path.glob("haiku*"):  # no secrets, no paths, no raw tokens
        exported = path.read_text(encoding="utf-8")
        assert "/models/" not in exported and "<|" not in exported

    # Import into another history, through that window's menu.
    other = ChatStore(tmp_path / "other.db")
    try:
        second = make_window(client, history=other)
        dialogs.will_answer(tmp_path / "haiku.json")
        second.sidebar.import_action.trigger()
        assert dialogs.offered[-1]["caption"] == "Import conversations"
        (conv,) = other.conversations()
        assert conv.title == "A haiku about the sea"
        assert shape(other.messages(conv.id)) == shape(store.messages(conv_id))
        assert [m.content for m in other.path(conv.id)] == \
            [m.content for m in store.path(conv_id)]
        assert second.conversation_id == conv.id  # it is opened
        assert [w.role for w in second.chat.widgets] == ["user", "assistant", "user",
                                                         "assistant"]
        assert second.chat.widgets[1].thinking.text == "The user wants a haiku."
        assert message_boxes(second) == []
        second.close()
    finally:
        other.close()


def test_export_everything_and_import_it(qapp, make_window, dialogs, store: ChatStore,
                                         tmp_path: Path) -> None:
    window = make_window()
    window.sidebar.export_all_action.trigger()  # an empty history: nothing to ask
    assert dismiss(qapp, window)[1] == "There are no conversations yet."
    assert dialogs.offered == []
    for title in ("First", "Second"):
        conv = store.create_conversation(title, "Be brief.")
        user = store.add_user_message(conv.id, f"{title} question")
        writer = store.start_answer(conv.id, user.id, "gpt-oss-20b", "low")
        writer.append(reasoning=f"{title} thoughts", answer=f"{title} answer")
        writer.finish("complete")
    window.refresh_sidebar()

    dialogs.will_answer(tmp_path / "backup", "")
    window.sidebar.export_all_action.trigger()
    assert dialogs.offered[-1]["filters"] == [JSON_REASONING, JSON]
    data = json.loads((tmp_path / "backup.json").read_text(encoding="utf-8"))
    assert data == store.export_all(reasoning=True)

    other = ChatStore(tmp_path / "other.db")
    try:
        second = make_window(history=other)
        dialogs.will_answer(tmp_path / "backup.json")
        second.sidebar.import_action.trigger()
        assert dismiss(qapp, second)[1] == "2 conversations were added to your history."
        assert sorted(c.title for c in other.conversations()) == ["First", "Second"]
        for conv in other.conversations():
            (original,) = [c for c in store.conversations() if c.title == conv.title]
            assert conv.system_prompt == "Be brief."
            assert shape(other.messages(conv.id)) == shape(store.messages(original.id))
        assert second.sidebar.list.count() == 2
        second.close()
    finally:
        other.close()


@pytest.mark.parametrize(("content", "says"), [
    (b"{\"format\": \"cove.conversation\", \"version\": 1, \"conv", "does not hold valid JSON"),
    (b"\xff\xfe not text", "does not hold valid JSON"),
    (b"{\"created_at\": NaN}", "does not hold valid JSON"),
    (b"{\"format\": \"something else\"}", "is not a conversation exported by Cove"),
    (None, "is not a conversation exported by Cove"),  # one good, one broken conversation
])
def test_a_bad_file_is_refused_and_changes_nothing(qapp, make_window, dialogs, store,
                                                   tmp_path: Path, content: bytes | None,
                                                   says: str) -> None:
    conv = store.create_conversation("Kept")
    store.add_user_message(conv.id, "hello")
    before = store.export_all()
    if content is None:
        good = store.export_json(conv.id)
        broken = json.loads(json.dumps(good))
        broken["messages"][0]["parent_id"] = 999
        content = json.dumps({"format": "cove.history", "version": 1, "conversations": [
            {k: v for k, v in good.items() if k in ("conversation", "messages")},
            {k: v for k, v in broken.items() if k in ("conversation", "messages")}]}).encode()
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    window = make_window()
    window.open_conversation(conv.id)
    dialogs.will_answer(path)
    window.sidebar.import_action.trigger()
    title, text, _detail = dismiss(qapp, window)
    assert title == "The file could not be imported"
    assert says in text and "broken.json" in text and text.endswith("Nothing was imported.")
    assert store.export_all() == before
    assert window.sidebar.list.count() == 1 and window.conversation_id == conv.id


def test_a_file_that_cannot_be_written_or_read_is_explained(qapp, make_window, dialogs,
                                                           store, tmp_path: Path) -> None:
    conv = store.create_conversation("Kept")
    store.add_user_message(conv.id, "hello")
    window = make_window()
    window.open_conversation(conv.id)
    dialogs.will_answer(tmp_path / "no such folder" / "kept.md", MD)
    assert window.export_conversation() is None
    title, text, _ = dismiss(qapp, window)
    assert title == "The conversation could not be exported"
    assert "no such folder" in text and "choose another folder" in text
    dialogs.will_answer(tmp_path / "missing.json")
    window.sidebar.import_action.trigger()
    title, text, _ = dismiss(qapp, window)
    assert title == "The file could not be imported" and "missing.json" in text
    dialogs.will_answer("")  # cancelled: nothing happens
    assert window.export_conversation() is None and message_boxes(window) == []
