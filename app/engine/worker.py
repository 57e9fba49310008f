"""The worker process: owns one llama.cpp model and streams what it writes.

Started as ``cove worker ADDRESS`` (``python -m app worker`` from source, ``Cove worker``
frozen) with its auth key in the environment. It connects back to the client, then a
reader thread takes requests: ``cancel`` and ``answer_now`` act at once (they set
flags the generating thread checks, and cancel also trips llama.cpp's abort callback
inside a long prompt evaluation); everything else queues for the model thread, the
only thread that touches the ``Llama`` object.
"""


from __future__ import annotations

import os
import queue
import sys
import threading
from collections.abc import Sequence
from multiprocessing.connection import Client, Connection
from typing import Any

from app.engine import protocol
from app.engine.model_host import ModelHost
from app.engine.prompt import PromptError
from app.gguf_header import GGUFError
from app.hardware.plan_threads import wait_env

IDLE_CHECK_S = 1.0


def _import_llama() -> Any:
    """llama.cpp's Python module, imported on the first load (not at start-up, so the
    worker answers READY at once): this process is the only one that imports it."""
    os.environ.update(wait_env(os.environ))  # how llama.cpp's threads wait: plan_threads
    import llama_cpp

    return llama_cpp


def serve(conn: Connection) -> None:
    """Run the worker's loops until the client says shutdown or goes away."""
    send_lock = threading.Lock()

    def send(message: dict[str, Any]) -> None:
        with send_lock:
            protocol.send(conn, message)

    cancel = threading.Event()
    answer_now = threading.Event()
    preempt = threading.Event()  # a request came: a background prefill makes way
    requests: queue.Queue[dict[str, Any] | None] = queue.Queue()

    def read() -> None:
        while True:
            try:
                req = protocol.recv(conn)
            except (EOFError, OSError):
                cancel.set()
                requests.put(None)
                preempt.set()  # a prefill stops too: the worker ends
                return
            op = req.get("op")
            if op == "cancel":
                cancel.set()
            elif op == "answer_now":
                answer_now.set()
            else:
                if op in ("chat", "embed", "prefill"):
                    # A cancel meant for an earlier request must not stop this one.
                    cancel.clear()
                requests.put(req)
                preempt.set()  # after the put: a prefill about to start sees the queue
                if op == "shutdown":
                    return

    host = ModelHost(send, cancel, answer_now, _import_llama, preempt)
    threading.Thread(target=read, name="cove-worker-reader", daemon=True).start()
    send({"type": protocol.READY, "pid": os.getpid()})
    waiting: dict[str, Any] | None = None  # a prefill stopped by a request, to go on with
    req: dict[str, Any] | None
    while True:
        if waiting is not None and requests.empty():
            req, waiting = waiting, None
        else:
            req = _next_request(requests, host)
        if req is None or req.get("op") == "shutdown":
            break
        op = req.get("op")
        if op in ("load", "unload", "prefill"):
            waiting = None  # another model, or another prefill: that one is moot
        try:
            if op == "prefill":
                preempt.clear()
                if not requests.empty() or not host.prefill(req):
                    waiting = req  # the other requests first; then on from where it is
            elif op == "probe":
                host.probe(req)
            elif op == "kv_store":
                host.kv_store(req)
            elif op == "load":
                host.load(req)
            elif op == "unload":
                host.unload()
            elif op == "chat":
                host.chat(req)
            elif op == "prompt":
                host.prompt(req)
            elif op == "embed":
                host.embed(req)
            elif op == "count":
                host.count(req)
            elif op == "stats":
                send({"type": protocol.STATS, "stats": host.last_stats, "info": host.info,
                      "n_threads": host.threads.current})
            else:
                send({"type": protocol.ERROR, "code": protocol.BAD_REQUEST,
                      "message": f"unknown request {op!r}"})
        except (EOFError, OSError, BrokenPipeError):
            break
        except Exception as exc:  # keep the worker alive for the next request
            send(_failure(op, req, exc, host.info))
    host.unload(quiet=True)


def _next_request(requests: queue.Queue[dict[str, Any] | None],
                  host: ModelHost) -> dict[str, Any] | None:
    """The next request; until it comes, the loaded model's thread count follows the
    machine's load (app/engine/live_threads.py), about once a second."""
    while True:
        host.threads.check()  # cheap: it reads the counters at most once a second
        try:
            return requests.get(timeout=IDLE_CHECK_S)
        except queue.Empty:
            pass


def _failure(op: Any, req: dict[str, Any], exc: Exception,
             loaded: dict[str, Any]) -> dict[str, Any]:
    """The error reply to a request that raised. A failed load says which model is
    loaded now (``loaded``: the one before it, kept or loaded again; {} for none)."""
    message = str(exc) if isinstance(exc, (GGUFError, PromptError)) else repr(exc)
    if op != "load":
        return {"type": protocol.ERROR, "id": req.get("id"),
                "code": protocol.GENERATION_FAILED, "message": message}
    return {"type": protocol.ERROR, "id": req.get("id"), "code": protocol.LOAD_FAILED,
            "message": message, "loaded": loaded}


def main(argv: Sequence[str]) -> int:
    """Entry of ``cove worker ADDRESS``."""
    if not argv:
        print("usage: cove worker ADDRESS (started by Cove itself)", file=sys.stderr)
        return 2
    key = os.environ.get(protocol.AUTHKEY_ENV, "")
    address = argv[0]
    conn = Client(address, authkey=bytes.fromhex(key))
    try:
        serve(conn)
    finally:
        conn.close()
    return 0
