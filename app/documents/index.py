"""The document index: files attached to conversations, their chunks, keyword index and
embeddings, in SQLite.

Indexing is a generator that stores one unit (a PDF page) per transaction and yields
progress after each: whoever runs it can show "page 41 of 300", stop between pages by
closing the generator, and run it again later, after a cancel, a crash or a restart, to
continue at page 42. Nothing is ever half-stored: a page's chunks and the count of
pages done are committed together.

A file is stored once, by content (sha256), however many conversations attach it;
removing the last attachment removes the document with its chunks and vectors.

One connection serves every thread, behind a lock held only for single statements or
one page's transaction; extraction and embedding run outside it, so the chat can
search while a long document is being read.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from types import TracebackType
from typing import Any

from app.config.sqlcipher import Key
from app.config.sqlcipher import driver as sqlite3
from app.documents import chunking, db, detect, errors
from app.documents.context import Context, Source
from app.documents.extract import PdfReader, open_document
from app.documents.units import Unit
from app.documents.vectors import Embedder, to_blob

log = logging.getLogger(__name__)

PENDING, INDEXING, READY, FAILED = "pending", "indexing", "ready", "failed"
READING, EMBEDDING = "reading", "embedding"


@dataclass(frozen=True)
class Document:
    """A stored document and how far its indexing has come."""

    id: int
    name: str
    path: str
    kind: str
    size: int
    sha256: str
    status: str
    units_total: int | None
    units_done: int
    empty_units: int
    chars: int
    tokens: int
    embedded: int
    error_reason: str | None
    error: str | None
    added_at: float
    indexed_at: float | None
    lost_units: int = 0  # pages the reader process crashed or hung on (kept empty)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Document:
        """From a ``documents`` row; a column a file of an older format lacks keeps its
        field's default."""
        columns = set(row.keys())
        return cls(**{name: row[name] for name in cls.__dataclass_fields__
                      if name in columns})

    @property
    def unit_name(self) -> str:
        """What a unit of this document is called: page, section or part."""
        if self.kind == detect.PDF:
            return "page"
        return "section" if self.kind in (detect.DOCX, detect.HTML, detect.MARKDOWN) \
            else "part"


@dataclass(frozen=True)
class Progress:
    """How far one document has come; ``total`` is None while unknown."""

    document_id: int
    name: str
    stage: str  # READING or EMBEDDING
    done: int
    total: int | None
    unit: str  # "page", "section", "part" or "passage"

    @property
    def fraction(self) -> float | None:
        return self.done / self.total if self.total else None

    @property
    def text(self) -> str:
        """English, for the command line and logs (the UI words its own, translated)."""
        verb = "Reading" if self.stage == READING else "Preparing search for"
        count = f"{self.unit} {self.done} of {self.total}" if self.total else f"{self.done}"
        return f"{verb} {self.name} — {count}"


class _Stopped(Exception):
    """The document was removed or reset while it was being indexed."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def default_path() -> Path:
    from app.config.paths import data_dir

    return data_dir() / "documents.db"


class DocumentIndex:
    """Documents, their attachments to conversations, chunks and vectors."""

    def __init__(self, path: Path | None = None, isolate: bool = False,
                 key: Key | None = None) -> None:
        """``isolate``: read PDFs in a process of their own (see ``isolated``), so a
        file that crashes PDFium costs a page, not the caller's process; ``key``: the
        file is encrypted with it (the history's key), plain without one."""
        self.isolate = isolate
        self.path = Path(path) if path is not None else default_path()
        self._db = db.connect(self.path, key)
        self._lock = threading.RLock()
        self._active: set[int] = set()

    # -- housekeeping ------------------------------------------------------------------
    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> DocumentIndex:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Rows of a read-only statement (for retrieval, which owns its own SQL)."""
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def _write(self, sql: str, params: Sequence[Any] = ()) -> int:
        with self._lock:
            return self._db.execute(sql, params).rowcount

    # -- documents and attachments -----------------------------------------------------
    def add(self, path: Path) -> Document:
        """Store ``path`` for indexing (or find it stored already, by content).

        Raises :class:`DocumentError` for what can be known without reading the whole
        file: a missing file, an unsupported type, an empty file, a password.
        """
        path = Path(path).expanduser().resolve()
        if path.is_dir():
            raise errors.unsupported(path.name, "a folder (its files can be added instead)")
        kind = detect.detect_kind(path)
        if kind == detect.PDF and not self.isolate:
            # A password or a damaged file shows up now; isolated, PDFium never runs
            # in this process: the reader process reports them when indexing starts.
            PdfReader(path).close()
        digest = sha256_file(path)
        found = self.query("SELECT * FROM documents WHERE sha256 = ?", (digest,))
        if found:
            return self._refresh(Document.from_row(found[0]), path)
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO documents (sha256, name, path, kind, size, added_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (digest, path.name, str(path), kind, path.stat().st_size, time.time()))
            document_id = cursor.lastrowid
        assert document_id is not None
        return self.document(document_id)

    def _refresh(self, document: Document, path: Path) -> Document:
        """The same content again, perhaps from a new place: remember where it is now,
        and give a document that failed for want of its file another try."""
        retry = document.status == FAILED and document.error_reason in (
            errors.MISSING, errors.CHANGED)
        self._write("UPDATE documents SET path = ?, name = ? WHERE id = ?",
                    (str(path), path.name, document.id))
        if retry:
            self._write("UPDATE documents SET status = ?, error = NULL, error_reason = NULL "
                        "WHERE id = ?", (PENDING, document.id))
        return self.document(document.id)

    def attach(self, conversation_id: int, document_id: int) -> None:
        self._write("INSERT OR IGNORE INTO attachments VALUES (?, ?, ?)",
                    (conversation_id, document_id, time.time()))

    def attach_file(self, conversation_id: int, path: Path) -> Document:
        """Add ``path`` and attach it to the conversation; index it afterwards."""
        document = self.add(path)
        self.attach(conversation_id, document.id)
        return document

    def detach(self, conversation_id: int, document_id: int) -> None:
        """Take a document off a conversation; the last one out removes it entirely."""
        with self._lock, db.transaction(self._db):
            self._db.execute(
                "DELETE FROM attachments WHERE conversation_id = ? AND document_id = ?",
                (conversation_id, document_id))
            self._db.execute(
                "DELETE FROM documents WHERE id = ? AND NOT EXISTS "
                "(SELECT 1 FROM attachments WHERE document_id = ?)",
                (document_id, document_id))

    def forget_conversation(self, conversation_id: int) -> None:
        """A conversation was deleted: detach everything it had, and forget the sources
        of its answers."""
        for document in self.documents(conversation_id):
            self.detach(conversation_id, document.id)
        self._write("DELETE FROM answer_sources WHERE conversation_id = ?",
                    (conversation_id,))

    def document(self, document_id: int) -> Document:
        rows = self.query("SELECT * FROM documents WHERE id = ?", (document_id,))
        if not rows:
            raise KeyError(document_id)
        return Document.from_row(rows[0])

    def documents(self, conversation_id: int) -> list[Document]:
        """The conversation's attachments, in the order they were attached."""
        rows = self.query(
            "SELECT d.* FROM documents d JOIN attachments a ON a.document_id = d.id "
            "WHERE a.conversation_id = ? ORDER BY a.added_at, d.id", (conversation_id,))
        return [Document.from_row(row) for row in rows]

    def unfinished(self) -> list[Document]:
        """Documents whose indexing has not completed: resume these after a restart."""
        rows = self.query("SELECT * FROM documents WHERE status IN (?, ?) ORDER BY id",
                          (PENDING, INDEXING))
        return [Document.from_row(row) for row in rows]

    def unit_texts(self, document_id: int) -> list[tuple[Unit, list[int]]]:
        """Each indexed unit's text put back together from its chunks, with the chunk
        ids (for a document small enough to be read whole)."""
        rows = self.query(
            "SELECT id, unit, page, heading, line, text FROM chunks WHERE document_id = ? "
            "ORDER BY seq", (document_id,))
        units: list[tuple[Unit, list[int]]] = []
        for row in rows:
            if units and units[-1][0].index == row["unit"]:
                unit, ids = units[-1]
                units[-1] = (Unit(unit.index, unit.text + row["text"], unit.page,
                                  unit.heading, unit.line), [*ids, row["id"]])
            else:
                units.append((Unit(row["unit"], row["text"], row["page"], row["heading"],
                                   row["line"]), [row["id"]]))
        return units

    # -- the sources of answers --------------------------------------------------------
    # The sources are a help beside an answer, never worth failing it: these methods
    # log a database error and carry on (the caller keeps the sources of this session
    # in memory), so no caller needs to know that SQLite is underneath.
    def save_answer_sources(self, conversation_id: int, message_id: int,
                            context: Context) -> bool:
        """Keep what the answer ``message_id`` lists under it (replacing what an earlier
        answer with the same id kept); False if the database failed. The block sent to
        the model is not kept: the passages are what the list shows."""
        try:
            self._write(
                "INSERT OR REPLACE INTO answer_sources (message_id, conversation_id, "
                "context, saved_at) VALUES (?, ?, ?, ?)",
                (message_id, conversation_id, context_to_json(context), time.time()))
        except sqlite3.Error:
            log.exception("could not save the sources of answer %s", message_id)
            return False
        return True

    def answer_sources(self, message_id: int,
                       conversation_id: int | None = None) -> Context | None:
        """What :meth:`save_answer_sources` kept for the answer (only if it belongs to
        ``conversation_id``, when given), as a :class:`Context` without its block; None
        if nothing was kept or what was kept (or the database) cannot be read."""
        try:
            rows = self.query("SELECT conversation_id, context FROM answer_sources "
                              "WHERE message_id = ?", (message_id,))
        except sqlite3.Error:
            log.exception("could not read the sources of answer %s", message_id)
            return None
        if not rows or conversation_id not in (None, rows[0]["conversation_id"]):
            return None
        try:
            return context_from_json(rows[0]["context"])
        except (ValueError, TypeError, KeyError):
            log.warning("the sources kept for answer %s cannot be read", message_id)
            return None

    def forget_answer_sources(self, message_id: int) -> bool:
        """A new answer begins under ``message_id``: what an earlier one kept goes;
        False if the database failed."""
        try:
            self._write("DELETE FROM answer_sources WHERE message_id = ?", (message_id,))
        except sqlite3.Error:
            log.exception("could not forget the sources of answer %s", message_id)
            return False
        return True

    # -- indexing ----------------------------------------------------------------------
    def index(
        self,
        document_id: int,
        progress: Callable[[Progress], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> Document:
        """Index (or finish indexing) a document; returns it as it then stands.

        ``cancel`` is asked after each page; a cancelled document keeps what was done
        and continues from there when indexed again.
        """
        _drive(self.indexing(document_id), progress, cancel)
        return self.document(document_id)

    def indexing(self, document_id: int) -> Generator[Progress, None, None]:
        """Read the document unit by unit, storing each; yields progress after each."""
        with self._lock:
            if document_id in self._active:
                raise RuntimeError(f"document {document_id} is already being indexed")
            self._active.add(document_id)
        try:
            document = self._start(document_id)
            if document.status == READY:
                return
            yield from self._read(document)
            self._finish(document_id)
        except _Stopped:
            return
        finally:
            with self._lock:
                self._active.discard(document_id)

    def _start(self, document_id: int) -> Document:
        """Check the file is still the one attached and drop any half-stored page."""
        document = self.document(document_id)
        if document.status == READY:
            return document
        path = Path(document.path)
        if not path.is_file():
            raise self._fail(document_id, errors.missing(document.name))
        if sha256_file(path) != document.sha256:
            raise self._fail(document_id, errors.changed(document.name))
        with self._lock, db.transaction(self._db):
            self._db.execute("DELETE FROM chunks WHERE document_id = ? AND unit >= ?",
                             (document_id, document.units_done))
            self._db.execute("UPDATE documents SET status = ?, error = NULL, "
                             "error_reason = NULL WHERE id = ?", (INDEXING, document_id))
        return self.document(document_id)

    def _read(self, document: Document) -> Generator[Progress, None, None]:
        try:
            with open_document(Path(document.path), isolate=self.isolate) as reader:
                total = reader.total
                self._write("UPDATE documents SET units_total = ? WHERE id = ?",
                            (total, document.id))
                yield self._progress(document, document.units_done, total)
                seq = self._next_seq(document.id)
                for unit in reader.units(start=document.units_done):
                    seq = self._store_unit(document.id, unit, seq)
                    yield self._progress(document, unit.index + 1, total)
                lost = int(getattr(reader, "failures", 0))
                if lost:  # kept as pages without text; the user is told on the chip
                    self._write("UPDATE documents SET lost_units = lost_units + ? "
                                "WHERE id = ?", (lost, document.id))
        except errors.DocumentError as exc:
            raise self._fail(document.id, exc) from None
        except _Stopped:
            raise
        except sqlite3.Error as exc:  # the disk, not the document: resumable, not failed
            log.exception("storing %s failed", document.path)
            raise errors.storage(document.name, str(exc)) from exc
        except Exception as exc:
            log.exception("indexing %s failed", document.path)
            raise self._fail(document.id, errors.corrupt(document.name)) from exc

    def _progress(self, document: Document, done: int, total: int | None) -> Progress:
        return Progress(document.id, document.name, READING, done, total, document.unit_name)

    def _next_seq(self, document_id: int) -> int:
        rows = self.query("SELECT coalesce(max(seq) + 1, 0) FROM chunks WHERE document_id = ?",
                          (document_id,))
        return int(rows[0][0])

    def _store_unit(self, document_id: int, unit: Unit, seq: int) -> int:
        """One unit's chunks and the count of units done, in one transaction."""
        pieces = chunking.split(unit.text)
        rows = []
        for offset, piece in enumerate(pieces):
            line = unit.line + unit.text.count("\n", 0, piece.start) if unit.line else None
            rows.append((document_id, seq + offset, unit.index, unit.page, unit.heading, line,
                         piece.start, piece.end, chunking.estimate_tokens(piece.text),
                         piece.text))
        chars = len(unit.text) if unit.text.strip() else 0
        with self._lock, db.transaction(self._db):
            updated = self._db.execute(
                "UPDATE documents SET units_done = ?, chars = chars + ?, tokens = tokens + ?, "
                "empty_units = empty_units + ? WHERE id = ? AND status = ?",
                (unit.index + 1, chars, sum(r[8] for r in rows), 0 if chars else 1,
                 document_id, INDEXING)).rowcount
            if not updated:
                raise _Stopped
            self._db.executemany(
                'INSERT INTO chunks (document_id, seq, unit, page, heading, line, start, "end", '
                "tokens, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        return seq + len(rows)

    def _finish(self, document_id: int) -> None:
        document = self.document(document_id)
        if document.chars == 0:
            exc = errors.no_text(document.name) if document.kind == detect.PDF \
                else errors.empty(document.name)
            raise self._fail(document_id, exc)
        self._write("UPDATE documents SET status = ?, indexed_at = ? WHERE id = ? AND status = ?",
                    (READY, time.time(), document_id, INDEXING))

    def _fail(self, document_id: int, exc: errors.DocumentError) -> errors.DocumentError:
        """Record why a document cannot be indexed (its chip shows it) and return the
        error for raising."""
        self._write("UPDATE documents SET status = ?, error_reason = ?, error = ? WHERE id = ?",
                    (FAILED, exc.reason, str(exc), document_id))
        return exc

    # -- embeddings --------------------------------------------------------------------
    def embed(
        self,
        document_id: int,
        embedder: Embedder,
        progress: Callable[[Progress], None] | None = None,
        cancel: Callable[[], bool] | None = None,
        batch_size: int = 16,
    ) -> int:
        """Embed the document's chunks that have no vector from this model yet; returns
        how many were embedded. Resumable like indexing."""
        last = _drive(self.embedding(document_id, embedder, batch_size), progress, cancel)
        return last.done if last is not None else 0

    def embedding(self, document_id: int, embedder: Embedder,
                  batch_size: int = 16) -> Generator[Progress, None, None]:
        """Embed missing vectors a batch at a time, yielding progress after each."""
        document = self.document(document_id)
        missing = ("FROM chunks c WHERE c.document_id = ? AND NOT EXISTS (SELECT 1 FROM "
                   "embeddings e WHERE e.chunk_id = c.id AND e.model = ?)")
        total = self.query(f"SELECT count(*) {missing}", (document_id, embedder.name))[0][0]
        done = 0
        while True:
            rows = self.query(f"SELECT c.id, c.heading, c.text {missing} ORDER BY c.seq "
                              "LIMIT ?", (document_id, embedder.name, batch_size))
            if not rows:
                return
            vectors = embedder.passages(
                [f"{r['heading']}\n{r['text']}" if r["heading"] else r["text"] for r in rows])
            with self._lock, db.transaction(self._db):
                self._db.executemany(
                    "INSERT OR IGNORE INTO embeddings (chunk_id, model, vector) "
                    "SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM chunks WHERE id = ?)",
                    [(r["id"], embedder.name, to_blob(v), r["id"])
                     for r, v in zip(rows, vectors)])
                self._db.execute("UPDATE documents SET embedded = embedded + ? WHERE id = ?",
                                 (len(rows), document_id))
            done += len(rows)
            yield Progress(document_id, document.name, EMBEDDING, done, total, "passage")


# -- a context as JSON (for the sources of answers) ------------------------------------
def context_to_json(context: Context) -> str:
    """The context without its block (which can be large and is not shown)."""
    return json.dumps({
        "mode": context.mode,
        "found": context.found,
        "notes": list(context.notes),
        "sources": [asdict(source) for source in context.sources],
    }, ensure_ascii=False)


def context_from_json(text: str) -> Context:
    """A context saved by :func:`context_to_json`, with an empty block and no tokens;
    raises ValueError, TypeError or KeyError for what it did not write."""
    data = json.loads(text)
    names = [field.name for field in fields(Source)]
    sources = tuple(
        Source(**{**{name: item[name] for name in names},
                  "chunk_ids": tuple(item["chunk_ids"])})
        for item in data["sources"])
    return Context(str(data["mode"]), "", sources, bool(data["found"]), 0,
                   tuple(str(note) for note in data["notes"]))


def _drive(steps: Generator[Progress, None, None],
           progress: Callable[[Progress], None] | None,
           cancel: Callable[[], bool] | None) -> Progress | None:
    """Run a resumable job's steps (indexing, embedding): report each, stop after the
    step at which ``cancel()`` says so, and close the generator either way (so its
    ``finally`` saves where it got to). Returns the last step (None: there was none)."""
    last = None
    try:
        for step in steps:
            last = step
            if progress is not None:
                progress(step)
            if cancel is not None and cancel():
                break
    finally:
        steps.close()
    return last
