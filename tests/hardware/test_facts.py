"""ModelFacts from real GGUF headers, and MachineFacts from detection."""

from __future__ import annotations

from pathlib import Path

from app.hardware.detect import CpuInfo, GiB, GpuInfo, HardwareReport, MemoryInfo
from app.hardware.facts import machine_facts, metal_working_set, read_model_facts
from app.hardware.llama_devices import EngineDevice, EngineDevices


def test_tiny_gpt_oss_facts(tiny_gpt_oss_path: Path) -> None:
    facts = read_model_facts(tiny_gpt_oss_path)
    assert facts.n_layer == 2 and facts.is_moe
    # 4 experts × (gate + up + down) 64×64 f32 weights, plus their biases, per layer.
    assert facts.expert_bytes == (3 * 4 * 64 * 64 * 4 + 4 * 64 * 4 * 3,) * 2
    assert all(0 < b < facts.expert_bytes[0] for b in facts.layer_bytes)
    assert facts.kv_bytes_per_token == 2 * 2 * (16 + 16) * 2  # layers × kv heads × (k+v) × f16
    assert not facts.output_tied and facts.output_bytes > 0 and facts.input_bytes > 0
    assert facts.n_ctx_train == 4096 and facts.n_expert_used == 2
    header_total = tiny_gpt_oss_path.stat().st_size
    assert 0.9 * header_total < facts.weights_bytes <= header_total


def test_gemma_is_dense_with_a_tied_head(gemma_path: Path) -> None:
    facts = read_model_facts(gemma_path)
    assert facts.n_layer == 18 and not facts.is_moe
    assert facts.output_tied and facts.output_bytes >= facts.input_bytes * 0.99
    assert facts.kv_bytes_per_token == 18 * 1 * (256 + 256) * 2
    assert facts.n_vocab == 262144
    assert 0.95 < facts.weights_bytes / gemma_path.stat().st_size <= 1


def _report(**kw: object) -> HardwareReport:
    base = dict(os="Linux", cpu=CpuInfo("x", 8, 16, 8), memory=MemoryInfo(32 * GiB, 20 * GiB))
    base.update(kw)
    return HardwareReport(**base)  # type: ignore[arg-type]


def test_gui_side_facts_assume_cuda_and_metal_only() -> None:
    nvidia = GpuInfo("NVIDIA GeForce RTX 4070", "NVIDIA", 12 * GiB, 11 * GiB,
                     driver_version="560.1")
    amd = GpuInfo("AMD Radeon RX 6600", "AMD", 8 * GiB, 8 * GiB)
    facts = machine_facts(_report(gpus=[nvidia, amd]))
    assert [g.backend for g in facts.gpus] == ["CUDA"]
    assert len(facts.detected_gpus) == 2 and facts.engine_gpu_offload is None
    assert facts.ram_available == 20 * GiB and facts.performance_cores == 8


def test_engine_devices_replace_detection_in_the_worker() -> None:
    nvidia = GpuInfo("NVIDIA GeForce RTX 4070", "NVIDIA", 12 * GiB, 11 * GiB,
                     driver_version="560.1", cuda_version="12.6")
    engine = EngineDevices(
        backends=["CUDA", "CPU"], gpu_offload=True,
        devices=[EngineDevice("CUDA0", "NVIDIA GeForce RTX 4070", "gpu", 10 * GiB, 12 * GiB,
                              "CUDA"),
                 EngineDevice("CPU", "x", "cpu", 32 * GiB, 32 * GiB, "CPU")])
    facts = machine_facts(_report(gpus=[nvidia]), engine)
    (gpu,) = facts.gpus
    assert (gpu.backend, gpu.memory_free, gpu.driver_version) == ("CUDA", 10 * GiB, "560.1")
    assert facts.engine_gpu_offload is True


def test_apple_unified_memory_is_limited_to_the_metal_working_set() -> None:
    gpu = GpuInfo("Apple M3 GPU", "Apple", 16 * GiB, unified_memory=True)
    facts = machine_facts(_report(gpus=[gpu], apple_silicon=True))
    assert facts.gpus[0].unified and facts.gpus[0].memory_free == metal_working_set(16 * GiB)
    assert metal_working_set(16 * GiB) < 11 * GiB < metal_working_set(64 * GiB)
    rosetta = machine_facts(_report(gpus=[gpu], apple_silicon=True, rosetta=True))
    assert rosetta.gpus == ()


def test_metal_device_is_named_by_the_macs_ram() -> None:
    gpu = GpuInfo("Apple M2 GPU", "Apple", 16 * GiB, unified_memory=True)
    metal = EngineDevice("Metal", "Apple M2", "gpu", 10 * GiB, 10 * GiB + GiB // 2, "Metal")
    engine = EngineDevices(backends=["Metal", "CPU"], devices=[metal], gpu_offload=True)
    report = _report(gpus=[gpu], apple_silicon=True, memory=MemoryInfo(16 * GiB, 12 * GiB))
    (facts,) = machine_facts(report, engine).gpus
    assert (facts.memory_total, facts.memory_free, facts.unified) == (16 * GiB, 10 * GiB, True)
