"""A question about an attached document, end to end through the real worker and the
gemma test model: the prompt holds the right passage, an answer streams back, and the
sources to list under it point at the right file and page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.documents import DocumentIndex, Retriever
from app.documents.context import RETRIEVED
from app.engine.transcript import Reply
from tests.documents import corpus
from tests.documents.pdfs import Page, wrap, write_pdf

N_CTX = 2048
ANSWER_ROOM = 256


@pytest.mark.slow
def test_question_about_an_attached_pdf(gemma_engine: Any, tmp_path: Path,
                                        index: DocumentIndex) -> None:
    title, filler, pages = corpus.DOCUMENTS["meridian-railway-history.pdf"]
    texts = [corpus.page_text(title, filler, h, f, i) for i, (h, f) in enumerate(pages)]
    long_texts = [t + "\n\n" + " ".join(filler) * 2 for t in texts]  # too long to fit
    pdf = write_pdf(tmp_path / "railway.pdf", [Page(wrap(t), bookmark=h)
                                               for t, (h, _) in zip(long_texts, pages)])
    document = index.index(index.attach_file(1, pdf).id)
    question = "How many arches does the Dunmore Viaduct have?"
    budget = N_CTX - ANSWER_ROOM - 600  # the rules, the question and the template
    assert document.tokens > budget

    context = Retriever(index).context(1, question, budget=budget, max_passages=1)
    assert context.mode == RETRIEVED and context.found
    assert (context.sources[0].file, context.sources[0].page) == ("railway.pdf", 3)

    messages = context.messages([], question)
    instructions = context.with_instructions("")
    prompt = gemma_engine.prompt_tokens(messages, instructions=instructions)
    text = "".join(prompt["pieces"])
    assert "[1] railway.pdf, page 3" in text and "23 stone arches" in text
    assert len(prompt["pieces"]) <= N_CTX - ANSWER_ROOM

    reply = Reply()
    for message in gemma_engine.chat(messages, instructions=instructions,
                                     sampling={"temp": 0.0}, max_tokens=24):
        reply.add(message)
    assert reply.error is None and reply.answer.strip()
    listed = context.cited(reply.answer) or list(context.sources)
    assert listed and all(s.file == "railway.pdf" and s.page for s in listed)
