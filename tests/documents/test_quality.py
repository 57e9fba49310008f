"""Retrieval quality on the test set: 47 questions over six multi-page documents
(five PDFs and a Word file), each answered on one known page.

Keyword search alone must put the right page in the top five for at least 90 % of the
questions; hybrid search (keywords + gemma's static embeddings, fused by RRF) is
measured too and must not fall far behind. The real llama.cpp embedding path is
checked on a small document (the gemma stand-in is too slow for the whole set)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.documents import DocumentIndex, Retriever
from app.documents.retrieve import query_terms
from tests.documents import corpus
from tests.documents.conftest import Corpus
from tests.documents.pdfs import Page, wrap, write_pdf


def test_the_test_set_is_big_enough(test_set: Corpus) -> None:
    assert len(corpus.QUESTIONS) >= 30
    pages = {name: test_set.index.document(i).units_done for i, name in test_set.names.items()}
    assert len(pages) >= 5 and all(count >= 5 for count in pages.values())
    assert {(q.file, q.page) for q in corpus.QUESTIONS} >= {
        (name, page) for name, count in pages.items() for page in range(1, count + 1)}, \
        "every page answers a question"


def test_keyword_search_finds_the_page(test_set: Corpus) -> None:
    score, missed = corpus.hit_at(Retriever(test_set.index), test_set.names, use_vectors=False)
    print(f"keyword hit@5 = {score:.3f}; missed: {[q.text for q in missed]}")
    assert score >= 0.9


def test_hybrid_search_finds_the_page(test_set: Corpus, static_embedder: object) -> None:
    retriever = Retriever(test_set.index, static_embedder)  # type: ignore[arg-type]
    score, missed = corpus.hit_at(retriever, test_set.names)
    print(f"hybrid hit@5 = {score:.3f}; missed: {[q.text for q in missed]}")
    assert score >= 0.85


def test_answerable_questions_are_found_and_others_not(test_set: Corpus) -> None:
    retriever = Retriever(test_set.index)
    found = [retriever.search(test_set.ids, q.text).found for q in corpus.QUESTIONS]
    assert sum(found) / len(found) >= 0.95
    assert not any(retriever.search(test_set.ids, q).found for q in corpus.UNANSWERABLE)


@pytest.mark.slow
def test_real_llama_embeddings(gemma_path: Path, tmp_path: Path) -> None:
    from tests.documents.embedders import llama_embedder

    embedder = llama_embedder(gemma_path, n_ctx=128)
    pdf = write_pdf(tmp_path / "pets.pdf", [
        Page(wrap("Cats sleep for most of the day and hunt at night.")),
        Page(wrap("The invoice total was four hundred dollars, due in March.")),
        Page(wrap("Our dog loves long walks in the park.")),
    ])
    with DocumentIndex(tmp_path / "documents.db") as index:
        document = index.index(index.attach_file(1, pdf).id)
        assert index.embed(document.id, embedder) == 3
        question = "When is the invoice due?"
        assert query_terms(question) == ["invoice", "due"]
        ranking = Retriever(index, embedder).search([document.id], question)
        assert len(ranking.vector_ids) == 3, "every chunk has a vector to compare"
        assert ranking.found and ranking.hits[0].page == 2
