"""The tokens-per-second estimate, held to published llama.cpp figures for the real
gpt-oss-20b (MXFP4) on the machines they were measured on.

Each estimate must land within ``FACTOR`` of the published figure: an estimate is for
a verdict ("usable, slow" or "fast"), and the verdict's bands are three times apart.
"""

from __future__ import annotations

import pytest

from app.hardware.detect import GiB
from app.hardware.facts import GpuFacts, MachineFacts
from app.hardware.plan import plan
from app.hardware.speed import (
    Pace,
    Speed,
    active_bytes,
    calibrated,
    cpu_rate,
    pace,
    plan_tokens_per_second,
)
from app.models.catalog import Fit, find
from tests.hardware.profiles import GPT_OSS_20B, GPT_OSS_120B, apple, nvidia

FACTOR = 1.5


def _cpu(name: str, cores: int, ram_gb: int = 32) -> MachineFacts:
    return MachineFacts(ram_total=ram_gb * GiB, ram_available=(ram_gb - 4) * GiB,
                        physical_cores=cores, performance_cores=cores, logical_cores=cores,
                        cpu_name=name, os="Linux")


def _close(estimate: float, published: float) -> bool:
    return published / FACTOR <= estimate <= published * FACTOR


def _cpu_plan_speed(machine: MachineFacts) -> float:
    p = plan(GPT_OSS_20B, machine, 8192)
    assert p.fits and not p.uses_gpu
    return p.tok_s


def test_the_model_reads_about_2_gb_a_token() -> None:
    # 3.6 B active parameters at MXFP4 experts, Q8_0 attention and head.
    assert 1.5e9 < active_bytes(GPT_OSS_20B) < 2.6e9
    assert active_bytes(GPT_OSS_120B) > active_bytes(GPT_OSS_20B)


@pytest.mark.parametrize("machine, published", [
    (_cpu("AMD Ryzen 9 7950X 16-Core Processor", 16), 21.7),
    (_cpu("AMD EPYC", 2), 4.1),  # the 2-core VM this project runs on
    (_cpu("Intel(R) Core(TM) i7-1165G7 @ 2.80GHz", 4), 6.7),
    (_cpu("AMD Ryzen 7 7840U w/ Radeon 780M Graphics", 8), 9.8),
    (_cpu("12th Gen Intel(R) Core(TM) i7-1260P", 12), 9.8),
])
def test_cpu_estimates_match_published_figures(machine: MachineFacts,
                                               published: float) -> None:
    assert _close(_cpu_plan_speed(machine), published)


def test_the_2_core_vm_is_compute_bound_at_its_measured_bandwidth() -> None:
    # 33 GB/s read with two threads; two cores cannot multiply that fast.
    rate = cpu_rate(2, 33e9)
    assert _close(rate / active_bytes(GPT_OSS_20B), 4.1)


def test_rtx_4090_and_m4_max() -> None:
    p = plan(GPT_OSS_20B, nvidia(24, 64, name="NVIDIA GeForce RTX 4090"), 8192)
    assert p.n_gpu_layers > GPT_OSS_20B.n_layer and not p.n_cpu_moe
    assert _close(p.tok_s, 191)
    mac = plan(GPT_OSS_20B, apple(64, chip="Apple M4 Max"), 8192)
    assert _close(mac.tok_s, 118)


def test_experts_in_ram_cost_speed_and_the_plan_says_so() -> None:
    machine = nvidia(8, 32, name="NVIDIA GeForce RTX 4060")
    full = plan(GPT_OSS_20B, nvidia(24, 32, name="NVIDIA GeForce RTX 4060"), 8192)
    partial = plan(GPT_OSS_20B, machine, 8192)
    assert partial.n_cpu_moe > 0
    gpu = machine.gpus[0]
    all_on_gpu = plan_tokens_per_second(GPT_OSS_20B, machine, GPT_OSS_20B.n_layer + 1, 0, gpu)
    assert partial.tok_s < all_on_gpu == pytest.approx(full.tok_s, rel=1e-3)
    assert partial.tok_s > _cpu_plan_speed(_cpu("AMD Ryzen 7", 8))


@pytest.mark.parametrize("tok_s, expected", [
    (191, Pace.FAST), (21.7, Pace.GOOD), (9.8, Pace.SLOW), (4.1, Pace.SLOW),
    (1.2, Pace.TOO_SLOW),
])
def test_paces(tok_s: float, expected: Pace) -> None:
    assert pace(tok_s) is expected


def test_the_words_say_the_number() -> None:
    assert Speed(4.1).text() == "about 4 words a second: usable, slow"
    assert Speed(191).text() == "about 190 words a second: fast"
    assert Speed(0.46).text() == "about 0.5 words a second: too slow"


def test_a_speed_test_corrects_the_estimate_within_limits() -> None:
    assert calibrated(10.0, []) == 10.0
    assert calibrated(10.0, [(2.0, 4.0)]) == pytest.approx(5.0)
    assert calibrated(10.0, [(100.0, 1.0)]) == pytest.approx(40.0)


def test_the_issue_machine_gets_an_honest_catalog_verdict() -> None:
    """Two cores, no GPU: gpt-oss-20b fits, but at about 4 tokens/s it is slow, and
    gpt-oss-120b does not fit."""
    machine = _cpu("AMD EPYC", 2, ram_gb=32)
    small, large = find("gpt-oss-20b"), find("gpt-oss-120b")
    assert small is not None and large is not None
    verdict = small.verdict(machine)
    assert verdict.fit is Fit.RUNS_SLOWLY
    assert verdict.speed is not None and _close(verdict.speed.tok_s, 4.1)
    assert verdict.speed.pace is Pace.SLOW
    assert "about 4 words a second: usable, slow" in verdict.text()
    assert large.verdict(machine).fit is Fit.WONT_FIT
    # A fast GPU makes the same model run well.
    fast = small.verdict(nvidia(24, 32, name="NVIDIA GeForce RTX 4090"))
    assert fast.fit is Fit.RUNS_WELL and fast.speed is not None
    assert fast.speed.pace is Pace.FAST


def test_a_gpu_without_a_known_name_is_judged_by_its_memory() -> None:
    gpu = GpuFacts(name="NVIDIA Mystery Card", memory_total=12 * GiB,
                   memory_free=11 * GiB, backend="CUDA", vendor="NVIDIA")
    machine = MachineFacts(ram_total=32 * GiB, ram_available=28 * GiB, physical_cores=8,
                           performance_cores=8, cpu_name="AMD Ryzen 7", gpus=(gpu,))
    p = plan(GPT_OSS_20B, machine, 8192)
    assert 50 < p.tok_s < 250
