"""Documents read and embedded in the background: one indexing thread, and the
listeners that hear of its progress (from that thread: each hands the news to its own,
as the window's chips do through Qt's queued signals)."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from app.documents.embedding import EmbeddingWorker
from app.documents.errors import DocumentError
from app.documents.index import READY, Document, DocumentIndex
from app.engine import protocol
from app.engine.client import EngineError

log = logging.getLogger(__name__)


class DocumentsListener:
    """News of the documents, called from background threads (the attach thread, the
    indexing thread): a listener hands it to its own thread. Override what you need."""

    def attached(self, key: int, conversation_id: int, document: Document) -> None:
        """The file ``key`` is attached as ``document`` (and is being read)."""

    def attach_failed(self, key: int, reason: str, name: str, message: str) -> None:
        """The file ``key`` (``name``) could not be attached: ``reason`` is one of
        :mod:`app.documents.errors` (or "" for an OS error said in ``message``)."""

    def progress(self, document_id: int, done: int, total: int, unit: str) -> None:
        """Reading: ``done`` of ``total`` units (0: not known yet) of ``unit``."""

    def embedding(self, document_id: int, done: int, total: int) -> None:
        """Readable by its words; ``done`` of ``total`` passages embedded."""

    def updated(self, document: Document) -> None:
        """Reading or embedding ended (ready, failed or stopped): its state now."""


class Listeners(DocumentsListener):
    """Tells every listener added; one that raises does not stop the others."""

    def __init__(self) -> None:
        self._all: list[DocumentsListener] = []

    def add(self, listener: DocumentsListener) -> None:
        self._all = [*self._all, listener]

    def remove(self, listener: DocumentsListener) -> None:
        self._all = [each for each in self._all if each is not listener]

    def _each(self, call: Callable[[DocumentsListener], None]) -> None:
        for listener in self._all:
            try:
                call(listener)
            except Exception:
                log.exception("a documents listener failed")

    def attached(self, key: int, conversation_id: int, document: Document) -> None:
        self._each(lambda each: each.attached(key, conversation_id, document))

    def attach_failed(self, key: int, reason: str, name: str, message: str) -> None:
        self._each(lambda each: each.attach_failed(key, reason, name, message))

    def progress(self, document_id: int, done: int, total: int, unit: str) -> None:
        self._each(lambda each: each.progress(document_id, done, total, unit))

    def embedding(self, document_id: int, done: int, total: int) -> None:
        self._each(lambda each: each.embedding(document_id, done, total))

    def updated(self, document: Document) -> None:
        self._each(lambda each: each.updated(document))


class IndexingThread:
    """One thread that reads documents in turn, then embeds their passages when an
    embedding model is on disk (``embeddings`` gives its worker, or None); cancel stops
    one between pages or batches."""

    def __init__(self, index: DocumentIndex, listener: DocumentsListener,
                 embeddings: Callable[[], EmbeddingWorker | None]) -> None:
        self.index = index
        self._listener = listener
        self._embeddings = embeddings
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._cancelled: set[int] = set()
        self._queued: set[int] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cove-documents", daemon=True)
        self._thread.start()

    def add(self, document_id: int) -> None:
        with self._lock:
            self._cancelled.discard(document_id)
            if document_id in self._queued:
                return
            self._queued.add(document_id)
        self._queue.put(document_id)

    def cancel(self, document_id: int) -> None:
        with self._lock:
            self._cancelled.add(document_id)

    def close(self) -> None:
        self._stop.set()
        self._queue.put(None)
        self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.is_set():
            document_id = self._queue.get()
            if document_id is None:
                return
            with self._lock:
                self._queued.discard(document_id)

            def cancelled(d: int = document_id) -> bool:
                with self._lock:
                    return self._stop.is_set() or d in self._cancelled

            if cancelled():
                continue
            self._read(document_id, cancelled)
            self._tell(document_id)
            if self._embed(document_id, cancelled) is not None:
                self._tell(document_id)  # the chip leaves its embedding progress, always

    def _read(self, document_id: int, cancelled: Callable[[], bool]) -> None:
        try:
            self.index.index(
                document_id,
                progress=lambda p: self._listener.progress(p.document_id, p.done,
                                                           p.total or 0, p.unit),
                cancel=cancelled)
        except DocumentError:
            pass  # recorded on the document; the listener reads it there
        except KeyError:
            pass  # removed before it was read
        except Exception:  # the thread must not die
            log.exception("indexing document %s failed", document_id)

    def _tell(self, document_id: int) -> None:
        if self._stop.is_set():
            return
        try:
            document = self.index.document(document_id)
        except KeyError:
            return  # removed meanwhile
        except Exception:  # the database closing under a late thread
            log.debug("document %s could not be read back", document_id, exc_info=True)
            return
        self._listener.updated(document)

    def _embed(self, document_id: int, cancelled: Callable[[], bool]) -> int | None:
        """Embed what the document lacks (keyword search works meanwhile); how many
        passages were embedded, or None when there was nothing to do or try."""
        try:
            worker = self._embeddings()
            if worker is None or cancelled() or self.index.document(document_id).status != READY:
                return None
            done = self.index.embed(
                document_id, worker.passages(),
                progress=lambda p: self._listener.embedding(p.document_id, p.done,
                                                            p.total or 0),
                cancel=cancelled)
            if not worker.ready and not cancelled():
                worker.start()  # questions are embedded too, once it runs
            return done
        except KeyError:
            return None  # removed meanwhile
        except EngineError as exc:
            if exc.code != protocol.CANCELLED:  # keyword search still answers
                log.warning("embedding document %s failed: %s", document_id, exc)
            return 0
        except Exception:  # keyword search still answers; the reason is in the log
            log.exception("embedding document %s failed", document_id)
            return 0
