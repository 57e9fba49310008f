"""``cove tools …``: the tools the model may use, from the command line.

    cove tools list [--json]
    cove tools enable python | cove tools disable python
    cove tools enable web --search-url https://searx.example/search | disable web
    cove tools add-mcp NAME [--trust] [--env K=V …] -- COMMAND [ARG …]
    cove tools add-mcp NAME --url https://host/mcp [--trust]
    cove tools trust NAME | cove tools distrust NAME
    cove tools test NAME       start the server, list its tools, stop it
    cove tools remove NAME

Building the parser imports nothing but argparse (``cove``'s start stays quick).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``cove tools`` and its subcommands."""
    p = subparsers.add_parser("tools", help="tools the model may use: python, MCP servers")
    sub = p.add_subparsers(dest="tools_command", required=True)
    ls = sub.add_parser("list", help="the tools and MCP servers, on or off")
    ls.add_argument("--json", action="store_true", help="machine-readable output")
    for verb in ("enable", "disable"):
        switch = sub.add_parser(verb, help=f"{verb} a built-in tool")
        switch.add_argument("name", choices=("python", "web"))
        if verb == "enable":
            switch.add_argument("--search-url", default=None, metavar="URL",
                                help="web: the search service to ask (a SearXNG address); "
                                     "searches leave this computer")
    add = sub.add_parser("add-mcp", help="add an MCP server (a command to start, or a URL)",
                         usage="cove tools add-mcp NAME [options] [-- COMMAND [ARG …]]")
    add.add_argument("name")
    _add_options(add)
    add.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    for verb, text in (("remove", "forget an MCP server"),
                       ("trust", "run a server's tools without asking"),
                       ("distrust", "ask before each of a server's calls again"),
                       ("test", "start a server, list its tools, stop it")):
        sub.add_parser(verb, help=text).add_argument("name")


def _add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", default="", help="a streamable-HTTP MCP endpoint")
    parser.add_argument("--trust", action="store_true",
                        help="run its tools without asking each time")
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="an environment variable for the server's command")


def _split_add(args: argparse.Namespace) -> list[str]:
    """The options after NAME (argparse hands them over unparsed, with the command
    after ``--``) merged into ``args``; returns the command."""
    rest = list(args.rest)
    if "--" in rest:
        cut = rest.index("--")
    else:  # argparse already took a "--" right after NAME: all of it is the command
        cut = len(rest) if rest[:1] and rest[0].startswith("-") else -1
    options, command = rest[:max(cut, 0)], rest[cut + 1:]
    late = argparse.ArgumentParser(prog="cove tools add-mcp", add_help=False)
    _add_options(late)
    parsed = late.parse_args(options)
    args.url = args.url or parsed.url
    args.trust = args.trust or parsed.trust
    args.env = [*args.env, *parsed.env]
    return command


def run(args: argparse.Namespace, out: TextIO | None = None,
        err: TextIO | None = None) -> int:
    """Carry out ``cove tools …``; returns the exit status. ``out``/``err``: the
    streams of the moment (sys.stdout when called, not when imported)."""
    out, err = out or sys.stdout, err or sys.stderr
    from app.tools import mcp_servers

    command = args.tools_command
    try:
        if command == "list":
            return _list(args.json, out)
        if command in ("enable", "disable"):
            return _switch(args, command == "enable", out, err)
        if command == "add-mcp":
            return _add(args, out)
        if command == "remove":
            if not mcp_servers.remove(args.name):
                print(f"cove: no MCP server named {args.name}", file=err)
                return 1
            print(f"Removed {args.name}.", file=out)
            return 0
        if command in ("trust", "distrust"):
            if not mcp_servers.set_trusted(args.name, command == "trust"):
                print(f"cove: no MCP server named {args.name}", file=err)
                return 1
            print(f"{args.name}: " + ("runs without asking." if command == "trust"
                                     else "asks before each call."), file=out)
            return 0
        return _test(args.name, out, err)
    except (mcp_servers.ServerError, OSError) as exc:
        print(f"cove: {exc}", file=err)
        return 1


def _list(as_json: bool, out: TextIO) -> int:
    from app.config import settings as settings_mod
    from app.tools import mcp_servers, python, registry

    settings = settings_mod.load()
    backend = python.best_backend() if python.supported() else None
    report: dict[str, Any] = {
        "python": {"enabled": registry.is_enabled(settings, registry.PYTHON),
                   "available": python.supported(), "sandbox": backend},
        "web": {"enabled": registry.is_enabled(settings, registry.WEB),
                "search_url": settings.web_search_url},
        "mcp_servers": [{"name": s.name, "kind": s.kind, "target": s.describe(),
                         "trusted": s.trusted, "enabled": s.enabled,
                         "leaves_computer": s.leaves_computer}
                        for s in mcp_servers.load()],
    }
    if as_json:
        print(json.dumps(report, indent=2), file=out)
        return 0
    py = report["python"]
    state = "on" if py["enabled"] else "off"
    where = f"sandbox: {backend}" if py["available"] else "not available on this system"
    print(f"python        {state:4} ({where})", file=out)
    web = report["web"]
    print(f"web           {'on' if web['enabled'] else 'off':4} "
          f"({web['search_url'] or 'no search service set'}; leaves this computer)", file=out)
    for server in report["mcp_servers"]:
        trust = "trusted" if server["trusted"] else "asks first"
        away = ", leaves this computer" if server["leaves_computer"] else ""
        print(f"mcp {server['name']:<10} {trust}{away}: {server['target']}", file=out)
    if not report["mcp_servers"]:
        print("no MCP servers (add one: cove tools add-mcp NAME -- COMMAND)", file=out)
    return 0


def _switch(args: argparse.Namespace, on: bool, out: TextIO, err: TextIO) -> int:
    from app.config import settings as settings_mod
    from app.tools import registry

    settings = settings_mod.load()
    url = getattr(args, "search_url", None)
    if url is not None:
        settings.web_search_url = url
    if on and args.name == registry.WEB and not settings.web_search_url:
        print("cove: web search needs a search service: --search-url URL "
              "(for example your SearXNG address)", file=err)
        return 2
    registry.set_enabled(settings, args.name, on)
    settings_mod.save(settings)
    note = " (searches and pages leave this computer)" if on and args.name == "web" else ""
    print(f"{args.name}: {'on' if on else 'off'}{note}", file=out)
    return 0


def _add(args: argparse.Namespace, out: TextIO) -> int:
    from app.tools import mcp_servers

    command = _split_add(args)
    env: dict[str, str] = {}
    for pair in args.env:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise mcp_servers.ServerError(f"--env wants KEY=VALUE, not {pair!r}.")
        env[key] = value
    server = mcp_servers.McpServer(name=args.name, command=command, url=args.url, env=env,
                                   trusted=args.trust)
    mcp_servers.add(server)
    print(f"Added {server.name} ({server.describe()}).", file=out)
    return 0


def _test(name: str, out: TextIO, err: TextIO) -> int:
    from app.tools import mcp_servers
    from app.tools.mcp_client import McpHub

    found = [s for s in mcp_servers.load() if s.name == name]
    if not found:
        print(f"cove: no MCP server named {name}", file=err)
        return 1
    hub = McpHub(found)
    try:
        tools = hub.tools()
    finally:
        hub.close()
    if name in hub.errors:
        print(hub.errors[name], file=err)
        return 1
    for tool in tools:
        first = (tool.spec.description or "").splitlines()[:1]
        print(f"{tool.spec.name}: {first[0] if first else ''}", file=out)
    return 0
