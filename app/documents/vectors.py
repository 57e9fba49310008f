"""Embeddings: who makes them, and how they are stored and compared.

The embedding model runs elsewhere (its own llama.cpp worker, later); this package only
receives a callable. Vectors are stored L2-normalised as float32 BLOBs, so a cosine
similarity is a dot product, and each carries its model's name, so vectors of two
models are never compared.

numpy is imported where vectors are made or compared, not with the module: the window
imports this package at start, and numpy (with its BLAS) is a noticeable part of a
frozen app's start-up that a chat without embeddings never needs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Matrix = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Embedder:
    """A text-embedding model as the documents package sees it.

    ``embed(texts)`` returns one vector per text. ``query_prefix``/``passage_prefix``
    are what models such as E5 expect before questions and passages.
    ``relevant_similarity`` is the cosine similarity above which this model's nearest
    passage counts as relevant for a question in another language than the passages,
    where keywords cannot judge; ``distinct_margin`` is how far the best passage must
    lead the next one to count as the answer to a same-language question whose
    keywords were only partly found (see ``retrieve``). None leaves the judgement to the
    keywords: both figures differ per model.
    """

    name: str
    embed: Callable[[list[str]], Sequence[Sequence[float]]]
    query_prefix: str = ""
    passage_prefix: str = ""
    relevant_similarity: float | None = None
    distinct_margin: float | None = None
    max_chars: int = 2000

    def passages(self, texts: Sequence[str]) -> Matrix:
        return self._run([self.passage_prefix + t[: self.max_chars] for t in texts])

    def query(self, text: str) -> Matrix:
        return self._run([self.query_prefix + text[: self.max_chars]])[0]

    def _run(self, texts: list[str]) -> Matrix:
        import numpy as np

        vectors = np.asarray(self.embed(texts), dtype=np.float32)
        if vectors.ndim != 2 or len(vectors) != len(texts):
            raise ValueError(f"embedder {self.name!r} returned {vectors.shape} "
                             f"for {len(texts)} texts")
        return normalise(vectors)


def normalise(vectors: Matrix) -> Matrix:
    import numpy as np

    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return (vectors / np.where(norms == 0, 1, norms)).astype(np.float32)


def to_blob(vector: Matrix) -> bytes:
    import numpy as np

    return np.asarray(vector, dtype="<f4").tobytes()


def from_blobs(blobs: Sequence[bytes]) -> Matrix:
    import numpy as np

    if not blobs:
        return np.zeros((0, 0), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(blobs), -1).astype(
        np.float32)
