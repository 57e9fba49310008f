"""Documents attached to a conversation, as the window shows them: their chips above
the message box and the context meter.

:class:`Attachments` is a thin view of :class:`app.documents.answering.
ConversationDocuments`, which owns the documents, their reading on a background thread
and the sources of answers. Files dropped on the chat or chosen with the attach button
are attached to the conversation on screen (it is created when there is none yet); each
chip shows "Reading report.pdf — page 41 of 300", can be removed (which stops its
reading), and shows in words why a file cannot be read. The service's news comes from
its threads and reaches the chips through queued signals. The sources under an answer
are :class:`app.ui.chat.sources.SourcesView`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.documents import Context, Document
from app.documents import errors as doc_errors
from app.documents.answering import ConversationDocuments, DocumentsListener
from app.documents.index import FAILED, PENDING, READY, DocumentIndex
from app.ui.chat.sources import SourcesView, source_label, source_url
from app.ui.services.tasks import gui_callback
from app.ui.widgets.plain import plain_label, tooltip

__all__ = ["AttachmentChip", "Attachments", "DropFilter", "SourcesView", "error_text",
           "progress_text", "source_label", "source_url", "split_drop"]


class _Relay(DocumentsListener):
    """Listens to the service on its threads; each piece of news runs the matching
    method of the view later on the GUI thread (app.ui.services.tasks.gui_callback),
    and nothing once the view is gone."""

    def __init__(self, view: Attachments) -> None:
        self.attached = gui_callback(view._on_attached, view)  # type: ignore[method-assign]
        self.attach_failed = gui_callback(  # type: ignore[method-assign]
            view._on_attach_failed, view)
        self.progress = gui_callback(view._on_progress, view)  # type: ignore[method-assign]
        self.embedding = gui_callback(view._on_embedding, view)  # type: ignore[method-assign]
        self.updated = gui_callback(view._on_updated, view)  # type: ignore[method-assign]


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


class Attachments(QObject):
    """The chips of the conversation on screen and the context meter; see the module's
    docstring.

    ``ensure_conversation`` returns the conversation on screen, creating it if needed
    (None if it could not be created). ``documents`` stays its owner's to close.

    Signals:
        documents_changed(object): a document of the conversation on screen (its id)
            is ready to be read, or was taken off.
        read_whole_requested(object): "Read the whole document" under an answer (the
            conversation on screen).
    """

    documents_changed = Signal(object)
    read_whole_requested = Signal(object)

    def __init__(self, documents: ConversationDocuments,
                 ensure_conversation: Callable[[], int | None], parent: QWidget) -> None:
        super().__init__(parent)
        self._closed = False
        self._relay = _Relay(self)
        self.documents = documents
        documents.add_listener(self._relay)
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

    @property
    def index(self) -> DocumentIndex:
        """The documents' index (for tests and the privacy checks)."""
        return self.documents.index

    # -- the embedding model --------------------------------------------------------------
    def set_embedding_source(self, find: Callable[[], Path | None]) -> None:
        """Where the embedding model comes from (the library's, when one is on disk)."""
        self.documents.set_embedding_source(find)

    def models_changed(self) -> None:
        """A model was downloaded or deleted: the documents look again for an embedding
        model."""
        self.documents.models_changed()

    def release_model(self, path: str) -> None:
        """``path`` is about to be deleted: an embedding worker using it ends first."""
        self.documents.release_model(path)

    @property
    def embedding_model(self) -> Path | None:
        """The embedding model in use (None: keyword search alone)."""
        return self.documents.embedding_model

    def hook(self, composer: Any, chat: Any, load_model: Callable[[str], Any]) -> None:
        """Chips above the message box; files dropped on it or on the chat, and the
        attach button, attach documents (GGUF files still load as models)."""
        composer.layout().insertWidget(0, self.bar)
        composer.input.attaches = True
        composer.input.files_dropped.connect(self.attach_paths)
        composer.attach_requested.connect(self.choose_files)
        viewport = chat.viewport()
        viewport.setAcceptDrops(True)
        self.drop_filter = DropFilter(self.attach_paths, load_model, self)
        viewport.installEventFilter(self.drop_filter)

    # -- attaching ------------------------------------------------------------------------
    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self.bar, self.tr("Attach documents"), "",
            self.tr("Documents (*.pdf *.docx *.txt *.md *.html *.htm *.csv *.py *.json);;"
                    "All files (*)"))
        if paths:
            self.attach_paths(paths)

    def attach_paths(self, paths: Sequence[str | Path]) -> int:
        """Attach files (a folder: its files) to the conversation on screen, creating
        it if needed; returns how many files are being attached. Each file gets its
        chip at once; a file that cannot be attached says why on its chip."""
        files = ConversationDocuments.files(paths)
        if not files:
            return 0
        conversation_id = self.ensure_conversation()
        if conversation_id is None:
            return 0
        self.show_conversation(conversation_id)
        for job in self.documents.attach(conversation_id, files):
            self._chip(Document(job.key, job.path.name, str(job.path), "", 0, "", PENDING,
                                None, 0, 0, 0, 0, 0, None, None, 0.0, None))
        self._update_bar()
        return len(files)

    def _on_attached(self, key: int, conversation_id: int, document: Document) -> None:
        """A file is attached: its chip becomes the document's (it is being read)."""
        chip = self.chips.pop(key, None)
        if chip is None or self._closed:  # removed, or another conversation on screen
            return
        if document.id in self.chips:  # the same file twice
            chip.deleteLater()
        else:
            chip.document_id = document.id
            self.chips[document.id] = chip
            chip.update_from(document)
        self._update_bar()

    def _on_attach_failed(self, key: int, reason: str, name: str, message: str) -> None:
        chip = self.chips.get(key)
        if chip is not None and not self._closed:
            chip.set_error(error_text(reason or None, name, message or None))

    def remove(self, document_id: int) -> None:
        """Its chip goes, and the document leaves the conversation on screen (a file
        still being attached, too, once it is)."""
        chip = self.chips.pop(document_id, None)
        pending = chip is not None and chip.status == PENDING
        if chip is not None:
            chip.deleteLater()
        if (document_id >= 0 or pending) and self.conversation_id is not None:
            self.documents.remove(self.conversation_id, document_id)
            self.documents_changed.emit(self.conversation_id)
        self._update_bar()

    # -- the conversation on screen -------------------------------------------------------
    def show_conversation(self, conversation_id: int | None) -> None:
        if conversation_id == self.conversation_id and conversation_id is not None:
            return
        self.conversation_id = conversation_id
        for chip in self.chips.values():
            chip.deleteLater()
        self.chips.clear()
        self.meter.hide()
        for document in self.documents.open_conversation(conversation_id):
            self._chip(document)
        self._update_bar()

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

    def _on_progress(self, document_id: int, done: int, total: int, unit: str) -> None:
        chip = self.chips.get(document_id)
        if chip is not None and not self._closed:
            chip.set_progress(done, total, unit)

    def _on_embedding(self, document_id: int, done: int, total: int) -> None:
        chip = self.chips.get(document_id)
        if chip is not None and not self._closed:
            chip.set_embedding(done, total)

    def _on_updated(self, document: Document) -> None:
        chip = self.chips.get(document.id)
        if chip is not None and not self._closed:  # not news after the window closed
            chip.update_from(document)
            if document.status == READY:
                self.documents_changed.emit(self.conversation_id)

    # -- under answers, and the meter -----------------------------------------------------
    def show_sources(self, widget: Any, context: Context | None) -> SourcesView | None:
        """Lists ``context``'s sources under the answer ``widget`` (nothing when either
        is None); the context comes from :meth:`ConversationDocuments.sources` or
        :meth:`ConversationDocuments.answer_finished`."""
        if widget is None or context is None:
            return None
        view = SourcesView(context, widget.answer, widget)
        view.read_whole_requested.connect(
            lambda: self.read_whole_requested.emit(self.conversation_id))
        widget.add_footer(view)
        return view

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

    # -- closing --------------------------------------------------------------------------
    def close(self) -> None:
        """No more news reaches the chips (the documents are their owner's to close)."""
        if self._closed:
            return
        self._closed = True
        self.documents.remove_listener(self._relay)


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
