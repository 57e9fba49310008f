"""The documents of conversations as answers use them, without Qt: files attached and
read on the service's own threads (real PDFs, read in their own process as in the
app), the request built within the model's context, and the sources of answers kept
across a restart, id reuse and purges."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.documents import errors
from app.documents.answering import ConversationDocuments, DocumentsListener, Prepared
from app.documents.context import FULL, RETRIEVED
from app.documents.index import READY, Document, DocumentIndex
from app.engine.prompt import answer_reserve
from tests.documents.test_answer_sources import harbour

CONVERSATION, OTHER = 3, 4
HANG_LIMIT = 120  # seconds: only a hang reaches it; the tests wait for events


class Heard(DocumentsListener):
    """What the service told, as it told it (from its threads)."""

    def __init__(self) -> None:
        self.events: list[tuple[Any, ...]] = []
        self._changed = threading.Condition()

    def _add(self, *event: Any) -> None:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def attached(self, key: int, conversation_id: int, document: Document) -> None:
        self._add("attached", key, conversation_id, document)

    def attach_failed(self, key: int, reason: str, name: str, message: str) -> None:
        self._add("failed", key, reason, name, message)

    def progress(self, document_id: int, done: int, total: int, unit: str) -> None:
        self._add("progress", document_id, done, total, unit)

    def updated(self, document: Document) -> None:
        self._add("updated", document)

    def wait(self, what: str, match: Callable[[tuple[Any, ...]], bool]) -> tuple[Any, ...]:
        def found() -> tuple[Any, ...] | None:
            return next((e for e in self.events if e[0] == what and match(e)), None)

        with self._changed:
            assert self._changed.wait_for(lambda: found() is not None, HANG_LIMIT), \
                f"no {what} event came: {self.events}"
            event = found()
        assert event is not None
        return event

    def ready(self, name: str) -> Document:
        event = self.wait("updated", lambda e: e[1].name == name and e[1].status == READY)
        return event[1]


@pytest.fixture
def heard() -> Heard:
    return Heard()


@pytest.fixture
def documents(tmp_path: Path, heard: Heard) -> Iterator[ConversationDocuments]:
    service = ConversationDocuments(tmp_path / "documents.db", listener=heard)
    yield service
    service.close()


def attach(service: ConversationDocuments, heard: Heard, conversation_id: int,
           path: Path) -> Document:
    service.attach(conversation_id, [path])
    return heard.ready(path.name)


def question(text: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": text}]


def parts(path: Path, count: int = 20) -> Path:
    """Notes small enough to be given whole: one short section a boat."""
    path.write_text("".join(f"# Part {n}\n\nThe boat number {n} is painted blue.\n\n"
                            for n in range(1, count + 1)), encoding="utf-8")
    return path


def test_a_question_goes_out_with_the_passage_and_the_share_of_the_context(
        documents: ConversationDocuments, heard: Heard, tmp_path: Path) -> None:
    pdf = attach(documents, heard, CONVERSATION, harbour(tmp_path / "harbour.pdf", 300))
    assert any(e[0] == "progress" and e[1] == pdf.id and e[3] == 300 and e[4] == "page"
               for e in heard.events), "reading was told page by page"
    counted: list[list[str]] = []

    def count(texts: list[str]) -> list[int]:
        counted.append(texts)
        return [100 for _ in texts]

    prepared = documents.prepare(CONVERSATION, 11, question("Who logged the comet?"),
                                 "Be brief.", 8192, None, count=count)
    assert isinstance(prepared, Prepared)
    sent = prepared.messages[-1]["content"]
    assert "<documents>" in sent and "Oswin Tarrant" in sent
    assert sent.rstrip().endswith("Who logged the comet?")
    assert prepared.instructions.startswith("Be brief.")
    assert "Attached documents" in prepared.instructions
    assert prepared.context.mode == RETRIEVED  # 300 pages do not go whole into 8k
    assert counted == [["Who logged the comet?", "Be brief."]]
    assert prepared.history == 200 + 400 + 15  # the counts, the rules, one message
    assert prepared.answer == answer_reserve(8192, None)
    assert prepared.n_ctx == 8192
    assert 0 < prepared.documents == prepared.context.tokens
    assert prepared.documents + prepared.history + prepared.answer <= prepared.n_ctx
    # Counting failing (the worker restarting) estimates instead; nothing raises.
    def restarting(texts: list[str]) -> list[int]:
        raise ConnectionError("the worker is restarting")

    again = documents.prepare(CONVERSATION, 12, question("Who logged the comet?"), "",
                              8192, 2048, count=restarting)
    assert again is not None and again.answer == answer_reserve(8192, 2048)
    assert "Oswin Tarrant" in again.messages[-1]["content"]


def test_without_documents_or_with_a_broken_database_a_request_goes_as_it_is(
        documents: ConversationDocuments, heard: Heard, tmp_path: Path) -> None:
    attach(documents, heard, CONVERSATION, parts(tmp_path / "notes.md"))
    assert documents.prepare(OTHER, 5, question("Hello"), "", 8192, None) is None
    assert documents.prepare(CONVERSATION, 5, [], "", 8192, None) is None
    documents.index.close()  # the database gone under it: still no exception
    assert documents.prepare(CONVERSATION, 5, question("Hello"), "", 8192, None) is None


def test_an_answer_keeps_the_sources_it_cites_and_lists_them_after_a_restart(
        tmp_path: Path, heard: Heard) -> None:
    path = tmp_path / "documents.db"
    with_restart = ConversationDocuments(path, listener=heard)
    try:
        attach(with_restart, heard, CONVERSATION, parts(tmp_path / "notes.md"))
        prepared = with_restart.prepare(CONVERSATION, 21, question("What colour is boat 3?"),
                                        "", 8192, None)
        assert prepared is not None and prepared.context.mode == FULL
        assert len(prepared.context.sources) == 20  # every part went in whole
        listed = with_restart.answer_finished(21, "Boat 3 is blue [3].")
        assert listed is not None and [s.number for s in listed.sources] == [3]
        assert with_restart.sources(CONVERSATION, 21) == listed
    finally:
        with_restart.close()
    again = ConversationDocuments(path)  # Cove started again
    try:
        kept = again.sources(CONVERSATION, 21)
        assert kept is not None and [s.number for s in kept.sources] == [3]
        assert kept.sources[0].passage == listed.sources[0].passage
        assert again.sources(OTHER, 21) is None, "not under another conversation's answer"
        assert again.answer_finished(21, "Boat 3 is blue [3].") is None  # not this run's
    finally:
        again.close()


def test_an_answer_that_cites_nothing_lists_the_first_sources_and_not_found_is_kept(
        documents: ConversationDocuments, heard: Heard, tmp_path: Path) -> None:
    attach(documents, heard, CONVERSATION, harbour(tmp_path / "harbour.pdf", 300))
    documents.prepare(CONVERSATION, 31, question("Who logged the comet?"), "", 8192, None)
    listed = documents.answer_finished(31, "Oswin Tarrant.")
    assert listed is not None and 0 < len(listed.sources) <= 12
    documents.prepare(CONVERSATION, 32, question(
        "What is the boiling point of zirconium tetrachloride?"), "", 8192, None)
    missing = documents.answer_finished(32, "It is not in the documents.")
    assert missing is not None and not missing.found
    assert documents.sources(CONVERSATION, 32) == missing


def test_a_new_answer_under_a_deleted_answers_id_lists_nothing_of_it(
        tmp_path: Path, heard: Heard) -> None:
    path = tmp_path / "documents.db"
    documents = ConversationDocuments(path, listener=heard)
    try:
        attach(documents, heard, CONVERSATION, parts(tmp_path / "notes.md"))
        documents.prepare(CONVERSATION, 41, question("What colour is boat 3?"), "", 8192,
                          None)
        assert documents.answer_finished(41, "Blue [3].") is not None
        documents.answer_started(41)  # SQLite gave the deleted answer's id again
        assert documents.sources(CONVERSATION, 41) is None
        assert documents.answer_finished(41, "Hello there.") is None
    finally:
        documents.close()
    with ConversationDocuments(path) as again:
        assert again.sources(CONVERSATION, 41) is None


def test_conversations_forgotten_for_good_take_their_documents_and_sources(
        documents: ConversationDocuments, heard: Heard, tmp_path: Path) -> None:
    shared = harbour(tmp_path / "harbour.pdf", 12)
    own = parts(tmp_path / "notes.md")
    attach(documents, heard, CONVERSATION, shared)
    attach(documents, heard, CONVERSATION, own)
    documents.attach(OTHER, [shared])
    heard.wait("attached", lambda e: e[2] == OTHER)
    documents.prepare(CONVERSATION, 51, question("Who logged the comet?"), "", 8192, None)
    documents.answer_finished(51, "Oswin Tarrant [1].")
    documents.prepare(OTHER, 52, question("Who logged the comet?"), "", 8192, None)
    documents.answer_finished(52, "Oswin Tarrant [1].")
    documents.forget_conversations([CONVERSATION])
    assert documents.documents(CONVERSATION) == []
    assert documents.sources(CONVERSATION, 51) is None
    assert [d.name for d in documents.documents(OTHER)] == ["harbour.pdf"]
    assert documents.sources(OTHER, 52) is not None
    names = [r[0] for r in documents.index.query("SELECT name FROM documents")]
    assert names == ["harbour.pdf"], "notes.md had no other conversation"


def test_a_file_that_cannot_be_attached_is_reported_to_the_listener(
        documents: ConversationDocuments, heard: Heard, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    jobs = documents.attach(CONVERSATION, [tmp_path / "gone.pdf", empty])
    assert [job.path.name for job in jobs] == ["gone.pdf", "empty.txt"]
    assert all(job.key < 0 for job in jobs) and jobs[0].key != jobs[1].key
    gone = heard.wait("failed", lambda e: e[1] == jobs[0].key)
    assert gone[3] == "gone.pdf" and gone[2] == errors.MISSING
    assert "gone.pdf" in gone[4]
    blank = heard.wait("failed", lambda e: e[1] == jobs[1].key)
    assert blank[2:4] == (errors.EMPTY, "empty.txt")
    assert documents.documents(CONVERSATION) == []


def test_a_file_removed_while_it_is_attached_stays_out(
        documents: ConversationDocuments, heard: Heard, tmp_path: Path) -> None:
    first, second = parts(tmp_path / "first.md", 3), parts(tmp_path / "second.md", 4)
    index = documents.index
    real_attach = index.attach_file
    gate = threading.Event()
    threads: list[str] = []

    def slow_attach(*args: Any, **kwargs: Any) -> Any:  # hashing a large file
        threads.append(threading.current_thread().name)
        gate.wait(HANG_LIMIT)  # until the test has removed it
        return real_attach(*args, **kwargs)

    index.attach_file = slow_attach  # type: ignore[method-assign]
    jobs = documents.attach(CONVERSATION, [first, second])
    documents.remove(CONVERSATION, jobs[0].key)  # changed my mind
    gate.set()
    heard.ready("second.md")
    assert threads and threading.main_thread().name not in threads
    assert [d.name for d in documents.documents(CONVERSATION)] == ["second.md"]
    assert not any(e[0] == "attached" and e[1] == jobs[0].key for e in heard.events)
    # Removed by its key once attached (its news not yet shown): it goes too.
    documents.remove(CONVERSATION, jobs[1].key)
    assert documents.documents(CONVERSATION) == []


def test_documents_a_restart_left_half_read_are_read_on_start(
        tmp_path: Path, heard: Heard) -> None:
    path = tmp_path / "documents.db"
    with DocumentIndex(path) as index:
        document = index.attach_file(CONVERSATION, harbour(tmp_path / "harbour.pdf", 30))
        index.index(document.id, cancel=lambda: True)  # stopped after the first page
        assert index.document(document.id).status != READY
    documents = ConversationDocuments(path, listener=heard)
    try:
        assert heard.ready("harbour.pdf").units_done == 30
        shown = documents.open_conversation(CONVERSATION)
        assert [(d.name, d.status) for d in shown] == [("harbour.pdf", READY)]
    finally:
        documents.close()


def test_the_documents_live_beside_the_history_and_close_twice(tmp_path: Path) -> None:
    documents = ConversationDocuments.beside(tmp_path / "cove.db")
    assert documents.index.path == tmp_path / "documents.db"
    assert documents.embedding_model is None and documents.embeddings is None
    documents.set_answering(True)  # no embedding model: nothing to hold
    documents.close()
    documents.close()


def test_the_documents_service_needs_no_qt() -> None:
    code = ("import sys, app.documents.answering; "
            "assert 'PySide6' not in sys.modules, sorted(m for m in sys.modules "
            "if m.startswith('PySide6'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=HANG_LIMIT)
    assert result.returncode == 0, result.stderr
