"""Forget everything (app.config.forget): after a chat, an attached document and a
pasted text, every file holding them is overwritten and removed, the key leaves the
keyring, and the next start is a first start with an empty history; models and
settings stay; a link is never followed; a file that cannot go keeps the key."""

from __future__ import annotations

import os
from pathlib import Path

import keyring
import pytest

from app.chats.store import ChatStore
from app.config import at_rest, forget, paths, secrets
from app.documents.answering import ConversationDocuments

SENTENCE = "The lighthouse keeper counts forty-two gulls"


def a_used_folder(outside: Path) -> dict[str, Path]:
    """A data folder as a user leaves it: history, documents, a pasted text, the
    python tool's files, a model, a copy set aside as damaged, and a link out."""
    data = paths.data_dir()
    with ChatStore.default() as store:
        conv = store.create_conversation()
        user = store.add_user_message(conv.id, SENTENCE)
        writer = store.start_answer(conv.id, user.id, "gpt-oss-20b", "low")
        writer.append(answer="Forty-two gulls, noted.")
        writer.flush()  # left streaming: its parts and WAL on disk
        docs = ConversationDocuments.beside(store.db_path, key=store.key)
        docs.close()
    (data / "cove.db.damaged-20250101-000000").write_bytes(SENTENCE.encode() * 100)
    for leftover in ("cove.db-wal", "documents.db-shm"):  # as a kill leaves them
        (data / leftover).write_bytes(SENTENCE.encode() * 10)
    pasted = data / "pasted" / "Pasted text 3.txt"
    pasted.parent.mkdir()
    pasted.write_text(SENTENCE, encoding="utf-8")
    work = data / "python" / "7"
    work.mkdir(parents=True)
    (work / "notes.txt").write_text(SENTENCE, encoding="utf-8")
    (data / "python" / "8.sealed").write_bytes(b"CoveSL01" + bytes(40))
    cut_off = paths.cache_dir() / "python-runs" / "8.99999999.abc"  # a crashed run's
    cut_off.mkdir(parents=True)
    (cut_off / "half.txt").write_text(SENTENCE, encoding="utf-8")
    victim = outside / "not-cove.txt"
    victim.write_text("someone else's file", encoding="utf-8")
    os.symlink(victim, work / "link-out")
    os.symlink(outside, work / "folder-out", target_is_directory=True)
    model = paths.models_dir() / "gpt-oss-20b.gguf"
    model.write_bytes(b"GGUF model")
    return {"pasted": pasted, "victim": victim, "model": model}


def test_forget_everything_erases_the_files_and_the_key(home: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    kept = a_used_folder(outside)
    data = paths.data_dir()
    witness = tmp_path / "witness"  # a second name for the history's bytes
    os.link(data / "cove.db", witness)
    size = witness.stat().st_size
    secrets.set_mode(secrets.KEYRING)
    files = forget.personal_files(data, paths.cache_dir())
    names = {p.name for p in files}
    assert {"cove.db", "cove.db-wal", "documents.db", "documents.db-shm",
            "cove.db.damaged-20250101-000000", "Pasted text 3.txt", "notes.txt",
            "link-out", "folder-out", "8.sealed", "half.txt"} <= names

    done = forget.forget_everything(data)

    assert done.key_forgotten and secrets.stored_key() is None
    assert sorted(done.erased) == files
    assert witness.read_bytes() == bytes(size)  # overwritten, not only unlinked
    assert forget.personal_files(data, paths.cache_dir()) == []
    assert not (data / "pasted").exists() and not (data / "python").exists()
    assert not (paths.cache_dir() / "python-runs").exists()
    assert at_rest.file_key("python") is None  # the files' keys went with the history's
    assert kept["victim"].read_text(encoding="utf-8") == "someone else's file"
    assert kept["model"].read_bytes() == b"GGUF model"
    assert not secrets.protection_path().exists()
    for path in home.rglob("*"):
        if path.is_file():
            assert SENTENCE.encode() not in path.read_bytes(), path

    with ChatStore.default() as store:  # the next start: a new key, an empty history
        assert store.conversations() == []
        assert store.key is not None and store.key == secrets.stored_key()
    assert at_rest.protection(data).encrypted


def test_a_file_that_cannot_go_keeps_the_key(home: Path, monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    a_used_folder(tmp_path)
    data = paths.data_dir()
    key = secrets.stored_key()
    real = forget.erase

    def held(path: Path) -> None:  # as Windows answers for a file another program holds
        if path.name == "documents.db":
            raise PermissionError(13, "The process cannot access the file")
        real(path)

    monkeypatch.setattr(forget, "erase", held)
    with pytest.raises(forget.ForgetError) as info:
        forget.forget_everything(data)
    assert [p.name for p in info.value.left] == ["documents.db"]
    assert "documents.db" in str(info.value) and "again" in str(info.value)
    assert secrets.stored_key() == key
    assert not (data / "cove.db").exists() and not (data / "pasted").exists()
    monkeypatch.setattr(forget, "erase", real)
    forget.forget_everything(data)  # tried again, once the file is free
    assert forget.personal_files(data) == [] and secrets.stored_key() is None


def test_protection_says_how_the_history_is_kept(home: Path) -> None:
    data = paths.data_dir()
    with ChatStore.default():
        pass
    shown = at_rest.protection(data)
    assert shown.encrypted and shown.mode == secrets.KEYRING and shown.keyring
    secrets.set_mode(secrets.PASSPHRASE)
    assert at_rest.protection(data).mode == secrets.PASSPHRASE
    assert at_rest.protection(data).keyring == ""


def test_a_keyring_backend_that_cannot_load_is_a_keyring_unavailable(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A backend named in PYTHON_KEYRING_BACKEND that does not import (or any other
    failure of the keyring library) is "no keyring": asked about, never a crash."""

    from app.config import secrets

    def broken(*_a: object, **_k: object) -> None:
        raise ModuleNotFoundError("No module named 'somewhere'")

    monkeypatch.setattr(keyring, "get_password", broken)
    monkeypatch.setattr(keyring, "get_keyring", broken)
    try:
        secrets.stored_key()
    except secrets.KeyringUnavailable as exc:
        assert "ModuleNotFoundError" in str(exc) and "OS keyring" in str(exc)
    else:
        raise AssertionError("a broken keyring was taken for an empty one")


def test_prompt_states_and_the_api_log_go_too_for_an_unencrypted_history(
        home: Path) -> None:
    """A history kept unencrypted (the user's choice) leaves plain saved prompt states
    (their tokens are the conversation) and, when asked to keep content, a plain API
    request log: Forget everything erases both, and the next start sees none."""
    from app.api.request_log import Entry, RequestLog, default_path
    from app.engine.client import states_folder
    from app.engine.kv_store import KvStore, read_state

    secrets.set_mode(secrets.PLAIN)
    with ChatStore.default() as store:
        assert store.key is None
        store.add_user_message(store.create_conversation().id, SENTENCE)
    tokens = list(SENTENCE.encode())  # a stand-in tokenizer: one token per byte
    state = KvStore(states_folder(), at_rest.file_key("kv-states")).save(
        "gemma", tokens, SENTENCE.encode() * 4)
    assert state is not None and read_state(state, None)[0] == tokens  # plain on disk
    RequestLog(default_path()).record(Entry(0.0, "127.0.0.1 curl", "/v1/chat/completions",
                                            "gemma", 200, question=SENTENCE, answer="Noted."))
    assert SENTENCE.encode() in default_path().read_bytes()

    forget.forget_everything(paths.data_dir())

    assert not state.exists() and not default_path().exists()
    assert not states_folder().exists()
    for path in home.rglob("*"):
        if path.is_file():
            assert SENTENCE.encode() not in path.read_bytes(), path
