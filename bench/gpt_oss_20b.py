"""gpt-oss-20b's real cost on this computer, on the synthetic full-size model; one JSON.

The model is tests/support/synthetic_gpt_oss.py's (same tensors, shapes and types as
the 12.1 GB download, nonsense weights), written once into the cache folder.

* ``direct_*``: llama-cpp-python in a child process with the settings Cove's plan
  chooses and the worker's way of waiting (app/hardware/plan_threads.py; this process
  never imports llama_cpp); ``worker_*``: the same through Cove's worker (EngineClient,
  the plan left automatic). One process at a time: each holds its own copy of the
  repacked experts (10 GB). ``*_gen_tokps`` greedy generation
  (first token to last), ``*_prompt_tokps`` a fresh prompt of ``--prompt`` tokens.
* ``load_cold_s`` / ``load_warm_s``: the direct child's ``Llama(...)`` plus its first
  token, once after the file was dropped from the page cache (posix_fadvise
  DONTNEED; as root also ``/proc/sys/vm/drop_caches``), once again at once;
  ``worker_load_s`` the worker's load request, warm.
* ``bandwidth_gbs``: memory read bandwidth measured here and now with numpy: a 1 GiB
  float32 array split among as many Python threads as the plan's threads (numpy
  releases the GIL), each taking ``max`` and ``dot`` of its part, best of 5 passes.
* ``bytes_per_token``: weights one token reads (tests/support/synthetic_gpt_oss.py
  ``bytes_per_token``: all but the experts, 4/32 of each expert tensor, one embedding
  row); ``gen_vs_bandwidth_bound``: generation tokens/s over bandwidth ÷ that.
* ``load_average``: the 1-minute load average before and after (the machine is shared).

``--settings`` measures flash attention, a q8_0 KV cache and batch sizes against the
plan's (direct, prompt and generation tokens/s, rounds interleaved; fewer ``--layers``
and a longer ``--prompt`` make sense there; on a shared machine ``--realtime`` keeps
the other programs' load out of the figures).

``--gpu`` runs the same with every layer on the GPU, then with the GPU's memory capped
to 8 GB: the planner's placement of the experts (app/hardware/plan.py, given an 8 GB
GPU) against the best manual ``n_cpu_moe`` that fits; it needs a CUDA or Metal build
and says so and stops on a machine without a GPU.

Usage: python bench/gpt_oss_20b.py [--layers 24] [--tokens 24] [--prompt 128]
       [--rounds 2] [--settings | --gpu]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.engine.client import EngineClient
from app.hardware.plan_threads import wait_env
from tests.support import synthetic_gpt_oss as synthetic

GiB = 1 << 30

_DIRECT = r"""
import json, os, sys, time
cfg = json.loads(sys.argv[1])
if cfg.get("realtime"):  # before llama.cpp's threads exist: they inherit it
    os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(1))
import llama_cpp
kwargs = cfg["kwargs"]
started = time.perf_counter()
llm = llama_cpp.Llama(cfg["path"], verbose=False, **kwargs)
constructed = time.perf_counter()
prompt = llm.tokenize(b"Tell me a long story about a lighthouse.", False, False)
first = None; count = 0
for tok in llm.generate(prompt, temp=0.0, top_k=1, reset=True):
    if first is None:
        first = time.perf_counter()
    count += 1
    if count >= cfg["tokens"]:
        break
gen = (count - 1) / (time.perf_counter() - first)
out = {"construct_s": constructed - started, "load_s": first - started, "gen_tokps": gen}
rates = []
for r in range(cfg["prompt_rounds"] if cfg["prompt"] else 0):
    tokens = [300 + (i * 7919 + r * 104729) % 190000 for i in range(cfg["prompt"])]
    llm.reset()
    t = time.perf_counter()
    llm.eval(tokens)
    rates.append(len(tokens) / (time.perf_counter() - t))
if rates:
    out["prompt_tokps"] = sorted(rates)[len(rates) // 2]
    first = None; count = 0  # generation at the prompt's depth (its attention reads it all)
    for tok in llm.generate(tokens, temp=0.0, top_k=1, reset=True):
        if first is None:
            first = time.perf_counter()
        count += 1
        if count >= cfg["tokens"]:
            break
    out["gen_deep_tokps"] = (count - 1) / (time.perf_counter() - first)
print(json.dumps(out))
"""


def direct(model: Path, kwargs: dict[str, Any], tokens: int, prompt: int,
           prompt_rounds: int = 1, env: dict[str, str] | None = None,
           realtime: bool = False) -> dict[str, float]:
    cfg = {"path": str(model), "kwargs": kwargs, "tokens": tokens, "prompt": prompt,
           "prompt_rounds": prompt_rounds, "realtime": realtime}
    # The worker's way of waiting at barriers (app/hardware/plan_threads.py), unless
    # ``env`` says otherwise.
    env = {**wait_env(os.environ), **(env or {})}
    out = subprocess.run([sys.executable, "-c", _DIRECT, json.dumps(cfg)],
                         capture_output=True, text=True, env={**os.environ, **env})
    if out.returncode != 0:
        raise RuntimeError(f"direct run failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def drop_from_page_cache(path: Path) -> str:
    """Make the next read of ``path`` come from the disk; says how."""
    how = []
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            how.append("posix_fadvise")
        finally:
            os.close(fd)
    with contextlib.suppress(OSError):
        Path("/proc/sys/vm/drop_caches").write_text("1\n")
        how.append("drop_caches")
    return "+".join(how) or "none"


def bandwidth_gbs(threads: int) -> float:
    import numpy as np

    data = np.ones(GiB // 4, np.float32)
    parts = np.array_split(data, max(1, threads))
    best = 0.0
    for fn in (np.max, lambda p: np.dot(p, p)):
        for _ in range(5):
            workers = [threading.Thread(target=fn, args=(p,)) for p in parts]
            started = time.perf_counter()
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            best = max(best, data.nbytes / (time.perf_counter() - started) / 1e9)
    return round(best, 1)


def plan_kwargs(plan: dict[str, Any]) -> dict[str, Any]:
    """The plan's llama.cpp settings as ``Llama`` keyword arguments."""
    kwargs = {k: plan[k] for k in ("n_ctx", "n_gpu_layers", "n_threads", "n_threads_batch",
                                   "n_batch", "n_ubatch", "flash_attn")}
    if plan.get("kv_cache", "f16") != "f16":
        from app.hardware.plan import KV_CACHE_TYPES

        kwargs["type_k"] = kwargs["type_v"] = KV_CACHE_TYPES[plan["kv_cache"]]
    return kwargs


def worker_gen(engine: EngineClient, tokens: int) -> float:
    """Generation tokens/s through the worker: its own clock from the first token to
    the last (the client sees nonsense text only when the harmony parser gives up on
    it, at the end), with everything the worker does per token (sampling, the stop
    filter, the parser, the pipe)."""
    stats: dict[str, Any] = {}
    messages = [{"role": "user", "content": "Tell me a long story about a lighthouse."}]
    for msg in engine.chat(messages, sampling={"temp": 0.0}, max_tokens=tokens):  # type: ignore[arg-type]
        if msg["type"] == "done":
            stats = msg["stats"]
        elif msg["type"] == "error":
            raise RuntimeError(msg["message"])
    return float(stats["tokens_per_s"])


def worker_prompt(engine: EngineClient, n_tokens: int, salt: str) -> float:
    """Prompt tokens/s of a fresh message of about ``n_tokens`` tokens (worker stats)."""
    words = " ".join(f"{salt}{i} lighthouse keepers count ships" for i in range(n_tokens))
    text = words
    counted = engine.count_tokens([text])[0]
    text = words[: max(1, len(words) * n_tokens // max(counted, 1))]
    stats: dict[str, Any] = {}
    for msg in engine.chat([{"role": "user", "content": text}], sampling={"temp": 0.0},  # type: ignore[list-item]
                           max_tokens=1):
        if msg["type"] == "done":
            stats = msg["stats"]
    return stats["evaluated_tokens"] / (stats["prompt_ms"] / 1000)


def rss_mb(pid: int | None) -> float:
    import psutil

    return round(psutil.Process(pid).memory_info().rss / 2**20, 1) if pid else 0.0


def anon_mb(pid: int | None) -> float:
    """The process's own memory (Linux RssAnon): the repacked experts, the KV cache and
    buffers, without the mapped file that the page cache can give back."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("RssAnon:"):
                return round(int(line.split()[1]) / 1024, 1)
    return -1.0


def cpu_run(args: Any, model: Path) -> dict[str, Any]:
    """Direct (cold, then warm) and then the worker, one process at a time: each holds
    its own copy of the repacked experts (llama.cpp's CPU_REPACK, 10 GB at 24 blocks),
    so two at once would not fit in 16-24 GB."""
    from app.hardware.detect import detect
    from app.hardware.facts import machine_facts, read_model_facts
    from app.hardware.plan import DEFAULT_CTX, plan

    # The plan the worker will make (the same function, GUI side): for the direct runs.
    planned = plan(read_model_facts(model), machine_facts(detect()), DEFAULT_CTX)
    kwargs = {**planned.llama_kwargs(), "n_gpu_layers": 0}
    kwargs.pop("op_offload", None)
    # Before any model is loaded (memory pressure and the model's own threads would
    # make it a measure of the machine's business, not of its memory).
    result: dict[str, Any] = {"bandwidth_gbs": bandwidth_gbs(planned.n_threads)}
    result["page_cache_drop"] = drop_from_page_cache(model)
    cold = direct(model, kwargs, args.tokens, args.prompt)
    warm = direct(model, kwargs, args.tokens, 0)
    result.update(
        load_cold_s=round(cold["load_s"], 1), load_cold_construct_s=round(cold["construct_s"], 1),
        load_warm_s=round(warm["load_s"], 1), load_warm_construct_s=round(warm["construct_s"], 1),
        direct_gen_tokps=round(statistics.median([cold["gen_tokps"], warm["gen_tokps"]]), 2),
        direct_prompt_tokps=round(cold["prompt_tokps"], 1),
    )
    with tempfile.TemporaryDirectory() as tmp:
        engine = EngineClient(log_path=Path(tmp) / "worker.log")
        try:
            started = time.perf_counter()
            info = engine.load(model)
            result["worker_load_s"] = round(time.perf_counter() - started, 1)
            p = info["plan"]
            result["plan"] = {k: p[k] for k in ("n_threads", "n_batch", "n_ubatch",
                                                "flash_attn", "kv_cache", "n_ctx")}
            result["worker_rss_mb"] = rss_mb(engine.pid)
            result["worker_rss_anon_mb"] = anon_mb(engine.pid)
            worker_gen(engine, 4)  # warm-up
            gen_w = [worker_gen(engine, args.tokens) for _ in range(args.rounds)]
            prompt_w = [worker_prompt(engine, args.prompt, "r0x")]
            result["worker_rss_after_mb"] = rss_mb(engine.pid)
        finally:
            engine.close()
    result.update(worker_gen_tokps=round(statistics.median(gen_w), 2),
                  worker_prompt_tokps=round(statistics.median(prompt_w), 1))
    result["worker_vs_direct_gen"] = round(
        result["worker_gen_tokps"] / result["direct_gen_tokps"], 3)
    result["worker_vs_direct_prompt"] = round(
        result["worker_prompt_tokps"] / result["direct_prompt_tokps"], 3)
    return result


# -- --gpu ----------------------------------------------------------------------------

CAP = 8 * GiB


def gpu_precheck() -> str:
    """Why ``--gpu`` cannot run here ("" when it can), before anything is written."""
    probe = subprocess.run([sys.executable, "-c", "import llama_cpp; "
                            "print(bool(llama_cpp.llama_supports_gpu_offload()))"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        return f"llama_cpp did not start: {probe.stderr[-500:]}"
    if probe.stdout.strip() != "True":
        return ("--gpu needs a GPU that llama.cpp can use: this llama.cpp build has no GPU "
                "device (a CPU-only build, or no CUDA/Metal GPU here). On a machine with an "
                "NVIDIA GPU: COVE_ENGINE_BACKEND=cuda make engine; on Apple Silicon Metal is "
                "built in.")
    return ""


def gpu_run(args: Any, model: Path) -> dict[str, Any]:
    """Every layer on the GPU (worker and direct), then the 8 GB comparison."""
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        engine = EngineClient(log_path=Path(tmp) / "worker.log")
        try:
            started = time.perf_counter()
            plan = engine.load(model, use_gpu=True)["plan"]
            result["worker_load_s"] = round(time.perf_counter() - started, 1)
            result["all_on_gpu"] = plan["n_gpu_layers"] > args.layers and not plan["n_cpu_moe"]
            result["gpu_name"] = plan["gpu_name"]
            worker_gen(engine, 4)
            result["worker_gen_tokps"] = round(statistics.median(
                worker_gen(engine, args.tokens) for _ in range(args.rounds)), 2)
            result["worker_prompt_tokps"] = round(statistics.median(
                worker_prompt(engine, args.prompt, f"g{r}x") for r in range(args.rounds)), 1)
        finally:
            engine.close()
        d = direct(model, plan_kwargs(plan), args.tokens, args.prompt, args.rounds)
        result.update(direct_gen_tokps=round(d["gen_tokps"], 2),
                      direct_prompt_tokps=round(d["prompt_tokps"], 1),
                      load_warm_s=round(d["load_s"], 1))
        result["capped_8gb"] = capped(args, model, Path(tmp))
    return result


def capped(args: Any, model: Path, tmp: Path) -> dict[str, Any]:
    """The planner's layout for an 8 GB GPU against every manual ``n_cpu_moe`` whose
    planned GPU use fits in 8 GB (every layer on the GPU, the experts of the first
    ``n_cpu_moe`` layers in RAM); generation tokens/s through the worker."""
    from dataclasses import replace

    from app.hardware.detect import detect
    from app.hardware.facts import machine_facts, read_model_facts
    from app.hardware.plan import DEFAULT_CTX, Overrides, plan

    machine = machine_facts(detect())
    if not machine.gpus:
        return {"error": "llama.cpp has a GPU but Cove's detection found none to cap"}
    gpu = max(machine.gpus, key=lambda g: g.memory_total)
    small = replace(machine, gpus=(replace(gpu, memory_total=CAP, memory_free=CAP),))
    facts = read_model_facts(model)
    chosen = plan(facts, small, DEFAULT_CTX)
    layouts = {"planner": (chosen.n_gpu_layers, chosen.n_cpu_moe)}
    for m in range(0, args.layers + 1, 2):
        manual = plan(facts, small, DEFAULT_CTX, Overrides(n_cpu_moe=m))
        if manual.fits and manual.manual_cpu_moe < 0 and manual.n_cpu_moe == m:
            layouts[f"n_cpu_moe_{m}"] = (manual.n_gpu_layers, m)
    tokps: dict[str, float] = {}
    for name, (layers, moe) in layouts.items():
        engine = EngineClient(log_path=tmp / f"{name}.log")
        try:
            engine.load(model, n_gpu_layers=layers, n_cpu_moe=moe, n_ctx=chosen.n_ctx)
            worker_gen(engine, 4)
            tokps[name] = round(statistics.median(
                worker_gen(engine, args.tokens) for _ in range(args.rounds)), 2)
        finally:
            engine.close()
    manual_best = max((v, k) for k, v in tokps.items() if k != "planner")
    return {"planner_layout": layouts["planner"], "n_ctx": chosen.n_ctx, "gen_tokps": tokps,
            "best_manual": manual_best[1],
            "planner_vs_best_manual": round(tokps["planner"] / manual_best[0], 3)}


# -- --settings -------------------------------------------------------------------------

SETTINGS = {  # changes to the plan's settings, measured against it
    "plan": {},
    "flash_off": {"flash_attn": False},
    "kv_q8_0": {"type_k": 8, "type_v": 8},
    "batch_64": {"n_batch": 64, "n_ubatch": 64},
    "batch_256": {"n_batch": 256, "n_ubatch": 256},
    "batch_1024": {"n_batch": 1024, "n_ubatch": 1024},
    "batch_2048": {"n_batch": 2048, "n_ubatch": 2048},
    "plan_again": {},  # the drift of the machine's speed over the run
}


def settings_run(args: Any, model: Path) -> dict[str, Any]:
    """Prompt and generation tokens/s of each of SETTINGS (direct, one process at a
    time, rounds interleaved), and each over the plan's."""
    from app.hardware.detect import detect
    from app.hardware.facts import machine_facts, read_model_facts
    from app.hardware.plan import DEFAULT_CTX, plan

    planned = plan(read_model_facts(model), machine_facts(detect()), DEFAULT_CTX)
    base = {**planned.llama_kwargs(), "n_gpu_layers": 0}
    base.pop("op_offload", None)
    chosen = {k: v for k, v in SETTINGS.items()
              if not args.only or k in ("plan", "plan_again", *args.only.split(","))}
    runs: dict[str, dict[str, list[float]]] = {
        k: {"gen": [], "prompt": [], "gen_deep": []} for k in chosen}
    for _ in range(args.rounds):
        for name, change in chosen.items():
            out = direct(model, {**base, **change}, args.tokens, args.prompt,
                         realtime=args.realtime)
            runs[name]["gen"].append(out["gen_tokps"])
            runs[name]["prompt"].append(out["prompt_tokps"])
            runs[name]["gen_deep"].append(out["gen_deep_tokps"])
    med = {k: {m: statistics.median(v) for m, v in r.items()} for k, r in runs.items()}
    return {"plan": {k: base[k] for k in ("n_batch", "n_ubatch", "flash_attn", "n_threads")},
            "prompt_tokens": args.prompt,
            "prompt_tokps": {k: round(v["prompt"], 1) for k, v in med.items()},
            "gen_tokps": {k: round(v["gen"], 2) for k, v in med.items()},
            "prompt_vs_plan": {k: round(v["prompt"] / med["plan"]["prompt"], 3)
                               for k, v in med.items()},
            "gen_vs_plan": {k: round(v["gen"] / med["plan"]["gen"], 3) for k, v in med.items()},
            "gen_at_prompt_depth_vs_plan": {
                k: round(v["gen_deep"] / med["plan"]["gen_deep"], 3) for k, v in med.items()}}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--layers", type=int, default=synthetic.N_LAYER)
    parser.add_argument("--tokens", type=int, default=24)
    parser.add_argument("--prompt", type=int, default=128)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--gpu", action="store_true")
    parser.add_argument("--settings", action="store_true",
                        help="flash attention, KV cache type and batch sizes against the plan")
    parser.add_argument("--only", default="", help="--settings: these (comma-separated)")
    parser.add_argument("--realtime", action="store_true",
                        help="--settings' runs at real-time priority (root; a shared "
                             "machine's other programs then get 5 %% of it while they run)")
    args = parser.parse_args()
    if args.gpu:
        problem = gpu_precheck()
        if problem:
            print(json.dumps({"error": problem}))
            return 2
    started = time.perf_counter()
    result: dict[str, Any] = {"load_average_before": round(os.getloadavg()[0], 2)}
    write_started = time.perf_counter()
    model = synthetic.ensure(args.layers)
    table = synthetic.tensor_table(args.layers)
    result.update(model=model.name, layers=args.layers,
                  file_gb=round(model.stat().st_size / 1e9, 2),
                  ensure_s=round(time.perf_counter() - write_started, 1),
                  bytes_per_token=synthetic.bytes_per_token(table))
    if args.gpu:
        result.update(gpu_run(args, model))
    elif args.settings:
        result.update(settings_run(args, model))
    else:
        result.update(cpu_run(args, model))
        bound = result["bandwidth_gbs"] * 1e9 / result["bytes_per_token"]
        result["bandwidth_bound_tokps"] = round(bound, 2)
        result["gen_vs_bandwidth_bound"] = round(result["worker_gen_tokps"] / bound, 3)
    result["load_average_after"] = round(os.getloadavg()[0], 2)
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
