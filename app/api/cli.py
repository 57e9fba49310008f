"""``cove serve``: the local API without the window (no Qt is imported).

Loads one model in a worker of its own and serves it (uvicorn on a thread) until
Ctrl+C or SIGTERM, then ends the answers under way and the worker, and exits with 0. It
prints the address and the API key, which programs send as ``Authorization: Bearer``.
Requests take turns on the model (:class:`app.api.gate.SerialGate`).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path
from typing import Any, TextIO

from app.api.options import DEFAULT_PORT, REASONING_FIELDS, ApiOptions, is_loopback


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("serve", help="let other programs use a model through an "
                                            "OpenAI-compatible API on this computer")
    p.add_argument("--model", required=True,
                   help="a GGUF model file, or the name of a model in Cove's library")
    p.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help=f"port to listen on (default {DEFAULT_PORT}; 0: any free port)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this computer only)")
    p.add_argument("--ctx", type=int, default=None, help="context length in tokens")
    p.add_argument("--gpu-layers", type=int, default=None, help="layers on the GPU")
    p.add_argument("--threads", type=int, default=None, help="CPU threads")
    p.add_argument("--embedding-model", default=None, metavar="PATH",
                   help="the model for /v1/embeddings (default: the library's)")
    p.add_argument("--allow-switch", action="store_true",
                   help="let requests load another model of the library")
    p.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                   help="a web origin allowed to call the API from a browser (repeatable)")
    p.add_argument("--reasoning-field", choices=REASONING_FIELDS,
                   default="reasoning_content",
                   help="the message field for gpt-oss's reasoning (default: "
                        "reasoning_content, as llama-server; reasoning: as LM Studio)")
    p.add_argument("--queue-timeout", type=float, default=60.0, metavar="SECONDS",
                   help="how long a request may wait for the model before a 503")
    p.add_argument("--new-key", action="store_true", help="replace the API key")
    p.add_argument("--log-content", action="store_true",
                   help="keep what programs ask and get in the request log (off: only "
                        "time, program, model and token counts)")


def run(args: argparse.Namespace, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    from app.api import keys
    from app.api.embeddings import Embeddings
    from app.api.gate import SerialGate
    from app.api.request_log import RequestLog, default_path
    from app.api.server import ApiServer, ApiService
    from app.config import paths
    from app.engine.client import EngineClient, EngineError
    from app.models.library import Library

    logging.basicConfig(level=logging.WARNING, stream=err,
                        format="cove serve: %(levelname)s %(message)s")
    if args.log_content and not _history_protection(err):
        return 1
    library = Library(paths.models_dir())
    model = _model_path(args.model, library)
    if model is None:
        print(f"cove: no model file or library model {args.model!r}", file=err)
        return 2
    options: dict[str, Any] = {"n_ctx": args.ctx, "n_gpu_layers": args.gpu_layers,
                               "n_threads": args.threads}
    try:
        client = EngineClient()
        client.load(model, **options)
    except EngineError as exc:
        print(f"cove: {exc}", file=err)
        return 1
    gate = SerialGate(client, options)
    embedding = Path(args.embedding_model) if args.embedding_model else \
        getattr(library.embedding_model(), "path", None)
    embeddings = Embeddings(embedding) if embedding is not None else None
    key = keys.new_api_key() if args.new_key else keys.api_key()
    api_options = ApiOptions(host=args.host, port=args.port,
                             cors_origins=tuple(args.cors_origin),
                             allow_switch=args.allow_switch,
                             queue_timeout=args.queue_timeout,
                             reasoning_field=args.reasoning_field,
                             log_content=args.log_content)
    service = ApiService(gate, key.value, api_options, library=library.models,
                         embeddings=embeddings,
                         requests=RequestLog(default_path()))
    try:
        server = ApiServer(service)
    except OSError as exc:
        print(f"cove: cannot listen on {args.host}:{args.port}: {exc}", file=err)
        gate.close()
        return 1
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        server.start()
        _announce(server, key, client.info, out, err)
        stop.wait()
        print("Stopping…", file=out, flush=True)
    finally:
        server.stop()
        gate.close()
        if embeddings is not None:
            embeddings.close()
    return 0


def _history_protection(err: TextIO) -> bool:
    """Open the history once (its key; without a keyring, the passphrase question) so
    that kept content is sealed as the history is (``app.api.request_log``)."""
    from app.chats.errors import ChatStoreError
    from app.chats.store import ChatStore
    from app.config.terminal_ask import for_terminal

    try:
        with ChatStore.default(for_terminal(sys.stdin, err)):
            return True
    except ChatStoreError as exc:
        print(f"cove: the request log cannot keep content: {exc}", file=err)
        return False


def _model_path(name: str, library: Any) -> Path | None:
    path = Path(name).expanduser()
    if path.is_file():
        return path
    for model in library.models():
        if name in (model.path.stem, model.path.name, model.name) and not model.embedding:
            return Path(model.path)
    return None


def _announce(server: Any, key: Any, info: dict[str, Any], out: TextIO, err: TextIO) -> None:
    if not is_loopback(server.host):
        print(f"cove: WARNING: listening on {server.host}: other computers that can reach "
              "this address can use the model (with the key).", file=err)
    print(f"Serving {info.get('name') or 'the model'} at {server.base_url}", file=out)
    print(f"API key: {key.value}", file=out)
    if not key.kept:
        print("(No usable keyring: this key works until 'cove serve' stops.)", file=out)
    print("Press Ctrl+C to stop.", file=out, flush=True)
