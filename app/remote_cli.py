"""``cove chat --server NAME`` and ``cove servers …``: remote servers from a terminal.

``cove servers add lab https://gpu-box:8000 --ask-key`` adds a server (the key is read
with a hidden prompt, or from stdin with ``--key-stdin``: never from the command line,
where it would land in the shell's history and the process list). ``cove chat --server
lab "Hi"`` then chats with the server's model (``--model ID`` picks another of its
models) exactly like ``cove chat --model PATH`` does with a local file.

Both chat commands share one conversation loop, :func:`app.chat_loop.chat_loop`.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from app.engine.servers import ServerStore

# app.engine.remote.APIS and its default, spelled out so that building the command
# line parser does not import the HTTP client (cove's start stays quick).
_APIS = ("chat", "responses")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``cove servers`` and its subcommands."""
    p = subparsers.add_parser("servers", help="remote servers: add, list, test, remove")
    sub = p.add_subparsers(dest="servers_command", required=True)
    ls = sub.add_parser("list", help="the servers you added")
    ls.add_argument("--json", action="store_true", help="machine-readable output")
    add = sub.add_parser("add", help="add a server (or change one)")
    add.add_argument("name")
    add.add_argument("url", help="its OpenAI-compatible address, e.g. https://host:8000/v1")
    add.add_argument("--model", default="", help="model id (default: the server's first)")
    add.add_argument("--api", choices=_APIS, default=_APIS[0],
                     help="chat completions (every server) or the Responses API")
    add.add_argument("--allow-insecure", action="store_true",
                     help="allow plain http:// to another computer (readable on the network)")
    add.add_argument("--ca-file", default="", help="your organisation's CA certificate (PEM)")
    keys = add.add_mutually_exclusive_group()
    keys.add_argument("--ask-key", action="store_true", help="type the API key (hidden)")
    keys.add_argument("--key-stdin", action="store_true", help="read the API key from stdin")
    keys.add_argument("--key-env", metavar="VAR", help="take the API key from this variable")
    rm = sub.add_parser("remove", help="forget a server and its key")
    rm.add_argument("name")
    test = sub.add_parser("test", help="test the connection to a server")
    test.add_argument("name")
    models = sub.add_parser("models", help="the models a server offers")
    models.add_argument("name")


def run(args: argparse.Namespace, out: TextIO = sys.stdout, err: TextIO = sys.stderr,
        stdin: TextIO = sys.stdin) -> int:
    """Carry out ``cove servers …``; returns the exit status."""
    from app.engine.remote import RemoteError
    from app.engine.servers import ServerError, ServerStore, backend_for, check_connection

    store = ServerStore()
    command = args.servers_command
    try:
        if command == "list":
            return _list(store, args.json, out)
        if command == "add":
            return _add(store, args, out, err, stdin)
        if command == "remove":
            store.remove(args.name)
            print(f"Removed {args.name}.", file=out)
            return 0
        server = store.get(args.name)
        if command == "test":
            verdict = check_connection(server)
            print(verdict.message, file=out if verdict.ok else err)
            return 0 if verdict.ok else 1
        if command == "models":
            with backend_for(server) as remote:
                found = remote.models()
            store.remember_models(server.name, found)
            for model in found:
                print(model + ("  (chosen)" if model == server.model else ""), file=out)
            return 0
    except (ServerError, RemoteError) as exc:
        print(f"cove: {exc}", file=err)
        return 1
    raise AssertionError(f"unknown servers command {command!r}")


def _list(store: ServerStore, as_json: bool, out: TextIO) -> int:
    import json

    from app.engine.servers import api_key

    servers = store.servers()
    if as_json:
        rows = [{**s.to_json(), "has_key": api_key(s.name) is not None} for s in servers]
        print(json.dumps(rows, indent=1), file=out)
        return 0
    if not servers:
        print("No servers yet. Try: cove servers add NAME https://host:8000/v1 --ask-key",
              file=out)
        return 0
    for s in servers:
        key = "key in keyring" if api_key(s.name) else "no key"
        print(f"{s.name:16} {s.base_url:40} {s.model or '(first model)':24} {key}", file=out)
    return 0


def _add(store: ServerStore, args: argparse.Namespace, out: TextIO, err: TextIO,
         stdin: TextIO) -> int:
    import getpass
    import os

    from app.engine.servers import ServerConfig, check_connection

    key: str | None = None
    if args.ask_key:
        key = getpass.getpass("API key (hidden): ")
    elif args.key_stdin:
        key = stdin.readline().strip()
    elif args.key_env:
        key = os.environ.get(args.key_env, "")
    server = store.save(ServerConfig(args.name, args.url, model=args.model, api=args.api,
                                     allow_insecure=args.allow_insecure,
                                     ca_file=args.ca_file), key)
    print(f"Saved {server.name} ({server.base_url}).", file=out)
    verdict = check_connection(server)
    if verdict.models:
        store.remember_models(server.name, verdict.models)
    print(verdict.message, file=out if verdict.ok else err)
    return 0


def run_remote_chat(args: argparse.Namespace, stdin: TextIO, out: TextIO, err: TextIO) -> int:
    """``cove chat --server NAME [--model ID] [prompt]``."""
    from dataclasses import replace

    from app.engine.remote import RemoteError
    from app.engine.servers import ServerError, ServerStore, backend_for

    try:
        server = ServerStore().get(args.server)
        if args.model:
            server = replace(server, model=args.model)
        remote = backend_for(server)
    except (ServerError, RemoteError) as exc:
        print(f"cove: {exc}", file=err)
        return 1
    with remote:
        try:
            model = remote.resolve_model()
            if args.model and model not in (offered := remote.models()):
                print(f"cove: {server.name} has no model {model!r}. It offers: "
                      f"{', '.join(offered) or 'nothing'}.", file=err)
                return 1
        except RemoteError as exc:
            print(f"cove: {exc}", file=err)
            return 1
        sampling: dict[str, Any] = {}
        if args.temperature is not None:
            sampling["temp"] = args.temperature
        if args.seed is not None:
            sampling["seed"] = args.seed
        intro = f"Chatting with {model} on {server.name} ({remote.base_url})."
        from app.chat_loop import chat_loop

        return chat_loop(remote, args, sampling, intro, stdin, out, err)
