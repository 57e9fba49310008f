"""The ``cove`` command.

``cove``                      start the app (GUI)
``cove chat --model PATH …``  chat on the command line
``cove models …``             list, download, import, verify, delete models
``cove servers …``            remote gpt-oss servers (vLLM, llama-server, Ollama)
``cove tools …``              tools the model may use: python, MCP servers
``cove chat --server NAME``   chat through one of them
``cove serve --model PATH``   an OpenAI-compatible API for other programs (no window)
``cove --self-test [--model PATH]``  start the worker, generate, report (smoke tests)
``cove worker ADDRESS``       internal: the model worker process
``cove read-document PATH N``  internal: reads a PDF from page N in a process of its own
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from app import __version__

if TYPE_CHECKING:
    from app.chats.store import ChatStore


def _chat_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("chat", help="chat with a model on the command line")
    p.add_argument("prompt", nargs="?", help="ask once and exit; without it, chat interactively")
    p.add_argument("--model", default=None,
                   help="a GGUF model file; with --server, one of the server's models")
    p.add_argument("--server", metavar="NAME", default=None,
                   help="chat through a server added with 'cove servers add'")
    p.add_argument("--effort", choices=("low", "medium", "high"), default="medium",
                   help="reasoning effort for gpt-oss (default: medium)")
    p.add_argument("--show-reasoning", action="store_true",
                   help="print the model's reasoning to stderr")
    p.add_argument("--instructions", default="", help="instructions for the model")
    p.add_argument("--ctx", type=int, default=None,
                   help="context length in tokens (default: the largest that fits, up to 16k)")
    p.add_argument("--gpu-layers", type=int, default=None,
                   help="layers to offload to the GPU (default: as the hardware plan says)")
    p.add_argument("--threads", type=int, default=None, help="CPU threads")
    p.add_argument("--max-tokens", type=int, default=None, help="limit on the answer length")
    p.add_argument("--temperature", type=float, default=None)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--no-save", action="store_true",
                   help="keep this conversation out of the history")
    p.add_argument("--continue", dest="conversation", type=int, metavar="ID", default=None,
                   help="go on with a saved conversation (its number in --list)")
    p.add_argument("--list", action="store_true",
                   help="list the saved conversations and exit")
    from app.session import terminal_tools

    terminal_tools.add_arguments(p)


def build_parser(with_models: bool = True) -> argparse.ArgumentParser:
    """The whole command line. ``with_models=False`` leaves out ``cove models``, whose
    download code costs a few hundred milliseconds to import: the GUI's start and the
    chat command do not pay for it."""
    parser = argparse.ArgumentParser(prog="cove", description="Private, offline chat.")
    parser.add_argument("--version", action="version", version=f"Cove {__version__}")
    sub = parser.add_subparsers(dest="command")
    _chat_parser(sub)
    if with_models:
        from app import remote_cli
        from app.models import cli as models_cli

        models_cli.register(sub)
        remote_cli.register(sub)
        from app.api import cli as api_cli

        api_cli.register(sub)
        from app.tools import cli as tools_cli

        tools_cli.register(sub)
    sub.add_parser("gui", help="start the app (the default)")
    return parser


def run_chat(args: argparse.Namespace, stdin: TextIO, out: TextIO, err: TextIO) -> int:
    if getattr(args, "list", False):
        from app.chat_loop import list_conversations

        return list_conversations(out, err)
    if args.server:
        from app.remote_cli import run_remote_chat

        return run_remote_chat(args, stdin, out, err)
    if not args.model:
        print("cove: chat needs --model PATH or --server NAME", file=err)
        return 2
    from app.chat_loop import history, history_failed
    from app.chats.errors import ChatStoreError

    try:  # the history first: without a keyring its passphrase is asked before the
        # model loads (which can take a minute), not after
        with history(args, stdin, err) as store:
            return _chat_with_model(args, store, stdin, out, err)
    except ChatStoreError as exc:
        return history_failed(exc, err)


def _chat_with_model(args: argparse.Namespace, store: ChatStore, stdin: TextIO,
                     out: TextIO, err: TextIO) -> int:
    from app.chat_loop import chat_loop
    from app.engine.client import EngineClient, EngineError

    try:
        engine = EngineClient()
    except EngineError as exc:
        print(f"cove: {exc}", file=err)
        return 1
    with engine:
        try:
            engine.load(args.model, n_ctx=args.ctx, n_gpu_layers=args.gpu_layers,
                        n_threads=args.threads, seed=args.seed)
        except EngineError as exc:
            print(f"cove: {exc}", file=err)
            return 1
        sampling = {} if args.temperature is None else {"temp": args.temperature}
        intro = str(engine.info.get("explanation") or engine.info["name"])
        return chat_loop(engine, args, sampling, intro, stdin, out, err, store)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "worker":
        from app.engine import worker

        return worker.main(argv[1:])
    if argv and argv[0] == "read-document":
        from app.documents import isolated

        return isolated.main(argv[1:])
    if argv[:1] == ["--self-test"]:
        from app import selftest

        return selftest.main(argv[1:])
    light = bool(argv) and argv[0] in ("chat", "gui")
    args = build_parser(with_models=not light and bool(argv)).parse_args(argv)
    if args.command in ("chat", "models", "servers", "tools"):
        # Logged warnings go to cove.log; the terminal gets Cove's own messages only.
        # (``cove serve`` logs on its stderr, a server's; the window sets up its own.)
        from app.config.log_file import log_to_file

        log_to_file()
    if args.command == "chat":
        return run_chat(args, sys.stdin, sys.stdout, sys.stderr)
    if args.command == "models":
        from app.models import cli as models_cli

        return models_cli.run(args)
    if args.command == "servers":
        from app import remote_cli

        return remote_cli.run(args)
    if args.command == "tools":
        from app.tools import cli as tools_cli

        return tools_cli.run(args)
    if args.command == "serve":
        from app.api import cli as api_cli

        return api_cli.run(args)
    from app.platform_check import ensure_window_can_open

    refused = ensure_window_can_open()  # before Qt, which aborts when it cannot start
    if refused is not None:
        return refused
    from app.ui.app import run_gui

    return run_gui(argv[1:] if args.command == "gui" else [])
