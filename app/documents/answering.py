"""The documents of conversations, as answers use them: attached, read in the
background, put into the prompt within the model's context, and listed as sources under
each answer, also after a restart.

:class:`ConversationDocuments` is what the session uses (it implements
:class:`app.session.ports.AnswerDocuments`) and what the window's chips
(:class:`app.ui.chat.attachments.Attachments`) show; it has no Qt, so any front end can.
Files are attached off the calling thread (hashing a folder of large PDFs takes
seconds) and read one at a time on one indexing thread, then embedded when an embedding
model is on disk; every step is told to the :class:`DocumentsListener` objects added,
from those background threads.

One owner of attachments and sources
------------------------------------
The history (``cove.db``, :mod:`app.chats`) and the documents (``documents.db``, here)
stay two SQLite files, and this class owns every reference between them: which
documents a conversation has, and which sources an answer listed. Nobody else writes
those rows; the history tells this class what happened to its ids:
:meth:`ConversationDocuments.answer_started` when an answer gets an id (SQLite reuses
the id of a deleted last message, so an earlier answer's sources must go) and
:meth:`ConversationDocuments.forget_conversations` when conversations are purged (called
by the store's purge before it deletes them, so a failure keeps both).

Why two files with an API, not one file with foreign keys:

* The history is irreplaceable; the documents file is mostly derived data (passages,
  FTS5 index, vectors) that can be rebuilt from the files, and it is large. A damaged
  or deleted ``documents.db`` then costs the attachments' index, never a conversation,
  and ``cove.db`` stays small enough to back up and check quickly.
* Existing data folders open unchanged: no migration copying hundreds of megabytes of
  passages and vectors into the history on the first start of a new version (a step
  that would need its own crash and full-disk guarantees).
* SQLite cannot enforce a foreign key across two files anyway, and one file would only
  move the consistency question into one bigger schema; the cross-references are few
  (attachments, answer sources) and all go through the methods above.
* Encryption at rest (issue 17) keys both files the same way: one key from the keyring,
  two ``PRAGMA key`` calls; nothing here depends on the files being plain.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

from app.config.sqlcipher import Key
from app.documents import errors as doc_errors
from app.documents.background import DocumentsListener, IndexingThread, Listeners
from app.documents.chunking import estimate_tokens
from app.documents.context import FULL, NONE, RETRIEVED, Context, Source
from app.documents.embedding import EmbeddingWorker
from app.documents.errors import DocumentError
from app.documents.extract import supported_files
from app.documents.index import READY, Document, DocumentIndex
from app.documents.retrieve import Retriever
from app.engine.prompt import ChatMessage, answer_reserve

log = logging.getLogger(__name__)

FILE_NAME = "documents.db"  # beside the history's database, in the data folder
MAX_SOURCES = 12  # listed under an answer, and kept for it
# The document rules, the instructions' framing and the template's (about 15 tokens
# a message) that are not in the texts counted.
RULES_TOKENS = 400
FRAMING_TOKENS = 15

Count = Callable[[list[str]], list[int]]
# The engine's word on a conversation's known part (app.engine.client.EngineClient.probe
# with the tools offered): its tokens, how many need no evaluation, the prompt speed.
Probe = Callable[[list[dict[str, Any]], str], dict[str, Any]]
WAIT_LIMIT_S = 20.0  # reading whole documents longer than this first: passages instead
LEAST_PASSAGES = 300  # tokens of passages then given at least (else: what half the wait reads)


@dataclass(frozen=True)
class Prepared:
    """One request with the conversation's documents in it, and how the model's
    context was shared out (tokens; the session reports it as ``ContextShared``)."""

    messages: list[dict[str, str]]
    instructions: str
    context: Context
    documents: int  # the documents' block
    history: int  # the conversation, the instructions and the framing
    answer: int  # kept free for the answer (the worker keeps the same room)
    n_ctx: int


@dataclass(frozen=True)
class Attaching:
    """A file being attached: ``key`` (negative) names it until it has a document id."""

    key: int
    path: Path


class ConversationDocuments:
    """The documents of every conversation and the sources of every answer; see the
    module's docstring. Thread-safe: attach and answer from any thread."""

    def __init__(self, path: Path, isolate: bool = True,
                 find_embedding_model: Callable[[], Path | None] = lambda: None,
                 listener: DocumentsListener | None = None, key: Key | None = None
                 ) -> None:
        """``path``: the documents database (:meth:`beside` the history's);
        ``key``: the history's key (``ChatStore.key``): the file is encrypted with it,
        plain without one;
        ``isolate``: PDFs are read in a process of their own (a file that crashes PDFium
        costs a page, not Cove); ``find_embedding_model``: the embedding model on disk,
        if any (called on the indexing thread: it may read model headers);
        ``listener``: hears of the documents a restart left half-read from their first
        page on (one added later hears of them from then on)."""
        self.index = DocumentIndex(path, isolate=isolate, key=key)
        self.retriever = Retriever(self.index)
        self._listeners = Listeners()
        if listener is not None:
            self._listeners.add(listener)
        self._lock = threading.Lock()
        self._contexts: dict[int, tuple[int, Context]] = {}  # answer → conversation, context
        self._find_embedding_model = find_embedding_model
        self._embeddings: EmbeddingWorker | None = None
        self._embedding_checked = False
        self._answering = False
        self._open: int | None = None  # the conversation in use
        self._keys = itertools.count(-1, -1)  # files not (yet) in the index
        self._removed: set[int] = set()  # keys removed while being attached
        self._resolved: dict[int, int] = {}  # key → document id, once attached
        self._attachers: list[threading.Thread] = []
        self._closed = False
        self._indexing = IndexingThread(self.index, self._listeners, self._embedding_worker)
        for document in self.index.unfinished():  # resume what a restart interrupted
            self._indexing.add(document.id)

    @classmethod
    def beside(cls, history: Path, isolate: bool = True,
               listener: DocumentsListener | None = None, key: Key | None = None
               ) -> ConversationDocuments:
        """The documents of the history database ``history``: in the same folder,
        keyed with the history's ``key``."""
        return cls(Path(history).parent / FILE_NAME, isolate=isolate, listener=listener,
                   key=key)

    def add_listener(self, listener: DocumentsListener) -> None:
        self._listeners.add(listener)

    def remove_listener(self, listener: DocumentsListener) -> None:
        self._listeners.remove(listener)

    # -- the documents of a conversation --------------------------------------------------
    def documents(self, conversation_id: int) -> list[Document]:
        """Its attachments, in the order they were attached."""
        return self.index.documents(conversation_id)

    def document(self, document_id: int) -> Document:
        """One document as it is now; KeyError when it was removed."""
        return self.index.document(document_id)

    def has_documents(self, conversation_id: int) -> bool:
        return bool(self.index.documents(conversation_id))

    def open_conversation(self, conversation_id: int | None) -> list[Document]:
        """The conversation now in use (on screen): its documents. Ready ones still
        lacking vectors get them (an embedding model downloaded since), which also
        starts the embedding model for questions; :meth:`models_changed` looks again
        at this conversation's."""
        self._open = conversation_id
        if conversation_id is None:
            return []
        documents = self.index.documents(conversation_id)
        for document in documents:
            if document.status == READY:
                self._indexing.add(document.id)
        return documents

    @staticmethod
    def files(paths: Sequence[str | Path]) -> list[Path]:
        """The files ``paths`` name: a folder's are the files Cove can read in it."""
        files: list[Path] = []
        for raw in paths:
            path = Path(raw)
            files.extend(supported_files(path) if path.is_dir() else [path])
        return files

    def attach(self, conversation_id: int, paths: Sequence[str | Path]) -> list[Attaching]:
        """Attach files (a folder: the files Cove can read in it) to the conversation;
        returns them with their keys at once. Checking, hashing and adding them happens
        on a thread; each then is ``attached`` (and read) or ``attach_failed``, told to
        the listeners (possibly before this returns, on that thread)."""
        jobs = [Attaching(next(self._keys), path) for path in self.files(paths)]
        if not jobs or self._closed:
            return jobs
        thread = threading.Thread(target=self._attach_all, args=(conversation_id, jobs),
                                  name="cove-attach", daemon=True)
        self._attachers = [t for t in self._attachers if t.is_alive()] + [thread]
        thread.start()
        return jobs

    def _attach_all(self, conversation_id: int, jobs: list[Attaching]) -> None:
        """On the attach thread: add each file to the index and attach it."""
        for job in jobs:
            if self._closed:
                return
            try:
                document = self.index.attach_file(conversation_id, job.path)
            except DocumentError as exc:
                self._failed(job.key, exc.reason, job.path.name, str(exc))
            except OSError as exc:
                self._failed(job.key, "", job.path.name, exc.strerror or str(exc))
            except Exception:  # the thread must report every file
                if self._closed:
                    return
                log.exception("attaching %s failed", job.path)
                self._failed(job.key, doc_errors.CORRUPT, job.path.name, "")
            else:
                self._attached(job.key, conversation_id, document)

    def _attached(self, key: int, conversation_id: int, document: Document) -> None:
        with self._lock:
            removed = key in self._removed
            self._removed.discard(key)
            if not removed:
                self._resolved[key] = document.id
        if removed:  # taken off while it was being added
            self.index.detach(conversation_id, document.id)
            return
        self._listeners.attached(key, conversation_id, document)
        self._indexing.add(document.id)  # read it (or embed it, when it was read before)

    def _failed(self, key: int, reason: str, name: str, message: str) -> None:
        with self._lock:
            self._removed.discard(key)
        self._listeners.attach_failed(key, reason, name, message)

    def remove(self, conversation_id: int, document_id: int) -> None:
        """Take a document (or a file still being attached, by its key) off the
        conversation; its reading stops at the next page. The document itself goes
        when no conversation has it any more."""
        if document_id < 0:
            with self._lock:
                resolved = self._resolved.pop(document_id, None)
                if resolved is None:
                    self._removed.add(document_id)
                    return
            document_id = resolved
        self._indexing.cancel(document_id)
        self.index.detach(conversation_id, document_id)

    # -- the embedding model --------------------------------------------------------------
    def set_embedding_source(self, find: Callable[[], Path | None]) -> None:
        """Where the embedding model comes from (the library's, when one is on disk)."""
        self._find_embedding_model = find
        self._embedding_checked = False

    def models_changed(self) -> None:
        """A model was downloaded or deleted: look again for an embedding model and
        embed the open conversation's documents with it."""
        self._embedding_checked = False
        current = self._embeddings
        if current is not None and not current.model_path.is_file():
            # Deleted: stop using it now (its worker keeps the file mapped).
            self._drop_embeddings(wait=False)
        if self._open is not None:
            for document in self.index.documents(self._open):
                self._indexing.add(document.id)

    def release_model(self, path: str | Path) -> None:
        """``path`` is about to be deleted: if it is the embedding model, its worker
        ends now (it maps the file; Windows cannot delete a file in use)."""
        current = self._embeddings
        if current is not None and current.model_path == Path(path):
            self._embedding_checked = False
            self._drop_embeddings()

    @property
    def embedding_model(self) -> Path | None:
        """The embedding model in use (None: keyword search alone)."""
        current = self._embeddings
        return current.model_path if current is not None else None

    @property
    def embeddings(self) -> EmbeddingWorker | None:
        """The embedding model's worker, once the indexing thread has looked for one."""
        return self._embeddings

    def _embedding_worker(self) -> EmbeddingWorker | None:
        """On the indexing thread: the embedding worker, if an embedding model is on
        disk (not started yet: that happens when passages need it)."""
        if not self._embedding_checked:
            self._embedding_checked = True
            try:
                path = self._find_embedding_model()
            except Exception:
                log.exception("could not look for an embedding model")
                path = None
            current = self._embeddings
            if current is None or path is None or current.model_path != path or \
                    current.error is not None:
                self._drop_embeddings()
                if path is not None:
                    worker = EmbeddingWorker(path)
                    worker.hold(self._answering)
                    self._embeddings = worker
                    self.retriever.embedder = worker.questions()
        return self._embeddings

    def _drop_embeddings(self, wait: bool = True) -> None:
        """Stop using the embedding worker at once (keyword search alone) and end it,
        here or (``wait`` False) on a thread of its own."""
        current, self._embeddings = self._embeddings, None
        self.retriever.embedder = None
        if current is None:
            return
        if wait:
            current.close()
        else:
            threading.Thread(target=current.close, name="cove-embedding-close",
                             daemon=True).start()

    def set_answering(self, answering: bool) -> None:
        """While an answer is written, background embedding leaves the cores to it."""
        self._answering = answering
        embeddings = self._embeddings
        if embeddings is not None:
            embeddings.hold(answering)

    # -- answering ------------------------------------------------------------------------
    def prepare(self, conversation_id: int, answer_id: int,
                history: Sequence[dict[str, str]], instructions: str, n_ctx: int,
                max_tokens: int | None, count: Count | None = None,
                also: Sequence[str] = (), probe: Probe | None = None) -> Prepared | None:
        """On the engine thread: the messages and instructions for the answer
        ``answer_id`` with the conversation's documents in them; None when it has none
        or they cannot be searched (the request then goes as it is). Never raises.

        ``count`` gives exact token counts with the answering model's tokenizer; without
        it (a server) they are estimated on the high side. The context is kept for the
        answer, to list its sources under it (:meth:`answer_finished`). ``also``: other
        texts the prompt holds (the tools offered to the model), counted, not sent.
        ``probe`` (the local model's): documents that fit whole but would take longer
        than :data:`WAIT_LIMIT_S` to read first (not read ahead yet, :meth:`read_ahead`)
        give their best passages instead, and the context says so (``whole_seconds``)."""
        try:
            if not history or not self.has_documents(conversation_id):
                return None
            prepared = self._prepare(conversation_id, history, instructions, n_ctx,
                                     max_tokens, count, also, probe)
        except Exception:  # an answer without documents beats none
            log.exception("could not search the documents")
            return None
        if prepared is not None:
            self._keep(conversation_id, answer_id, prepared.context)
        return prepared

    def _prepare(self, conversation_id: int, history: Sequence[dict[str, str]],
                 instructions: str, n_ctx: int, max_tokens: int | None,
                 count: Count | None, also: Sequence[str] = (),
                 probe: Probe | None = None) -> Prepared | None:
        *earlier, last = history
        question = last["content"]
        used = self._used(history, [instructions, *also], count)
        reserve = answer_reserve(n_ctx, max_tokens)  # the worker keeps the same room
        budget = max(0, n_ctx - used - reserve)
        context = self.retriever.context(conversation_id, question, budget=budget)
        if context.mode == NONE:
            return None
        # Earlier answers' tool steps keep their fields (the call, the result's tool).
        turns = [cast(ChatMessage, dict(m)) for m in earlier]
        if context.mode == FULL and probe is not None:
            seconds, rate = _reading_time(probe, context, turns, instructions)
            if seconds > WAIT_LIMIT_S:  # the best passages now; whole once read ahead
                quick = max(LEAST_PASSAGES, int(rate * WAIT_LIMIT_S / 2))
                context = replace(self.retriever.context(
                    conversation_id, question, budget=min(budget, context.tokens - 1, quick)),
                    whole_seconds=round(seconds, 1))
        messages = [cast("dict[str, Any]", dict(m)) for m in context.messages(turns, question)]
        return Prepared(messages, context.with_instructions(instructions), context,
                        documents=context.tokens, history=used, answer=reserve, n_ctx=n_ctx)

    def read_ahead(self, conversation_id: int, history: Sequence[dict[str, Any]],
                   instructions: str, n_ctx: int, max_tokens: int | None,
                   count: Count | None = None, also: Sequence[str] = ()
                   ) -> tuple[list[dict[str, Any]], str] | None:
        """On the engine thread: what the model can read of the conversation before its
        next question (the question empty): the turns so far, the document rules and,
        when they fit, the documents whole, placed where :meth:`prepare` will place
        them. None when it has no documents (or they cannot be read). Never raises."""
        try:
            if not self.has_documents(conversation_id):
                return None
            asked = [*history, {"role": "user", "content": ""}]
            used = self._used(asked, [instructions, *also], count)
            budget = max(0, n_ctx - used - answer_reserve(n_ctx, max_tokens))
            context = self.retriever.context(conversation_id, "", budget=budget)
        except Exception:
            log.exception("could not read the documents ahead")
            return None
        if context.mode == NONE:
            return None
        turns = [cast(ChatMessage, dict(m)) for m in history]
        messages = context.messages(turns, "") if context.mode == FULL else \
            [*turns, ChatMessage(role="user", content="")]
        return ([cast("dict[str, Any]", dict(m)) for m in messages],
                context.with_instructions(instructions))

    @staticmethod
    def _used(history: Sequence[dict[str, str]], besides: Sequence[str],
              count: Count | None) -> int:
        """Tokens the conversation, what else the prompt holds (the instructions, the
        tools offered) and the framing take."""
        texts = [m["content"] for m in history] + list(besides)
        counts = None
        if count is not None:
            try:
                counts = count(texts)
            except Exception:  # e.g. the worker restarting: estimate instead
                log.warning("could not count tokens; estimating", exc_info=True)
        return sum(counts or (estimate_tokens(t) for t in texts)) + RULES_TOKENS + \
            FRAMING_TOKENS * len(history)

    def answer_started(self, answer_id: int) -> None:
        """A new answer has this id: nothing kept for an earlier one (SQLite reuses a
        deleted last message's id) shows under it."""
        with self._lock:
            self._contexts.pop(answer_id, None)
        self.index.forget_answer_sources(answer_id)

    def answer_finished(self, answer_id: int, answer: str) -> Context | None:
        """The answer ended with this text: what to list under it (the sources it
        cites, else the first ones), kept for later; None if it used no documents. Only
        those sources are kept, not every page of documents given whole."""
        with self._lock:
            kept = self._contexts.get(answer_id)
        if kept is None:
            return None
        conversation_id, context = kept
        shown = tuple((context.cited(answer) or list(context.sources))[:MAX_SOURCES])
        if shown != context.sources:
            context = replace(context, sources=shown)
            self._keep(conversation_id, answer_id, context)
        return context

    def add_sources(self, conversation_id: int, answer_id: int,
                    sources: Sequence[Source]) -> list[Source]:
        """Passages the answer found itself (the documents tool): numbered on from the
        answer's sources so far (a passage it already has keeps its number) and kept
        with them, so the answer's citations list them. Returns them as numbered."""
        with self._lock:
            kept = self._contexts.get(answer_id)
        base = kept[1] if kept is not None and kept[0] == conversation_id \
            else Context(RETRIEVED, "", (), True, 0)
        known = {(s.document_id, s.chunk_ids): s for s in base.sources}
        number = max((s.number for s in base.sources), default=0)
        out: list[Source] = []
        added: list[Source] = []
        for source in sources:
            same = known.get((source.document_id, source.chunk_ids))
            if same is None:
                number += 1
                same = replace(source, number=number)
                known[(source.document_id, source.chunk_ids)] = same
                added.append(same)
            out.append(same)
        if added:
            self._keep(conversation_id, answer_id,
                       replace(base, sources=(*base.sources, *added), found=True))
        return out

    def sources(self, conversation_id: int, answer_id: int) -> Context | None:
        """What the answer lists under it: this session's from memory, older ones from
        the database (only an answer of that conversation: ids are not reused across
        a purge)."""
        with self._lock:
            kept = self._contexts.get(answer_id)
        if kept is not None and kept[0] == conversation_id:
            return kept[1]
        return self.index.answer_sources(answer_id, conversation_id)

    def _keep(self, conversation_id: int, answer_id: int, context: Context) -> None:
        """In memory and in the database; if the database fails (it logs), the sources
        stay listed in this session."""
        with self._lock:
            self._contexts[answer_id] = (conversation_id, context)
        self.index.save_answer_sources(conversation_id, answer_id, context)

    def forget_conversations(self, conversation_ids: Sequence[int]) -> None:
        """Conversations deleted for good: their documents (one another conversation
        has stays) and sources go too; one being read stops at its next page. Raises
        if the database fails (the caller then keeps the conversations, to try again)."""
        for conversation_id in conversation_ids:
            self.index.forget_conversation(conversation_id)
            with self._lock:
                self._contexts = {a: kept for a, kept in self._contexts.items()
                                  if kept[0] != conversation_id}

    # -- closing --------------------------------------------------------------------------
    def __enter__(self) -> ConversationDocuments:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop reading and embedding (within a batch), end the embedding worker and
        close the database. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        embeddings = self._embeddings
        if embeddings is not None:
            embeddings.cancel()  # the indexing thread stops at its current batch
        self._indexing.close()
        for thread in self._attachers:  # at most the file being hashed
            thread.join(5)
        if embeddings is not None:
            embeddings.close()
        self.index.close()


def _reading_time(probe: Probe, context: Context, turns: list[ChatMessage],
                  instructions: str) -> tuple[float, float]:
    """Seconds the model would take to read what it does not know yet of the prompt
    with ``context``'s documents whole (0 when it cannot say), and its tokens per
    second."""
    known = [cast("dict[str, Any]", dict(m)) for m in context.messages(turns, "")]
    try:
        answer = probe(known, context.with_instructions(instructions))
    except Exception:  # e.g. the worker restarting: no reason to hold the documents back
        log.warning("could not ask the model what it knows", exc_info=True)
        return 0.0, 0.0
    rate = float(answer.get("tok_s") or 0)
    todo = float(answer.get("tokens") or 0) - float(answer.get("known") or 0)
    return (todo / rate if rate > 0 and todo > 0 else 0.0), rate
