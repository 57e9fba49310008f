"""Conversations out to files and back: the file dialogs, the writing and the reading.

The history (:class:`ChatStore`) makes the documents: Markdown to read and share, Cove's
JSON to move a history or back it up, and it checks a JSON file before it imports
anything from it. This module asks where to write or what to read, writes atomically
(a failed export never leaves half a file, or destroys the file it was replacing), and
says what went wrong in words a user can act on.

The format, and whether the model's reasoning goes along, are chosen in the save
dialog's file-type list ("Markdown", "Markdown with the model's reasoning", …), so the
platform's own dialog can be used: a native dialog takes no extra check boxes.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QIODevice, QObject, QSaveFile, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.chats import errors as store_errors
from app.chats.errors import ChatStoreError
from app.chats.store import ChatStore, Conversation
from app.config.files import safe_name
from app.session import everything
from app.ui.widgets.plain import tooltip

if TYPE_CHECKING:
    from app.documents.index import DocumentIndex

log = logging.getLogger(__name__)

MARKDOWN = "markdown"
JSON = "json"
_SUFFIXES = {MARKDOWN: ".md", JSON: ".json"}
_KINDS = {".md": MARKDOWN, ".markdown": MARKDOWN, ".json": JSON}


@dataclass(frozen=True)
class Choice:
    """One entry of the save dialog's file-type list."""

    label: str
    kind: str
    reasoning: bool


class HistoryFiles(QObject):
    """Export and import through the file dialogs, for the window.

    Failures are shown in a message box on ``parent`` and never raise.

    Signals:
        imported(list): the conversations just added from a file.
    """

    imported = Signal(list)

    def __init__(self, store: ChatStore, parent: QWidget,
                 importer: Callable[[Any], list[Conversation]] | None = None) -> None:
        """``importer``: what adds imported conversations to the history (the
        session's, so that its views hear of them); the store's own by default."""
        super().__init__(parent)
        self.store = store
        self._import = importer or store.import_json
        self._parent = parent
        self.folder = _documents_folder()
        self._last_choice: tuple[str, bool] = (MARKDOWN, False)

    # -- export -------------------------------------------------------------------------
    def export_conversation(self, conversation_id: int) -> Path | None:
        """Ask where, then write one conversation; returns the file written."""
        failed = self.tr("The conversation could not be exported")
        try:
            conversation = self.store.conversation(conversation_id)
            with_reasoning = any(m.reasoning for m in self.store.messages(conversation_id))
        except ChatStoreError as exc:
            self._warn(failed, str(exc))
            return None
        choices = [Choice(self.tr("Markdown (*.md)"), MARKDOWN, False),
                   Choice(self.tr("Cove JSON (*.json)"), JSON, False)]
        if with_reasoning:
            choices.insert(1, Choice(self.tr("Markdown with the model's reasoning (*.md)"),
                                     MARKDOWN, True))
            choices.append(Choice(self.tr("Cove JSON with the model's reasoning (*.json)"),
                                  JSON, True))
        preferred = next((c for c in choices if (c.kind, c.reasoning) == self._last_choice),
                         choices[0])
        name = file_name(conversation.title, self.tr("Conversation"))
        target = self._ask_save(self.tr("Export conversation"), name, choices, preferred)
        if target is None:
            return None
        path, choice = target
        try:
            if choice.kind == MARKDOWN:
                text = self.store.export_markdown(conversation_id, reasoning=choice.reasoning)
            else:
                text = _json_text(self.store.export_json(conversation_id,
                                                         reasoning=choice.reasoning))
        except ChatStoreError as exc:
            self._warn(failed, str(exc))
            return None
        if not self._write(path, text, failed):
            return None
        self._last_choice = (choice.kind, choice.reasoning)
        return path

    def export_all(self) -> Path | None:
        """Ask where, then write every conversation as one Cove JSON file (a backup)."""
        failed = self.tr("The conversations could not be exported")
        try:
            empty = not self.store.conversations()
        except ChatStoreError as exc:
            self._warn(failed, str(exc))
            return None
        if empty:
            self._tell(QMessageBox.Icon.Information, self.tr("Nothing to export"),
                       self.tr("There are no conversations yet."))
            return None
        choices = [Choice(self.tr("Cove JSON with the model's reasoning (*.json)"), JSON, True),
                   Choice(self.tr("Cove JSON (*.json)"), JSON, False)]
        name = "cove-history-" + time.strftime("%Y-%m-%d")
        target = self._ask_save(self.tr("Export all conversations"), name, choices,
                                choices[0], kinds=(JSON,))
        if target is None:
            return None
        path, choice = target
        try:
            text = _json_text(self.store.export_all(reasoning=choice.reasoning))
        except ChatStoreError as exc:
            self._warn(failed, str(exc))
            return None
        return path if self._write(path, text, failed) else None

    def export_everything(self, documents: DocumentIndex | None) -> Path | None:
        """Settings › Export everything: ask for a folder, then write a new folder in it
        with every conversation, the text of every document and the python tool's
        files (``app.session.everything``); returns the new folder."""
        chosen = QFileDialog.getExistingDirectory(
            self._parent, self.tr("Export everything into"), str(self.folder))
        if not chosen:
            return None
        target = _new_folder(Path(chosen), "Cove export " + time.strftime("%Y-%m-%d"))
        try:
            everything.export_everything(target, self.store, documents)
        except (OSError, ChatStoreError) as exc:
            log.warning("export everything into %s failed: %s", chosen, exc)
            reason = (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
            self._warn(self.tr("Your data could not be exported"), self.tr(
                "Cove could not write into “%1”: %2. Nothing was left there; choose "
                "another folder and try again.").replace("%1", chosen).replace("%2", reason))
            return None
        self.folder = Path(chosen)
        self._tell(QMessageBox.Icon.Information, self.tr("Everything is exported"), self.tr(
            "Your conversations, the text of your documents and the python tool's files "
            "are in “%1”. The folder is not encrypted: keep it somewhere safe.").replace(
            "%1", str(target)))
        return target

    def _ask_save(self, caption: str, name: str, choices: list[Choice], preferred: Choice,
                  kinds: tuple[str, ...] = (MARKDOWN, JSON)) -> tuple[Path, Choice] | None:
        """The save dialog; the file and what to write in it, or None if cancelled.
        A suffix the user typed (``.json``) wins over the chosen file type."""
        start = self.folder / (name + _SUFFIXES[preferred.kind])
        chosen_path, chosen_filter = QFileDialog.getSaveFileName(
            self._parent, caption, str(start), ";;".join(c.label for c in choices),
            preferred.label)
        if not chosen_path:
            return None
        choice = next((c for c in choices if c.label == chosen_filter), preferred)
        path = Path(chosen_path)
        typed = _KINDS.get(path.suffix.lower())
        if typed in kinds and typed != choice.kind:
            choice = Choice(choice.label, typed, choice.reasoning)
        elif typed not in kinds:
            path = path.with_name(path.name + _SUFFIXES[choice.kind])
        return path, choice

    def _write(self, path: Path, text: str, failed: str) -> bool:
        """Replace ``path`` with ``text`` in one step (QSaveFile: a temporary file,
        then a rename), or say why not."""
        file = QSaveFile(str(path))
        data = text.encode("utf-8")
        if file.open(QIODevice.OpenModeFlag.WriteOnly) and file.write(data) == len(data) \
                and file.commit():
            self.folder = path.parent
            return True
        reason = file.errorString()
        file.cancelWriting()
        log.warning("export to %s failed: %s", path, reason)
        self._warn(failed, self.tr("Cove could not write “%1”: %2. Nothing was changed there; "
                                   "choose another folder and try again.")
                   .replace("%1", str(path)).replace("%2", reason))
        return False

    # -- import -------------------------------------------------------------------------
    def import_file(self) -> list[Conversation]:
        """Ask for a Cove JSON file and add its conversations to the history."""
        path, _ = QFileDialog.getOpenFileName(
            self._parent, self.tr("Import conversations"), str(self.folder),
            ";;".join((self.tr("Cove JSON (*.json)"), self.tr("All files (*)"))))
        return self.import_path(Path(path)) if path else []

    def import_path(self, path: Path) -> list[Conversation]:
        """Add the conversations in ``path``: all of them, or (on any problem) none,
        and a message that says which problem."""
        failed = self.tr("The file could not be imported")
        nothing = self.tr("Nothing was imported.")
        try:
            raw = path.read_bytes()
        except OSError as exc:
            self._warn(failed, self.tr("Cove could not read “%1”: %2.").replace(
                "%1", path.name).replace("%2", exc.strerror or str(exc)) + " " + nothing)
            return []
        try:
            data = json.loads(raw.decode("utf-8-sig"), parse_constant=_no_constants)
        except (ValueError, RecursionError) as exc:  # not UTF-8, not JSON, NaN, too deep
            log.info("import of %s: %s", path, exc)
            self._warn(failed, self.tr("“%1” is not a file exported by Cove: it does not "
                                       "hold valid JSON text.").replace("%1", path.name)
                       + " " + nothing, str(exc))
            return []
        try:
            conversations = self._import(data)
        except ChatStoreError as exc:
            if exc.kind == store_errors.BAD_IMPORT:
                self._warn(failed, self.tr("“%1” is not a conversation exported by Cove, or it "
                                           "was changed since.").replace("%1", path.name)
                           + " " + nothing, str(exc))
            else:
                self._warn(failed, str(exc))
            return []
        self.folder = path.parent
        if not conversations:
            self._tell(QMessageBox.Icon.Information, self.tr("Nothing to import"),
                       self.tr("“%1” holds no conversations.").replace("%1", path.name))
        elif len(conversations) > 1:
            self._tell(QMessageBox.Icon.Information, self.tr("Conversations imported"),
                       self.tr("%1 conversations were added to your history.").replace(
                           "%1", str(len(conversations))))
        self.imported.emit(conversations)
        return conversations

    # -- messages -----------------------------------------------------------------------
    def _warn(self, title: str, text: str, detail: str = "") -> None:
        self._tell(QMessageBox.Icon.Warning, title, text, detail)

    def _tell(self, kind: QMessageBox.Icon, title: str, text: str, detail: str = "") -> None:
        """A window-modal message that does not block (no nested event loop)."""
        box = QMessageBox(kind, "Cove", title, QMessageBox.StandardButton.Ok, self._parent)
        box.setInformativeText(tooltip(text))
        if detail:
            box.setDetailedText(detail)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()


def file_name(title: str, fallback: str) -> str:
    """A file name (without suffix) from a conversation's title: no characters that some
    system forbids, not too long."""
    return safe_name(title, fallback)


def _new_folder(parent: Path, name: str) -> Path:
    """``parent / name``, numbered when it exists (an export never writes into a folder
    that holds something already)."""
    target, n = parent / name, 1
    while target.exists():
        n += 1
        target = parent / f"{name} ({n})"
    return target


def _json_text(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _no_constants(name: str) -> Any:
    """NaN and Infinity are not JSON, and not a time or a token count either."""
    raise ValueError(f"{name} is not allowed")


def _documents_folder() -> Path:
    folder = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder else Path.home()
