"""Documents attached to a conversation: their chips above the message box, their
indexing on a background thread, and what an answer about them shows underneath.

:class:`Attachments` joins the window to :mod:`app.documents`. Files dropped on the
chat or chosen with the attach button are attached to the conversation on screen (it is
created when there is none yet) and indexed one at a time on a worker thread, never the
GUI thread: each chip shows "Reading report.pdf — page 41 of 300", can be removed (which
stops its indexing), and shows in words why a file cannot be read. Documents left
half-read by a restart are resumed when the window opens.

When the conversation has documents, :meth:`Attachments.prepare` builds the messages
and instructions for the engine with :class:`Retriever`; when the answer ends,
:meth:`Attachments.answer_finished` lists its sources under it (click one to read the
passage and open the file, a PDF at its page), or says that the documents do not contain
the answer. What an answer lists is kept in the documents database, so it is listed
again when the conversation is opened after a restart.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QDropEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.documents import Context, Document, DocumentError, DocumentIndex, Retriever, Source
from app.documents import errors as doc_errors
from app.documents.chunking import estimate_tokens
from app.documents.context import NONE, RETRIEVED
from app.documents.embedding import EmbeddingWorker
from app.documents.extract import supported_files
from app.documents.index import FAILED, PENDING, READY
from app.engine import protocol
from app.engine.client import EngineError
from app.engine.prompt import ChatMessage, answer_reserve
from app.ui.plain import plain_box, plain_label, tooltip

log = logging.getLogger(__name__)

MAX_SOURCES = 12  # listed under an answer


class _IndexWorker:
    """One thread that indexes documents in turn, then embeds their passages when an
    embedding model is on disk (``embeddings`` gives its worker, or None); cancel stops
    one between pages or batches."""

    def __init__(self, index: DocumentIndex,
                 progress: Callable[[int, int, int], None],
                 done: Callable[[int], None],
                 embeddings: Callable[[], EmbeddingWorker | None] = lambda: None,
                 embedding_progress: Callable[[int, int, int], None] = lambda *_: None
                 ) -> None:
        self.index = index
        self._progress = progress
        self._done = done
        self._embeddings = embeddings
        self._embedding_progress = embedding_progress
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
            try:
                self.index.index(
                    document_id,
                    progress=lambda p: self._progress(p.document_id, p.done, p.total or 0),
                    cancel=cancelled)
            except DocumentError:
                pass  # recorded on the document; its chip shows it
            except KeyError:
                pass  # removed before it was read
            except Exception:  # a worker thread must not die
                log.exception("indexing document %s failed", document_id)
            if not self._stop.is_set():
                self._done(document_id)
            if self._embed(document_id, cancelled) is not None and not self._stop.is_set():
                self._done(document_id)  # the chip leaves its embedding progress, always

    def _embed(self, document_id: int, cancelled: Callable[[], bool]) -> int | None:
        """Embed what the document lacks (keyword search works meanwhile); how many
        passages were embedded, or None when there was nothing to do or try."""
        try:
            worker = self._embeddings()
            if worker is None or cancelled() or self.index.document(document_id).status != READY:
                return None
            done = self.index.embed(
                document_id, worker.passages(),
                progress=lambda p: self._embedding_progress(p.document_id, p.done,
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


class _Signals(QObject):
    """Carries the worker thread's news to the GUI thread (queued connections)."""

    progress = Signal(int, int, int)
    embedding = Signal(int, int, int)
    done = Signal(int)
    meter = Signal(int, int, int, int)
    attached = Signal(int, int, int)  # chip key, conversation id, document id
    attach_failed = Signal(int, str, str, str)  # chip key, reason, file name, message


class AttachmentChip(QFrame):
    """One attached file: its name and state, a progress bar while it is read, and a
    button that removes it.

    Signals:
        remove_requested(int): the document id.
    """

    remove_requested = Signal(int)

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentChip")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.document_id = document.id
        self.name = document.name
        self.status = document.status
        self.label = plain_label(QLabel(self))
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QProgressBar(self)
        self.bar.setMaximumHeight(4)
        self.bar.setTextVisible(False)
        self.remove_button = QToolButton(self)
        self.remove_button.setText("×")
        remove = self.tr("Remove %1").replace("%1", document.name)
        self.remove_button.setToolTip(tooltip(remove))
        self.remove_button.setAccessibleName(remove)
        self.remove_button.clicked.connect(
            lambda: self.remove_requested.emit(self.document_id))
        text = QVBoxLayout()
        text.setContentsMargins(0, 0, 0, 0)
        text.setSpacing(2)
        text.addWidget(self.label)
        text.addWidget(self.bar)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 4, 4)
        row.addLayout(text, 1)
        row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        self.update_from(document)

    def update_from(self, document: Document) -> None:
        self.status = document.status
        if document.status == FAILED:
            self.set_error(error_text(document.error_reason, document.name,
                                      document.error))
        elif document.status == READY and document.lost_units:
            self.bar.hide()
            self.label.setText(self.tr("%1 — %2 pages could not be read; the rest can be "
                                       "asked about").replace("%1", document.name)
                               .replace("%2", str(document.lost_units)))
            self.label.setToolTip(self.tr(
                "The PDF reader stopped on these pages (the file may be damaged there). "
                "Cove kept them as pages without text."))
        elif document.status == READY:
            self.bar.hide()
            self.label.setText(document.name)
            self.label.setToolTip(tooltip(self.tr("%1 is ready: ask about it.")
                                          .replace("%1", document.name)))
        else:
            self.set_progress(document.units_done, document.units_total or 0,
                              document.unit_name)

    def set_progress(self, done: int, total: int, unit: str) -> None:
        self.bar.show()
        self.bar.setRange(0, total or 0)
        if total:
            self.bar.setValue(done)
        self.label.setText(progress_text(self.name, done, total, unit))

    def set_embedding(self, done: int, total: int) -> None:
        """Read and searchable by its words; its passages' meaning is being indexed."""
        self.bar.show()
        self.bar.setRange(0, total or 0)
        if total:
            self.bar.setValue(done)
        self.label.setText(
            self.tr("%1 — ready; learning what its passages mean: %2 of %3")
            .replace("%1", self.name).replace("%2", str(done)).replace("%3", str(total)))
        self.label.setToolTip(self.tr(
            "You can ask about it already: Cove finds passages by their words now, and "
            "also by their meaning once this is done."))

    def set_error(self, text: str) -> None:
        self.status = FAILED
        self.bar.hide()
        self.setProperty("error", True)
        self.label.setText(text)
        self.label.setToolTip(tooltip(text))


class _ElidedButton(QPushButton):
    """A flat button whose one line of text ends in "…" where the column ends (the
    full text is its accessible name and, with the passage, its tooltip)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.full_text = text
        self.setAccessibleName(text)
        self.setMinimumWidth(40)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        room = max(20, self.width() - 12)
        self.setText(self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight,
                                                   room))


class SourcesView(QWidget):
    """Under an answer: the passages it drew on (file, page, a line of the passage),
    or that the documents do not hold the answer."""

    def __init__(self, context: Context, answer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sources")
        self.context = context
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.buttons: list[QPushButton] = []
        self.not_found: QLabel | None = None
        self.still_reading: QLabel | None = None
        if context.mode == RETRIEVED and not context.found:
            self.not_found = QLabel(self.tr("Not found in your documents"), self)
            self.not_found.setProperty("muted", True)
            layout.addWidget(self.not_found)
        if context.notes:
            self.still_reading = QLabel(self.tr(
                "Some documents were still being read: only what was read so far was "
                "searched."), self)
            self.still_reading.setWordWrap(True)
            self.still_reading.setProperty("muted", True)
            layout.addWidget(self.still_reading)
        sources = context.cited(answer) or list(context.sources)
        if sources:
            title = QLabel(self.tr("Sources"), self)
            title.setProperty("muted", True)
            layout.addWidget(title)
        for source in sources[:MAX_SOURCES]:
            button = _ElidedButton(source_label(source), self)
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setToolTip(tooltip(source.passage[:400]))
            button.setStyleSheet("text-align: left;")
            button.clicked.connect(lambda _=False, s=source: self.show_passage(s))
            layout.addWidget(button)
            self.buttons.append(button)
        self.dialog: QMessageBox | None = None
        self.notice: QMessageBox | None = None  # what "Open file" had to say, if anything

    def show_passage(self, source: Source) -> QMessageBox:
        box = plain_box(QMessageBox(self))
        box.setWindowTitle(source_label(source, passage=False))
        box.setText(source.passage)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        open_button = box.addButton(self.tr("Open file"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        open_button.clicked.connect(lambda: self.open_source(source))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.dialog = box
        return box

    def open_source(self, source: Source) -> QMessageBox | None:
        """Open the source's file in the app the system has for it; when there is none
        (or the file is gone), say so instead of doing nothing, and offer its folder.
        Returns the message shown, if one was."""
        path = Path(source.path)
        if not path.is_file():
            return self._say(self.tr("The file is not there any more"), self.tr(
                "%1 was moved or deleted. The passage Cove used is still shown here.")
                .replace("%1", str(path)), None)
        if QDesktopServices.openUrl(source_url(source)):
            return None
        return self._say(self.tr("No app to open this file"), self.tr(
            "This computer has no app set to open %1. Install one (a PDF reader, a word "
            "processor), or open the file from its folder.").replace("%1", path.name),
            path)

    def _say(self, title: str, text: str, folder_of: Path | None) -> QMessageBox:
        box = plain_box(QMessageBox(self))
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(title)
        box.setText(text)
        if folder_of is not None:
            show = box.addButton(self.tr("Show in folder"), QMessageBox.ButtonRole.ActionRole)
            show.clicked.connect(lambda: self._show_in_folder(folder_of))
        box.addButton(QMessageBox.StandardButton.Close)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.notice = box
        return box

    def _show_in_folder(self, path: Path) -> None:
        """The file's folder in the file manager; failing that, where it is, in words."""
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))):
            self._say(self.tr("The folder could not be opened"), self.tr(
                "The file is %1").replace("%1", str(path)), None)


@dataclass
class Prepared:
    """What :meth:`Attachments.prepare` gives the window for one answer."""

    messages: list[dict[str, str]]
    instructions: str
    context: Context


class Attachments(QObject):
    """The documents of the conversation on screen; see the module's docstring.

    ``ensure_conversation`` returns the conversation on screen, creating it if needed
    (None if it could not be created).
    """

    def __init__(self, path: Path, ensure_conversation: Callable[[], int | None],
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.index = DocumentIndex(path, isolate=True)  # PDFium runs in its own process
        self.retriever = Retriever(self.index)
        self.ensure_conversation = ensure_conversation
        self.conversation_id: int | None = None
        self.bar = QWidget(parent)
        self.bar.setObjectName("attachments")
        self._chips_layout = QVBoxLayout(self.bar)
        self._chips_layout.setContentsMargins(0, 0, 0, 4)
        self._chips_layout.setSpacing(4)
        self.meter = QLabel(self.bar)
        self.meter.setProperty("muted", True)
        self.meter.hide()
        self._chips_layout.addWidget(self.meter)
        self.chips: dict[int, AttachmentChip] = {}
        self.bar.hide()
        self._contexts: dict[int, tuple[int, Context]] = {}  # answer → conversation, context
        self._signals = _Signals(self)
        self._signals.progress.connect(self._on_progress)
        self._signals.embedding.connect(self._on_embedding)
        self._signals.meter.connect(self.show_meter)
        self._signals.done.connect(self._on_done)
        # The embedding model: found on the indexing thread (reading the models' headers
        # takes a moment), started when documents need it.
        self._find_embedding_model: Callable[[], Path | None] = lambda: None
        self._embeddings: EmbeddingWorker | None = None
        self._embedding_checked = False
        self._answering = False
        self._worker = _IndexWorker(self.index, self._signals.progress.emit,
                                    self._signals.done.emit, self._embedding_worker,
                                    self._signals.embedding.emit)
        self._closed = False
        self._keys = itertools.count(-1, -1)  # chips of files not (yet) in the index
        self._removed: set[int] = set()  # their chips removed while being added
        self._attachers: list[threading.Thread] = []
        self._signals.attached.connect(self._on_attached)
        self._signals.attach_failed.connect(self._on_attach_failed)
        for document in self.index.unfinished():  # resume what a restart interrupted
            self._worker.add(document.id)

    # -- the embedding model --------------------------------------------------------------
    def set_embedding_source(self, find: Callable[[], Path | None]) -> None:
        """Where the embedding model comes from (the library's, when one is on disk)."""
        self._find_embedding_model = find
        self._embedding_checked = False

    def models_changed(self) -> None:
        """A model was downloaded or deleted: look again for an embedding model and
        embed the documents on screen with it."""
        self._embedding_checked = False
        current = self._embeddings
        if current is not None and not current.model_path.is_file():
            # Deleted: stop using it now (its worker keeps the file mapped).
            self._drop_embeddings(wait=False)
        if self.conversation_id is not None:
            for document in self.index.documents(self.conversation_id):
                self._worker.add(document.id)

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
                    self._embeddings = EmbeddingWorker(path)
                    self._embeddings.hold(self._answering)
                    self.retriever.embedder = self._embeddings.questions()
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

    def release_model(self, path: str) -> None:
        """``path`` is about to be deleted: if it is the embedding model, its worker
        ends now (it maps the file; Windows cannot delete a file in use)."""
        current = self._embeddings
        if current is not None and current.model_path == Path(path):
            self._embedding_checked = False
            self._drop_embeddings()

    def set_answering(self, answering: bool) -> None:
        """While an answer is written, background embedding leaves the cores to it."""
        self._answering = answering
        embeddings = self._embeddings
        if embeddings is not None:
            embeddings.hold(answering)

    @property
    def embedding_model(self) -> Path | None:
        """The embedding model in use (None: keyword search alone)."""
        return self._embeddings.model_path if self._embeddings is not None else None

    def hook(self, composer: Any, chat: Any, load_model: Callable[[str], Any]) -> None:
        """Chips above the message box; files dropped on it or on the chat, and the
        attach button, attach documents (GGUF files still load as models)."""
        composer.layout().insertWidget(0, self.bar)
        composer.input.attaches = True
        composer.input.files_dropped.connect(self.attach_paths)
        composer.attach_requested.connect(self.choose_files)
        viewport = chat.viewport()
        viewport.setAcceptDrops(True)
        self._drop_filter = DropFilter(self.attach_paths, load_model, self)
        viewport.installEventFilter(self._drop_filter)

    # -- attaching ----------------------------------------------------------------------
    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self.bar, self.tr("Attach documents"), "",
            self.tr("Documents (*.pdf *.docx *.txt *.md *.html *.htm *.csv *.py *.json);;"
                    "All files (*)"))
        if paths:
            self.attach_paths(paths)

    def attach_paths(self, paths: Sequence[str | Path]) -> int:
        """Attach files (a folder: its files) to the conversation on screen, creating
        it if needed; returns how many files are being attached.

        Each file gets its chip at once; checking and hashing the files happens on a
        thread (a folder of large PDFs would otherwise freeze the window), and a file
        that cannot be attached says why on its chip."""
        files: list[Path] = []
        for raw in paths:
            path = Path(raw)
            files.extend(supported_files(path) if path.is_dir() else [path])
        if not files:
            return 0
        conversation_id = self.ensure_conversation()
        if conversation_id is None:
            return 0
        self.show_conversation(conversation_id)
        jobs = []
        for path in files:
            key = next(self._keys)
            placeholder = Document(key, path.name, str(path), "", 0, "", PENDING, None, 0,
                                   0, 0, 0, 0, None, None, 0.0, None)
            self._chip(placeholder)
            jobs.append((key, path))
        self._update_bar()
        thread = threading.Thread(target=self._attach_all, args=(conversation_id, jobs),
                                  name="cove-attach", daemon=True)
        self._attachers = [t for t in self._attachers if t.is_alive()] + [thread]
        thread.start()
        return len(files)

    def _attach_all(self, conversation_id: int, jobs: list[tuple[int, Path]]) -> None:
        """On the attach thread: add each file to the index and attach it."""
        for key, path in jobs:
            if self._closed:
                return
            try:
                document = self.index.attach_file(conversation_id, path)
            except DocumentError as exc:
                self._signals.attach_failed.emit(key, exc.reason, path.name, str(exc))
            except OSError as exc:
                self._signals.attach_failed.emit(key, "", path.name,
                                                 exc.strerror or str(exc))
            except Exception:  # the thread must report every file
                if self._closed:
                    return
                log.exception("attaching %s failed", path)
                self._signals.attach_failed.emit(key, doc_errors.CORRUPT, path.name, "")
            else:
                self._signals.attached.emit(key, conversation_id, document.id)

    def _on_attached(self, key: int, conversation_id: int, document_id: int) -> None:
        """A file is attached: its chip becomes the document's, and it is read."""
        if self._closed:
            return
        if key in self._removed:  # its chip was removed while it was being added
            self._removed.discard(key)
            self.index.detach(conversation_id, document_id)
            return
        try:
            document = self.index.document(document_id)
        except KeyError:
            return
        chip = self.chips.pop(key, None)
        if chip is not None:
            if document_id in self.chips:  # the same file twice
                chip.deleteLater()
            else:
                chip.document_id = document_id
                self.chips[document_id] = chip
                chip.update_from(document)
        self._update_bar()
        self._worker.add(document_id)  # read it (or embed it, when it was read before)

    def _on_attach_failed(self, key: int, reason: str, name: str, message: str) -> None:
        self._removed.discard(key)
        chip = self.chips.get(key)
        if chip is not None and not self._closed:
            chip.set_error(error_text(reason or None, name, message or None))

    def remove(self, document_id: int) -> None:
        chip = self.chips.pop(document_id, None)
        if chip is not None:
            if document_id < 0 and chip.status == PENDING:  # still being added
                self._removed.add(document_id)
            chip.deleteLater()
        if document_id >= 0 and self.conversation_id is not None:
            self._worker.cancel(document_id)
            self.index.detach(self.conversation_id, document_id)
        self._update_bar()

    # -- the conversation on screen -----------------------------------------------------
    def show_conversation(self, conversation_id: int | None) -> None:
        if conversation_id == self.conversation_id and conversation_id is not None:
            return
        self.conversation_id = conversation_id
        for chip in self.chips.values():
            chip.deleteLater()
        self.chips.clear()
        self.meter.hide()
        if conversation_id is not None:
            for document in self.index.documents(conversation_id):
                self._chip(document)
                # Ready documents still lacking vectors get them (an embedding model
                # downloaded since), and the embedding model starts for questions.
                if document.status == READY:
                    self._worker.add(document.id)
        self._update_bar()

    def has_documents(self, conversation_id: int) -> bool:
        return bool(self.index.documents(conversation_id))

    def _chip(self, document: Document) -> AttachmentChip:
        chip = self.chips.get(document.id)
        if chip is None:
            chip = AttachmentChip(document, self.bar)
            chip.remove_requested.connect(self.remove)
            self._chips_layout.insertWidget(self._chips_layout.count() - 1, chip)
            self.chips[document.id] = chip
        else:
            chip.update_from(document)
        return chip

    def _update_bar(self) -> None:
        self.bar.setVisible(bool(self.chips))

    def _on_progress(self, document_id: int, done: int, total: int) -> None:
        chip = self.chips.get(document_id)
        if chip is None or self._closed:
            return
        try:
            unit = self.index.document(document_id).unit_name
        except KeyError:
            return
        chip.set_progress(done, total, unit)

    def _on_embedding(self, document_id: int, done: int, total: int) -> None:
        chip = self.chips.get(document_id)
        if chip is not None:
            chip.set_embedding(done, total)

    def _on_done(self, document_id: int) -> None:
        chip = self.chips.get(document_id)
        if chip is None or self._closed:  # news that arrived after the window closed
            return
        with contextlib.suppress(KeyError):
            chip.update_from(self.index.document(document_id))

    # -- answering ----------------------------------------------------------------------
    def prepare(self, conversation_id: int, message_id: int,
                history: Sequence[dict[str, str]], instructions: str,
                model_info: dict[str, Any], max_tokens: int | None,
                count: Callable[[list[str]], list[int]] | None = None) -> Prepared | None:
        """The messages and instructions for the answer ``message_id`` when the
        conversation has documents; None when it has none or they cannot be searched
        (the window then sends as usual).

        Runs on the engine thread (never touches a widget: the context meter is updated
        through a signal). ``count`` gives exact token counts from the local model's
        tokenizer; without it (a server) they are estimated on the high side.

        The context is kept for the answer (in memory and in the documents database) to
        list its sources under it (the window calls :meth:`forget_answer` when an answer
        starts, so one without documents shows nothing an earlier answer with the same
        id kept: SQLite reuses the id of a deleted last message).
        """
        if not history or not self.has_documents(conversation_id):
            return None
        n_ctx = int(model_info.get("n_ctx") or 8192)
        try:
            prepared = self._prepare(conversation_id, history, instructions, n_ctx,
                                     max_tokens, count)
        except Exception:  # an answer without documents beats none
            log.exception("could not search the documents")
            return None
        if prepared is not None:
            self._keep(conversation_id, message_id, prepared.context)
        return prepared

    def _prepare(self, conversation_id: int, history: Sequence[dict[str, str]],
                 instructions: str, n_ctx: int, max_tokens: int | None,
                 count: Callable[[list[str]], list[int]] | None = None) -> Prepared | None:
        *earlier, last = history
        question = last["content"]
        texts = [m["content"] for m in history] + [instructions]
        counts = None
        if count is not None:
            try:
                counts = count(texts)
            except Exception:  # e.g. the worker restarting: estimate instead
                log.warning("could not count tokens; estimating", exc_info=True)
        # The conversation, the instructions, the document rules and the template's
        # framing (about 15 tokens a message).
        used = sum(counts or (estimate_tokens(t) for t in texts)) + 400 + 15 * len(history)
        reserve = answer_reserve(n_ctx, max_tokens)  # the worker keeps the same room
        budget = max(0, n_ctx - used - reserve)
        context = self.retriever.context(conversation_id, question, budget=budget)
        if context.mode == NONE:
            return None
        turns = [ChatMessage(role=m["role"], content=m["content"]) for m in earlier]
        messages = [{"role": str(m["role"]), "content": str(m["content"])}
                    for m in context.messages(turns, question)]
        self._signals.meter.emit(context.tokens, used, reserve, n_ctx)
        return Prepared(messages, context.with_instructions(instructions), context)

    def answer_finished(self, message_id: int, widget: Any,
                        answer: str | None = None) -> SourcesView | None:
        """Lists the sources under a finished answer (``widget`` None: not on screen;
        ``answer`` is its text then).

        The database keeps only the sources the list shows (those cited, else the
        first), not every page of documents given whole.
        """
        kept = self._contexts.get(message_id)
        text = widget.answer if widget is not None else answer
        if kept is not None and text is not None:
            conversation_id, context = kept
            shown = tuple((context.cited(text) or list(context.sources))[:MAX_SOURCES])
            if shown != context.sources:
                self._save(conversation_id, message_id, replace(context, sources=shown))
        return self.show_sources(message_id, widget)

    def show_sources(self, message_id: int, widget: Any) -> SourcesView | None:
        """The sources under an answer, when it is shown (again): those of this session
        from memory, older ones from the documents database."""
        if widget is None:
            return None
        kept = self._contexts.get(message_id)
        context = kept[1] if kept is not None else self._saved(message_id)
        if context is None:
            return None
        view = SourcesView(context, widget.answer, widget)
        widget.add_footer(view)
        return view

    def _keep(self, conversation_id: int, message_id: int, context: Context) -> None:
        self._contexts[message_id] = (conversation_id, context)
        self._save(conversation_id, message_id, context)

    def forget_answer(self, message_id: int) -> None:
        """A new answer begins under this id: nothing kept for an earlier one shows."""
        self._forget(message_id)

    def _forget(self, message_id: int) -> None:
        self._contexts.pop(message_id, None)
        self.index.forget_answer_sources(message_id)

    def _save(self, conversation_id: int, message_id: int, context: Context) -> None:
        """To the database; failing that, the sources stay listed in this session."""
        self.index.save_answer_sources(conversation_id, message_id, context)

    def _saved(self, message_id: int) -> Context | None:
        """The sources an answer in the conversation on screen was given, if kept."""
        if self.conversation_id is None:
            return None
        return self.index.answer_sources(message_id, self.conversation_id)

    def forget_conversations(self, conversation_ids: Sequence[int]) -> None:
        """Conversations deleted for good: their documents (a document another
        conversation has stays) and sources go too; one being read stops at its next
        page. Raises if the database fails (the conversations are then kept, to try
        again)."""
        for conversation_id in conversation_ids:
            self.index.forget_conversation(conversation_id)
            self._contexts = {m: kept for m, kept in list(self._contexts.items())
                              if kept[0] != conversation_id}

    def meter_text(self, documents: int, history: int, answer: int, n_ctx: int) -> str:
        def share(n: int) -> str:
            return str(round(100 * n / n_ctx)) if n_ctx else "0"

        return (self.tr("Context: documents %1 %, history %2 %, answer %3 %")
                .replace("%1", share(documents)).replace("%2", share(history))
                .replace("%3", share(answer)))

    def show_meter(self, documents: int, history: int, answer: int, n_ctx: int) -> None:
        self.meter.setText(self.meter_text(documents, history, answer, n_ctx))
        self.meter.setToolTip(self.tr(
            "How much of the model's context the documents, the conversation and the "
            "answer take"))
        self.meter.show()

    # -- closing ------------------------------------------------------------------------
    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        embeddings = self._embeddings
        if embeddings is not None:
            embeddings.cancel()  # the indexing thread stops at its current batch
        self._worker.close()
        for thread in self._attachers:  # at most the file being hashed
            thread.join(5)
        if embeddings is not None:
            embeddings.close()
        self.index.close()


class DropFilter(QObject):
    """Lets files be dropped on the chat itself (not only on the message box)."""

    def __init__(self, attach: Callable[[list[str]], Any],
                 model: Callable[[str], Any], parent: QObject) -> None:
        super().__init__(parent)
        self._attach = attach
        self._model = model

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and \
                event.mimeData().hasUrls():  # type: ignore[attr-defined]
            event.acceptProposedAction()  # type: ignore[attr-defined]
            return True
        if kind == QEvent.Type.Drop and isinstance(event, QDropEvent) and \
                event.mimeData().hasUrls():
            paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
            split_drop(paths, self._attach, self._model)
            event.acceptProposedAction()
            return True
        return super().eventFilter(watched, event)


def split_drop(paths: Sequence[str], attach: Callable[[list[str]], Any],
               model: Callable[[str], Any]) -> None:
    """GGUF files load as models; everything else is attached."""
    documents = [p for p in paths if not p.lower().endswith(".gguf")]
    for path in paths:
        if path.lower().endswith(".gguf"):
            model(path)
    if documents:
        attach(documents)


def progress_text(name: str, done: int, total: int, unit: str) -> str:
    """ "Reading report.pdf — page 41 of 300" in the user's language."""
    words = {"page": QCoreApplication.translate("Attachments", "page %1 of %2"),
             "section": QCoreApplication.translate("Attachments", "section %1 of %2"),
             "part": QCoreApplication.translate("Attachments", "part %1 of %2")}
    if total:
        count = words.get(unit, words["part"]).replace("%1", str(done)) \
            .replace("%2", str(total))
        reading = QCoreApplication.translate("Attachments", "Reading %1 — %2")
        return reading.replace("%1", name).replace("%2", count)
    return QCoreApplication.translate("Attachments", "Reading %1…").replace("%1", name)


def source_url(source: Source) -> QUrl:
    """The file of a source; a PDF at the source's page (``#page=4``, which browsers and
    many PDF viewers follow; others open the file at its start)."""
    url = QUrl.fromLocalFile(source.path)
    if source.page is not None and Path(source.path).suffix.lower() == ".pdf":
        url.setFragment(f"page={source.page}")
    return url


def source_label(source: Source, passage: bool = True) -> str:
    """Where a passage is (file, page), and its beginning."""
    where = ""
    if source.page is not None:
        if source.page_end in (None, source.page):
            where = QCoreApplication.translate("Attachments", "page %1") \
                .replace("%1", str(source.page))
        else:
            where = QCoreApplication.translate("Attachments", "pages %1–%2") \
                .replace("%1", str(source.page)).replace("%2", str(source.page_end))
    elif source.heading:
        where = QCoreApplication.translate("Attachments", "section %1") \
            .replace("%1", source.heading)
    elif source.line is not None:
        where = QCoreApplication.translate("Attachments", "line %1") \
            .replace("%1", str(source.line))
    label = f"[{source.number}] {source.file}" + (f", {where}" if where else "")
    if passage:
        snippet = " ".join(source.passage.split())
        label += f" — “{snippet[:80]}{'…' if len(snippet) > 80 else ''}”"
    return label


def error_text(reason: str | None, name: str, fallback: str | None) -> str:
    """A document's error in the user's language (by its stable reason code)."""
    texts = {
        doc_errors.ENCRYPTED: QCoreApplication.translate(
            "Attachments",
            "“%1” is protected by a password, so Cove can't read it. Save a copy without "
            "the password and attach that."),
        doc_errors.NO_TEXT: QCoreApplication.translate(
            "Attachments",
            "“%1” has no text: its pages look like scanned images. Run it through OCR "
            "and attach the result."),
        doc_errors.EMPTY: QCoreApplication.translate(
            "Attachments", "“%1” is empty: there is nothing in it to read."),
        doc_errors.CORRUPT: QCoreApplication.translate(
            "Attachments", "“%1” can't be read: the file looks damaged or incomplete."),
        doc_errors.UNSUPPORTED: QCoreApplication.translate(
            "Attachments",
            "“%1” is a kind of file Cove can't read. Cove reads PDF, Word, HTML, Markdown, "
            "text, source code and CSV files."),
        doc_errors.TOO_LARGE: QCoreApplication.translate(
            "Attachments", "“%1” is too large to index. Split it into smaller files."),
        doc_errors.MISSING: QCoreApplication.translate(
            "Attachments",
            "“%1” is no longer where it was attached from. Attach it again to read the "
            "rest."),
        doc_errors.CHANGED: QCoreApplication.translate(
            "Attachments", "“%1” changed while Cove was reading it. Attach it again."),
    }
    text = texts.get(reason or "")
    if text is None:
        return fallback or QCoreApplication.translate(
            "Attachments", "“%1” can't be read.").replace("%1", name)
    return text.replace("%1", name)
