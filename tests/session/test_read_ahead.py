"""The session reads a conversation ahead (issue 15 §3), with the real worker, gemma
and real documents: whole documents that would keep the user waiting are answered
from their best passages (said in the sources), then read in the background on request,
after which the same question gets them whole and evaluates only itself."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.chats.store import ChatStore
from app.documents import answering
from app.documents.answering import ConversationDocuments
from app.documents.background import DocumentsListener
from app.documents.context import FULL, RETRIEVED
from app.documents.index import READY, Document
from app.engine.client import EngineClient
from app.session import events
from app.session.direct import DirectEngine
from app.session.service import AnswerOptions, Session

TEXT = "# Lakes\n\n" + "\n\n".join(
    f"Lake {i} lies south of the hill of Brenn{i} and holds {i * 13} islands."
    for i in range(80))


class _Ready(DocumentsListener):
    def __init__(self) -> None:
        self.event = threading.Event()

    def updated(self, document: Document) -> None:
        if document.status == READY:
            self.event.set()


@pytest.fixture
def setup(gemma_path: Path, tmp_path: Path) -> Iterator[tuple[Session, EngineClient, int]]:
    client = EngineClient(log_path=tmp_path / "worker.log")
    client.load(gemma_path, n_ctx=8192, seed=1)
    store = ChatStore(tmp_path / "cove.db")
    listener = _Ready()
    documents = ConversationDocuments(tmp_path / "documents.db", isolate=False,
                                      listener=listener)
    session = Session(store, DirectEngine(client), documents,
                      lambda: AnswerOptions("", {"temp": 0.0}, 8))
    conversation = store.create_conversation("").id
    path = tmp_path / "lakes.md"
    path.write_text(TEXT, encoding="utf-8")
    documents.attach(conversation, [path])
    assert listener.event.wait(120), "the document was not read"
    yield session, client, conversation
    session.close()
    documents.close()
    store.close()
    client.close()


def ask(session: Session, conversation: int, text: str) -> events.AnswerFinished:
    seen: list[events.AnswerFinished] = []
    stop = session.subscribe(lambda e: seen.append(e)
                             if isinstance(e, events.AnswerFinished) else None)
    try:
        session.send(conversation, text)
    finally:
        stop()
    assert seen and seen[-1].error is None, seen
    return seen[-1]


def test_documents_slow_to_read_give_passages_then_whole_once_read_ahead(
        setup: tuple[Session, EngineClient, int], monkeypatch: Any) -> None:
    session, client, conversation = setup
    # This machine reads gemma in well under 20 s; the rule is the same at any speed.
    monkeypatch.setattr(answering, "WAIT_LIMIT_S", 0.5)
    first = ask(session, conversation, "How many islands does lake 5 hold?")
    assert first.sources is not None and first.sources.mode == RETRIEVED
    assert first.sources.whole_seconds > 0.5  # said under the answer
    assert first.stats["prompt_tokens"] < first.sources.whole_seconds * 1000  # not all
    assert len(first.sources.sources) < 4

    assert session.read_ahead(conversation)  # "Read the whole document"
    assert client.last_prefill is not None
    done = client.wait_prefilled(client.last_prefill)
    assert done["finished"] and done["tokens"] > 500

    second = ask(session, conversation, "How many islands does lake 6 hold?")
    assert second.sources is not None and second.sources.mode == FULL
    assert second.sources.whole_seconds == 0
    assert second.stats["cached_tokens"] >= done["tokens"] - 1
    assert second.stats["evaluated_tokens"] < 60  # q1, its answer, q2: no document


def test_reading_ahead_asked_while_an_answer_is_written_runs_after_it(
        setup: tuple[Session, EngineClient, int]) -> None:
    """"Read the whole document" (or a document becoming ready) while an answer is
    being written is not dropped: the worker reads once that answer has ended."""
    session, client, conversation = setup
    said: list[bool] = []

    def during(event: object) -> None:
        if isinstance(event, events.AnswerStarted) and not said:
            said.append(session.read_ahead(conversation))
            assert client.last_prefill is None, "nothing goes before the answer"

    stop = session.subscribe(during)
    try:
        ask(session, conversation, "How many islands does lake 5 hold?")
    finally:
        stop()
    assert said == [True]
    assert client.last_prefill is not None, "read once the answer ended"
    done = client.wait_prefilled(client.last_prefill)
    assert done["finished"] and done["tokens"] > 500
