"""Tools in ``cove chat``: ``--allow-tools [NAMES]`` offers the tools the user switched on
(``cove tools``) to the model, as the window does.

A call that asks first is asked about on the terminal ("Run this code? [y/N]", the code
shown above it) when stdin is a terminal; otherwise it is denied, unless ``--yes-tools``
says to run them all (scripts). Each call and its result are shown on stderr, so stdout
keeps only the answer. MCP servers start when the model is first offered their tools and
stop when the command ends.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # the parser's part imports nothing more (cove's start stays quick)
    from app.config.settings import Settings
    from app.session import events
    from app.session.service import Session
    from app.tools.base import Tool
    from app.tools.registry import ConversationTools

SHOWN_CHARS = 2000  # of a result, on the terminal


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--allow-tools`` and ``--yes-tools`` for ``cove chat``."""
    parser.add_argument(
        "--allow-tools", nargs="?", const="", default=None, metavar="NAMES",
        help="offer the tools switched on with 'cove tools' (all, or the comma-separated "
             "NAMES: python, web, MCP server names); calls that ask first are asked here")
    parser.add_argument("--yes-tools", action="store_true",
                        help="with --allow-tools and no terminal: run calls without asking")


def for_args(args: argparse.Namespace, stdin: TextIO, err: TextIO,
             settings: Settings | None = None) -> TerminalTools | None:
    """The tools of this command, or None without ``--allow-tools``."""
    names = getattr(args, "allow_tools", None)
    if names is None:
        return None
    if settings is None:
        from app.config import settings as settings_mod

        settings = settings_mod.load()
    wanted = [n.strip() for n in names.split(",") if n.strip()] or None
    if wanted and getattr(args, "prompt", "") is None and not _all_known(wanted):
        # `cove chat --allow-tools "a question"`: argparse took the question for NAMES.
        args.prompt, wanted = names, None
    return TerminalTools(settings, wanted, bool(getattr(args, "yes_tools", False)),
                         stdin, err)


class TerminalTools:
    """Offers the tools to a session and answers its questions on the terminal."""

    def __init__(self, settings: Settings, names: list[str] | None, yes: bool,
                 stdin: TextIO, err: TextIO) -> None:
        self.settings, self.yes, self.stdin, self.err = settings, yes, stdin, err
        self.only = _expand(names)
        self._shelves: dict[int, ConversationTools] = {}
        self._session: Session | None = None
        self._warned = False

    def tools_for(self, conversation_id: int, answer_id: int) -> list[Tool]:
        """The session's ``tools``: the conversation's switched-on tools."""
        from app.tools.registry import ConversationTools

        shelf = self._shelves.get(conversation_id)
        if shelf is None:
            shelf = self._shelves[conversation_id] = ConversationTools(self.settings,
                                                                       conversation_id)
        tools = shelf.tools(self.only)
        for server, why in shelf.errors.items():
            print(f"cove: the MCP server {server} did not start: {why}", file=self.err)
        if not tools and not self._warned:
            self._warned = True
            print("cove: no tool is switched on for --allow-tools ('cove tools list' shows "
                  "them; 'cove tools enable python' switches python on)", file=self.err)
        return tools

    def attach(self, session: Session) -> Callable[[], None]:
        """Listen to ``session``: show the calls, answer its questions."""
        self._session = session
        return session.subscribe(self._on_event)

    def _on_event(self, event: events.Event) -> None:
        from app.session import events

        if isinstance(event, events.ToolCallProposed):
            self._ask(event.call)
        elif isinstance(event, events.ToolCallStarted):
            print(f"\n[tool {event.call.tool}: running]", file=self.err, flush=True)
        elif isinstance(event, events.ToolCallFinished):
            self._show_result(event.call)

    def _ask(self, call: events.ToolCallInfo) -> None:
        assert self._session is not None
        python = call.tool == "python"
        what = "code" if python else "arguments"
        print(f"\n[tool {call.tool}: the model wants to run it with this {what}]\n"
              f"{call.arguments}", file=self.err)
        if _is_terminal(self.stdin):
            question = "Run this code? [y/N] " if python else "Run this tool call? [y/N] "
            print(question, end="", file=self.err, flush=True)
            approved = self.stdin.readline().strip().lower() in ("y", "yes")
        else:
            approved = self.yes
            if not approved:
                print("[not run: no terminal to ask (--yes-tools runs calls without "
                      "asking)]", file=self.err)
        self._session.approve_tool(call.id, approved)

    def _show_result(self, call: events.ToolCallInfo) -> None:
        took = f" in {call.ms} ms" if call.ms is not None else ""
        text = call.shown if call.shown is not None else call.result
        if len(text) > SHOWN_CHARS:
            text = text[:SHOWN_CHARS] + f"\n[… {len(text) - SHOWN_CHARS} more characters]"
        print(f"[tool {call.tool}: {call.status}{took}]\n{text}".rstrip(), file=self.err,
              flush=True)

    def close(self) -> None:
        """Stop the MCP servers started for this command."""
        for shelf in self._shelves.values():
            shelf.close()
        self._shelves.clear()


def _all_known(names: list[str]) -> bool:
    """Whether every name is a tool switch or an MCP server the user added."""
    from app.tools import mcp_servers, registry

    known = {*registry.SWITCHES, *(server.name for server in mcp_servers.load())}
    return all(name in known for name in names)


def _expand(names: list[str] | None) -> list[str] | None:
    """The names ``registry.available`` filters by ("web" is its two tools)."""
    if names is None:
        return None
    out: list[str] = []
    for name in names:
        out += ["web_search", "web_open"] if name == "web" else [name]
    return out


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
