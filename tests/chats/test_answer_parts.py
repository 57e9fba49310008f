"""A streaming answer is saved in parts: each save writes only the new text, reads see
the whole answer, search finds it once it has ended (finished, or cut off and found so
at the next start), and nothing of it is left behind when it goes."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.chats import schema
from app.chats.store import ChatStore
from app.config.sqlcipher import Key
from app.config.sqlcipher import driver as sqlite3


def raw(store: ChatStore, sql: str, *params: object) -> list[tuple[object, ...]]:
    """What the file holds, below the store's reads."""
    return store._connection().execute(sql, params).fetchall()


def streaming(store: ChatStore, *saves: tuple[str, str]) -> tuple[int, int]:
    """A conversation whose answer is still being written, saved once per pair."""
    conv = store.create_conversation("Glaciers")
    user = store.add_user_message(conv.id, "Tell me about ice.")
    writer = store.start_answer(conv.id, user.id, "gpt-oss-20b", "low")
    for answer, reasoning in saves:
        writer.append(answer=answer, reasoning=reasoning)
        writer.flush()
    return conv.id, writer.message_id


def test_a_save_adds_a_part_and_leaves_the_message_row_alone(store: ChatStore) -> None:
    conv_id, answer_id = streaming(store, ("Ice ", "think "), ("flows ", ""),
                                   ("downhill.", "more"))
    assert raw(store, "SELECT content, reasoning FROM messages WHERE id = ?",
               answer_id) == [("", "")]
    assert raw(store, "SELECT content, reasoning FROM answer_parts WHERE message_id = ? "
               "ORDER BY id", answer_id) == [("Ice ", "think "), ("flows ", ""),
                                             ("downhill.", "more")]
    seen = store.message(answer_id)
    assert (seen.content, seen.reasoning, seen.status) == (
        "Ice flows downhill.", "think more", "streaming")
    assert store.path(conv_id)[-1].content == "Ice flows downhill."
    assert store.messages(conv_id)[-1].content == "Ice flows downhill."
    assert store.siblings(answer_id)[0].reasoning == "think more"
    exported = store.export_json(conv_id)["messages"][-1]
    assert exported["content"] == "Ice flows downhill."


def test_search_finds_an_answer_once_it_is_finished(store: ChatStore) -> None:
    conv_id, answer_id = streaming(store, ("Moraines mark ", ""), ("old margins.", ""))
    assert store.search("moraines") == []  # still streaming: not yet in the index
    writer = next(iter(store._writers))
    writer.append(answer=" Drumlins too.")
    done = writer.finish("complete")
    assert done.content == "Moraines mark old margins. Drumlins too."
    assert raw(store, "SELECT count(*) FROM answer_parts") == [(0,)]
    for query in ("moraines", "old margins", "drumlins", "ar"):  # "ar": the LIKE path
        assert [(h.conversation_id, h.message_id) for h in store.search(query)
                if h.message_id == answer_id] == [(conv_id, answer_id)], query
    assert raw(store, "INSERT INTO message_fts(message_fts) VALUES ('integrity-check')") == []


def test_an_answer_cut_off_is_whole_and_searchable_at_the_next_start(
        db_path: Path) -> None:
    key = Key.random()
    store = ChatStore(db_path, key=key)
    conv_id, answer_id = streaming(store, ("Crevasses open ", "why"), ("where ice bends",
                                                                       "?"))
    store._connection().close()  # as a kill would leave it: parts saved, never finished
    store._conn = None
    with ChatStore(db_path, key=key) as again:
        assert again.interrupted_on_open == 1
        answer = again.message(answer_id)
        assert (answer.content, answer.reasoning, answer.status) == (
            "Crevasses open where ice bends", "why?", "interrupted")
        assert raw(again, "SELECT content FROM messages WHERE id = ?",
                   answer_id) == [("Crevasses open where ice bends",)]
        assert raw(again, "SELECT count(*) FROM answer_parts") == [(0,)]
        assert [h.message_id for h in again.search("ice bends")] == [answer_id]
        assert again.path(conv_id)[-1].id == answer_id


@pytest.mark.parametrize("how", ["message", "conversation"])
def test_deleting_a_streaming_answer_leaves_no_part(store: ChatStore, how: str) -> None:
    conv_id, answer_id = streaming(store, ("secret words", ""))
    writer = next(iter(store._writers))
    if how == "message":
        store.delete_message(answer_id)
    else:
        store.delete_conversation(conv_id)
        store.purge_deleted()
    assert raw(store, "SELECT count(*) FROM answer_parts") == [(0,)]
    writer.append(answer="after the delete")
    writer.flush()  # the answer is gone: a no-op, not an error
    assert raw(store, "SELECT count(*) FROM answer_parts") == [(0,)]


def test_a_version_3_file_with_a_streaming_answer_opens_whole(db_path: Path) -> None:
    conn = sqlite3.connect(db_path, isolation_level=None)
    for step in schema.MIGRATIONS[:3]:
        conn.execute("BEGIN")
        step(conn)
        conn.execute("COMMIT")
    conn.execute("PRAGMA user_version = 3")
    conn.execute("INSERT INTO conversations (id, title, created_at, updated_at) "
                 "VALUES (1, 'Old', 0, 0)")
    conn.execute("INSERT INTO messages (id, conversation_id, role, status, content, "
                 "created_at, updated_at) VALUES (1, 1, 'assistant', 'streaming', "
                 "'half an answer', 0, 0)")
    conn.close()
    with ChatStore(db_path) as store:
        assert store.interrupted_on_open == 1
        assert store.message(1).content == "half an answer"
        assert [h.message_id for h in store.search("half an")] == [1]
        assert raw(store, "PRAGMA user_version") == [(schema.CURRENT_VERSION,)]
