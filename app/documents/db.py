"""The documents database: schema, versions and connection settings.

For now the documents live in their own SQLite file next to the chat history; the
tables are self-contained (conversation ids are plain integers, no foreign key into the
chat store) so they can move into the one app database unchanged later.

``PRAGMA user_version`` holds ``major << 16 | minor``, as qutebrowser does: a minor
step is a forward migration this code applies; a newer major version is a database
from a newer Cove that this one must not touch.
"""

from __future__ import annotations

from pathlib import Path

from app.config import sqlcipher
from app.config.sqlcipher import Key
from app.config.sqlcipher import driver as sqlite3

MAJOR = 1
MINOR = 2

SCHEMA = """
CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    sha256       TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    path         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    size         INTEGER NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending',
    units_total  INTEGER,
    units_done   INTEGER NOT NULL DEFAULT 0,
    empty_units  INTEGER NOT NULL DEFAULT 0,
    chars        INTEGER NOT NULL DEFAULT 0,
    tokens       INTEGER NOT NULL DEFAULT 0,
    embedded     INTEGER NOT NULL DEFAULT 0,
    error_reason TEXT,
    error        TEXT,
    added_at     REAL NOT NULL,
    indexed_at   REAL
);

CREATE TABLE attachments (
    conversation_id INTEGER NOT NULL,
    document_id     INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    added_at        REAL NOT NULL,
    PRIMARY KEY (conversation_id, document_id)
) WITHOUT ROWID;
CREATE INDEX attachments_by_document ON attachments(document_id);

CREATE TABLE chunks (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    unit        INTEGER NOT NULL,
    page        INTEGER,
    heading     TEXT NOT NULL DEFAULT '',
    line        INTEGER,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    tokens      INTEGER NOT NULL,
    text        TEXT NOT NULL,
    UNIQUE (document_id, seq)
);
CREATE INDEX chunks_by_unit ON chunks(document_id, unit);

CREATE VIRTUAL TABLE chunks_fts USING fts5(
    text, heading, content='chunks', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
);
INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('rank', 'bm25(1.0, 0.5)');
CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts(rowid, text, heading) VALUES (new.id, new.text, new.heading);
END;
CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts(chunks_fts, rowid, text, heading)
        VALUES ('delete', old.id, old.text, old.heading);
END;

CREATE TABLE embeddings (
    chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
    model    TEXT NOT NULL,
    vector   BLOB NOT NULL,
    PRIMARY KEY (chunk_id, model)
) WITHOUT ROWID;
"""

# 1.1: what an answer about the documents listed under it (its sources, whether
# anything was found, the notes), so the list is there again after a restart. The
# context is JSON: its passages, never the block sent to the model.
ANSWER_SOURCES = """
CREATE TABLE answer_sources (
    message_id      INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL,
    context         TEXT NOT NULL,
    saved_at        REAL NOT NULL
);
CREATE INDEX answer_sources_by_conversation ON answer_sources(conversation_id);
"""

SCHEMA += ANSWER_SOURCES

# 1.2: pages the PDF reader process gave up on (it crashed or hung there); they are
# stored as pages without text and the document's chip says how many.
LOST_UNITS = """
ALTER TABLE documents ADD COLUMN lost_units INTEGER NOT NULL DEFAULT 0;
"""

SCHEMA += LOST_UNITS

# minor version → the statements that bring the previous minor version up to it.
MIGRATIONS: dict[int, str] = {1: ANSWER_SOURCES, 2: LOST_UNITS}


class DatabaseError(Exception):
    """The documents database cannot be used by this version of Cove."""


def connect(path: Path, key: Key | None = None) -> sqlite3.Connection:
    """Open (creating or migrating) the database at ``path``, encrypted with ``key``
    when one is given (the history's key: ``app.config.sqlcipher``).

    WAL lets the chat read while a document is being indexed; ``synchronous=NORMAL`` is
    the safe WAL setting (a power cut may lose the last page indexed, never corrupt
    the file); foreign keys make removing a document remove its chunks and vectors.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        db = sqlcipher.connect(path, key)
    except sqlcipher.WrongKeyError as exc:
        raise DatabaseError(
            "Cove cannot read the documents database with the key it has: it is "
            "encrypted with another key. Cove has not changed the file.") from exc
    db.row_factory = sqlite3.Row
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        _migrate(db)
    except Exception:
        db.close()
        raise
    return db


def _migrate(db: sqlite3.Connection) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    major, minor = version >> 16, version & 0xFFFF
    if version == 0:
        with transaction(db):
            for statement in _statements(SCHEMA):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {MAJOR << 16 | MINOR}")
        return
    if major != MAJOR:
        raise DatabaseError(
            f"The documents database was made by a {'newer' if major > MAJOR else 'older'} "
            f"version of Cove (format {major}.{minor}); this version can't use it.")
    for step in range(minor + 1, MINOR + 1):
        with transaction(db):
            for statement in _statements(MIGRATIONS[step]):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {MAJOR << 16 | step}")


def _statements(script: str) -> list[str]:
    """Split a script into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    current = ""
    for line in script.strip().splitlines():
        current += line + "\n"
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return statements


class transaction:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on error.

    IMMEDIATE takes the write lock at the start, so two writers queue on busy_timeout
    instead of failing half-way with "database is locked".
    """

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
