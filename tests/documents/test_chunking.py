"""Chunks cover a unit exactly and end at natural boundaries; the token estimate stays
on the safe side of a real tokenizer."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.documents.chunking import LIMIT_CHARS, TARGET_CHARS, estimate_tokens, split
from tests.documents import corpus


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab .\n\tä漢"), max_size=6000))
def test_chunks_cover_the_text_exactly(text: str) -> None:
    chunks = split(text)
    if not text.strip():
        assert chunks == []
        return
    assert "".join(c.text for c in chunks) == text
    assert [c.start for c in chunks[1:]] == [c.end for c in chunks[:-1]]
    assert all(len(c.text) <= LIMIT_CHARS for c in chunks)


def test_chunks_end_at_paragraphs_then_sentences() -> None:
    paragraph = "A sentence of moderate length that ends properly. " * 6
    chunks = split((paragraph.strip() + "\n") * 16)
    assert len(chunks) > 2
    assert all(c.text.endswith("\n") for c in chunks)
    prose = "Sentences run on and on without any paragraph break at all here. " * 60
    assert all(c.text.endswith(". ") for c in split(prose)[:-1])
    assert all(TARGET_CHARS // 2 <= len(c.text) <= LIMIT_CHARS for c in split(prose)[:-1])


def test_token_estimate_is_on_the_safe_side(gemma_path: Path) -> None:
    import llama_cpp

    vocab = llama_cpp.Llama(str(gemma_path), vocab_only=True, verbose=False)
    samples = [corpus.page_text(title, filler, "Heading", [], seed=1)
               for title, filler, _ in corpus.DOCUMENTS.values()]
    samples += ["Der Bericht beschreibt die Ergebnisse des Jahres und die Pläne der Stadt. " * 5,
                "東京は日本の首都であり、世界で最も人口の多い都市圏の一つです。" * 5,
                "def area(r: float) -> float:\n    return 3.14159 * r ** 2\n" * 8]
    for text in samples:
        real = len(vocab.tokenize(text.encode(), add_bos=False))
        assert real <= estimate_tokens(text) <= 2 * real, text[:40]
