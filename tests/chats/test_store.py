"""Conversations, messages and branches, on a real SQLite file."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from app.chats import schema
from app.chats.errors import ChatStoreError, NotFoundError
from app.chats.store import ChatStore
from tests.chats.conftest import exchange


def test_file_is_wal_with_foreign_keys_and_current_version(store: ChatStore,
                                                           db_path: Path) -> None:
    conn = store._connection()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    other = sqlite3.connect(db_path)
    assert other.execute("PRAGMA user_version").fetchone()[0] == schema.CURRENT_VERSION
    other.close()


def test_default_lives_in_the_data_folder(monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    monkeypatch.setenv("COVE_HOME", str(tmp_path))
    with ChatStore.default() as store:
        assert store.db_path == tmp_path / "data" / "cove.db"
        assert store.db_path.exists()


def test_sidebar_order_is_pinned_then_most_recently_active(store: ChatStore) -> None:
    first = store.create_conversation("first")
    second = store.create_conversation("second")
    third = store.create_conversation("third")
    assert [c.title for c in store.conversations()] == ["third", "second", "first"]
    time.sleep(0.002)
    store.add_user_message(first.id, "new activity")
    store.set_pinned(second.id, True)
    order = store.conversations()
    assert [c.id for c in order] == [second.id, first.id, third.id]
    assert order[0].pinned is True


def test_title_comes_from_the_first_user_message(store: ChatStore) -> None:
    conv = store.create_conversation()
    long_line = "Explain " + "the difference between threads and processes " * 3
    store.add_user_message(conv.id, "\n```python\n  " + long_line + "\nmore lines")
    title = store.conversation(conv.id).title
    assert title.startswith("Explain the difference between threads")
    assert title.endswith("…") and len(title) <= 61
    store.add_user_message(conv.id, "A second message does not rename")
    assert store.conversation(conv.id).title == title


def test_rename_and_back_to_automatic(store: ChatStore) -> None:
    conv = store.create_conversation("  Named  ")
    assert conv.title == "Named"
    store.add_user_message(conv.id, "What is a monad?")
    assert store.conversation(conv.id).title == "Named"
    store.rename(conv.id, "Monads")
    assert store.conversation(conv.id).title == "Monads"
    store.rename(conv.id, "")
    assert store.conversation(conv.id).title == "What is a monad?"


def test_system_prompt(store: ChatStore) -> None:
    conv = store.create_conversation(system_prompt="Be brief.")
    assert conv.system_prompt == "Be brief."
    store.set_system_prompt(conv.id, None)
    assert store.conversation(conv.id).system_prompt is None


def test_soft_delete_undo_and_purge(store: ChatStore) -> None:
    conv = store.create_conversation("to delete")
    exchange(store, conv.id, "keep me", "kept")
    store.delete_conversation(conv.id)
    assert store.conversations() == []
    assert store.conversation(conv.id).deleted_at is not None
    store.undo_delete(conv.id)
    assert [c.id for c in store.conversations()] == [conv.id]
    assert [m.content for m in store.path(conv.id)] == ["keep me", "kept"]
    store.delete_conversation(conv.id)
    assert store.purge_deleted(older_than_s=3600) == 0
    assert store.purge_deleted() == 1
    with pytest.raises(NotFoundError):
        store.conversation(conv.id)
    assert store._connection().execute("SELECT count(*) FROM messages").fetchone()[0] == 0


def test_unknown_ids_raise_not_found(store: ChatStore) -> None:
    with pytest.raises(NotFoundError):
        store.rename(999, "x")
    with pytest.raises(NotFoundError):
        store.add_user_message(999, "x")
    conv = store.create_conversation()
    other = store.create_conversation()
    user = store.add_user_message(conv.id, "hi")
    with pytest.raises(NotFoundError):
        store.start_answer(other.id, user.id, None, None)
    with pytest.raises(NotFoundError):
        store.select_leaf(other.id, user.id)
    assert isinstance(NotFoundError("x"), ChatStoreError)


def test_path_follows_the_current_leaf(store: ChatStore) -> None:
    conv = store.create_conversation()
    assert store.path(conv.id) == []
    q1, a1 = exchange(store, conv.id, "one", "uno")
    q2, a2 = exchange(store, conv.id, "two", "dos")
    assert [m.id for m in store.path(conv.id)] == [q1.id, a1.id, q2.id, a2.id]
    assert [m.parent_id for m in store.path(conv.id)] == [None, q1.id, a1.id, q2.id]
    assert [m.id for m in store.path(conv.id, a1.id)] == [q1.id, a1.id]
    assert store.conversation(conv.id).current_leaf_id == a2.id


def test_regenerate_keeps_the_previous_answer(store: ChatStore) -> None:
    conv = store.create_conversation()
    question, first = exchange(store, conv.id, "Tell a joke", "first joke")
    writer = store.start_answer(conv.id, question.id, "gpt-oss-20b", "high")
    writer.append("second joke")
    second = writer.finish("complete")
    assert [m.content for m in store.siblings(first.id)] == ["first joke", "second joke"]
    assert store.path(conv.id)[-1].id == second.id
    assert store.branch_points(conv.id) == {second.id: (2, 2)}
    store.select_leaf(conv.id, first.id)
    assert store.path(conv.id)[-1].id == first.id
    assert store.branch_points(conv.id) == {first.id: (1, 2)}


def test_edit_branches_and_select_leaf_finds_the_newest_branch(store: ChatStore) -> None:
    conv = store.create_conversation()
    q1, a1 = exchange(store, conv.id, "original", "answer to original")
    q2, a2 = exchange(store, conv.id, "follow-up", "answer to follow-up")
    edited = store.edit_and_branch(q1.id, "edited")
    assert edited.parent_id is None
    assert store.path(conv.id) == [edited]
    writer = store.start_answer(conv.id, edited.id, None, None)
    writer.append("answer to edited")
    writer.finish("complete")
    assert [m.content for m in store.siblings(q1.id)] == ["original", "edited"]
    store.select_leaf(conv.id, q1.id)  # back to the first version: its newest leaf
    assert [m.id for m in store.path(conv.id)] == [q1.id, a1.id, q2.id, a2.id]
    with pytest.raises(ValueError):
        store.edit_and_branch(a1.id, "answers cannot be edited into user messages")


def test_add_user_message_after_a_given_parent(store: ChatStore) -> None:
    conv = store.create_conversation()
    _, a1 = exchange(store, conv.id, "one", "uno")
    exchange(store, conv.id, "two", "dos")
    branch = store.add_user_message(conv.id, "other two", parent_id=a1.id)
    assert [m.content for m in store.path(conv.id)] == ["one", "uno", "other two"]
    assert [m.id for m in store.siblings(branch.id)][-1] == branch.id


def test_delete_message_takes_its_subtree_and_moves_the_leaf(store: ChatStore) -> None:
    conv = store.create_conversation()
    q1, a1 = exchange(store, conv.id, "one", "uno")
    q2, a2 = exchange(store, conv.id, "two", "dos")
    writer = store.start_answer(conv.id, q2.id, None, None)
    writer.append("dos bis")
    a2b = writer.finish("complete")
    store.delete_message(a2b.id)  # the leaf: its sibling answer takes over
    assert store.path(conv.id)[-1].id == a2.id
    store.delete_message(q2.id)
    assert [m.id for m in store.path(conv.id)] == [q1.id, a1.id]
    assert [m.id for m in store.messages(conv.id)] == [q1.id, a1.id]
    store.delete_message(q1.id)
    assert store.path(conv.id) == []
    assert store.conversation(conv.id).current_leaf_id is None


def test_unicode_and_very_long_messages_round_trip(store: ChatStore) -> None:
    text = ("Grüße, 世界! مرحبا 👩‍👩‍👧‍👦 e\u0301 \u200b\x00\t\r\n" * 1600)[:50_000]
    assert len(text) == 50_000
    conv = store.create_conversation()
    user = store.add_user_message(conv.id, text)
    writer = store.start_answer(conv.id, user.id, None, None)
    for i in range(0, len(text), 1000):
        writer.append(answer=text[i:i + 1000], reasoning=text[i:i + 1000])
    answer = writer.finish("complete")
    assert answer.content == text and answer.reasoning == text
    again = store.path(conv.id)
    assert again[0].content == text and again[1].content == text
    assert store.search("世界!")[0].conversation_id == conv.id


def test_thousand_message_conversation_opens_in_one_query(store: ChatStore) -> None:
    conv = store.create_conversation("long")
    conn = store._connection()
    with store._writing():
        parent = None
        for i in range(1000):
            cur = conn.execute(
                "INSERT INTO messages (conversation_id, parent_id, role, content, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, 0, 0)",
                (conv.id, parent, "user" if i % 2 == 0 else "assistant", f"message {i} " * 20))
            parent = cur.lastrowid
        conn.execute("UPDATE conversations SET current_leaf_id = ? WHERE id = ?",
                     (parent, conv.id))
    # Fast means one query for the whole chain, not one per message: counted, not
    # timed (a busy machine stretches any time; bench/history.py measures it).
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        path = store.path(conv.id)
    finally:
        conn.set_trace_callback(None)
    assert len(path) == 1000 and path[0].content.startswith("message 0 ")
    assert path[-1].id == parent
    reads = [s for s in statements if "messages" in s.lower()]
    assert len(reads) == 1, f"path() of 1,000 messages ran {len(reads)} queries"
    store.select_leaf(conv.id, path[0].id)  # deep recursion both ways is fine
    store.delete_message(path[0].id)
    assert store.path(conv.id) == []


def test_closed_store_says_so(db_path: Path) -> None:
    store = ChatStore(db_path)
    store.close()
    store.close()  # twice is fine
    with pytest.raises(ChatStoreError) as info:
        store.conversations()
    assert info.value.kind == "closed"
