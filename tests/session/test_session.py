"""The conversation session without Qt: the real worker with gemma (plain answers) and
the scripted gpt-oss (reasoning), a real history file, the command line's engine."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.chats.store import ChatStore
from app.engine.client import EngineClient
from app.session import events
from app.session.direct import DirectEngine
from app.session.service import AnswerOptions, Session


class Recorder:
    """Every event a session emits, in order; optionally acts on some (``on``)."""

    def __init__(self) -> None:
        self.events: list[events.Event] = []
        self.on: dict[type, Any] = {}

    def __call__(self, event: events.Event) -> None:
        self.events.append(event)
        action = self.on.get(type(event))
        if action is not None:
            action(event)

    def of(self, kind: type) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ChatStore]:
    with ChatStore(tmp_path / "cove.db") as s:
        yield s


def session_for(store: ChatStore, engine: EngineClient, **options: Any) -> tuple[Session, Recorder]:
    session = Session(store, DirectEngine(engine),
                      options=lambda: AnswerOptions(**({"max_tokens": 24} | options)))
    recorder = Recorder()
    session.subscribe(recorder)
    return session, recorder


def test_a_sent_message_and_its_answer_are_saved(store: ChatStore, gemma_engine: Any) -> None:
    session, seen = session_for(store, gemma_engine)
    question = session.send(None, "The capital of France is", "low")
    assert question is not None
    conv = question.conversation_id
    started = seen.of(events.AnswerStarted)
    finished = seen.of(events.AnswerFinished)
    assert len(started) == 1 and len(finished) == 1
    assert started[0].conversation_id == conv and started[0].question_id == question.id
    assert started[0].place == (1, 1) and started[0].reasons is False  # gemma: no harmony
    done = finished[0]
    assert done.status in ("complete", "interrupted") and done.error is None
    streamed = "".join(e.text for e in seen.of(events.AnswerAdded))
    assert streamed and done.saved is not None and done.saved.content == streamed
    # The history holds both, in order, and the conversation got its title.
    path = store.path(conv)
    assert [m.role for m in path] == ["user", "assistant"]
    assert path[1].content == streamed and path[1].status == done.status
    assert path[1].model == gemma_engine.info["name"] and path[1].effort == "low"
    assert store.conversation(conv).title.startswith("The capital of France")
    assert seen.of(events.ConversationsChanged), "the list was told, not refreshed by hand"
    assert not session.generating


def test_the_next_question_carries_the_conversation(store: ChatStore, gemma_engine: Any) -> None:
    session, seen = session_for(store, gemma_engine)
    first = session.send(None, "Remember the word pineapple.")
    assert first is not None
    second = session.send(first.conversation_id, "Which word?")
    assert second is not None and second.conversation_id == first.conversation_id
    assert second.parent_id == seen.of(events.AnswerFinished)[0].answer_id
    assert [m.role for m in store.path(first.conversation_id)] == \
        ["user", "assistant", "user", "assistant"]


def test_stop_keeps_what_was_written_marked_stopped(store: ChatStore, gemma_engine: Any) -> None:
    session, seen = session_for(store, gemma_engine, max_tokens=400)
    seen.on[events.AnswerAdded] = lambda _e: session.stop()
    question = session.send(None, "Write a long story about the sea.")
    assert question is not None
    done = seen.of(events.AnswerFinished)[0]
    assert done.status == "stopped"
    added = "".join(e.text for e in seen.of(events.AnswerAdded))
    assert done.saved is not None and done.saved.content == added
    assert len(seen.of(events.AnswerAdded)) < 50, "it stopped soon after Stop"


def test_regenerate_keeps_the_first_answer_as_a_sibling(store: ChatStore,
                                                        gemma_engine: Any) -> None:
    session, seen = session_for(store, gemma_engine)
    question = session.send(None, "Name a colour:", "high")
    assert question is not None
    first = seen.of(events.AnswerFinished)[0].answer_id
    assert session.regenerate(first)
    again = seen.of(events.AnswerStarted)[-1]
    assert again.question_id == question.id and again.place == (2, 2)
    siblings = store.siblings(first)
    assert [s.id for s in siblings] == [first, again.answer_id]
    assert store.message(again.answer_id).effort == "high", "asked as the first was"
    # Going back to the first answer shows its branch.
    assert session.sibling(again.answer_id, -1) is not None
    assert store.path(question.conversation_id)[-1].id == first


def test_edit_and_resend_makes_a_branch(store: ChatStore, gemma_engine: Any) -> None:
    session, seen = session_for(store, gemma_engine)
    question = session.send(None, "Say hello.")
    assert question is not None
    edited = session.edit_and_resend(question.id, "Say goodbye.")
    assert edited is not None and edited.id != question.id
    assert any(isinstance(e, events.ConversationChanged) for e in seen.events)
    path = store.path(question.conversation_id)
    assert [m.content for m in path if m.role == "user"] == ["Say goodbye."]
    assert len(seen.of(events.AnswerFinished)) == 2


def test_one_answer_at_a_time(store: ChatStore, gemma_engine: Any) -> None:
    session, seen = session_for(store, gemma_engine)
    tried: list[Any] = []
    seen.on[events.AnswerStarted] = lambda e: tried.append(
        session.send(e.conversation_id, "another"))
    session.send(None, "Count: one, two,")
    assert tried == [None], "a second message waits for the first answer"
    assert len(seen.of(events.AnswerStarted)) == 1


def test_reasoning_is_saved_apart_from_the_answer(store: ChatStore,
                                                  scripted_gpt_oss_path: Path,
                                                  engine_factory: Any) -> None:
    engine = engine_factory()
    engine.load(scripted_gpt_oss_path, n_ctx=512)
    # The scripted model reasons "x" forever: a generous limit, so that "Answer now"
    # (sent while the worker runs ahead of this thread) is honoured before it.
    session, seen = session_for(store, engine, max_tokens=1000)
    asked: list[bool] = []

    def answer_now(event: events.ReasoningAdded) -> None:
        if not asked and len("".join(e.text for e in seen.of(events.ReasoningAdded))) >= 5:
            asked.append(True)
            session.answer_now()

    seen.on[events.ReasoningAdded] = answer_now
    session.send(None, "Hi", "medium")
    started = seen.of(events.AnswerStarted)[0]
    assert started.reasons and started.can_answer_now
    done = seen.of(events.AnswerFinished)[0]
    assert done.saved is not None
    reasoning = "".join(e.text for e in seen.of(events.ReasoningAdded))
    answer = "".join(e.text for e in seen.of(events.AnswerAdded))
    assert reasoning and set(reasoning) == {"x"} and done.saved.reasoning == reasoning
    assert answer and done.saved.content == answer, "Answer now: the final answer followed"
    assert "<|" not in done.saved.content + done.saved.reasoning


def test_a_crashed_worker_keeps_the_partial_answer_and_is_restarted(
        store: ChatStore, gemma_path: Path, engine_factory: Any) -> None:
    engine = engine_factory()
    engine.load(gemma_path, n_ctx=1024, seed=1)
    session, seen = session_for(store, engine, max_tokens=300)

    def kill(_e: events.AnswerAdded) -> None:
        if len(seen.of(events.AnswerAdded)) == 3 and engine.pid is not None:
            os.kill(engine.pid, signal.SIGKILL)

    seen.on[events.AnswerAdded] = kill
    question = session.send(None, "Tell me about rivers.")
    assert question is not None
    done = seen.of(events.AnswerFinished)[0]
    assert done.status == "interrupted" and done.error_code == "worker_crashed"
    assert done.saved is not None and done.saved.content  # what came before the kill
    # The session restarted the worker with its model: the next message is answered.
    assert engine.alive and engine.info
    seen.on.clear()
    session.send(question.conversation_id, "And lakes?")
    assert seen.of(events.AnswerFinished)[-1].status in ("complete", "interrupted")
    assert seen.of(events.AnswerFinished)[-1].error is None


def test_no_model_is_an_error_answer_not_a_crash(store: ChatStore,
                                                 engine_factory: Any) -> None:
    engine = engine_factory()  # started, nothing loaded
    session, seen = session_for(store, engine)
    question = session.send(None, "Hello?")
    assert question is not None
    done = seen.of(events.AnswerFinished)[0]
    assert done.status == "error" and done.error_code == "not_loaded"
    assert store.message(question.id).content == "Hello?", "the question is kept"


def test_deleting_the_conversation_being_answered_stops_it_first(
        store: ChatStore, gemma_engine: Any) -> None:
    session, seen = session_for(store, gemma_engine, max_tokens=400)
    results: list[bool] = []
    seen.on[events.AnswerAdded] = lambda e: results.append(
        session.delete_conversation(seen.of(events.AnswerStarted)[0].conversation_id)) \
        if not results else None
    question = session.send(None, "Write a poem about snow.")
    assert question is not None
    assert results == [False]
    assert seen.of(events.AnswerFinished)[0].status == "stopped"
    assert session.delete_conversation(question.conversation_id)
    assert question.conversation_id not in [c.id for c in store.conversations()]
    session.undo_delete(question.conversation_id)
    assert question.conversation_id in [c.id for c in store.conversations()]


def test_close_mid_answer_saves_it_stopped(store: ChatStore, gemma_engine: Any) -> None:
    session, seen = session_for(store, gemma_engine, max_tokens=400)
    closed: list[bool] = []

    def close(_e: events.AnswerAdded) -> None:
        if not closed:
            closed.append(True)
            session.close()

    seen.on[events.AnswerAdded] = close
    question = session.send(None, "Describe a forest.")
    assert question is not None
    answer = store.path(question.conversation_id)[-1]
    assert answer.role == "assistant" and answer.status == "stopped"
    assert len(seen.of(events.AnswerFinished)) == 1, "finished once, the tail ignored"


def test_the_session_imports_no_qt() -> None:
    code = ("import sys, app.session.service, app.session.direct; "
            "print('PySide6' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parents[2])
    assert out.stdout.strip() == "False"


def test_documents_go_into_the_answer_and_their_sources_are_kept(
        store: ChatStore, gemma_engine: Any, tmp_path: Path) -> None:
    """The session's documents step with the real documents service: searched on the
    engine's side, counted with the model's tokenizer, the share reported, the sources
    kept for the answer and found again by a new service on the same file (a restart)."""
    from app.documents.answering import ConversationDocuments

    text = tmp_path / "harbour.txt"
    text.write_text("The harbour log of 1843.\n\nOn the night of 12 March the keeper, "
                    "Ada Pellow, logged a bright comet over the north pier.\n\n"
                    "Fish prices rose that spring.\n", encoding="utf-8")
    documents = ConversationDocuments.beside(store.db_path, isolate=False)
    try:
        session = Session(store, DirectEngine(gemma_engine), documents,
                          options=lambda: AnswerOptions(max_tokens=16))
        seen = Recorder()
        session.subscribe(seen)
        conv = session.create_conversation()
        document = documents.index.attach_file(conv.id, text)
        documents.index.index(document.id)
        session.send(conv.id, "Who logged the comet?")
        shared = seen.of(events.ContextShared)
        assert len(shared) == 1 and shared[0].documents > 0
        assert shared[0].n_ctx == gemma_engine.info["n_ctx"]
        assert shared[0].documents + shared[0].history + shared[0].answer <= shared[0].n_ctx
        done = seen.of(events.AnswerFinished)[0]
        assert done.sources is not None
        assert [s.file for s in done.sources.sources] == ["harbour.txt"]
        answer_id = done.answer_id
    finally:
        documents.close()
    again = ConversationDocuments.beside(store.db_path, isolate=False)
    try:
        kept = again.sources(conv.id, answer_id)
        assert kept is not None and [s.file for s in kept.sources] == ["harbour.txt"]
        assert again.sources(conv.id + 1, answer_id) is None, "another conversation's"
    finally:
        again.close()
