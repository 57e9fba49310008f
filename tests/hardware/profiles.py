"""Realistic facts for the planner tests: the two gpt-oss models as ggml-org's MXFP4
GGUFs store them, and the machines of the issue (sizes in binary GB, as sold)."""

from __future__ import annotations

from app.hardware.detect import GiB
from app.hardware.facts import GpuFacts, MachineFacts, ModelFacts, metal_working_set

_EMBD, _VOCAB, _FF = 2880, 201088, 2880


def _mxfp4(n_elements: int) -> int:
    return n_elements // 32 * 17


def _q8(n_elements: int) -> int:
    return n_elements // 32 * 34


def gpt_oss(n_layer: int, n_expert: int, name: str) -> ModelFacts:
    """gpt-oss: MXFP4 experts (gate, up, down and their f32 biases), Q8_0 attention,
    Q8_0 embeddings and output head; 8 KV heads of 64 + 64 dims, f16."""
    experts = 3 * _mxfp4(_EMBD * _FF * n_expert) + 3 * 4 * _FF * n_expert
    attention = _q8(_EMBD * 4096 * 2 + _EMBD * 512 * 2) + 4 * (4096 + 1024 + _EMBD + 64)
    layer = attention + 4 * (_EMBD * n_expert + n_expert + 2 * _EMBD)
    return ModelFacts(
        name=name, n_layer=n_layer, layer_bytes=(layer,) * n_layer,
        expert_bytes=(experts,) * n_layer, input_bytes=_q8(_EMBD * _VOCAB),
        output_bytes=_q8(_EMBD * _VOCAB) + 4 * _EMBD, output_tied=False,
        kv_bytes_per_token=n_layer * 8 * (64 + 64) * 2, n_ctx_train=131072,
        n_vocab=_VOCAB, n_embd=_EMBD, n_head=64, n_expert_used=4, n_ff_exp=_FF,
        architecture="gpt-oss", n_expert=n_expert,
    )


GPT_OSS_20B = gpt_oss(24, 32, "gpt-oss-20b")
GPT_OSS_120B = gpt_oss(36, 128, "gpt-oss-120b")


def apple(ram_gb: int, chip: str = "Apple M2") -> MachineFacts:
    ram = ram_gb * GiB
    gpu = GpuFacts(name=f"{chip} GPU", memory_total=ram, memory_free=metal_working_set(ram),
                   backend="Metal", unified=True, vendor="Apple")
    return MachineFacts(ram_total=ram, ram_available=ram - 3 * GiB, physical_cores=8,
                        performance_cores=4, logical_cores=8, cpu_name=chip, os="macOS",
                        gpus=(gpu,), detected_gpus=(gpu,), apple_silicon=True)


def nvidia(vram_gb: int, ram_gb: int, name: str = "NVIDIA GeForce RTX 3060",
           driver: str = "560.35.03") -> MachineFacts:
    vram, ram = vram_gb * GiB, ram_gb * GiB
    gpu = GpuFacts(name=name, memory_total=vram, memory_free=vram - 300 * (1 << 20),
                   backend="CUDA", vendor="NVIDIA", driver_version=driver, cuda_version="12.6")
    return MachineFacts(ram_total=ram, ram_available=ram - 4 * GiB, physical_cores=8,
                        performance_cores=8, logical_cores=16, cpu_name="AMD Ryzen 7",
                        os="Windows", gpus=(gpu,), detected_gpus=(gpu,))


def cpu_only(ram_gb: int, available_gb: float | None = None) -> MachineFacts:
    ram = ram_gb * GiB
    available = int((available_gb if available_gb is not None else ram_gb - 3) * GiB)
    return MachineFacts(ram_total=ram, ram_available=available, physical_cores=4,
                        performance_cores=4, logical_cores=8, cpu_name="Intel Core i5",
                        os="Linux")
