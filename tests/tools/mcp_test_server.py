"""A real MCP server (the SDK's MCPServer over stdio) for the MCP client's tests.

    python mcp_test_server.py [normal|chatty|crash|hang|http PORT]

``normal`` serves a few tools; ``chatty`` the same, logging their arguments to stderr
(as many servers do); ``crash`` exits before the handshake (saying why on stderr); ``hang`` reads
its input and never answers; ``http`` serves the tools over streamable HTTP on
127.0.0.1:PORT (path ``/mcp``). The tool ``die`` ends the process in the middle of a call.
"""

from __future__ import annotations

import os
import sys
import time

from mcp.server.mcpserver import MCPServer

server = MCPServer("cove-test")
CHATTY = False  # mode "chatty": the tools log their arguments to stderr


@server.tool()
def add(a: int, b: int) -> str:
    """Add two whole numbers."""
    return str(a + b)


@server.tool(name="shout.loud")
def shout(text: str) -> str:
    """Repeat the text in capitals (a name with a dot, as some servers use)."""
    if CHATTY:  # as many servers do: their arguments in their log
        print(f"shout.loud called with text={text!r}", file=sys.stderr, flush=True)
    return text.upper()


@server.tool()
def slow(seconds: float) -> str:
    """Wait, then answer."""
    time.sleep(seconds)
    return f"waited {seconds}"


@server.tool()
def fails() -> str:
    """Always fails."""
    raise ValueError("the disk is not there")


@server.tool()
def die() -> str:
    """Ends the server in the middle of the call."""
    os._exit(3)


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else "normal"
    if mode == "crash":
        print("cannot start: no configuration", file=sys.stderr)
        raise SystemExit(2)
    if mode == "hang":
        for _line in sys.stdin:
            pass
        return
    if mode == "chatty":
        global CHATTY
        CHATTY = True
        print("cove-test server starting (chatty)", file=sys.stderr, flush=True)
    if mode == "http":
        server.run("streamable-http", host="127.0.0.1", port=int(sys.argv[2]))
        return
    server.run("stdio")


if __name__ == "__main__":
    main()
