"""The history's tables, and the forward migrations that bring any older file up to date.

``PRAGMA user_version`` holds how many migrations a file has had. Each migration runs in
its own transaction together with the version bump, so a file is always at exactly one
version: a crash or a full disk mid-migration leaves the previous version intact. A file
from a newer Cove (a version above :data:`CURRENT_VERSION`) is refused, never touched.

Search indexes only messages that are no longer streaming: re-indexing a growing answer
at every save would cost far more than the save (a streaming answer's text waits in
``answer_parts`` until it ends, and is indexed then). The triggers below keep that rule in
one place; the index is external-content (it stores no second copy of the text) and the
triggers hand it the exact old values it needs to forget a row.
"""

from __future__ import annotations

from collections.abc import Callable

from app.config.sqlcipher import driver as sqlite3

# Version 1: conversations and messages as a tree (branches for regenerate and edit).
# The long texts come last in a row, so reading a message's metadata never has to walk
# the overflow pages of a 50,000-character answer.
_V1 = """
CREATE TABLE conversations (
    id              INTEGER PRIMARY KEY,
    title           TEXT    NOT NULL DEFAULT '',
    created_at      REAL    NOT NULL,
    updated_at      REAL    NOT NULL,
    pinned          INTEGER NOT NULL DEFAULT 0,
    system_prompt   TEXT,
    current_leaf_id INTEGER REFERENCES messages(id) ON DELETE SET NULL
);
CREATE TABLE messages (
    id                INTEGER PRIMARY KEY,
    conversation_id   INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    parent_id         INTEGER REFERENCES messages(id),
    role              TEXT    NOT NULL CHECK (role IN ('user', 'assistant')),
    status            TEXT    NOT NULL DEFAULT 'complete' CHECK (status IN
                          ('complete', 'streaming', 'stopped', 'interrupted', 'error')),
    effort            TEXT,
    model             TEXT,
    error             TEXT,
    prompt_tokens     INTEGER,
    completion_tokens INTEGER,
    reasoning_ms      INTEGER,
    tokens_per_s      REAL,
    created_at        REAL    NOT NULL,
    updated_at        REAL    NOT NULL,
    content           TEXT    NOT NULL DEFAULT '',
    reasoning         TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX messages_by_parent ON messages(parent_id);
CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
CREATE INDEX conversations_by_leaf ON conversations(current_leaf_id);
CREATE INDEX messages_streaming ON messages(status) WHERE status = 'streaming';
"""

# Version 2: soft delete (undo) and full-text search over titles and messages.
_V2 = """
ALTER TABLE conversations ADD COLUMN deleted_at REAL;
CREATE INDEX conversations_by_order ON conversations(deleted_at, pinned, updated_at);

CREATE VIRTUAL TABLE message_fts USING fts5(
    content, reasoning, content='messages', content_rowid='id', tokenize='trigram');
CREATE TRIGGER message_fts_insert AFTER INSERT ON messages
WHEN new.status != 'streaming' BEGIN
    INSERT INTO message_fts(rowid, content, reasoning)
    VALUES (new.id, new.content, new.reasoning);
END;
CREATE TRIGGER message_fts_delete AFTER DELETE ON messages
WHEN old.status != 'streaming' BEGIN
    INSERT INTO message_fts(message_fts, rowid, content, reasoning)
    VALUES ('delete', old.id, old.content, old.reasoning);
END;
CREATE TRIGGER message_fts_update AFTER UPDATE OF content, reasoning, status ON messages
BEGIN
    INSERT INTO message_fts(message_fts, rowid, content, reasoning)
    SELECT 'delete', old.id, old.content, old.reasoning WHERE old.status != 'streaming';
    INSERT INTO message_fts(rowid, content, reasoning)
    SELECT new.id, new.content, new.reasoning WHERE new.status != 'streaming';
END;
INSERT INTO message_fts(rowid, content, reasoning)
    SELECT id, content, reasoning FROM messages WHERE status != 'streaming';

CREATE VIRTUAL TABLE conversation_fts USING fts5(
    title, content='conversations', content_rowid='id', tokenize='trigram');
CREATE TRIGGER conversation_fts_insert AFTER INSERT ON conversations BEGIN
    INSERT INTO conversation_fts(rowid, title) VALUES (new.id, new.title);
END;
CREATE TRIGGER conversation_fts_delete AFTER DELETE ON conversations BEGIN
    INSERT INTO conversation_fts(conversation_fts, rowid, title)
    VALUES ('delete', old.id, old.title);
END;
CREATE TRIGGER conversation_fts_update AFTER UPDATE OF title ON conversations BEGIN
    INSERT INTO conversation_fts(conversation_fts, rowid, title)
    VALUES ('delete', old.id, old.title);
    INSERT INTO conversation_fts(rowid, title) VALUES (new.id, new.title);
END;
INSERT INTO conversation_fts(rowid, title) SELECT id, title FROM conversations;
"""


def _script(sql: str) -> Callable[[sqlite3.Connection], None]:
    """A migration made of plain statements (executescript would commit on its own)."""

    def run(conn: sqlite3.Connection) -> None:
        for statement in _statements(sql):
            conn.execute(statement)

    return run


def _statements(sql: str) -> list[str]:
    """Split a script into complete statements (triggers contain ``;`` inside)."""
    out: list[str] = []
    current = ""
    for line in sql.splitlines(keepends=True):
        current += line
        if current.strip() and sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    return out


# Version 3: an answer's tool calls and their results (a JSON list, '' for none), part
# of the answer: searchable with its text (the message index gets a third column).
_V3 = """
ALTER TABLE messages ADD COLUMN tool_calls TEXT NOT NULL DEFAULT '';
DROP TRIGGER message_fts_insert;
DROP TRIGGER message_fts_delete;
DROP TRIGGER message_fts_update;
DROP TABLE message_fts;
CREATE VIRTUAL TABLE message_fts USING fts5(
    content, reasoning, tool_calls, content='messages', content_rowid='id',
    tokenize='trigram');
CREATE TRIGGER message_fts_insert AFTER INSERT ON messages
WHEN new.status != 'streaming' BEGIN
    INSERT INTO message_fts(rowid, content, reasoning, tool_calls)
    VALUES (new.id, new.content, new.reasoning, new.tool_calls);
END;
CREATE TRIGGER message_fts_delete AFTER DELETE ON messages
WHEN old.status != 'streaming' BEGIN
    INSERT INTO message_fts(message_fts, rowid, content, reasoning, tool_calls)
    VALUES ('delete', old.id, old.content, old.reasoning, old.tool_calls);
END;
CREATE TRIGGER message_fts_update
AFTER UPDATE OF content, reasoning, status, tool_calls ON messages
BEGIN
    INSERT INTO message_fts(message_fts, rowid, content, reasoning, tool_calls)
    SELECT 'delete', old.id, old.content, old.reasoning, old.tool_calls
    WHERE old.status != 'streaming';
    INSERT INTO message_fts(rowid, content, reasoning, tool_calls)
    SELECT new.id, new.content, new.reasoning, new.tool_calls
    WHERE new.status != 'streaming';
END;
INSERT INTO message_fts(rowid, content, reasoning, tool_calls)
    SELECT id, content, reasoning, tool_calls FROM messages WHERE status != 'streaming';
"""

# Version 4: a streaming answer is saved in parts, one row per save (about one a
# second), and folded into its message when it ends (``app.chats.store``). Appending to
# the message itself rewrote the whole answer at every save: SQLite writes a changed row
# whole, and with encryption every page of a long answer was encrypted again each second.
_V4 = """
CREATE TABLE answer_parts (
    id         INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    content    TEXT    NOT NULL DEFAULT '',
    reasoning  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX answer_parts_by_message ON answer_parts(message_id, id);
"""

# Version 5: conversations other programs held through the local API (app.api), kept
# when the user asked for it, say which program (``from_app``; NULL: held in Cove).
_V5 = """
ALTER TABLE conversations ADD COLUMN from_app TEXT;
"""

# Index i brings a file from version i to i + 1. Append only; never edit a shipped one.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _script(_V1), _script(_V2), _script(_V3), _script(_V4), _script(_V5)]
CURRENT_VERSION = len(MIGRATIONS)


class NewerVersionError(Exception):
    """The file was written by a newer Cove; ``version`` is what it says it is."""

    def __init__(self, version: int) -> None:
        super().__init__(f"schema version {version} > {CURRENT_VERSION}")
        self.version = version


def version(conn: sqlite3.Connection) -> int:
    """The file's schema version (0 for a new, empty file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the file up to :data:`CURRENT_VERSION`, one transaction per step.

    The connection must be in autocommit mode (``isolation_level=None``). Returns the
    version the file had before. ``BEGIN IMMEDIATE`` takes the write lock first, so two
    Coves starting at once cannot both run the same step.
    """
    before = version(conn)
    if before > CURRENT_VERSION:
        raise NewerVersionError(before)
    if before == CURRENT_VERSION:
        return before  # the usual start: no write lock needed
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            now = version(conn)  # re-read under the lock
            if now >= CURRENT_VERSION:
                conn.execute("COMMIT")
                return before
            MIGRATIONS[now](conn)
            conn.execute(f"PRAGMA user_version = {now + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # SQLite may already have rolled back (disk full)
                conn.execute("ROLLBACK")
            raise
