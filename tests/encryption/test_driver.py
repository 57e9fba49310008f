"""SQLCipher under both databases: a keyed history and documents file hold none of their
words on disk (the file, its write-ahead log), search (FTS5 trigram and porter) works
as on plain files, and a wrong key is refused without touching the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.chats.errors import WRONG_KEY, ChatStoreError
from app.chats.store import ChatStore
from app.config import sqlcipher
from app.config.sqlcipher import Key
from app.documents.db import DatabaseError
from app.documents.index import DocumentIndex

SENTENCE = "The violet heron nests beside Quillfeather harbour every spring."


def raw_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_the_driver_is_sqlcipher_4_with_trigram_search() -> None:
    conn = sqlcipher.connect(":memory:", Key.random())
    try:
        version = conn.execute("PRAGMA cipher_version").fetchone()[0]
        assert version.startswith("4."), version
    finally:
        conn.close()
    assert sqlcipher.has_trigram()


def test_a_keyed_history_searches_and_holds_no_words_on_disk(tmp_path: Path) -> None:
    key = Key.random()
    with ChatStore(tmp_path / "cove.db", key=key) as store:
        conv = store.create_conversation()
        user = store.add_user_message(conv.id, SENTENCE)
        writer = store.start_answer(conv.id, user.id, "gpt-oss-20b", "low")
        writer.append(answer="Herons like Quillfeather's quiet water.")
        writer.finish("complete")
        hits = {h.message_id for h in store.search("Quillfeather")}
        assert hits == {None, user.id, user.id + 1}  # the title, the question, the answer
        assert store.search("eron nes")  # trigram: inside words, across them
        files = raw_bytes(tmp_path)  # while open: the WAL holds the newest pages
        assert "cove.db-wal" in files
        mode = store._connection().execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"
    for name, data in {**files, **raw_bytes(tmp_path)}.items():
        for word in (b"Quillfeather", b"heron", b"violet", b"SQLite format 3"):
            assert word not in data, (name, word)
    with ChatStore(tmp_path / "cove.db", key=key) as again:
        assert again.conversation(conv.id).title.startswith("The violet heron")


def test_a_wrong_key_is_refused_and_the_file_kept(tmp_path: Path) -> None:
    path = tmp_path / "cove.db"
    with ChatStore(path, key=Key.random()) as store:
        store.create_conversation("kept")
    before = path.read_bytes()
    for other in (Key.random(), Key(passphrase="guess"), None):
        if other is None:
            continue
        with pytest.raises(ChatStoreError) as info:
            ChatStore(path, key=other)
        assert info.value.kind == WRONG_KEY
        assert "Cove has not changed the file" in str(info.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cove.db"]


def test_a_passphrase_key_opens_again_only_with_the_same_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "cove.db"
    with ChatStore(path, key=Key(passphrase="correct horse's battery")) as store:
        store.create_conversation("by passphrase")
    with ChatStore(path, key=Key(passphrase="correct horse's battery")) as store:
        assert [c.title for c in store.conversations()] == ["by passphrase"]
    with pytest.raises(ChatStoreError):
        ChatStore(path, key=Key(passphrase="correct horse"))


def test_the_documents_file_is_keyed_the_same_way(tmp_path: Path) -> None:
    key = Key.random()
    notes = tmp_path / "files" / "notes.txt"
    notes.parent.mkdir()
    notes.write_text(f"Harbour notes\n\n{SENTENCE}\n", encoding="utf-8")
    data = tmp_path / "data"
    with DocumentIndex(data / "documents.db", key=key) as index:
        document = index.attach_file(7, notes)
        list(index.indexing(document.id))
        rows = index.query("SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH 'heron'")
        assert rows
        for name, raw in raw_bytes(data).items():
            assert b"Quillfeather" not in raw and b"heron" not in raw, name
    with pytest.raises(DatabaseError, match="encrypted with another key"):
        DocumentIndex(data / "documents.db", key=Key.random())
    with DocumentIndex(data / "documents.db", key=key) as index:
        assert [d.name for d in index.documents(7)] == ["notes.txt"]


def test_a_key_never_shows_its_secret() -> None:
    key = Key.random(where="the test keyring")
    assert key.raw is not None and key.raw.hex() not in repr(key)
    assert "hunter2" not in repr(Key(passphrase="hunter2"))
    with pytest.raises(ValueError):
        Key(passphrase="")
    with pytest.raises(ValueError):
        Key(raw=b"short")
