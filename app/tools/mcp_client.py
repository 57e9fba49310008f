"""MCP servers' tools as Cove tools, through the ``mcp`` SDK.

One :class:`McpHub` per conversation: it starts a server the first time the
conversation asks for tools or calls one (never at Cove's start), and stops every
server it started when the conversation closes (:meth:`McpHub.close`).

The SDK is asynchronous; Cove's tools run on a plain background thread. So each
connection owns an asyncio loop on a thread of its own, holding the SDK's session open
between calls, and a call waits for its answer with a time limit while watching Stop.
A server that does not start, crashes, hangs or answers too slowly becomes an error
result the model can read (and the user sees) — never an exception in Cove, never a
wait without end: starting has ``start_timeout`` seconds, each call ``call_timeout``.
A connection that failed is dropped; the next call starts the server again.

Names: a tool is offered as ``<server>__<tool>``, both mapped to letters, digits and
``_`` (gpt-oss's function names), cut to 64 characters, so two servers' ``search``
tools never clash and a name like ``shout.loud`` is still callable; names that come out
alike (``a.b`` and ``a_b``) get ``_2``, ``_3`` … so neither hides the other.

A stdio server's stderr is kept in memory only (:class:`StderrTail`: its last 64 KiB,
read from a pipe), and its last lines are added to the message when the server fails
to start or its connection breaks: that is when someone reads it. Nothing is written
to disk: servers often log the arguments they were called with, which are the
conversation's words (see docs/ARCHITECTURE.md, "MCP servers' stderr").
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import os
import re
import threading
import time
from collections.abc import Mapping
from typing import Any, TextIO

from app.engine.openai_messages import schema_problem
from app.tools.base import FUNCTION, ToolResult, ToolSpec, error
from app.tools.mcp_servers import McpServer

MAX_TEXT = 100_000  # of a result, for the model (the session cuts it further to fit)
STDERR_KEPT = 64 * 1024  # bytes of a server's stderr kept in memory, the newest
STDERR_SHOWN = 800  # characters of it added to a failure's message, its last lines


class McpFailure(Exception):
    """A server could not be reached or did not answer (the message is for the user)."""


def tool_name(server: str, tool: str) -> str:
    """``<server>__<tool>`` in letters, digits and ``_``, at most 64 characters."""
    def clean(text: str) -> str:
        return re.sub(r"[^A-Za-z0-9_]", "_", text).strip("_") or "x"
    return f"{clean(server)}__{clean(tool)}"[:64]


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or with ``_2``, ``_3`` … when another tool has it already ("a.b" and
    "a_b", "My Files" and "My_Files" clean to the same name; one would hide the other)."""
    number = 1
    unique = name
    while unique in taken:
        number += 1
        suffix = f"_{number}"
        unique = name[:64 - len(suffix)] + suffix
    return unique


class McpConnection:
    """One running server: its own loop thread, the SDK session kept open."""

    def __init__(self, server: McpServer, start_timeout: float = 20.0,
                 call_timeout: float = 60.0) -> None:
        self.server = server
        self.start_timeout = start_timeout
        self.call_timeout = call_timeout
        self.tools: list[Any] = []  # mcp.types.Tool, as listed at start
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True,
                                        name=f"mcp-{server.name}")
        self._session: Any = None
        self._closing: asyncio.Event | None = None
        self._main: concurrent.futures.Future[None] | None = None
        self._task: asyncio.Task[None] | None = None
        self._done = threading.Event()  # _serve has left the SDK (the process ended)
        self._log: StderrTail | None = None
        self.alive = False

    def start(self, cancel: threading.Event | None = None) -> None:
        """Start the server and list its tools; raise :class:`McpFailure` if it cannot."""
        self._thread.start()
        ready: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._main = asyncio.run_coroutine_threadsafe(self._serve(ready), self._loop)
        try:
            _wait(ready, self.start_timeout, cancel)
        except TimeoutError:
            self.close()
            raise McpFailure(f"The MCP server “{self.server.name}” did not start within "
                             f"{self.start_timeout:g} s.") from None
        except McpFailure:
            self.close()
            raise
        except BaseException as exc:
            self.close()
            raise McpFailure(f"The MCP server “{self.server.name}” could not start: "
                             f"{_reason(exc)}.{self._log_hint()}") from exc
        self.alive = True

    async def _serve(self, ready: concurrent.futures.Future[None]) -> None:
        from mcp import ClientSession

        self._closing = asyncio.Event()
        self._task = asyncio.current_task()
        try:
            async with contextlib.AsyncExitStack() as stack:
                read, write = await stack.enter_async_context(self._transport())
                session = await stack.enter_async_context(ClientSession(read, write))
                await session.initialize()
                self.tools = await _list_tools(session)
                self._session = session
                ready.set_result(None)
                await self._closing.wait()
        except BaseException as exc:
            if not ready.done():
                ready.set_exception(exc)
            self.alive = False
            if not isinstance(exc, Exception):
                raise
        finally:
            self.alive = False
            self._done.set()

    def _transport(self) -> contextlib.AbstractAsyncContextManager[Any]:
        if self.server.url:
            from mcp.client.streamable_http import streamable_http_client

            return streamable_http_client(self.server.url)
        from mcp.client.stdio import StdioServerParameters, stdio_client

        self._log = StderrTail(self.server.name)
        params = StdioServerParameters(command=self.server.command[0],
                                       args=self.server.command[1:], env=self.server.env or None)
        return stdio_client(params, errlog=self._log.writer)

    def call(self, name: str, arguments: Mapping[str, Any],
             cancel: threading.Event | None = None) -> Any:
        """The server's ``CallToolResult``; raise McpFailure (timeout, crash) or
        InterruptedError (Stop)."""
        if not self.alive or self._session is None:
            raise McpFailure(f"The MCP server “{self.server.name}” is not running.")
        future = asyncio.run_coroutine_threadsafe(
            self._session.call_tool(name, dict(arguments)), self._loop)
        try:
            return _wait(future, self.call_timeout, cancel)
        except TimeoutError:
            future.cancel()
            raise McpFailure(f"The MCP server “{self.server.name}” did not answer within "
                             f"{self.call_timeout:g} s.") from None
        except (McpFailure, InterruptedError):
            future.cancel()
            raise
        except Exception as exc:
            self.alive = False  # a tool's own error is a result: this is the connection
            if self._log is not None:  # the server has ended: read what it said last
                self._log.close(wait=1.0)
            raise McpFailure(f"The MCP server “{self.server.name}” failed: {_reason(exc)}."
                             f"{self._log_hint()}") from exc

    def close(self) -> None:
        """Stop the server and the loop thread. A running session is asked to end (the
        SDK closes the server's input, then terminates it); one still starting, or
        one that does not end within 5 s, is cancelled. Waits until the SDK is done,
        so no server process outlives this."""
        self.alive = False
        if self._thread.is_alive():
            if self._main is not None and not self._done.is_set():
                if self._session is not None and self._closing is not None:
                    self._loop.call_soon_threadsafe(self._closing.set)
                    self._done.wait(5)
                if not self._done.is_set() and self._task is not None:
                    self._loop.call_soon_threadsafe(self._task.cancel)
                self._done.wait(15)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        if not self._thread.is_alive() and not self._loop.is_closed():
            self._loop.close()
        if self._log is not None:  # kept: a failure's message reads it after this
            self._log.close()

    def _log_hint(self) -> str:
        """The last lines the server wrote to stderr, for a failure's message."""
        said = self._log.last(STDERR_SHOWN) if self._log is not None else ""
        return f" It said: {said}" if said else ""


class StderrTail:
    """A server's stderr, kept in memory: ``writer`` is the write end of a pipe (the
    server's stderr); a thread reads the other end and keeps the newest
    :data:`STDERR_KEPT` bytes. :meth:`close` after the server has ended."""

    def __init__(self, name: str) -> None:
        read, write = os.pipe()
        self._read = read
        self.writer: TextIO = os.fdopen(write, "w", encoding="utf-8")
        self._kept = bytearray()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._pump, daemon=True,
                                        name=f"mcp-stderr-{name}")
        self._thread.start()

    def _pump(self) -> None:
        try:
            while chunk := os.read(self._read, 65536):
                with self._lock:
                    self._kept += chunk
                    del self._kept[:-STDERR_KEPT]
        except OSError:
            pass
        finally:
            os.close(self._read)

    def last(self, chars: int) -> str:
        """The newest ``chars`` characters, from a line's start where there is one."""
        with self._lock:
            text = bytes(self._kept).decode("utf-8", "replace")
        text = text.strip()
        if len(text) > chars:
            text = text[-chars:]
            text = "…" + (text.split("\n", 1)[1] if "\n" in text else text)
        return " / ".join(line.strip() for line in text.splitlines() if line.strip())

    def close(self, wait: float = 5.0) -> None:
        """Close Cove's end of the pipe and wait up to ``wait`` s for the reader, which
        ends once the server's end has gone too (the server ended)."""
        self.writer.close()
        self._thread.join(wait)


async def _list_tools(session: Any) -> list[Any]:
    tools: list[Any] = []
    cursor = None
    for _ in range(100):  # pages; a server that pages forever is cut off
        from mcp import types

        params = types.PaginatedRequestParams(cursor=cursor) if cursor else None
        page = await session.list_tools(params=params)
        tools.extend(page.tools)
        cursor = page.next_cursor
        if not cursor:
            break
    return tools


def _wait(future: concurrent.futures.Future[Any], timeout: float,
          cancel: threading.Event | None) -> Any:
    """The future's result within ``timeout`` s; InterruptedError once ``cancel`` is
    set (checked 20 times a second)."""
    until = time.monotonic() + timeout
    while True:
        if cancel is not None and cancel.is_set():
            raise InterruptedError
        left = until - time.monotonic()
        if left <= 0:
            raise TimeoutError
        with contextlib.suppress(concurrent.futures.TimeoutError):
            return future.result(timeout=min(left, 0.05))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return f"the program was not found ({exc.filename or exc})"
    inner = getattr(exc, "exceptions", None)  # an exception group from the SDK's tasks
    if inner:
        return _reason(inner[0])
    text = str(exc).strip().rstrip(".") or type(exc).__name__
    return text[:300]


class McpTool:
    """One MCP server's tool, offered as a function tool."""

    def __init__(self, hub: McpHub, server: McpServer, tool: Any,
                 name: str | None = None) -> None:
        """``name``: what the model calls it (default :func:`tool_name`)."""
        self._hub, self._server, self._tool = hub, server, tool
        schema = tool.input_schema if isinstance(tool.input_schema, dict) else {}
        description = (tool.description or tool.title or tool.name)[:2000]
        problem = schema_problem(schema)
        if problem:  # the prompt could not hold it: every answer would fail
            schema = {}
            description += f"\n(Cove could not read this tool's arguments: {problem}.)"
        self._spec = ToolSpec(
            name=name or tool_name(server.name, tool.name),
            description=description,
            parameters=schema or {"type": "object", "properties": {}},
            kind=FUNCTION,
            title=f"{tool.title or tool.name} ({server.name})",
            leaves_computer=server.leaves_computer,
            asks_first=not server.trusted,
        )

    @property
    def spec(self) -> ToolSpec:
        return self._spec

    @property
    def server(self) -> McpServer:
        return self._server

    def run(self, arguments: Mapping[str, Any], cancel: threading.Event) -> ToolResult:
        started = time.monotonic()
        try:
            result = self._hub.call(self._server, self._tool.name, arguments, cancel)
        except InterruptedError:
            return error("[stopped by the user]")
        except McpFailure as exc:
            return error(str(exc))
        return _result(result, time.monotonic() - started)


def _result(result: Any, seconds: float) -> ToolResult:
    """The server's content as text: text parts as they are, other parts named."""
    parts: list[str] = []
    for item in getattr(result, "content", None) or []:
        kind = getattr(item, "type", "")
        if kind == "text":
            parts.append(item.text)
        elif kind in ("image", "audio"):
            parts.append(f"[{kind}: {getattr(item, 'mime_type', '')}]")
        elif kind == "resource_link":
            parts.append(f"[resource: {getattr(item, 'uri', '')}]")
        else:
            parts.append(f"[{kind or 'content'}]")
    structured = getattr(result, "structured_content", None)
    if not parts and structured is not None:
        parts.append(json.dumps(structured, ensure_ascii=False))
    text = "\n".join(parts) or "[no content]"
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT] + f"\n[… {len(text) - MAX_TEXT:,} characters not shown …]"
    failed = bool(getattr(result, "is_error", False))
    return ToolResult(text=text, is_error=failed, data={"seconds": round(seconds, 3)})


class McpHub:
    """A conversation's MCP servers: started on first use, stopped by :meth:`close`.
    ``errors`` holds, per server name, why it could not start (for the window)."""

    def __init__(self, servers: list[McpServer], start_timeout: float = 20.0,
                 call_timeout: float = 60.0) -> None:
        self.servers = [s for s in servers if s.enabled]
        self.start_timeout, self.call_timeout = start_timeout, call_timeout
        self.errors: dict[str, str] = {}
        self._connections: dict[str, McpConnection] = {}
        self._lock = threading.Lock()
        self._closed = False

    def tools(self, cancel: threading.Event | None = None) -> list[McpTool]:
        """Every enabled server's tools (starting the servers not yet running); a server
        that fails is left out and its reason kept in ``errors``."""
        found: list[McpTool] = []
        names: set[str] = set()
        for server in self.servers:
            try:
                connection = self._connection(server, cancel)
            except (McpFailure, InterruptedError) as exc:
                self.errors[server.name] = str(exc) or "stopped"
                continue
            for tool in connection.tools:
                name = _unique(tool_name(server.name, tool.name), names)
                names.add(name)
                found.append(McpTool(self, server, tool, name))
        return found

    def call(self, server: McpServer, name: str, arguments: Mapping[str, Any],
             cancel: threading.Event | None = None) -> Any:
        connection = self._connection(server, cancel)
        try:
            return connection.call(name, arguments, cancel)
        except McpFailure:
            if not connection.alive:
                self._drop(server.name, connection)
            raise

    def _connection(self, server: McpServer, cancel: threading.Event | None) -> McpConnection:
        with self._lock:
            if self._closed:
                raise McpFailure("This conversation's tools have been closed.")
            connection = self._connections.get(server.name)
            if connection is not None and connection.alive:
                return connection
            connection = McpConnection(server, self.start_timeout, self.call_timeout)
            connection.start(cancel)
            self._connections[server.name] = connection
            self.errors.pop(server.name, None)
            return connection

    def _drop(self, name: str, connection: McpConnection) -> None:
        with self._lock:
            if self._connections.get(name) is connection:
                del self._connections[name]
        connection.close()

    def running(self) -> list[str]:
        return [name for name, c in self._connections.items() if c.alive]

    def close(self) -> None:
        with self._lock:
            self._closed = True
            connections = list(self._connections.values())
            self._connections.clear()
        for connection in connections:
            connection.close()
