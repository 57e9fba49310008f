"""Reading GGUF headers without loading weights, and refusing bad files."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.engine.gguf_check import GGUFError, check_gguf, read_header


def test_reads_gemma_header(gemma_path: Path) -> None:
    header = check_gguf(gemma_path)
    assert header.architecture == "gemma3"
    assert header.metadata["gemma3.block_count"] == 18
    assert header.tensor_count > 100
    # The whole file is exactly header + aligned tensor data (nothing missing).
    assert header.data_offset + header.data_size <= header.file_size
    assert header.file_size - (header.data_offset + header.data_size) < 4096


def test_reads_only_the_header(gemma_path: Path) -> None:
    started = time.perf_counter()
    read_header(gemma_path)
    assert time.perf_counter() - started < 5  # generous: it never reads 250 MB of weights
    assert read_header(gemma_path).metadata["tokenizer.ggml.tokens"] == 262144


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
