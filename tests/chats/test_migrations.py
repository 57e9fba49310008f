"""Forward migrations: an older file opens with everything kept; a failed step changes
nothing; a newer file is refused and left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.chats import schema
from app.chats.errors import ChatStoreError
from app.chats.store import ChatStore
from app.config.sqlcipher import driver as sqlite3  # the library Cove uses (one per process)

# The schema as version 1 shipped it, written out here so a later edit of schema.py
# cannot quietly change what this test starts from.
V1 = """
CREATE TABLE conversations (
    id INTEGER PRIMARY KEY, title TEXT NOT NULL DEFAULT '', created_at REAL NOT NULL,
    updated_at REAL NOT NULL, pinned INTEGER NOT NULL DEFAULT 0, system_prompt TEXT,
    current_leaf_id INTEGER REFERENCES messages(id) ON DELETE SET NULL);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES messages(id),
    role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    status TEXT NOT NULL DEFAULT 'complete' CHECK (status IN
        ('complete', 'streaming', 'stopped', 'interrupted', 'error')),
    effort TEXT, model TEXT, error TEXT, prompt_tokens INTEGER, completion_tokens INTEGER,
    reasoning_ms INTEGER, tokens_per_s REAL, created_at REAL NOT NULL,
    updated_at REAL NOT NULL, content TEXT NOT NULL DEFAULT '',
    reasoning TEXT NOT NULL DEFAULT '');
CREATE INDEX messages_by_parent ON messages(parent_id);
CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
CREATE INDEX conversations_by_leaf ON conversations(current_leaf_id);
CREATE INDEX messages_streaming ON messages(status) WHERE status = 'streaming';
INSERT INTO conversations VALUES (1, 'Old chat', 100.0, 200.0, 1, 'Be kind.', 3);
INSERT INTO messages (id, conversation_id, parent_id, role, status, model, effort,
    prompt_tokens, completion_tokens, reasoning_ms, tokens_per_s, created_at, updated_at,
    content, reasoning) VALUES
    (1, 1, NULL, 'user', 'complete', NULL, NULL, NULL, NULL, NULL, NULL, 100, 100,
     'What is the capital of Österreich?', ''),
    (2, 1, 1, 'assistant', 'complete', 'gpt-oss-20b', 'low', 20, 5, 300, 25.5, 101, 102,
     'Vienna.', 'Austria is Österreich in German.'),
    (3, 1, 1, 'assistant', 'streaming', 'gpt-oss-20b', 'high', NULL, NULL, NULL, NULL,
     150, 160, 'Vienna (Wien), since', 'Regenerating');
PRAGMA user_version = 1;
"""


def make_v1(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(V1)
    conn.close()


def test_version_1_file_opens_with_everything_kept(db_path: Path) -> None:
    make_v1(db_path)
    with ChatStore(db_path) as store:
        assert store._connection().execute("PRAGMA user_version").fetchone()[0] == (
            schema.CURRENT_VERSION)
        (conv,) = store.conversations()
        assert (conv.title, conv.pinned, conv.system_prompt, conv.current_leaf_id,
                conv.created_at, conv.deleted_at) == ("Old chat", True, "Be kind.", 3,
                                                      100.0, None)
        path = store.path(conv.id)
        assert [m.content for m in path] == ["What is the capital of Österreich?",
                                             "Vienna (Wien), since"]
        assert path[1].status == "interrupted"  # it was streaming when v1 closed
        first = store.siblings(3)[0]
        assert (first.model, first.effort, first.prompt_tokens, first.completion_tokens,
                first.reasoning_ms, first.tokens_per_s, first.reasoning) == (
            "gpt-oss-20b", "low", 20, 5, 300, 25.5, "Austria is Österreich in German.")
        # what version 2 added works on the old rows
        assert {h.message_id for h in store.search("österreich")} == {1, 2}
        assert store.search("old chat")[0].message_id is None
        assert store.search("wien")[0].message_id == 3
        store.delete_conversation(conv.id)
        assert store.conversations() == []


def test_new_file_runs_every_migration(db_path: Path) -> None:
    with ChatStore(db_path) as store:
        conn = store._connection()
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert {"conversations", "messages", "message_fts", "conversation_fts"} <= names


def test_a_failed_migration_changes_nothing(db_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    make_v1(db_path)

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE conversations ADD COLUMN half_done TEXT")
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(schema, "MIGRATIONS", [schema.MIGRATIONS[0], broken])
    monkeypatch.setattr(schema, "CURRENT_VERSION", 2)
    with pytest.raises(ChatStoreError) as info:
        ChatStore(db_path)
    assert info.value.kind == "disk_full"
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    columns = [row[1] for row in conn.execute("PRAGMA table_info(conversations)")]
    assert "half_done" not in columns
    assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 3
    conn.close()


def test_a_file_from_a_newer_cove_is_refused_and_left_alone(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA user_version = {schema.CURRENT_VERSION + 1}")
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(ChatStoreError) as info:
        ChatStore(db_path)
    assert info.value.kind == "newer_version"
    assert "newer version of Cove" in str(info.value)
    assert db_path.read_bytes() == before
    assert sorted(p.name for p in db_path.parent.iterdir() if "damaged" in p.name) == []
