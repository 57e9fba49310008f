"""The local library: facts from GGUF headers only, import (copy or in place), delete,
verify, split models as one entry, and bad files refused with a reason."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app.models.library import Library, LibraryError
from app.models.transfer import receipt_path
from tests.models.conftest import GGUFFactory


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return Library(tmp_path / "models")


def test_lists_facts_read_from_the_header(library: Library, make_gguf: GGUFFactory) -> None:
    make_gguf("gpt-oss-20b-mxfp4.gguf", folder=library.models_dir / "ggml-org" / "x",
              tensors=3, elements=2048)
    (model,) = library.models()
    assert model.name == "Tiny gpt-oss"
    assert (model.architecture, model.quantization, model.context_length) == \
        ("gpt-oss", "MXFP4_MOE", 131072)
    assert model.parameter_count == 3 * 2048
    assert model.size_bytes == model.path.stat().st_size and model.usable


def test_a_split_model_is_one_entry(library: Library, make_gguf: GGUFFactory) -> None:
    folder = library.models_dir / "ggml-org" / "big"
    for n in (1, 2, 3):
        make_gguf(f"big-{n:05d}-of-00003.gguf", folder=folder, split=(n, 3))
    (model,) = library.models()
    assert model.path.name == "big-00001-of-00003.gguf" and len(model.parts) == 3
    assert model.parameter_count == 3 * 2 * 1024
    (folder / "big-00002-of-00003.gguf").unlink()
    (model,) = library.models()
    assert not model.usable and "1 of its 3 files are missing" in (model.problem or "")


def test_unfinished_downloads_are_not_listed(library: Library,
                                             make_gguf: GGUFFactory) -> None:
    path = make_gguf("a.gguf", folder=library.models_dir)
    path.rename(path.with_name("b.gguf.incomplete"))
    assert library.models() == []


def bytes_read() -> int:
    """Bytes this process has read through read() calls so far (Linux)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("/proc/self/io has no rchar line")


def test_metadata_of_a_huge_file_reads_only_the_header(library: Library,
                                                       make_gguf: GGUFFactory) -> None:
    path = make_gguf("huge.gguf", folder=library.models_dir)
    with path.open("r+b") as f:
        f.truncate(20 * 10**9)  # sparse: 20 GB on paper, nothing on disk
    before = bytes_read()
    (model,) = library.models()
    # Counted, not timed (a busy machine stretches any time): the header, never the
    # 20 GB behind it.
    assert bytes_read() - before < 16 * 2**20
    assert model.size_bytes == 20 * 10**9


@pytest.mark.parametrize("content, reason", [
    (b"PK\x03\x04 not a model", "not a GGUF"),
    (os.urandom(4096), "not a GGUF"),
    (b"GGUF\x03\x00\x00\x00\x01", "ends inside its header"),
])
def test_bad_files_are_refused_with_the_reason(library: Library, tmp_path: Path,
                                               content: bytes, reason: str) -> None:
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(content)
    with pytest.raises(LibraryError, match=reason):
        library.import_file(bad, copy=True)
    assert library.models() == []


def test_a_truncated_model_is_refused(library: Library, make_gguf: GGUFFactory) -> None:
    path = make_gguf("cut.gguf", elements=100_000)
    with path.open("r+b") as f:
        f.truncate(path.stat().st_size - 1000)
    with pytest.raises(LibraryError, match="incomplete"):
        library.import_file(path, copy=False)


def test_import_by_copy_and_delete(library: Library, make_gguf: GGUFFactory) -> None:
    original = make_gguf("mine.gguf")
    model = library.import_file(original, copy=True)
    assert model.path.parent == library.models_dir / "imported"
    assert model.path.read_bytes() == original.read_bytes()
    with pytest.raises(LibraryError, match="already in the library"):
        library.import_file(original, copy=True)
    assert "deleted" in library.delete(model)
    assert not model.path.exists() and original.exists()
    assert library.models() == []


def test_import_in_place_never_deletes_the_users_file(library: Library,
                                                      make_gguf: GGUFFactory) -> None:
    original = make_gguf("kept-where-it-is.gguf")
    model = library.import_file(original, copy=False)
    assert model.referenced and model.path == original.resolve()
    assert [m.path for m in library.models()] == [original.resolve()]
    assert "file itself is kept" in library.delete(model)
    assert original.exists() and library.models() == []


def test_verify_checks_structure_and_the_download_checksum(library: Library,
                                                           make_gguf: GGUFFactory) -> None:
    import hashlib

    path = make_gguf("dl.gguf", folder=library.models_dir / "o" / "r")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    receipt_path(path).write_text(json.dumps({"sha256": digest, "repo_id": "o/r"}))
    (model,) = library.models()
    assert model.source is not None and model.source["repo_id"] == "o/r"
    seen: list[int] = []
    result = library.verify(model, progress=lambda done, total: seen.append(done))
    assert result.ok and "checksum verified" in result.message and seen[-1] == model.size_bytes

    with path.open("r+b") as f:  # one flipped byte in the weights
        f.seek(-1, os.SEEK_END)
        last = f.read(1)
        f.seek(-1, os.SEEK_END)
        f.write(bytes([last[0] ^ 1]))
    result = library.verify(model)
    assert not result.ok and "damaged" in result.message

    with path.open("r+b") as f:
        f.truncate(100)
    assert not library.verify(model).ok


def test_embedding_models_are_told_apart(library: Library, make_gguf: GGUFFactory) -> None:
    folder = library.models_dir / "x"
    make_gguf("Qwen3-Embedding-0.6B-Q8_0.gguf", folder=folder, arch="qwen3", pooling=3)
    make_gguf("e5-small.gguf", folder=folder, arch="bert")
    make_gguf("other.gguf", folder=folder, arch="llama", title="Some Embedding Model")
    make_gguf("chat.gguf", folder=folder, arch="qwen3")
    kinds = {m.path.name: m.embedding for m in library.models()}
    assert kinds == {"Qwen3-Embedding-0.6B-Q8_0.gguf": True, "e5-small.gguf": True,
                     "other.gguf": True, "chat.gguf": False}


def test_the_catalogs_embedding_model_is_preferred(library: Library,
                                                   make_gguf: GGUFFactory) -> None:
    assert library.embedding_model() is None
    folder = library.models_dir / "x"
    make_gguf("aaa-e5-small.gguf", folder=folder, arch="bert")
    make_gguf("chat.gguf", folder=folder, arch="qwen3")
    assert library.embedding_model().path.name == "aaa-e5-small.gguf"  # type: ignore[union-attr]
    make_gguf("Qwen3-Embedding-0.6B-Q8_0.gguf", folder=folder, arch="qwen3", pooling=3)
    chosen = library.embedding_model()
    assert chosen is not None and chosen.path.name == "Qwen3-Embedding-0.6B-Q8_0.gguf"
