"""A damaged file is set aside (never deleted) and a new history starts; a locked or
unreachable file is reported to the user and never moved."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.chats import database
from app.chats.errors import ChatStoreError
from app.chats.store import ChatStore
from app.config.sqlcipher import driver as sqlite3  # the library Cove uses (one per process)
from tests.chats.conftest import exchange

PATTERN = b"ZQZQZQZQ"


def aside_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if ".damaged-" in p.name)


def corrupt_message_pages(path: Path) -> int:
    """Break the pages that hold PATTERN (the long answers' overflow chains)."""
    data = bytearray(path.read_bytes())
    page = 4096
    hits = 0
    for start in range(page, len(data), page):  # page 1 (the schema) stays intact
        if PATTERN in data[start:start + page]:
            data[start:start + 8] = b"\xff" * 8
            hits += 1
    path.write_bytes(bytes(data))
    return hits


def history_with_long_answers(db_path: Path) -> int:
    with ChatStore(db_path) as store:
        conv = store.create_conversation("long answers")
        for _ in range(3):
            exchange(store, conv.id, "question", PATTERN.decode() * 2000)
        return conv.id


def test_garbage_file_is_set_aside_and_a_new_history_starts(db_path: Path) -> None:
    garbage = b"this is not a database at all" * 500
    db_path.write_bytes(garbage)
    db_path.with_name("cove.db-wal").write_bytes(b"stale wal")
    with ChatStore(db_path) as store:
        assert store.notice is not None and store.notice.kind == "corrupt"
        assert store.set_aside is not None and store.set_aside.name in str(store.notice)
        assert "new, empty history" in str(store.notice)
        assert store.set_aside.read_bytes() == garbage
        assert Path(str(store.set_aside) + "-wal").read_bytes() == b"stale wal"
        assert store.conversations() == []
        store.create_conversation("fresh")
    with ChatStore(db_path) as again:
        assert again.notice is None
        assert [c.title for c in again.conversations()] == ["fresh"]
    assert len(aside_files(db_path.parent)) == 2  # the database and its WAL


def test_damaged_schema_page_is_set_aside(db_path: Path) -> None:
    history_with_long_answers(db_path)
    data = bytearray(db_path.read_bytes())
    data[100:400] = b"\x07" * 300  # page 1 holds the schema
    db_path.write_bytes(bytes(data))
    with ChatStore(db_path) as store:
        assert store.notice is not None
        assert store.set_aside is not None and store.set_aside.read_bytes() == bytes(data)


def test_damage_found_mid_session_is_checked_at_the_next_start(db_path: Path) -> None:
    conv_id = history_with_long_answers(db_path)
    assert corrupt_message_pages(db_path) > 0
    with ChatStore(db_path) as store:  # the schema reads fine: no notice yet
        assert store.notice is None
        with pytest.raises(ChatStoreError) as info:
            store.path(conv_id)
        assert info.value.kind == "corrupt"
        assert "damaged" in str(info.value)
    assert database.check_marker(db_path).exists()
    with ChatStore(db_path) as store:
        assert store.notice is not None and store.set_aside is not None
        assert store.conversations() == []
    assert not database.check_marker(db_path).exists()


def test_check_marker_on_a_healthy_file_just_goes_away(db_path: Path) -> None:
    conv_id = history_with_long_answers(db_path)
    database.check_marker(db_path).touch()
    with ChatStore(db_path) as store:
        assert store.notice is None
        assert len(store.path(conv_id)) == 6
    assert not database.check_marker(db_path).exists()
    assert aside_files(db_path.parent) == []


def test_locked_file_is_reported_and_never_moved(db_path: Path) -> None:
    ChatStore(db_path).close()
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(ChatStoreError) as info:
            ChatStore(db_path, timeout=0.1)
        assert info.value.kind == "locked"
        assert "in use by another program" in str(info.value)
    finally:
        other.execute("ROLLBACK")
    assert aside_files(db_path.parent) == []
    with ChatStore(db_path, timeout=0.1) as store:
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(ChatStoreError) as info:
                store.create_conversation("blocked")
            assert info.value.kind == "locked"
            assert store.conversations() == []  # reading still works in WAL mode
        finally:
            other.execute("ROLLBACK")
        store.create_conversation("after")
    other.close()


def test_unreachable_folder_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.raises(ChatStoreError) as info:
        ChatStore(blocker / "cove.db")
    assert info.value.kind == "cannot_open"
    assert "Cove cannot open its history" in str(info.value)


def test_set_aside_never_overwrites(db_path: Path) -> None:
    names = []
    for content in (b"first", b"second"):
        db_path.write_bytes(content)
        names.append(database.set_aside(db_path))
    assert names[0] != names[1]
    assert [n.read_bytes() for n in names] == [b"first", b"second"]
