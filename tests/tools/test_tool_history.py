"""Tool calls in the history: a file from before them opens (version 3 adds the
column and indexes it for search), and a damaged list never hides the answer."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.chats import schema
from app.chats.records import parse_tool_calls
from app.chats.store import ChatStore


def make_v2(path: Path) -> None:
    """A history as version 2 wrote it, with one answered question."""
    conn = sqlite3.connect(path, isolation_level=None)
    for migration in schema.MIGRATIONS[:2]:
        conn.execute("BEGIN")
        migration(conn)
        conn.execute("COMMIT")
    conn.execute("PRAGMA user_version = 2")
    conn.execute("INSERT INTO conversations (id, title, created_at, updated_at) "
                 "VALUES (1, 'Old chat', 1, 2)")
    conn.execute("INSERT INTO messages (id, conversation_id, parent_id, role, content, "
                 "created_at, updated_at) VALUES (1, 1, NULL, 'user', 'Where is Graz?', 1, 1),"
                 " (2, 1, 1, 'assistant', 'In Styria, Austria.', 2, 2)")
    conn.execute("UPDATE conversations SET current_leaf_id = 2 WHERE id = 1")
    conn.close()


def test_a_file_from_before_tool_calls_opens_and_stays_searchable(tmp_path: Path) -> None:
    path = tmp_path / "cove.db"
    make_v2(path)
    with ChatStore(path) as store:
        version = store._connection().execute("PRAGMA user_version").fetchone()[0]
        assert version == schema.CURRENT_VERSION >= 3
        answer = store.path(1)[-1]
        assert answer.content == "In Styria, Austria." and answer.calls() == []
        assert [h.message_id for h in store.search("Styria")] == [2]
        # A new answer with a tool call is saved and found by its result.
        writer = store.start_answer(1, 1, "gpt-oss", "low")
        writer.append(answer="Graz is in Styria.")
        writer.set_tool_calls([{"tool": "lookup", "arguments": '{"q":"Graz"}',
                                "status": "done", "result": "Graz: capital of Styria"}])
        writer.finish("complete")
        assert [h.message_id for h in store.search("capital of Styria")] == [writer.message_id]


def test_a_damaged_list_of_calls_reads_as_none() -> None:
    assert parse_tool_calls("") == []
    assert parse_tool_calls("{not json") == []
    assert parse_tool_calls('{"tool": "x"}') == []
    assert parse_tool_calls('[{"tool": "x"}, 3]') == [{"tool": "x"}]
