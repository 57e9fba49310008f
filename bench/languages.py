"""Retrieval in other languages (app/documents); prints one JSON object.

For each language of the multilingual test set (tests/documents/corpus_languages.py:
German, French, Spanish, Italian, Dutch, Portuguese), keyword search only:
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


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with DocumentIndex(folder / "documents.db") as index:
            names = {}
            for path in languages.build(folder):
                document = index.index(index.attach_file(1, path).id)
                names[document.id] = path.name
            retriever = Retriever(index)
            result = {}
            for language in languages.LANGUAGES:
                score = languages.score(retriever, names, language, use_vectors=False)
                result[language] = {
                    "questions": len(languages.QUESTIONS[language]),
                    "unanswerable": len(languages.UNANSWERABLE[language]),
                    "found": round(score.found, 3), "not_found": round(score.not_found, 3),
                    "hit_at_5": round(score.hit_at_5, 3)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
