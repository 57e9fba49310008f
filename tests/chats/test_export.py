"""Markdown to read, JSON to move a history: every branch survives a round trip."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.chats.errors import ChatStoreError
from app.chats.store import ChatStore
from tests.chats.conftest import exchange


@pytest.fixture
def branched(store: ChatStore) -> int:
    conv = store.create_conversation(system_prompt="Answer in one sentence.")
    question, _ = exchange(store, conv.id, "What is **WAL**?", "Write-ahead logging.",
                           reasoning="SQLite journal mode.")
    writer = store.start_answer(conv.id, question.id, "gpt-oss-20b", "high")
    writer.append("A journal mode", reasoning="Shorter.")
    writer.finish("stopped")
    return conv.id


def test_markdown_shows_the_branch_on_screen(store: ChatStore, branched: int) -> None:
    text = store.export_markdown(branched)
    assert text.startswith("# What is **WAL**?\n")
    assert "## System prompt\n\nAnswer in one sentence." in text
    assert "## You\n\nWhat is **WAL**?" in text
    assert "## Assistant (gpt-oss-20b)\n\nA journal mode" in text
    assert "_Stopped before the answer was finished._" in text
    assert "Write-ahead logging." not in text  # the other branch
    assert "Shorter." not in text and "<details>" not in text
    with_reasoning = store.export_markdown(branched, reasoning=True)
    assert "<summary>Thinking</summary>\n\nShorter.\n\n</details>" in with_reasoning


def test_markdown_marks_errors_and_interruptions(store: ChatStore) -> None:
    conv = store.create_conversation("Trouble")
    user = store.add_user_message(conv.id, "hi")
    store.start_answer(conv.id, user.id, None, None).finish("error", "Out of memory.")
    assert "_Error: Out of memory._" in store.export_markdown(conv.id)


def test_json_round_trip_keeps_every_branch(store: ChatStore, branched: int) -> None:
    data = json.loads(json.dumps(store.export_json(branched)))
    (copy,) = store.import_json(data)
    original = store.conversation(branched)
    assert copy.id != original.id
    assert (copy.title, copy.system_prompt) == (original.title, original.system_prompt)
    old, new = store.messages(branched), store.messages(copy.id)
    assert [(m.role, m.content, m.reasoning, m.status, m.model) for m in old] == [
        (m.role, m.content, m.reasoning, m.status, m.model) for m in new]
    assert [m.content for m in store.path(copy.id)] == ["What is **WAL**?", "A journal mode"]
    assert len(store.siblings(store.path(copy.id)[-1].id)) == 2
    assert len(store.search("write-ahead")) == 2


def test_reasoning_can_be_left_out(store: ChatStore, branched: int) -> None:
    data = store.export_json(branched, reasoning=False)
    assert all(m["reasoning"] == "" for m in data["messages"])
    assert "Shorter." not in json.dumps(data)


def test_export_all_and_import_it_elsewhere(store: ChatStore, branched: int,
                                            tmp_path: Any) -> None:
    other = store.create_conversation("Second")
    exchange(store, other.id, "ping", "pong")
    deleted = store.create_conversation("Deleted")
    store.delete_conversation(deleted.id)
    everything = json.loads(json.dumps(store.export_all()))
    assert [c["conversation"]["title"] for c in everything["conversations"]] == [
        "Second", "What is **WAL**?"]
    with ChatStore(tmp_path / "elsewhere.db") as elsewhere:
        imported = elsewhere.import_json(everything)
        assert sorted(c.title for c in elsewhere.conversations()) == sorted(
            c.title for c in imported)
        assert elsewhere.search("pong")


@pytest.mark.parametrize("data", [
    None, [], {"format": "something else"}, {"format": "cove.conversation", "version": 99},
    {"format": "cove.conversation", "version": 1},
    {"format": "cove.history", "version": 1, "conversations": "no"},
    {"format": "cove.conversation", "version": 1, "conversation": {}, "messages": [
        {"id": 2, "parent_id": 1, "role": "user", "content": "orphan"}]},
    {"format": "cove.conversation", "version": 1, "conversation": {}, "messages": [
        {"id": 1, "role": "system", "content": "unknown role"}]},
    {"format": "cove.conversation", "version": 1, "conversation": {"title": 5},
     "messages": []},
])
def test_bad_imports_change_nothing(store: ChatStore, data: Any) -> None:
    with pytest.raises(ChatStoreError) as info:
        store.import_json(data)
    assert info.value.kind == "bad_import" and "Nothing was imported" in str(info.value)
    assert store.conversations() == []


def test_import_of_a_streaming_answer_marks_it_interrupted(store: ChatStore) -> None:
    data = {"format": "cove.conversation", "version": 1, "conversation": {}, "messages": [
        {"id": 7, "role": "user", "content": "Hi there"},
        {"id": 9, "parent_id": 7, "role": "assistant", "content": "Hel",
         "status": "streaming"}]}
    (conv,) = store.import_json(data)
    assert conv.title == "Hi there"
    assert [m.status for m in store.path(conv.id)] == ["complete", "interrupted"]
