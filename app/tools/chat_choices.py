"""Which tools one conversation may use: the per-chat switch beside the message box.

The user switches tools on for Cove as a whole (:mod:`app.tools.registry`); each
conversation can then leave some of them out. What is kept is what the user switched
*off* in a conversation, so a tool switched on later is on in every chat, as the user
would expect. The choices live in one small JSON file in the data folder, keyed by
conversation id (the history's schema stays as it is), written atomically.

A tool belongs to one switch (:func:`switch_of`): ``python``, ``web`` (search and open
page together), ``documents`` (search my documents) or ``mcp:NAME`` (all the tools of
one MCP server).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

from app.config import paths
from app.config.files import write_atomically
from app.tools import mcp_servers, registry
from app.tools.base import Tool

log = logging.getLogger(__name__)

DOCUMENTS = "documents"
MCP_PREFIX = "mcp:"
FILE_NAME = "chat_tools.json"
_WEB_TOOLS = ("web_search", "web_open")


def switch_of(tool: Tool) -> str:
    """The switch a tool belongs to (see the module docstring)."""
    server = getattr(getattr(tool, "server", None), "name", None)
    if server is not None:
        return MCP_PREFIX + str(server)
    name = tool.spec.name
    if name in _WEB_TOOLS:
        return registry.WEB
    if name == "search_documents":
        return DOCUMENTS
    return name


def keep(tools: Sequence[Tool], off: Collection[str]) -> list[Tool]:
    """``tools`` without those whose switch is off."""
    return [t for t in tools if switch_of(t) not in off]


def mcp_switches(servers: Iterable[mcp_servers.McpServer] | None = None) -> list[str]:
    """One switch per MCP server the user added (and did not disable)."""
    listed = mcp_servers.load() if servers is None else servers
    return [MCP_PREFIX + s.name for s in listed if s.enabled]


class ChatToolChoices:
    """The switched-off tools of each conversation, kept in ``path`` (by default the data
    folder's ``chat_tools.json``). An unreadable file means nothing is switched off
    (logged): the user's global switches still hold."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.data_dir() / FILE_NAME
        self._off: dict[str, list[str]] = self._load()

    def _load(self) -> dict[str, list[str]]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("the per-chat tool choices cannot be read (%s): all on", exc)
            return {}
        if not isinstance(raw, dict):
            return {}
        return {str(k): [str(n) for n in v] for k, v in raw.items() if isinstance(v, list)}

    def off(self, conversation_id: int | None) -> set[str]:
        """The switches this conversation left out (none for a new chat)."""
        if conversation_id is None:
            return set()
        return set(self._off.get(str(conversation_id), []))

    def set_off(self, conversation_id: int, off: Collection[str]) -> None:
        """Keep ``off`` for the conversation (raises OSError if it cannot be saved)."""
        self._off = self._load()  # another window or command may have written since
        key = str(conversation_id)
        if off:
            self._off[key] = sorted(off)
        elif key in self._off:
            del self._off[key]
        else:
            return
        self._save()

    def forget(self, conversation_ids: Iterable[object]) -> None:
        """Conversations that are gone (purged) lose their choices."""
        self._off = self._load()
        gone = [str(c) for c in conversation_ids if str(c) in self._off]
        for key in gone:
            del self._off[key]
        if gone:
            self._save()

    def conversations(self) -> list[str]:
        """The conversations with a choice kept (their ids as the file has them)."""
        return list(self._off)

    def _save(self) -> None:
        write_atomically(self.path, json.dumps(self._off, indent=1, sort_keys=True))
