"""Which tools exist, which the user switched on, and a conversation's tools.

Everything is off until the user switches it on (``Settings.tools_enabled``, saved by
the caller): the built-in ``python`` tool runs code on this computer. MCP servers the
user added (:mod:`app.tools.mcp_servers`) are on once added (adding one is the
switch); their calls ask first unless the server is trusted. Web search needs both
its switch and a search endpoint the user chose (nothing is contacted otherwise).

For the session: one :class:`ConversationTools` per open conversation. Its
:meth:`~ConversationTools.tools` lists what the model may call (``only``: the names the
conversation's own switch allows); MCP servers start on that first call, not before,
and :meth:`~ConversationTools.close` stops them with the conversation.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from app.config import at_rest
from app.config.settings import Settings
from app.tools import mcp_servers, python, python_folder
from app.tools.base import Tool

if TYPE_CHECKING:  # the HTTP client and the MCP SDK load when a tool needs them: the
    # window's start does not pay for them
    from app.tools.mcp_client import McpHub

PYTHON = "python"
WEB = "web"  # web_search and web_open: leave this computer; need Settings.web_search_url
SWITCHES = (PYTHON, WEB)  # built-in tools the user switches on and off by name


def is_enabled(settings: Settings, name: str) -> bool:
    return name in settings.tools_enabled


def set_enabled(settings: Settings, name: str, on: bool) -> None:
    """Switch a built-in tool on or off (the caller saves the settings)."""
    if name not in SWITCHES:
        raise ValueError(f"unknown tool: {name}")
    names = set(settings.tools_enabled)
    names = names | {name} if on else names - {name}
    settings.tools_enabled = sorted(names)


def python_tool(conversation: object) -> python.PythonTool | None:
    """The python tool for a conversation, or None where it cannot run here."""
    if not python.supported():
        return None
    # sealed between runs with the history's key (app.tools.python_folder)
    return python.PythonTool(python.workdir_for(conversation),
                             key=at_rest.file_key(python_folder.PURPOSE))


def available(settings: Settings, conversation: object = "default",
              hub: McpHub | None = None, only: Collection[str] | None = None,
              cancel: threading.Event | None = None) -> list[Tool]:
    """The tools a conversation may offer the model: the switched-on built-ins, then the
    MCP servers' tools (starting those servers, when ``hub`` is given). ``only``: the
    conversation's own switch (tool names, or MCP server names for all their tools)."""
    tools: list[Tool] = []
    if is_enabled(settings, PYTHON):
        tool = python_tool(conversation)
        if tool is not None:
            tools.append(tool)
    if is_enabled(settings, WEB) and settings.web_search_url:
        from app.tools import web

        tools += [web.WebSearchTool(settings.web_search_url), web.WebOpenTool()]
    if hub is not None:
        tools += hub.tools(cancel)
    if only is None:
        return tools
    allowed = set(only)
    return [t for t in tools if t.spec.name in allowed
            or getattr(getattr(t, "server", None), "name", None) in allowed]


class ConversationTools:
    """One conversation's tools: the python tool in its own working folder and the MCP
    servers, started on first use and stopped by :meth:`close`."""

    def __init__(self, settings: Settings, conversation: object,
                 servers_file: Path | None = None) -> None:
        self.settings = settings
        self.conversation = conversation
        from app.tools.mcp_client import McpHub

        self.hub = McpHub(mcp_servers.load(servers_file))

    def tools(self, only: Collection[str] | None = None,
              cancel: threading.Event | None = None) -> list[Tool]:
        return available(self.settings, self.conversation, self.hub, only, cancel)

    @property
    def errors(self) -> dict[str, str]:
        """MCP servers that could not start, and why (for the window)."""
        return dict(self.hub.errors)

    def close(self) -> None:
        self.hub.close()
