"""Sealed files (app.config.sealed) and their keys (app.config.at_rest.file_key): what
is sealed reads back only with its key, whole; a changed, cut or foreign file is
refused, never read as something else; a failed write leaves the old file."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import at_rest, sealed, secrets
from app.config.sealed import CHUNK, FileKey, SealError
from app.config.sqlcipher import Key

SENTENCE = b"Marigold ferries leave Quillhaven at dawn"


@pytest.fixture
def key() -> FileKey:
    return FileKey(os.urandom(32), "test")


@pytest.fixture
def opened() -> Iterator[None]:
    """Whatever key the process had is back after the test."""
    before = at_rest.history_key()
    yield
    at_rest.remember(before)


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17])
def test_what_is_sealed_reads_back_whole_and_holds_no_plain_text(
        tmp_path: Path, key: FileKey, size: int) -> None:
    data = (SENTENCE * (size // len(SENTENCE) + 1))[:size]
    path = tmp_path / "state.bin"
    sealed.write_sealed(path, data, key)
    raw = path.read_bytes()
    assert sealed.is_sealed(path) and (size < len(SENTENCE) or SENTENCE not in raw)
    assert sealed.read_sealed(path, key) == data
    assert sealed.unseal(sealed.seal(data, key), key) == data
    assert [p.name for p in tmp_path.iterdir()] == ["state.bin"]  # no temporary left


def test_streaming_reads_in_pieces(tmp_path: Path, key: FileKey) -> None:
    data = os.urandom(5 * CHUNK + 3)
    path = tmp_path / "big"
    with sealed.SealedWriter(path, key) as out:
        for start in range(0, len(data), 1000):
            out.write(data[start:start + 1000])
    with sealed.open_sealed(path, key) as source:
        pieces = iter(lambda: source.read(4099), b"")
        assert b"".join(pieces) == data


def test_another_key_a_changed_byte_or_a_cut_file_is_refused(
        tmp_path: Path, key: FileKey) -> None:
    path = tmp_path / "s"
    sealed.write_sealed(path, SENTENCE * 5000, key)
    with pytest.raises(SealError):
        sealed.read_sealed(path, FileKey(os.urandom(32)))
    raw = path.read_bytes()
    for broken in (raw[:-1], raw[:len(raw) - CHUNK // 2], raw[:sealed.CHUNK + 40],
                   raw[:30] + bytes([raw[30] ^ 1]) + raw[31:],
                   raw[:10] + bytes([raw[10] ^ 1]) + raw[11:]):  # the salt
        path.write_bytes(broken)
        with pytest.raises(SealError):
            sealed.read_sealed(path, key)
    # a file cut exactly after a full chunk would read as a shorter one, were the last
    # chunk not marked
    path.write_bytes(raw[:len(sealed.MAGIC) + 16 + CHUNK + 16])
    with pytest.raises(SealError):
        sealed.read_sealed(path, key)
    path.write_bytes(b"plain text, not sealed")
    with pytest.raises(SealError):
        sealed.read_sealed(path, key)


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary(
        tmp_path: Path, key: FileKey, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s"
    sealed.write_sealed(path, b"old", key)
    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError):
        sealed.write_sealed(path, b"new" * 100_000, key)
    monkeypatch.setattr(os, "fsync", real_fsync)
    with pytest.raises(RuntimeError), sealed.SealedWriter(path, key) as out:
        out.write(b"half")
        raise RuntimeError("a bug halfway")
    assert sealed.read_sealed(path, key) == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["s"]


def test_the_file_key_comes_from_the_history_key_one_per_purpose(opened: None) -> None:
    at_rest.remember(None)
    assert at_rest.file_key("python") is None  # unencrypted history: files stay plain
    history = Key.random()
    at_rest.remember(history)
    python, kv = at_rest.file_key("python"), at_rest.file_key("kv-states")
    assert python is not None and kv is not None and python.raw != kv.raw
    assert at_rest.file_key("python") == python  # the same at every call
    assert history.raw is not None and history.raw.hex() not in repr(python)
    blob = sealed.seal(SENTENCE, python)
    with pytest.raises(SealError):
        sealed.unseal(blob, kv)
    at_rest.remember(Key.random())  # another history: another key
    assert at_rest.file_key("python") != python


def test_a_passphrase_key_needs_the_passphrase_and_keeps_its_salt(
        opened: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COVE_HOME", str(tmp_path))
    secrets.set_mode(secrets.PASSPHRASE)
    at_rest.remember(Key(passphrase="correct horse"))
    first = at_rest.file_key("python")
    secrets.set_mode(secrets.PASSPHRASE)  # the choice saved again keeps the salt
    at_rest.remember(Key(passphrase="correct horse"))  # the next start
    assert at_rest.file_key("python") == first
    at_rest.remember(Key(passphrase="wrong horse"))
    assert at_rest.file_key("python") != first
    assert secrets.mode() == secrets.PASSPHRASE
