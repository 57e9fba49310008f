"""The planner on the machines of the issue: sensible, safe plans, never more than the
memory there is."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.hardware.detect import GiB
from app.hardware.facts import GpuFacts, MachineFacts, ModelFacts
from app.hardware.plan import (
    MIN_CTX,
    Overrides,
    Plan,
    diagnose,
    fallback_plans,
    gpu_budget,
    plan,
    ram_budget,
)
from tests.hardware.profiles import GPT_OSS_20B, GPT_OSS_120B, apple, cpu_only, nvidia

MACHINES = {
    **{f"apple-{gb}": apple(gb) for gb in (8, 16, 24, 32, 64, 128)},
    **{f"nvidia-{v}-ram-{r}": nvidia(v, r) for v in (6, 8, 12, 24) for r in (16, 32, 64)},
    **{f"cpu-{gb}": cpu_only(gb) for gb in (8, 16, 32, 64)},
}
MODELS = {"20b": GPT_OSS_20B, "120b": GPT_OSS_120B}


def assert_safe(p: Plan, model: ModelFacts, machine: MachineFacts) -> None:
    """The invariants every plan keeps, whatever the machine."""
    assert p.ram_budget <= machine.ram_total
    assert p.ram_budget <= (machine.ram_available or machine.ram_total)
    if p.fits:
        assert p.ram_bytes <= p.ram_budget
        assert p.gpu_bytes <= p.gpu_budget
        assert MIN_CTX <= p.n_ctx <= p.requested_ctx
        if p.uses_gpu:
            gpu = next(g for g in machine.gpus if g.index == p.main_gpu)
            assert p.gpu_bytes < min(gpu.memory_free, gpu.memory_total)
        if machine.gpus and machine.gpus[0].unified:
            assert p.ram_bytes >= p.gpu_bytes  # unified: the GPU's share is RAM too
    assert 0 <= p.n_gpu_layers <= model.n_layer + 1
    assert 0 <= p.n_cpu_moe <= model.n_layer
    assert p.n_threads >= 1 and p.n_ubatch <= p.n_batch
    assert p.explanation.endswith(".") and model.name in p.explanation
    json.dumps(p.to_dict())


@pytest.mark.parametrize("machine_name", MACHINES)
@pytest.mark.parametrize("model_name", MODELS)
@pytest.mark.parametrize("ctx", [4096, 16384, 131072])
def test_every_profile_is_safe(machine_name: str, model_name: str, ctx: int) -> None:
    machine, model = MACHINES[machine_name], MODELS[model_name]
    assert_safe(plan(model, machine, ctx), model, machine)


@pytest.mark.parametrize("machine_name, expect", [
    ("nvidia-24-ram-16", "all layers on the GPU, 16,384 tokens of context."),
    ("nvidia-12-ram-32", "the experts of"),
    ("nvidia-8-ram-16", "the experts of"),
    ("nvidia-6-ram-16", "the experts of"),
    ("apple-32", "all layers on the GPU, 16,384 tokens of context."),
    ("apple-16", "the experts of"),
    ("cpu-32", "runs on the CPU"),
    ("cpu-16", "runs on the CPU"),
])
def test_gpt_oss_20b_runs(machine_name: str, expect: str) -> None:
    p = plan(GPT_OSS_20B, MACHINES[machine_name], 16384)
    assert p.fits
    assert expect in p.explanation
    if "nvidia" in machine_name:
        assert p.n_gpu_layers == GPT_OSS_20B.n_layer + 1  # MoE: experts go first, not layers
        assert "RTX 3060" in p.explanation and "NVIDIA GeForce" not in p.explanation


def test_the_sentence_reads_plainly() -> None:
    p = plan(GPT_OSS_20B, nvidia(24, 32), 16384)
    assert p.explanation == ("gpt-oss-20b runs on your RTX 3060 (24 GB): all layers on the "
                             "GPU, 16,384 tokens of context. About 70 words a second: fast.")
    p = plan(GPT_OSS_20B, nvidia(8, 32), 16384)
    assert re.fullmatch(r"gpt-oss-20b runs on your RTX 3060 \(8 GB\) and the CPU: all layers "
                        r"on the GPU, the experts of \d+ of 24 layers in RAM, 16,384 tokens "
                        r"of context\. About \d+ words a second: (fast|good|usable, slow)\.",
                        p.explanation)


def test_more_gpu_memory_keeps_fewer_experts_in_ram() -> None:
    kept = [plan(GPT_OSS_20B, nvidia(v, 32), 16384).n_cpu_moe for v in (6, 8, 10, 12, 16, 24)]
    assert kept == sorted(kept, reverse=True)
    assert kept[0] > 0 and kept[-1] == 0


@pytest.mark.parametrize("machine_name", ["apple-8", "cpu-8"])
def test_gpt_oss_20b_does_not_fit_8_gb(machine_name: str) -> None:
    p = plan(GPT_OSS_20B, MACHINES[machine_name], 8192)
    assert not p.fits
    assert "cannot run here" in p.explanation and "8 GB" in p.explanation


def test_too_little_free_memory_says_close_programs() -> None:
    p = plan(GPT_OSS_20B, cpu_only(32, available_gb=6), 8192)
    assert not p.fits
    assert "close some programs" in p.explanation


@pytest.mark.parametrize("machine_name", ["apple-16", "apple-32", "apple-64", "cpu-32",
                                          "nvidia-24-ram-16", "nvidia-12-ram-32"])
def test_gpt_oss_120b_refused_where_it_would_exhaust_ram(machine_name: str) -> None:
    assert not plan(GPT_OSS_120B, MACHINES[machine_name], 8192).fits


@pytest.mark.parametrize("vram", [8, 12, 24])
def test_gpt_oss_120b_on_a_gpu_with_64_gb_ram(vram: int) -> None:
    """The llama.cpp recipe for 120b on a gaming PC: attention on the GPU, experts in RAM."""
    p = plan(GPT_OSS_120B, nvidia(vram, 64), 16384)
    assert p.fits and p.n_gpu_layers == GPT_OSS_120B.n_layer + 1
    assert 0 < p.n_cpu_moe <= GPT_OSS_120B.n_layer


def test_apple_128_gb_runs_120b_on_the_gpu() -> None:
    p = plan(GPT_OSS_120B, apple(128), 32768)
    assert p.fits and p.n_cpu_moe == 0 and "unified memory" in p.explanation


def test_largest_context_that_fits() -> None:
    machine = cpu_only(16)
    p = plan(GPT_OSS_20B, machine, 131072)
    assert p.fits and MIN_CTX <= p.n_ctx < 131072 and p.n_ctx % 1024 == 0
    assert "asked for does not fit" in p.explanation
    assert plan(GPT_OSS_20B, machine, p.n_ctx + 1024).n_ctx == p.n_ctx  # one step more: no


def test_context_is_clamped_to_training_length() -> None:
    p = plan(GPT_OSS_20B, nvidia(24, 64), 10**6)
    assert p.n_ctx <= GPT_OSS_20B.n_ctx_train


def test_gpu_before_context_on_apple() -> None:
    """A 16 GB Mac: the GPU at a reduced context beats the CPU at a longer one."""
    p = plan(GPT_OSS_20B, apple(16), 32768)
    assert p.fits and p.uses_gpu and p.n_ctx >= 8192


def test_engine_without_gpu_support_plans_for_the_cpu() -> None:
    machine = replace(nvidia(24, 32), engine_gpu_offload=False)
    p = plan(GPT_OSS_20B, machine, 8192)
    assert not p.uses_gpu and p.main_gpu == -1 and p.gpu_bytes == 0
    assert [d.code for d in diagnose(machine, p)] == ["engine_without_gpu"]


def test_biggest_of_several_gpus() -> None:
    small = GpuFacts(name="NVIDIA GeForce GTX 1650", memory_total=4 * GiB,
                     memory_free=4 * GiB, backend="CUDA", index=0, vendor="NVIDIA")
    big = replace(nvidia(24, 64).gpus[0], index=1)
    machine = replace(nvidia(24, 64), gpus=(small, big))
    p = plan(GPT_OSS_20B, machine, 8192)
    assert p.main_gpu == 1 and p.llama_kwargs()["main_gpu"] == 1
    assert p.llama_kwargs()["split_mode"] == 0


def test_user_overrides() -> None:
    machine = nvidia(24, 64)
    p = plan(GPT_OSS_20B, machine, 8192, Overrides(n_cpu_moe=6, n_threads=3, n_batch=256))
    assert (p.n_cpu_moe, p.n_threads, p.n_batch, p.n_ubatch) == (6, 3, 256, 256)
    assert p.notes == ()
    cpu = plan(GPT_OSS_20B, machine, 8192, Overrides(use_gpu=False))
    assert not cpu.uses_gpu and cpu.llama_kwargs()["op_offload"] is False


def test_an_override_that_does_not_fit_is_replaced_and_said() -> None:
    machine = nvidia(8, 32)
    p = plan(GPT_OSS_20B, machine, 8192, Overrides(n_gpu_layers=25, n_cpu_moe=0))
    assert p.fits and p.n_cpu_moe > 0
    assert p.notes and "does not fit" in p.notes[0]


def test_expert_patterns_follow_llama_cpp_n_cpu_moe() -> None:
    p = plan(GPT_OSS_20B, nvidia(8, 32), 8192)
    patterns = p.expert_override_patterns()
    assert len(patterns) == p.n_cpu_moe
    assert patterns[0] == r"blk\.0\.ffn_(up|down|gate|gate_up)_(ch|)exps"
    assert re.search(patterns[1], "blk.1.ffn_gate_exps.weight")
    assert not re.search(patterns[1], "blk.11.ffn_gate_exps.weight")
    assert plan(GPT_OSS_20B, cpu_only(32), 8192).expert_override_patterns() == []


def test_fallbacks_use_less_gpu_then_cpu_then_smaller_context() -> None:
    p = plan(GPT_OSS_20B, nvidia(12, 32), 16384)
    tries = fallback_plans(p)
    assert [t.uses_gpu for t in tries] == [True, False, False]
    assert tries[0].gpu_bytes < p.gpu_bytes and tries[0].n_cpu_moe > p.n_cpu_moe
    assert tries[1].n_ctx == p.n_ctx and tries[2].n_ctx < tries[1].n_ctx
    assert all(t.fits and t.reason for t in tries)
    for t in tries:
        assert_safe(t, GPT_OSS_20B, nvidia(12, 32))


def test_no_fallback_that_would_exhaust_ram() -> None:
    """16 GB of RAM cannot hold gpt-oss-20b on the CPU: no CPU fallback is offered."""
    p = plan(GPT_OSS_20B, nvidia(12, 16, ), 16384)
    assert all(t.uses_gpu for t in fallback_plans(p))
    assert fallback_plans(plan(GPT_OSS_20B, cpu_only(8), 8192)) == []


@pytest.mark.parametrize("machine, code", [
    (cpu_only(32), "no_gpu"),
    (replace(cpu_only(32), rosetta=True), "rosetta"),
    (replace(cpu_only(32), detected_gpus=nvidia(8, 32, driver="470.82").gpus),
     "driver_too_old"),
    (replace(cpu_only(32), detected_gpus=(replace(nvidia(8, 32).gpus[0], driver_version=""),)),
     "driver_missing"),
    (nvidia(8, 32, driver="470.82"), "driver_too_old"),
    (replace(nvidia(8, 32), engine_gpu_offload=False), "engine_without_gpu"),
    (nvidia(1, 32, name="NVIDIA GeForce GT 1030"), "gpu_too_small"),
    (nvidia(8, 32), "gpu_partial"),
])
def test_diagnosis(machine: MachineFacts, code: str) -> None:
    p = plan(GPT_OSS_20B, machine, 16384)
    found = diagnose(machine, p)
    assert code in [d.code for d in found]
    assert all(d.problem and d.action for d in found)


def test_nothing_to_diagnose_when_all_is_on_the_gpu() -> None:
    machine = nvidia(24, 32)
    assert diagnose(machine, plan(GPT_OSS_20B, machine, 16384)) == []


def test_budgets_leave_headroom() -> None:
    assert ram_budget(cpu_only(16, available_gb=16)) <= 14 * GiB
    gpu = nvidia(8, 32).gpus[0]
    assert gpu_budget(gpu) < gpu.memory_free - 256 * (1 << 20)


memory = st.integers(min_value=1, max_value=256).map(lambda gb: gb * GiB)


@settings(max_examples=300, deadline=None)
@given(ram=memory, free_share=st.floats(0.05, 1.0), vram=st.sampled_from([0, 2, 4, 6, 8, 12,
       16, 24, 48, 80]), unified=st.booleans(), ctx=st.integers(512, 200_000),
       big=st.booleans())
def test_never_more_than_there_is(ram: int, free_share: float, vram: int, unified: bool,
                                  ctx: int, big: bool) -> None:
    gpus: tuple[GpuFacts, ...] = ()
    if unified:
        gpus = apple(ram // GiB).gpus
    elif vram:
        gpus = nvidia(vram, 16).gpus
    machine = MachineFacts(ram_total=ram, ram_available=int(ram * free_share), gpus=gpus,
                           physical_cores=4, performance_cores=4)
    model = GPT_OSS_120B if big else GPT_OSS_20B
    p = plan(model, machine, ctx)
    assert_safe(p, model, machine)
    for t in fallback_plans(p):
        assert_safe(t, model, machine)
