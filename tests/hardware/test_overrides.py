"""The real tensor-override mechanism: the tiny gpt-oss loaded with its expert tensors
on llama.cpp's CPU buffer type, generating; and the retry of a load that fails."""

from __future__ import annotations

import ctypes
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from app.hardware.overrides import TensorBuftOverride, build_overrides

ROOT = Path(__file__).resolve().parents[2]

LOAD = """
import sys, llama_cpp
from app.hardware.overrides import load_llama
from app.hardware.plan import EXPERT_PATTERN
experts = sys.argv[2] == "experts"
patterns = [EXPERT_PATTERN.format(i=i) for i in range(2)] if experts else []
llm = load_llama(llama_cpp, sys.argv[1], expert_patterns=patterns,
                 cpu_only=sys.argv[3] == "cpu-only", n_ctx=256, verbose=True, seed=1)
out = llm.create_completion("hello", max_tokens=8, temperature=0)
print("GENERATED", out["usage"]["completion_tokens"], flush=True)
"""

FALLBACK = """
import sys, llama_cpp
from pathlib import Path
from app.hardware.detect import detect
from app.hardware.facts import machine_facts, read_model_facts
from app.hardware.llama_devices import query
from app.hardware.overrides import load_planned, load_with_fallback
from app.hardware.plan import plan, fallback_plans
model = read_model_facts(Path(sys.argv[1]))
machine = machine_facts(detect(), query(llama_cpp))
first = plan(model, machine, 4096)
tried = []

def load(llama_cpp, path, attempt, **kwargs):
    tried.append(attempt.n_ctx)
    if len(tried) == 1:  # what llama-cpp-python raises when a GPU runs out of memory
        raise ValueError("Failed to create llama_context")
    return load_planned(llama_cpp, path, attempt, **kwargs)

llm, used, failures = load_with_fallback(llama_cpp, sys.argv[1], first, fallback_plans(first),
                                         load=load, verbose=False)
tokens = llm.create_completion("hello", max_tokens=4, temperature=0)["usage"]
print("USED", first.n_ctx, used.n_ctx, len(failures), tokens["completion_tokens"], flush=True)
"""


def _run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=300, check=False)


def test_experts_on_the_cpu_buffer_type_and_generate(tiny_gpt_oss_path: Path) -> None:
    done = _run(LOAD, str(tiny_gpt_oss_path), "experts", "all-devices")
    assert done.returncode == 0, done.stderr[-3000:]
    log = done.stderr
    assert "tensor overrides to CPU are used with mmap enabled" in log
    for layer in (0, 1):
        for kind in ("gate", "up", "down"):
            assert f"blk.{layer}.ffn_{kind}_exps.weight" in log
    overridden = [line for line in log.splitlines() if "buffer type overridden to CPU" in line]
    assert len(overridden) == 12  # 2 layers × (gate, up, down) × (weight, bias)
    assert all("exps" in line for line in overridden)
    assert "GENERATED" in done.stdout


def test_without_overrides_nothing_is_overridden(tiny_gpt_oss_path: Path) -> None:
    done = _run(LOAD, str(tiny_gpt_oss_path), "none", "cpu-only")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "overridden" not in done.stderr
    assert "GENERATED" in done.stdout  # and an empty device list still runs on the CPU


def test_a_failing_load_is_retried_with_the_smaller_plan(tiny_gpt_oss_path: Path) -> None:
    done = _run(FALLBACK, str(tiny_gpt_oss_path))
    assert done.returncode == 0, done.stderr[-3000:]
    first, used, failures, tokens = map(int, done.stdout.split("USED")[-1].split())
    assert (first, used, failures) == (4096, 2048, 1) and tokens > 0


def test_override_array_layout() -> None:
    """A zero-terminated array of {pattern, buft}, its strings kept alive with it."""
    fake_llama = SimpleNamespace(llama_max_tensor_buft_overrides=lambda: 4096)
    overrides = build_overrides(fake_llama, [r"blk\.0\.ffn_up_exps", r"blk\.1\.ffn_up_exps"],
                                buft=0x1234)
    assert overrides is not None
    assert len(overrides.array) == 3
    assert [e.pattern for e in overrides.array] == [b"blk\\.0\\.ffn_up_exps",
                                                    b"blk\\.1\\.ffn_up_exps", None]
    assert [e.buft for e in overrides.array] == [0x1234, 0x1234, None]
    assert ctypes.sizeof(TensorBuftOverride) == 2 * ctypes.sizeof(ctypes.c_void_p)
    assert build_overrides(fake_llama, []) is None
    tight = SimpleNamespace(llama_max_tensor_buft_overrides=lambda: 2)
    combined = build_overrides(tight, ["a", "b", "c"], buft=1)
    assert combined is not None and combined.patterns == [b"(a|b|c)"]
