"""Remote backend benchmark: Cove's client against a plain streaming HTTP client, reading
the same llama_cpp.server on 127.0.0.1 in the same run; prints one JSON object.

Both clients send the same request body and time what they see. The model is the
tiny gpt-oss test model built so that its likeliest token is always the word "final"
(tests/support/tiny_gpt_oss.py, ``favour``): greedy decoding then streams plain text
that never ends early, so every run has the same token count, at a few hundred tokens
per second, which is faster than gpt-oss-20b and so a stricter test of the client's
cost per token. (The random-weight model writes invalid UTF-8 byte soup, which
llama-cpp-python's server streams very slowly.) Rounds alternate which client goes
first; figures are medians.

* remote_vs_plain_ratio: generation tokens/s seen by Cove's RemoteBackend (SSE parsing,
  harmony handling, event dicts, all of it) over tokens/s seen by a plain http.client
  loop that only splits lines and decodes JSON; per round, then the median.
  Target ≥ 0.97.
* first_token_overhead_ms: time to the first text, Cove minus plain (each from before
  the connection is opened); median of the rounds. Target < 20 ms.
* cancel_ms_max: cancel() → the ``done`` message, during generation (worst of the
  rounds).
* plain_cpu_us_per_token / cove_cpu_us_per_token: this process's CPU time per token
  for each client, the steadiest figure on a busy machine; and
  cove_client_ceiling_tokens_per_s, the speed at which Cove's client would itself
  become the limit.

The server is pinned to all CPUs but one and the clients to that one (where there are
two or more): a real server is another machine, so the client's work must not slow the
generation it measures. ``--no-pin`` shares them.

The server's own speed is whatever this machine gives it; only the ratio and the
difference are the client's.

Usage: python bench/remote.py [--rounds N] [--tokens N] [--model PATH]
       python bench/remote.py --url http://127.0.0.1:8080/v1 --server-model ID
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.engine.remote import RemoteBackend
from app.engine.remote_request import chat_body

MESSAGES = [{"role": "user", "content": "Write a long story about a lighthouse keeper."}]
GREEDY = {"temp": 0.0, "repeat_penalty": 1.0}


def plain_client(url: str, body: dict[str, Any]) -> dict[str, float]:
    """The baseline: stdlib http.client, read lines, json.loads each data line."""
    parts = urlsplit(url)
    cpu = time.process_time()
    started = time.perf_counter()
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=120)
    conn.request("POST", parts.path + "/chat/completions", body=json.dumps(body),
                 headers={"Content-Type": "application/json",
                          "Accept": "text/event-stream"})
    resp = conn.getresponse()
    first = last = None
    count = 0
    while True:
        line = resp.readline()
        if not line:
            break
        if not line.startswith(b"data:"):
            continue
        payload = line[5:].strip()
        if payload == b"[DONE]":
            break
        chunk = json.loads(payload)
        choices = chunk.get("choices") or []
        delta = choices[0].get("delta", {}) if choices else {}
        if "role" in delta or not isinstance(delta.get("content"), str):
            continue
        now = time.perf_counter()
        count += 1
        if delta["content"]:
            first = first or now
            last = now
    conn.close()
    assert first is not None and last is not None
    return {"tokens": count, "ttft_ms": (first - started) * 1000,
            "tokps": (count - 1) / (last - first),
            "cpu_us": (time.process_time() - cpu) / count * 1e6}


def cove_client(remote: RemoteBackend, tokens: int) -> dict[str, float]:
    cpu = time.process_time()
    started = time.perf_counter()
    first = last = None
    stats: dict[str, Any] = {}
    for msg in remote.chat(MESSAGES, effort="low", sampling=GREEDY, max_tokens=tokens):
        if msg["type"] == "event" and msg["text"]:
            now = time.perf_counter()
            first = first or now
            last = now
        elif msg["type"] == "done":
            stats = msg["stats"]
        elif msg["type"] == "error":
            raise RuntimeError(msg["message"])
    assert first is not None and last is not None
    count = stats["completion_tokens"]
    return {"tokens": count, "ttft_ms": (first - started) * 1000,
            "tokps": (count - 1) / (last - first),
            "cpu_us": (time.process_time() - cpu) / count * 1e6}


def cancel_ms(remote: RemoteBackend, tokens: int) -> float:
    seen = 0
    stopped_at = 0.0
    for msg in remote.chat(MESSAGES, effort="low", sampling=GREEDY, max_tokens=tokens):
        if msg["type"] == "event" and msg["text"]:
            seen += 1
            if seen == 10:
                def stop() -> None:
                    nonlocal stopped_at
                    stopped_at = time.perf_counter()
                    remote.cancel()
                threading.Thread(target=stop).start()
        elif msg["type"] == "done":
            assert msg["finish_reason"] == "cancelled", msg
            return (time.perf_counter() - stopped_at) * 1000
    raise RuntimeError("the stream ended without done")


def pin() -> set[int] | None:
    """Put the server and the clients on different CPUs where there are two or more:
    a real server is another machine, so the clients' work must not slow its
    generation (and the figures get steadier). Returns the server's CPUs."""
    if not hasattr(os, "sched_getaffinity"):
        return None
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None
    os.sched_setaffinity(0, {cpus[-1]})
    return set(cpus[:-1])


def start_server(model: Path, log: Path, cpus: set[int] | None, threads: int | None) -> Any:
    from tests.remote.servers import LlamaServer

    threads = threads or (len(cpus) if cpus else max(1, (os.cpu_count() or 2) - 1))
    server = LlamaServer(model, log, n_ctx=4096, threads=threads, cpus=cpus)
    server.start()
    return server


def tiny_model(folder: Path) -> Path:
    from tests.support import tiny_gpt_oss

    cache = Path(__file__).resolve().parent.parent / "tests" / ".cache"
    path = folder / "tiny-gpt-oss-final.gguf"
    return tiny_gpt_oss.build(path, tiny_gpt_oss.chat_template(cache), favour="final")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=16)
    parser.add_argument("--tokens", type=int, default=256)
    parser.add_argument("--model", type=Path, default=None,
                        help="GGUF to serve (default: the tiny gpt-oss test model)")
    parser.add_argument("--url", default=None, help="bench a server already running")
    parser.add_argument("--server-model", default="", help="its model id")
    parser.add_argument("--threads", type=int, default=None,
                        help="server threads (default: the CPUs left after the clients')")
    parser.add_argument("--no-pin", action="store_true",
                        help="let the server and the clients share all CPUs")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        server = None
        if args.url:
            url, model_id, label = args.url, args.server_model, args.url
        else:
            model = args.model or tiny_model(Path(tmp))
            cpus = None if args.no_pin else pin()
            server = start_server(model, Path(tmp) / "server.log", cpus, args.threads)
            url, model_id, label = server.url, server.model_id, model.name
        try:
            with RemoteBackend(url, model_id) as remote:
                model_id = remote.resolve_model()
                body = chat_body(model_id, MESSAGES, effort="low", sampling=GREEDY,
                                 max_tokens=args.tokens)
                plain_client(url, body)  # warm-up: the server caches the prompt
                cove_client(remote, args.tokens)
                ratios, overheads, plain_tps, cove_tps = [], [], [], []
                plain_cpu, cove_cpu = [], []
                counts = set()
                for i in range(args.rounds):
                    if i % 2:
                        c = cove_client(remote, args.tokens)
                        p = plain_client(url, body)
                    else:
                        p = plain_client(url, body)
                        c = cove_client(remote, args.tokens)
                    counts.add((p["tokens"], c["tokens"]))
                    ratios.append(c["tokps"] / p["tokps"])
                    overheads.append(c["ttft_ms"] - p["ttft_ms"])
                    plain_tps.append(p["tokps"])
                    cove_tps.append(c["tokps"])
                    plain_cpu.append(p["cpu_us"])
                    cove_cpu.append(c["cpu_us"])
                cancels = [cancel_ms(remote, 4 * args.tokens) for _ in range(3)]
        finally:
            if server is not None:
                server.stop()
    print(json.dumps({
        "model": label,
        "pinned": server is not None and server.cpus is not None,
        "rounds": args.rounds,
        "tokens_per_round": sorted(counts),
        "plain_tokens_per_s": round(statistics.median(plain_tps), 1),
        "cove_tokens_per_s": round(statistics.median(cove_tps), 1),
        "remote_vs_plain_ratio": round(statistics.median(ratios), 3),
        "remote_vs_plain_ratio_min": round(min(ratios), 3),
        "first_token_overhead_ms": round(statistics.median(overheads), 2),
        "cancel_ms_max": round(max(cancels), 2),
        "plain_cpu_us_per_token": round(statistics.median(plain_cpu), 1),
        "cove_cpu_us_per_token": round(statistics.median(cove_cpu), 1),
        # The speed at which Cove's client itself would become the limit.
        "cove_client_ceiling_tokens_per_s": round(1e6 / statistics.median(cove_cpu)),
    }, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
