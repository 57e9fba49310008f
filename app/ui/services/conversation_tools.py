"""The tools each conversation offers the model, for the window's session.

The session asks for an answer's tools on the GUI thread when the answer starts
(:data:`app.session.service.ToolsFor`), so the answer must come at once: the switched-on
built-ins (python, web search) and the conversation's documents are cheap to list; MCP
servers' tools are not (their servers start first), so they are fetched in the
background when the conversation is opened and offered from then on. A conversation's
MCP servers stop when another conversation is opened (unless an answer in it is still
being written) and when the window closes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from app.tools import documents as documents_tool
from app.tools import mcp_servers, registry
from app.tools.base import Tool
from app.ui.services.tasks import run_in_background

if TYPE_CHECKING:
    from app.config.settings import Settings
    from app.documents.answering import ConversationDocuments

log = logging.getLogger(__name__)


class ConversationToolShelf(QObject):
    """See the module docstring. ``settings()``: the settings now (they change)."""

    def __init__(self, settings: Callable[[], Settings], documents: ConversationDocuments,
                 answering: Callable[[], int | None], parent: QObject) -> None:
        super().__init__(parent)
        self._settings = settings
        self._documents = documents
        self._answering = answering  # the conversation of the answer being written
        self._open: dict[int, registry.ConversationTools] = {}
        self._mcp: dict[int, list[Tool]] = {}  # fetched MCP tools per conversation

    def tools_for(self, conversation_id: int, answer_id: int) -> list[Tool]:
        """The tools of one answer (the session's ``tools``)."""
        tools: list[Tool] = list(documents_tool.tools_for(self._documents, conversation_id,
                                                          answer_id))
        tools += registry.available(self._settings(), conversation_id)  # built-ins only
        tools += self._mcp.get(conversation_id, [])
        return tools

    def opened(self, conversation_id: int | None) -> None:
        """A conversation is on screen: its MCP servers start in the background (when
        the user added any); those of conversations left behind stop."""
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

        run_in_background(fetch, done, lambda exc: log.warning(
            "MCP tools of conversation %s: %s", conversation_id, exc),
            parent=self, name="cove-mcp-start")

    def _close(self, conversation_id: int) -> None:
        shelf = self._open.pop(conversation_id, None)
        self._mcp.pop(conversation_id, None)
        if shelf is not None:
            shelf.close()

    def close(self) -> None:
        for conversation_id in list(self._open):
            self._close(conversation_id)
