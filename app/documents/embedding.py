"""The embedding model in its own llama.cpp worker process.

Document search works with keywords alone; an embedding model adds search by meaning.
:class:`EmbeddingWorker` runs one (a GGUF such as Qwen3-Embedding, loaded with
``EngineClient.load(..., embedding=True)``) in a worker process of its own, so a crash
or an out-of-memory abort in it never touches the window or the chat model, and it is
started only when documents need it.

Two threads use it: the indexing thread embeds passages a few at a time, and a
question embeds itself on the GUI thread. They share one worker through a lock; a
question waits at most :data:`QUERY_WAIT` seconds for it, and indexing steps aside
between batches while a question waits. A question that cannot be embedded in time
is answered with keyword search (the retriever falls back; see ``retrieve``).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from app.documents.vectors import Embedder
from app.engine import protocol
from app.engine.client import EngineClient, EngineError

QUERY_WAIT = 3.0  # seconds a question waits for the worker before keywords answer alone
PASSAGE_BATCH = 4  # passages per request: a question never waits long behind indexing

# What each model family expects before a question and before a passage (their model
# cards), matched against the file name, lower case; unknown models get none.
# ``similarity``: across languages (a question in another language than the passages),
# the cosine similarity above which the nearest passage counts as an answer, since the
# keywords cannot judge there; None leaves it to the keywords. ``margin``: in the same
# language, a question whose keywords were partly found counts as answered when the
# best passage by meaning is also the best by keywords and leads the next passage by
# this much; None turns that off. multilingual-e5-small's figures are measured on the
# tests' language sets (tests/documents/test_multilingual.py, bench/languages.py):
# there an English question's best German passage scores 0.78-0.88 when it answers,
# 0.72-0.75 when the question is about something else; within one language, questions
# the documents cannot answer score as high as those they answer (up to 0.91), so
# similarity alone never decides there. Qwen3-Embedding's 0.6 is taken from the
# similarity ranges its users report for relevant and unrelated pairs with the
# instruction, not measured here (the model cannot be downloaded on the build machines).
_QWEN3_QUERY = ("Instruct: Given a question, retrieve passages from the user's "
                "documents that answer it\nQuery: ")
_BGE_QUERY = "Represent this sentence for searching relevant passages: "


class Family(NamedTuple):
    key: str
    query: str
    passage: str
    similarity: float | None = None
    margin: float | None = None

    def embedder(self, name: str, embed: Callable[[list[str]], Sequence[Sequence[float]]]
                 ) -> Embedder:
        """An :class:`Embedder` of this family that embeds with ``embed``."""
        return Embedder(name, embed, query_prefix=self.query, passage_prefix=self.passage,
                        relevant_similarity=self.similarity, distinct_margin=self.margin)


PROMPTS: tuple[Family, ...] = (
    Family("qwen3-embedding", _QWEN3_QUERY, "", 0.6),
    Family("multilingual-e5", "query: ", "passage: ", 0.77, 0.015),
    Family("e5", "query: ", "passage: "),
    Family("nomic-embed", "search_query: ", "search_document: "),
    Family("embeddinggemma", "task: search result | query: ", "title: none | text: "),
    Family("mxbai-embed", _BGE_QUERY, ""),
    Family("bge-", _BGE_QUERY, ""),
)
UNKNOWN = Family("", "", "")


def default_threads() -> int:
    """A quarter of the cores, at least one and at most four."""
    return max(1, min(4, (os.cpu_count() or 1) // 4))


def _own_log() -> EngineClient:
    """The embedding worker's client, logging apart from the chat model's worker."""
    from app.config import paths

    return EngineClient(log_path=paths.log_dir() / "embedding-worker.log")


class EmbeddingBusy(RuntimeError):
    """The worker is busy or not started yet; the caller uses keywords alone."""


def prompts_for(model_path: Path) -> tuple[str, str]:
    """The query and passage prefixes for a model, from its file name."""
    family = family_of(model_path)
    return family.query, family.passage


def family_of(model_path: Path) -> Family:
    """The model's family, from its file name."""
    name = model_path.name.lower()
    return next((family for family in PROMPTS if family.key in name), UNKNOWN)


class EmbeddingWorker:
    """One embedding model in a worker process, started when first needed.

    ``client_factory`` makes the :class:`EngineClient` (tests pass one with a log path).
    """

    def __init__(self, model_path: Path,
                 client_factory: Callable[[], EngineClient] | None = None,
                 n_threads: int | None = None) -> None:
        self.model_path = Path(model_path)
        self.name = self.model_path.name
        self.family = family_of(self.model_path)
        self._factory = client_factory or _own_log
        # Few threads: it shares the cores with the chat model (whose llama.cpp threads
        # spin while they wait), and indexing in the background may take its time.
        self._n_threads = n_threads or default_threads()
        self._hold = threading.Event()  # set while an answer is being written
        self._client: EngineClient | None = None
        self._lock = threading.Lock()
        self._questions = 0  # questions waiting: indexing lets them go first
        self._questions_lock = threading.Lock()
        self._closed = False
        self.info: dict[str, Any] = {}
        self.error: str | None = None  # why the model could not be loaded, for the user

    # -- embedders ------------------------------------------------------------------------
    def passages(self) -> Embedder:
        """For indexing: waits for the worker (and starts it)."""
        return self.family.embedder(self.name, self._embed_passages)

    def questions(self) -> Embedder:
        """For a question on the GUI thread: never starts the worker, never waits long;
        raises :class:`EmbeddingBusy` instead (keyword search then answers alone)."""
        return self.family.embedder(self.name, self._embed_question)

    @property
    def ready(self) -> bool:
        """Loaded and able to answer a question at once."""
        client = self._client
        return client is not None and client.alive and bool(self.info)

    # -- the worker -----------------------------------------------------------------------
    def start(self) -> None:
        """Start the worker and load the model (on a background thread: seconds)."""
        with self._lock:
            self._ensure()

    def hold(self, held: bool) -> None:
        """While held (an answer is being written), indexing waits between batches, so
        the chat model has the cores; questions are still embedded."""
        if held:
            self._hold.set()
        else:
            self._hold.clear()

    def _ensure(self) -> EngineClient:
        if self._closed:
            raise EngineError("The embedding model was closed.", protocol.CANCELLED)
        client = self._client
        if client is not None and client.alive and self.info:
            return client
        if self.error is not None:  # a model that failed to load is not tried again
            raise EngineError(self.error, protocol.LOAD_FAILED)
        if client is not None:
            client.close()
        self._client = None
        self.info = {}
        client = self._factory()
        try:
            self.info = client.load(self.model_path, embedding=True, n_threads=self._n_threads)
        except Exception as exc:
            client.close()
            self.info = {}
            if isinstance(exc, EngineError) and exc.code == protocol.LOAD_FAILED:
                self.error = str(exc)  # the file itself: not tried again
            raise
        if self._closed:  # closed while it loaded: nobody would close it later
            client.close()
            self.info = {}
            raise EngineError("The embedding model was closed.", protocol.CANCELLED)
        self.error = None
        self._client = client
        return client

    def _embed_passages(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = []
        for start in range(0, len(texts), PASSAGE_BATCH):
            while (self._questions or self._hold.is_set()) and not self._closed:
                time.sleep(0.01)  # a question waits, or an answer is being written
            if self._closed:
                raise EngineError("The embedding model was closed.", protocol.CANCELLED)
            with self._lock:
                vectors += self._request(texts[start:start + PASSAGE_BATCH])
        return vectors

    def _embed_question(self, texts: list[str]) -> list[list[float]]:
        if not self.ready:
            raise EmbeddingBusy("the embedding model is not loaded")
        with self._questions_lock:
            self._questions += 1
        try:
            if not self._lock.acquire(timeout=QUERY_WAIT):
                raise EmbeddingBusy("the embedding model is busy")
        finally:
            with self._questions_lock:
                self._questions -= 1
        try:
            return self._request(texts, may_start=False)
        finally:
            self._lock.release()

    def _request(self, texts: Sequence[str], may_start: bool = True) -> list[list[float]]:
        """Under the lock: one embed request; a crashed worker is started again once
        (not for a question: starting takes seconds)."""
        for attempt in (1, 2):
            if not may_start and not self.ready:
                raise EmbeddingBusy("the embedding model is not loaded")
            client = self._ensure()
            try:
                return client.embed(texts)
            except EngineError as exc:
                if exc.code != protocol.WORKER_CRASHED or attempt == 2:
                    raise
                self.info = {}
        raise AssertionError("unreachable")

    def cancel(self) -> None:
        """Stop the request under way (thread-safe)."""
        client = self._client
        if client is not None:
            with contextlib.suppress(Exception):
                client.cancel()

    def close(self) -> None:
        """Stop and end the worker. If another thread still holds it after a few
        seconds (a load under way), its process is killed instead of closed, so two
        threads never talk to it at once; a load that ends later closes itself."""
        self._closed = True
        with contextlib.suppress(Exception):
            self.cancel()
        acquired = self._lock.acquire(timeout=5)
        try:
            client = self._client
            if acquired:
                self._client = None
                if client is not None:
                    with contextlib.suppress(Exception):
                        client.close()
            elif client is not None and client.pid is not None:
                with contextlib.suppress(OSError):
                    os.kill(client.pid, signal.SIGTERM)
        finally:
            if acquired:
                self._lock.release()
