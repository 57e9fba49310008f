"""Texts too long for a message, attached as documents instead: a file in the data
folder's ``pasted`` only until the documents database has read them.

The window's "Attach the text as a document" (a message that did not fit the context)
turns the message into a document of its conversation. Documents are read from a
file, so the text is first saved as one; but that file is the conversation's words in
plain text, beside a history that is encrypted. So it lives only as long as it is
needed: once its document is ready (every passage in ``documents.db``, encrypted with
the history's key) the file is erased: overwritten with zeros and removed
(:class:`PastedTexts` hears it from the indexing thread). Reading cut off by a crash
or by closing Cove resumes at the next start, which then erases the file, and a file
whose document became ready unheard is erased when the window starts
(:meth:`PastedTexts.sweep`). A text whose document could not be made is kept: the
message left the chat when it was attached, so the file is then its only copy (Forget
everything erases it). The file is readable by its owner only.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

from app.config import forget, paths
from app.documents.answering import ConversationDocuments
from app.documents.background import DocumentsListener
from app.documents.index import READY, Document, DocumentIndex

log = logging.getLogger(__name__)

FOLDER = "pasted"  # in the data folder (app.config.forget erases it too)


class PastedTexts(DocumentsListener):
    """Saves pasted texts for ``documents`` and erases each once it is read."""

    def __init__(self, documents: ConversationDocuments, folder: Path | None = None) -> None:
        self.documents = documents
        self.folder = folder if folder is not None else paths.data_dir() / FOLDER
        documents.add_listener(self)

    def save(self, name: str, text: str) -> Path:
        """``text`` as ``name`` in the folder, for attaching; raises OSError."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        return path

    def attached(self, key: int, conversation_id: int, document: Document) -> None:
        self._read(document)  # the same text, read before: ready at once

    def updated(self, document: Document) -> None:
        self._read(document)

    def _read(self, document: Document) -> None:
        if document.status == READY and self._ours(Path(document.path)):
            _erase(Path(document.path))

    def sweep(self) -> None:
        """Erase the saved texts whose document is ready."""
        sweep(self.folder, self.documents.index)

    def _ours(self, path: Path) -> bool:
        return path.parent == self.folder.resolve()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.documents.remove_listener(self)


def sweep(folder: Path, index: DocumentIndex) -> None:
    """Erase the texts saved in ``folder`` whose document is ready."""
    if not folder.is_dir():
        return
    read = {Path(row["path"]) for row in index.query(
        "SELECT path FROM documents WHERE status = ?", (READY,))}
    for path in folder.iterdir():
        if path.resolve() in read:
            _erase(path)


def _erase(path: Path) -> None:
    try:
        forget.erase(path)
    except FileNotFoundError:
        pass
    except OSError as exc:  # tried again at the next start
        log.warning("a pasted text could not be erased yet (%s)", type(exc).__name__)
