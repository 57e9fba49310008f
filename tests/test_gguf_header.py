"""Reading GGUF headers without loading weights, and refusing bad files."""

from __future__ import annotations

import io
import struct
from pathlib import Path
from typing import Any

import pytest

from app import gguf_header
from app.gguf_header import GGUFError, check_gguf, read_header


def test_reads_gemma_header(gemma_path: Path) -> None:
    header = check_gguf(gemma_path)
    assert header.architecture == "gemma3"
    assert header.metadata["gemma3.block_count"] == 18
    assert header.tensor_count > 100
    # The whole file is exactly header + aligned tensor data (nothing missing).
    assert header.data_offset + header.data_size <= header.file_size
    assert header.file_size - (header.data_offset + header.data_size) < 4096


class CountingFile(io.FileIO):
    """A file that counts the bytes read from it (what a clock measured before, and a
    busy machine could stretch)."""

    read_bytes = 0

    def readinto(self, buffer: Any) -> int | None:
        n = super().readinto(buffer)
        CountingFile.read_bytes += n or 0
        return n


def test_reads_only_the_header(gemma_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gguf_header, "_open",
                        lambda path: io.BufferedReader(CountingFile(path, "rb")))
    CountingFile.read_bytes = 0
    header = read_header(gemma_path)
    assert header.metadata["tokenizer.ggml.tokens"] == 262144
    # It stops at the end of the header (give or take one 1 MiB block of the token
    # list): the weights, 30 times as large, are never read.
    assert header.file_size > 30 * header.data_offset
    assert 0 < CountingFile.read_bytes <= header.data_offset + (1 << 20) + 8192


@pytest.mark.parametrize("content, message", [
    (b"", "not a GGUF"),
    (b"PK\x03\x04 zip file", "not a GGUF"),
    (b"GGUF\x07\x00\x00\x00", "version 7"),
    (b"GGUF\x03\x00\x00\x00\x01", "ends inside its header"),
])
def test_bad_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.gguf"
    path.write_bytes(content)
    with pytest.raises(GGUFError, match=message):
        check_gguf(path)


def test_truncated_tensor_data(gemma_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.gguf"
    with gemma_path.open("rb") as src:
        path.write_bytes(src.read(50_000_000))
    with pytest.raises(GGUFError, match="incomplete"):
        check_gguf(path)


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(GGUFError):
        check_gguf(tmp_path)


def _header(tensors: int, kvs: int) -> bytes:
    return b"GGUF" + struct.pack("<IQQ", 3, tensors, kvs)


def _key(name: str) -> bytes:
    return struct.pack("<Q", len(name)) + name.encode()


# Every way the check refuses a file, and a phrase of its reason.
REFUSALS = [
    ("empty", b"", "is not a GGUF model file"),
    ("zip", b"PK\x03\x04 zip file", "is not a GGUF model file"),
    ("version", b"GGUF\x07\x00\x00\x00", "GGUF version 7"),
    ("cut-in-header", b"GGUF\x03\x00\x00\x00\x01", "ends inside its header"),
    ("counts", _header(1 << 30, 0), "impossible numbers of entries"),
    ("string-length", _header(0, 1) + struct.pack("<Q", 1 << 40), "impossible length"),
    ("array-length", _header(0, 1) + _key("a") + struct.pack("<IIQ", 9, 4, 1 << 40),
     "a list claims an impossible length"),
    ("value-type", _header(0, 1) + _key("a") + struct.pack("<I", 99), "value type 99"),
    ("dimensions", _header(1, 0) + _key("t") + struct.pack("<I", 9), "9 dimensions"),
    ("cut-in-strings", _header(0, 1) + _key("a") + struct.pack("<IIQ", 9, 8, 1000),
     "ends inside its header"),
    ("no-weights", _header(0, 0), "contains no model weights"),
]


def _is_sentence_naming(message: str, name: str) -> None:
    """Names the file, reads as sentences, and says what to do."""
    assert name in message, message
    assert message[0].isupper() or message.startswith(name), message
    assert message.endswith("."), message
    assert any(verb in message.lower() for verb in ("choose", "download", "check")), message
    assert "(download incomplete?)" not in message and "corrupt" not in message


@pytest.mark.parametrize("name, content, reason", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_every_refusal_names_the_file_and_says_what_to_do(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / f"{name}-model.gguf"
    path.write_bytes(content)
    with pytest.raises(GGUFError, match=reason) as caught:
        check_gguf(path)
    _is_sentence_naming(str(caught.value), path.name)


def test_missing_unreadable_folder_and_incomplete_files_say_what_to_do(
    tmp_path: Path, gemma_path: Path
) -> None:
    missing = tmp_path / "gone.gguf"
    folder = tmp_path / "models.gguf"
    folder.mkdir()
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("a file, not a folder")
    unreadable = not_a_folder / "model.gguf"
    cut = tmp_path / "half.gguf"
    with gemma_path.open("rb") as src:
        cut.write_bytes(src.read(50_000_000))
    for path, reason in [(missing, "does not exist"), (folder, "is a folder"),
                         (unreadable, "cannot read"), (cut, "is incomplete")]:
        with pytest.raises(GGUFError, match=reason) as caught:
            check_gguf(path)
        shown = path.name if path is cut else str(path)
        _is_sentence_naming(str(caught.value), shown)
