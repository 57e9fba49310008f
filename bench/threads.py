"""Threads on a busy computer: Cove's automatic threads against fixed counts; one JSON.

On the synthetic gpt-oss-20b (tests/support/synthetic_gpt_oss.py, ``--layers`` blocks),
greedy, ``--tokens`` tokens per measurement, the same prompt (its prefix cached):

* ``auto``: Cove's worker as it loads by default (no thread count given: the planned
  count, with app/hardware/plan_threads.py's way of waiting and, on builds whose
  threads spin, the count following the load);
* ``fixed_N``: N = 1 .. the planned count with libgomp's default waiting, what Cove did
  before (``fixed_<planned>`` is ``today``), in one llama-cpp-python process that
  changes its count between answers (a worker per count would each hold a copy of the
  repacked experts);
* with ``--spin``, the planned count with other ways of waiting (``passive``:
  OMP_WAIT_POLICY=PASSIVE; ``spin1k``: GOMP_SPINCOUNT=1000).

Each level of load (0, 1 and 2 busy processes, ``while True: pass``, started and
stopped here) runs ``--rounds`` rounds, the configurations interleaved; figures are
medians. ``auto_vs_best_threads_under_load_N`` is auto over the fastest fixed count at
N busy processes; ``auto_vs_today_quiet`` auto over ``today`` with none of ours. The
machine is shared: ``others_cores_after`` (the other programs' CPU use in cores,
read as the worker reads it) and ``load_average`` say how quiet "quiet" was, and
``quiet_rt`` (as root) runs auto and today at real-time priority, so that other
programs cannot take the cores: the quiet machine this one seldom is.

Usage: python bench/threads.py [--layers 4] [--tokens 12] [--rounds 3] [--spin]
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
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.engine.client import EngineClient
from app.hardware.plan_threads import ProcStat
from tests.support import synthetic_gpt_oss as synthetic

MESSAGES = [{"role": "user", "content": "Tell me a long story about a lighthouse."}]
SETTLE_S = 3.0  # after the busy processes start: the automatic count needs ~2 readings
SPIN_ENVS = {"passive": {"OMP_WAIT_POLICY": "PASSIVE"}, "spin1k": {"GOMP_SPINCOUNT": "1000"}}
TODAY_ENV = {"OMP_WAIT_POLICY": "", "GOMP_SPINCOUNT": ""}  # libgomp's defaults: what Cove had

# A llama-cpp-python process that answers "TOKENS THREADS" lines with tokens/s: the
# fixed counts share one loaded model (a worker each would hold a copy of the repacked
# weights: 5 GB each at 8 blocks).
_FIXED = r"""
import sys, time
import llama_cpp
llm = llama_cpp.Llama(sys.argv[1], n_ctx=1024, n_threads=1, n_threads_batch=1, verbose=False)
prompt = llm.tokenize(b"Tell me a long story about a lighthouse.", False, False)
print("ready", flush=True)
for line in sys.stdin:
    n, threads = (int(v) for v in line.split())
    llama_cpp.llama_set_n_threads(llm._ctx.ctx, threads, threads)
    first = None; count = 0
    for tok in llm.generate(prompt, temp=0.0, top_k=1, reset=True):
        if first is None:
            first = time.perf_counter()
        count += 1
        if count >= n:
            break
    print((count - 1) / (time.perf_counter() - first), flush=True)
"""


class Fixed:
    """Fixed thread counts in one llama-cpp-python process (``env``: OpenMP's)."""

    def __init__(self, model: Path, env: dict[str, str]) -> None:
        full = {k: v for k, v in {**os.environ, **env}.items() if v}
        self.proc = subprocess.Popen([sys.executable, "-c", _FIXED, str(model)], env=full,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        if self.proc.stdout.readline().strip() != "ready":
            raise RuntimeError("the llama-cpp-python process did not start")

    def generate(self, tokens: int, threads: int) -> float:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(f"{tokens} {threads}\n")
        self.proc.stdin.flush()
        return float(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()


def generate(engine: EngineClient, tokens: int) -> tuple[float, int]:
    """Tokens/s of one answer (the worker's own clock, first token to last) and the
    thread count it ended with."""
    stats: dict[str, Any] = {}
    for msg in engine.chat(MESSAGES, sampling={"temp": 0.0}, max_tokens=tokens):  # type: ignore[arg-type]
        if msg["type"] == "done":
            stats = msg["stats"]
        elif msg["type"] == "error":
            raise RuntimeError(msg["message"])
    return float(stats["tokens_per_s"]), int(stats.get("n_threads") or 0)


@contextmanager
def busy(n: int) -> Any:
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]
    try:
        yield
    finally:
        for p in procs:
            p.kill()
            p.wait()


@contextmanager
def realtime(pids: list[int]) -> Any:
    """Every thread of ``pids`` at real-time priority (SCHED_FIFO) while inside; yields
    whether that worked (it needs root)."""
    tasks = [int(t) for pid in pids for t in os.listdir(f"/proc/{pid}/task")]
    done: list[int] = []
    try:
        for task in tasks:
            os.sched_setscheduler(task, os.SCHED_FIFO, os.sched_param(1))
            done.append(task)
        yield True
    except OSError:
        yield False
    finally:
        for task in done:
            with contextlib.suppress(OSError):
                os.sched_setscheduler(task, os.SCHED_OTHER, os.sched_param(0))


def others_cores(seconds: float = 1.0) -> float:
    """The other programs' CPU use in cores over ``seconds`` (this process idle)."""
    source = ProcStat()
    a = source.sample()
    time.sleep(seconds)
    b = source.sample()
    if a is None or b is None:
        return -1.0
    return round(((b.busy_s - a.busy_s) - (b.own_s - a.own_s)) / (b.at - a.at), 2)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--tokens", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--spin", action="store_true", help="also OpenMP's wait policies")
    args = parser.parse_args()
    started = time.perf_counter()
    model = synthetic.ensure(args.layers)
    fixed: dict[str, Fixed] = {}
    with tempfile.TemporaryDirectory() as tmp:
        auto = EngineClient(log_path=Path(tmp) / "auto.log")
        try:
            auto.load(model, n_ctx=1024)
            planned = int(auto.info["plan"]["n_threads"])
            fixed["today"] = Fixed(model, TODAY_ENV)
            if args.spin:
                fixed.update({name: Fixed(model, env) for name, env in SPIN_ENVS.items()})
            generate(auto, 2)  # warm-up
            levels: dict[Any, Any] = {
                n: measure(auto, fixed, planned, n, args) for n in (0, 1, 2)}
            assert auto.pid is not None
            with realtime([auto.pid, fixed["today"].proc.pid]) as rt:
                if rt:
                    levels["quiet_rt"] = measure(auto, {"today": fixed["today"]}, planned, 0,
                                                 args)
        finally:
            auto.close()
            for f in fixed.values():
                f.close()
    result: dict[str, Any] = {
        "model": model.name, "layers": args.layers, "tokens": args.tokens,
        "rounds": args.rounds, "planned_threads": planned, "cpu_count": os.cpu_count(),
    }
    today = f"fixed_{planned}"
    if "quiet_rt" in levels:
        rt_level = levels.pop("quiet_rt")
        result["quiet_rt"] = rt_level
        result["auto_vs_today_quiet_rt"] = round(
            rt_level["tokps"]["auto"] / rt_level["tokps"][f"fixed_{planned}"], 3)
    for busy_n, level in levels.items():
        tokps = level["tokps"]
        best = max((v, k) for k, v in tokps.items() if k.startswith("fixed_")
                   and not k.endswith(tuple(SPIN_ENVS)))
        result[f"busy_{busy_n}"] = level
        result[f"best_fixed_busy_{busy_n}"] = best[1]
        if busy_n:
            result[f"auto_vs_best_threads_under_load_{busy_n}"] = round(tokps["auto"] / best[0], 3)
        else:
            result["auto_vs_today_quiet"] = round(tokps["auto"] / tokps[today], 3)
    result["auto_vs_best_threads_under_load"] = min(
        result["auto_vs_best_threads_under_load_1"], result["auto_vs_best_threads_under_load_2"])
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result))
    return 0


def measure(auto: EngineClient, fixed: dict[str, Fixed], planned: int, busy_n: int,
            args: Any) -> dict[str, Any]:
    runs: dict[str, list[float]] = {"auto": []}
    auto_threads: list[int] = []
    with busy(busy_n):
        time.sleep(SETTLE_S)
        for _ in range(args.rounds):
            tokps, threads = generate(auto, args.tokens)
            runs["auto"].append(tokps)
            auto_threads.append(threads)
            for name, process in fixed.items():
                for n in range(1, planned + 1) if name == "today" else (planned,):
                    key = f"fixed_{n}" if name == "today" else f"fixed_{n}_{name}"
                    runs.setdefault(key, []).append(process.generate(args.tokens, n))
        others = others_cores()
        load = os.getloadavg()[0]
    return {"tokps": {k: round(statistics.median(v), 2) for k, v in runs.items()},
            "auto_threads": auto_threads, "others_cores_after": others,
            "load_average": round(load, 2)}


if __name__ == "__main__":
    raise SystemExit(main())
