"""The tools each conversation offers the model, for the window's session.

The session asks for an answer's tools on the GUI thread when the answer starts
(:data:`app.session.service.ToolsFor`), so the answer must come at once: the switched-on
built-ins (python, web search) and the conversation's documents are cheap to list; MCP
servers' tools are not (their servers start first), so they are fetched in the
background when the conversation is opened and offered from then on. A conversation's
MCP servers stop when another conversation is opened (unless an answer in it is still
being written) and when the window closes.

Each conversation can leave out tools the user switched on (the composer's Tools menu,
:mod:`app.tools.chat_choices`): the shelf fills that menu for the conversation on
screen, keeps what is unchecked, and leaves it out of the conversation's answers. A
choice made on the empty new-chat screen goes with the conversation its first message
creates.

A tool allowed "always in this chat" (the asking card's third button) runs without
asking in that conversation: the shelf offers it as not asking first. The Tools menu
shows it checked ("… without asking"); unchecking takes it back. An MCP server that
could not start shows in that menu greyed out, with the reason. The shelf also saves a
file a python run created (the card's "Save…") where the user picks.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.chats.errors import ChatStoreError, NotFoundError
from app.config import at_rest
from app.config.sealed import SealError
from app.documents.background import DocumentsListener
from app.session.tools import ToolLimits
from app.tools import chat_choices, mcp_servers, python_folder, registry
from app.tools import documents as documents_tool
from app.tools import python as python_tool
from app.tools.base import Tool
from app.ui.services.tasks import gui_callback, run_in_background

if TYPE_CHECKING:
    from app.chats.store import ChatStore
    from app.config.settings import Settings
    from app.documents.answering import ConversationDocuments
    from app.ui.chat.composer import Composer

log = logging.getLogger(__name__)

ALWAYS, SAVE = "always", "save"  # what a tool card's ``requested`` asks for
_WITHOUT_ASKING = "always:"  # the Tools menu's key of an always-allowed switch


class _DocumentsNews(DocumentsListener):
    """A document attached or read: the Tools menu may gain "Search my documents"
    (told on the documents' threads, handled on the GUI thread)."""

    def __init__(self, refresh: Callable[[], None], parent: QObject) -> None:
        self._refresh = gui_callback(lambda *_: refresh(), parent)

    def attached(self, *_: object) -> None:
        self._refresh()

    def updated(self, *_: object) -> None:
        self._refresh()


class ConversationToolShelf(QObject):
    """See the module docstring. ``settings()``: the settings now (they change)."""

    def __init__(self, settings: Callable[[], Settings], documents: ConversationDocuments,
                 answering: Callable[[], int | None], parent: QObject, *,
                 composer: Composer | None = None, store: ChatStore | None = None,
                 choices: chat_choices.ChatToolChoices | None = None) -> None:
        """``composer`` and ``store`` default to the parent window's (its Tools menu,
        and whether an opened conversation is a new one)."""
        super().__init__(parent)
        self._settings = settings
        self._documents = documents
        self._answering = answering  # the conversation of the answer being written
        self._open: dict[int, registry.ConversationTools] = {}
        self._mcp: dict[int, list[Tool]] = {}  # fetched MCP tools per conversation
        self._failed: dict[int, dict[str, str]] = {}  # MCP servers that did not start
        self._choices = choices or chat_choices.ChatToolChoices()
        self._store = store if store is not None else getattr(parent, "store", None)
        self._composer = composer if composer is not None else \
            getattr(parent, "composer", None)
        self._current: int | None = None  # the conversation on screen (None: new chat)
        self._new_chat_off: set[str] = set()  # unchecked on the new-chat screen
        self._new_chat_since = time.time()  # when the new-chat screen showed
        self._forget_purged()
        self._news: _DocumentsNews | None = None
        if self._composer is not None:
            self._news = _DocumentsNews(self.refresh_menu, self)
            documents.add_listener(self._news)
            self._composer.tool_switched.connect(self.switch)
            self._composer.tools_menu.aboutToShow.connect(self.refresh_menu)
            self._composer.installEventFilter(self)  # back from the Tools window
            self.refresh_menu()

    def _forget_purged(self) -> None:
        """Choices of conversations the history no longer has (purged since) go, so a
        new conversation given a freed id starts with every tool on."""
        if self._store is None:
            return
        gone: list[str] = []
        for key in self._choices.conversations():
            try:
                self._store.conversation(int(key))
            except NotFoundError:
                gone.append(key)
            except (ValueError, ChatStoreError):
                continue  # a damaged entry or an unreadable history: kept for now
        try:
            self._choices.forget(gone)
        except OSError as exc:
            log.warning("the per-chat tool choices cannot be saved: %s", exc)

    def tools_for(self, conversation_id: int, answer_id: int,
                  only: Collection[str] | None = None) -> list[Tool]:
        """The tools of one answer (the session's ``tools``), without those the
        conversation left out; ``only``: switches (see :mod:`app.tools.chat_choices`)
        to keep of those (all by default)."""
        tools: list[Tool] = list(documents_tool.tools_for(self._documents, conversation_id,
                                                          answer_id))
        tools += registry.available(self._settings(), conversation_id)  # built-ins only
        tools += self._mcp.get(conversation_id, [])
        tools = chat_choices.keep(tools, self.left_out(conversation_id))
        if only is not None:
            tools = [t for t in tools if chat_choices.switch_of(t) in set(only)]
        return chat_choices.allowed(
            tools, lambda switch: switch in self._choices.always(conversation_id))

    def allow_always(self, conversation_id: int | None, tool: str) -> None:
        """The user chose "Always in this chat" for a call of ``tool`` (its name):
        its switch runs without asking in this conversation from now on."""
        if conversation_id is None:
            return
        found = [t for t in self.tools_for(conversation_id, 0) if t.spec.name == tool]
        switch = chat_choices.switch_of(found[0]) if found else tool
        self._set_always(conversation_id, self._choices.always(conversation_id) | {switch})

    def _set_always(self, conversation_id: int, always: set[str],
                    later: bool = False) -> None:
        """``later``: the menu is refilled after the entry's own signal (its entry
        goes, and an action is not deleted while it emits)."""
        try:
            self._choices.set_always(conversation_id, always)
        except OSError as exc:  # then it asks again next time; said in the log
            log.warning("the tools of conversation %s cannot be saved: %s",
                        conversation_id, exc)
        if later:
            QTimer.singleShot(0, self.refresh_menu)
        else:
            self.refresh_menu()

    def requested(self, conversation_id: int | None, what: str, value: str) -> None:
        """A tool card's button (``ToolCallCard.requested``) in a conversation."""
        if what == ALWAYS:
            self.allow_always(conversation_id, value)
        elif what == SAVE and conversation_id is not None:
            self.save_file(conversation_id, value)

    def save_file(self, conversation_id: int, name: str) -> None:
        """Save a file the python tool wrote in this conversation where the user picks
        (a clear message when it is gone or cannot be written)."""
        parent = self.parent()
        window = parent if isinstance(parent, QWidget) else None
        target, _ = QFileDialog.getSaveFileName(window, self.tr("Save file"),
                                                name.rpartition("/")[2])
        if not target:
            return
        try:
            data = python_folder.read_file(
                python_tool.workdir_for(conversation_id), at_rest.file_key(
                    python_folder.PURPOSE), name)
            with open(target, "wb") as out:
                out.write(data)
        except FileNotFoundError:
            self._tell(window, self.tr("%1 is no longer in this chat's files (a later run "
                                       "may have removed it).").replace("%1", name))
        except (OSError, SealError) as exc:
            self._tell(window, self.tr("%1 could not be saved: %2").replace(
                "%1", name).replace("%2", str(exc)))

    def _tell(self, window: QWidget | None, text: str) -> None:
        QMessageBox.warning(window, self.tr("Save file"), text)

    def limits(self) -> ToolLimits:
        """The tool loop's limits as the settings have them (calls per answer)."""
        return ToolLimits(max_calls=self._settings().tool_calls_per_answer)

    def left_out(self, conversation_id: int | None) -> set[str]:
        """The switches a conversation left out."""
        if conversation_id is None:
            return set(self._new_chat_off)
        return self._choices.off(conversation_id)

    # -- the composer's Tools menu -------------------------------------------------------
    def switches(self, conversation_id: int | None) -> list[tuple[str, str]]:
        """The switches the conversation can use now, with their labels."""
        settings = self._settings()
        found: list[tuple[str, str]] = []
        if conversation_id is not None and self._documents.has_documents(conversation_id):
            found.append((chat_choices.DOCUMENTS, self.tr("Search my documents")))
        if registry.is_enabled(settings, registry.PYTHON) and python_tool.supported():
            found.append((registry.PYTHON, self.tr("Run Python code")))
        if registry.is_enabled(settings, registry.WEB) and settings.web_search_url:
            found.append((registry.WEB, self.tr("Web search (leaves this computer)")))
        failed = self._failed.get(conversation_id, {}) if conversation_id is not None else {}
        for key in chat_choices.mcp_switches():
            name = key.removeprefix(chat_choices.MCP_PREFIX)
            if name not in failed:
                found.append((key, self.tr("MCP server %1").replace("%1", name)))
        return found

    def unavailable(self, conversation_id: int | None) -> list[str]:
        """The MCP servers of the conversation that could not start, and why."""
        failed = self._failed.get(conversation_id, {}) if conversation_id is not None else {}
        return [self.tr("MCP server %1 could not start: %2").replace("%1", name)
                .replace("%2", reason) for name, reason in sorted(failed.items())]

    def refresh_menu(self) -> None:
        """Fill the composer's Tools menu for the conversation on screen."""
        if self._composer is None:
            return
        try:
            found = self.switches(self._current)
        except Exception:  # the documents database or the servers file: no menu
            log.exception("the tools of conversation %s", self._current)
            found = []
        off = self.left_out(self._current)
        choices = [(k, label, k not in off) for k, label in found]
        always = self._choices.always(self._current)
        choices += [(_WITHOUT_ASKING + k, self.tr("%1: without asking").replace("%1", label),
                     True) for k, label in found if k in always and k not in off]
        self._composer.set_tool_choices(choices, self.unavailable(self._current))

    def switch(self, key: str, on: bool) -> None:
        """An entry of the Tools menu was checked or unchecked: kept for the chat."""
        if key.startswith(_WITHOUT_ASKING):
            if not on and self._current is not None:  # asks again from now on
                self._set_always(self._current, self._choices.always(self._current)
                                 - {key.removeprefix(_WITHOUT_ASKING)}, later=True)
            return
        off = self.left_out(self._current)
        off = off - {key} if on else off | {key}
        if self._current is None:
            self._new_chat_off = off
        else:
            try:
                self._choices.set_off(self._current, off)
            except OSError as exc:  # kept for this session; said in the log
                log.warning("the tools of conversation %s cannot be saved: %s",
                            self._current, exc)
        self.refresh_menu()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ActivationChange:
            self.refresh_menu()
        return super().eventFilter(watched, event)

    def _is_new(self, conversation_id: int) -> bool:
        """Whether the conversation was made from the new-chat screen now on screen
        (created since it showed), not an older one opened from the sidebar."""
        if self._store is None:
            return False
        try:
            created = self._store.conversation(conversation_id).created_at
        except Exception:
            return False
        return created >= self._new_chat_since

    def opened(self, conversation_id: int | None) -> None:
        """A conversation is on screen: its Tools menu shows; its MCP servers start in
        the background (when the user added any); those of conversations left behind
        stop."""
        if self._current is None and conversation_id is not None and \
                self._is_new(conversation_id):
            # The new chat's first message made it: what was chosen goes with it (and
            # an id a purged conversation had starts afresh).
            try:
                self._choices.set_off(conversation_id, self._new_chat_off)
            except OSError as exc:
                log.warning("the tools of conversation %s cannot be saved: %s",
                            conversation_id, exc)
        if conversation_id is None:
            self._new_chat_off = set()
            self._new_chat_since = time.time()
        self._current = conversation_id
        self.refresh_menu()
        self._start_servers(conversation_id)

    def _start_servers(self, conversation_id: int | None) -> None:
        keep = {conversation_id, self._answering()}
        for other in [c for c in self._open if c not in keep]:
            self._close(other)
        if conversation_id is None or conversation_id in self._open or \
                not mcp_servers.load():
            return
        shelf = registry.ConversationTools(self._settings(), conversation_id)
        self._open[conversation_id] = shelf

        def fetch() -> list[Tool]:
            return list(shelf.hub.tools())

        def done(tools: list[Tool]) -> None:
            if self._open.get(conversation_id) is shelf:
                self._mcp[conversation_id] = tools
                self._failed[conversation_id] = shelf.errors
                for name, reason in shelf.errors.items():
                    log.warning("MCP server %s could not start: %s", name, reason)
                self.refresh_menu()

        run_in_background(fetch, done, lambda exc: log.warning(
            "MCP tools of conversation %s: %s", conversation_id, exc),
            parent=self, name="cove-mcp-start")

    def failed(self) -> dict[str, str]:
        """The MCP servers that could not start for the conversation on screen (or any
        open one), and why: for the Tools window."""
        found: dict[str, str] = {}
        for conversation_id in (c for c in [self._current, *self._failed] if c is not None):
            for name, reason in self._failed.get(conversation_id, {}).items():
                found.setdefault(name, reason)
        return found

    def _close(self, conversation_id: int) -> None:
        shelf = self._open.pop(conversation_id, None)
        self._mcp.pop(conversation_id, None)
        self._failed.pop(conversation_id, None)
        if shelf is not None:
            shelf.close()

    def close(self) -> None:
        if self._composer is not None:
            self._composer.removeEventFilter(self)
        if self._news is not None:
            self._documents.remove_listener(self._news)
            self._news = None
        for conversation_id in list(self._open):
            self._close(conversation_id)
