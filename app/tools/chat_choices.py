"""Which tools one conversation may use: the per-chat switch beside the message box.

The user switches tools on for Cove as a whole (:mod:`app.tools.registry`); each
conversation can then leave some of them out. What is kept is what the user switched
*off* in a conversation, so a tool switched on later is on in every chat, as the user
would expect. The choices live in one small JSON file in the data folder, keyed by
conversation id (the history's schema stays as it is), written atomically.

A conversation can also allow tools *always* (the asking card's "Always in this chat"):
those switches' calls run without asking in that conversation only, until the user
takes it back in the composer's Tools menu. Kept in the same file (``{"off": […],
"always": […]}`` per conversation; an older file's plain list is its ``off``).

A tool belongs to one switch (:func:`switch_of`): ``python``, ``web`` (search and open
page together), ``documents`` (search my documents) or ``mcp:NAME`` (all the tools of
one MCP server).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from app.config import paths
from app.config.files import write_atomically
from app.tools import mcp_servers, registry
from app.tools.base import Tool, ToolResult, ToolSpec

log = logging.getLogger(__name__)

DOCUMENTS = "documents"
MCP_PREFIX = "mcp:"
FILE_NAME = "chat_tools.json"
_WEB_TOOLS = ("web_search", "web_open")
_OFF, _ALWAYS = "off", "always"


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


def allowed(tools: Sequence[Tool], always: Callable[[str], bool]) -> list[Tool]:
    """``tools``, those that ask first asking only while ``always(switch)`` is false:
    checked at each call, so "Always in this chat" holds for the next call of the
    answer being written too, and taking it back holds at once."""
    return [_Allowed(t, switch_of(t), always) if t.spec.asks_first else t for t in tools]


class _Allowed:
    """A tool that asks first unless the user allowed it always in this conversation:
    the same tool (anything else, such as an MCP tool's ``server``, is the tool's own)."""

    def __init__(self, tool: Tool, switch: str, always: Callable[[str], bool]) -> None:
        self.tool, self._switch, self._always = tool, switch, always

    @property
    def spec(self) -> ToolSpec:
        spec = self.tool.spec
        return replace(spec, asks_first=False) if self._always(self._switch) else spec

    def run(self, arguments: Mapping[str, Any], cancel: threading.Event) -> ToolResult:
        return self.tool.run(arguments, cancel)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tool, name)


def mcp_switches(servers: Iterable[mcp_servers.McpServer] | None = None) -> list[str]:
    """One switch per MCP server the user added (and did not disable)."""
    listed = mcp_servers.load() if servers is None else servers
    return [MCP_PREFIX + s.name for s in listed if s.enabled]


class ChatToolChoices:
    """The switched-off and the always-allowed tools of each conversation, kept in
    ``path`` (by default the data folder's ``chat_tools.json``). An unreadable file means
    nothing is switched off nor allowed without asking (logged): the user's global
    switches still hold, and every call that asks first asks."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.data_dir() / FILE_NAME
        self._chats: dict[str, dict[str, list[str]]] = self._load()

    def _load(self) -> dict[str, dict[str, list[str]]]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("the per-chat tool choices cannot be read (%s): all on", exc)
            return {}
        if not isinstance(raw, dict):
            return {}
        chats: dict[str, dict[str, list[str]]] = {}
        for key, value in raw.items():
            if isinstance(value, list):  # an older file: the switched-off tools
                value = {_OFF: value}
            if not isinstance(value, dict):
                continue
            chat = {kind: [str(n) for n in value.get(kind) or [] if isinstance(n, str)]
                    for kind in (_OFF, _ALWAYS) if isinstance(value.get(kind), list)}
            if any(chat.values()):
                chats[str(key)] = chat
        return chats

    def off(self, conversation_id: int | None) -> set[str]:
        """The switches this conversation left out (none for a new chat)."""
        return self._get(conversation_id, _OFF)

    def always(self, conversation_id: int | None) -> set[str]:
        """The switches whose calls run without asking in this conversation."""
        return self._get(conversation_id, _ALWAYS)

    def _get(self, conversation_id: int | None, kind: str) -> set[str]:
        if conversation_id is None:
            return set()
        return set(self._chats.get(str(conversation_id), {}).get(kind, []))

    def set_off(self, conversation_id: int, off: Collection[str]) -> None:
        """Keep ``off`` for the conversation (raises OSError if it cannot be saved)."""
        self._set(conversation_id, _OFF, off)

    def set_always(self, conversation_id: int, always: Collection[str]) -> None:
        """Keep ``always`` for the conversation (raises OSError if it cannot be saved)."""
        self._set(conversation_id, _ALWAYS, always)

    def _set(self, conversation_id: int, kind: str, names: Collection[str]) -> None:
        self._chats = self._load()  # another window or command may have written since
        key = str(conversation_id)
        chat = dict(self._chats.get(key, {}))
        if sorted(names) == sorted(chat.get(kind, [])):
            return
        if names:
            chat[kind] = sorted(names)
        else:
            chat.pop(kind, None)
        if any(chat.values()):
            self._chats[key] = chat
        else:
            self._chats.pop(key, None)
        self._save()

    def forget(self, conversation_ids: Iterable[object]) -> None:
        """Conversations that are gone (purged) lose their choices."""
        self._chats = self._load()
        gone = [str(c) for c in conversation_ids if str(c) in self._chats]
        for key in gone:
            del self._chats[key]
        if gone:
            self._save()

    def conversations(self) -> list[str]:
        """The conversations with a choice kept (their ids as the file has them)."""
        return list(self._chats)

    def _save(self) -> None:
        write_atomically(self.path, json.dumps(self._chats, indent=1, sort_keys=True))
