"""The numbers the planner weighs: a model's sizes from its GGUF header, and the
machine's memory from detection (and, in the worker, from llama.cpp's own devices).

Both are plain frozen dataclasses so that ``plan`` stays a pure function, testable on
machines this one is not (a 24 GB RTX 4090, an 8 GB MacBook Air).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.gguf_header import GGUFHeader, read_header
from app.hardware.detect import GiB, GpuInfo, HardwareReport
from app.hardware.llama_devices import EngineDevice, EngineDevices

# The MoE expert weights of one layer: what llama.cpp's ``--n-cpu-moe`` keeps in RAM.
EXPERT_TENSOR = re.compile(r"ffn_(up|down|gate|gate_up)_(ch|)exps")
_LAYER = re.compile(r"^blk\.(\d+)\.")
_SPLIT_NAME = re.compile(r"^(?P<stem>.*)-(?P<part>\d{5})-of-(?P<count>\d{5})\.gguf$")


@dataclass(frozen=True)
class ModelFacts:
    """Sizes in bytes, as the file stores them (what a device must hold)."""

    name: str
    n_layer: int
    layer_bytes: tuple[int, ...]  # each layer's weights except its experts
    expert_bytes: tuple[int, ...]  # each layer's MoE expert weights (0 for dense models)
    input_bytes: int  # token embeddings: llama.cpp always keeps these on the CPU
    output_bytes: int  # output head and norm: on the GPU only when every layer is
    output_tied: bool  # the head reuses the embeddings (a GPU copy, no extra RAM)
    kv_bytes_per_token: int  # f16 K and V for all layers (gpt-oss: swa_full keeps all full)
    n_ctx_train: int
    n_vocab: int = 0
    n_embd: int = 0
    n_head: int = 0
    n_expert_used: int = 0
    n_ff_exp: int = 0
    architecture: str = ""
    n_expert: int = 0  # experts per layer (MoE); with n_expert_used: the share one token reads

    @property
    def is_moe(self) -> bool:
        return any(self.expert_bytes)

    @property
    def weights_bytes(self) -> int:
        """Everything, counted once (a tied head shares the embeddings' memory)."""
        tied = 0 if self.output_tied else self.output_bytes
        return self.input_bytes + tied + sum(self.layer_bytes) + sum(self.expert_bytes)


@dataclass(frozen=True)
class GpuFacts:
    name: str  # as the user knows it: "NVIDIA GeForce RTX 3060", "Apple M2 Pro GPU"
    memory_total: int
    memory_free: int  # what a new context may allocate (Metal: the working-set limit)
    backend: str = ""  # "CUDA", "Metal", "Vulkan"
    index: int = 0  # among the GPUs llama.cpp lists: ``main_gpu``
    unified: bool = False
    vendor: str = ""
    driver_version: str = ""
    cuda_version: str = ""
    compute_capability: str = ""


@dataclass(frozen=True)
class MachineFacts:
    ram_total: int
    ram_available: int | None  # None where the OS would not say
    physical_cores: int = 1
    performance_cores: int = 1
    logical_cores: int = 1
    cpu_name: str = ""
    os: str = ""
    gpus: tuple[GpuFacts, ...] = ()  # GPUs the engine can (or on the GUI side, likely can) use
    detected_gpus: tuple[GpuFacts, ...] = ()  # every GPU the OS reported, for diagnosis
    engine_gpu_offload: bool | None = None  # None: not asked (no worker yet)
    engine_backends: tuple[str, ...] = ()
    apple_silicon: bool = False
    rosetta: bool = False
    notes: tuple[str, ...] = field(default=(), compare=False)


# -- the model ------------------------------------------------------------------------

def read_model_facts(path: Path) -> ModelFacts:
    """ModelFacts for a GGUF file, reading headers only (all parts of a split model)."""
    header = read_header(path)
    tensors = list(header.tensors)
    for part in _other_parts(path, header):
        tensors += read_header(part).tensors
    return model_facts(header, tensors, fallback_name=path.stem)


def _other_parts(path: Path, header: GGUFHeader) -> list[Path]:
    """``model-00002-of-00003.gguf`` and so on, beside the first part."""
    match = _SPLIT_NAME.match(path.name)
    if header.split_count <= 1 or match is None:
        return []
    count = int(match["count"])
    names = [f"{match['stem']}-{i:05d}-of-{count:05d}.gguf" for i in range(1, count + 1)]
    return [path.with_name(n) for n in names if n != path.name]


def model_facts(header: GGUFHeader, tensors: list[tuple[str, int]] | None = None,
                fallback_name: str = "model") -> ModelFacts:
    """Group a header's tensors into what the planner places: per-layer weights, expert
    weights, embeddings and output head; and the KV cache size from the metadata."""
    meta = header.metadata
    arch = header.architecture
    n_layer = _int(meta.get(f"{arch}.block_count"))
    layers, experts = [0] * n_layer, [0] * n_layer
    named: dict[str, int] = {}
    for name, size in header.tensors if tensors is None else tensors:
        match = _LAYER.match(name)
        if match and int(match[1]) < n_layer:
            target = experts if EXPERT_TENSOR.search(name) else layers
            target[int(match[1])] += size
        else:
            named[name] = size
    embd = named.get("token_embd.weight", 0)
    tied = "output.weight" not in named
    head = sum(v for k, v in named.items() if k.startswith("output")) + (embd if tied else 0)
    extra = sum(v for k, v in named.items() if not k.startswith(("output", "token_embd")))
    return ModelFacts(
        name=str(meta.get("general.name") or fallback_name),
        n_layer=n_layer, layer_bytes=tuple(layers), expert_bytes=tuple(experts),
        input_bytes=embd + extra, output_bytes=head, output_tied=tied,
        kv_bytes_per_token=_kv_bytes_per_token(meta, arch, n_layer),
        n_ctx_train=_int(meta.get(f"{arch}.context_length")) or 4096,
        n_vocab=_vocab_size(meta, arch), n_embd=_int(meta.get(f"{arch}.embedding_length")),
        n_head=_per_layer_max(meta.get(f"{arch}.attention.head_count")),
        n_expert_used=_int(meta.get(f"{arch}.expert_used_count")),
        n_expert=_int(meta.get(f"{arch}.expert_count")),
        n_ff_exp=_int(meta.get(f"{arch}.expert_feed_forward_length")),
        architecture=arch,
    )


def _kv_bytes_per_token(meta: dict[str, Any], arch: str, n_layer: int) -> int:
    """n_head_kv × (key + value length) × 2 bytes (f16) summed over layers.

    Sliding-window layers are counted at full size: llama-cpp-python leaves llama.cpp's
    ``swa_full`` on, so their cache is as long as the context.
    """
    n_embd = _int(meta.get(f"{arch}.embedding_length"))
    n_head = _per_layer_max(meta.get(f"{arch}.attention.head_count")) or 1
    head_kv = meta.get(f"{arch}.attention.head_count_kv", n_head)
    per_layer = head_kv if isinstance(head_kv, list) else [head_kv] * n_layer
    k = _int(meta.get(f"{arch}.attention.key_length")) or n_embd // n_head
    v = _int(meta.get(f"{arch}.attention.value_length")) or n_embd // n_head
    return sum(_int(h) for h in per_layer[:n_layer]) * (k + v) * 2


def _vocab_size(meta: dict[str, Any], arch: str) -> int:
    tokens = meta.get("tokenizer.ggml.tokens")  # its length, when the list was long
    if isinstance(tokens, list):
        return len(tokens)
    return _int(tokens) or _int(meta.get(f"{arch}.vocab_size"))


def _per_layer_max(value: Any) -> int:
    return max((_int(v) for v in value), default=0) if isinstance(value, list) else _int(value)


def _int(value: Any) -> int:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0


# -- the machine ----------------------------------------------------------------------

def metal_working_set(ram_total: int) -> int:
    """Metal's ``recommendedMaxWorkingSetSize`` as macOS sets it: about two thirds of
    the RAM on Macs up to 36 GB, three quarters above. What the GPU may hold at once."""
    return ram_total * 2 // 3 if ram_total <= 36 * GiB else ram_total * 3 // 4


def machine_facts(report: HardwareReport, engine: EngineDevices | None = None) -> MachineFacts:
    """The planner's view of this machine. With ``engine`` (from the worker) the GPUs
    are the devices llama.cpp registered, with the memory they report; without it
    (GUI side) they are the detected GPUs of the kinds Cove's engines support."""
    detected = tuple(_from_detected(g, report) for g in report.gpus)
    if engine is not None:
        usable = tuple(_from_engine(d, i, report) for i, d in enumerate(engine.gpus))
    else:
        usable = tuple(g for g in detected if g.backend in ("CUDA", "Metal"))
    cpu, memory = report.cpu, report.memory
    return MachineFacts(
        ram_total=memory.total_bytes, ram_available=memory.available_bytes,
        physical_cores=max(1, cpu.physical_cores), logical_cores=max(1, cpu.logical_cores),
        performance_cores=max(1, cpu.performance_cores or cpu.physical_cores),
        cpu_name=cpu.model, os=report.os, gpus=usable, detected_gpus=detected,
        engine_gpu_offload=engine.gpu_offload if engine is not None else None,
        engine_backends=tuple(engine.backends) if engine is not None else (),
        apple_silicon=report.apple_silicon, rosetta=report.rosetta, notes=tuple(report.notes),
    )


def _from_detected(gpu: GpuInfo, report: HardwareReport) -> GpuFacts:
    backend = {"NVIDIA": "CUDA", "Apple": "Metal"}.get(gpu.vendor, "Vulkan")
    if gpu.vendor == "Apple" and report.rosetta:
        backend = ""  # an x86 process cannot use Metal through llama.cpp's arm64 kernels
    total = gpu.memory_total_bytes or 0
    free = gpu.memory_free_bytes if gpu.memory_free_bytes is not None else total
    if gpu.unified_memory and gpu.vendor == "Apple":
        free = metal_working_set(total)
    return GpuFacts(
        name=gpu.name, memory_total=total, memory_free=free, backend=backend,
        unified=gpu.unified_memory, vendor=gpu.vendor, driver_version=gpu.driver_version,
        cuda_version=gpu.cuda_version, compute_capability=gpu.compute_capability,
    )


def _from_engine(dev: EngineDevice, index: int, report: HardwareReport) -> GpuFacts:
    """A llama.cpp device, with the driver details of the detected GPU it matches."""
    match = next((g for g in report.gpus
                  if g.name and (g.name in dev.description or dev.description in g.name)),
                 None)
    unified = dev.type == "igpu" or report.apple_silicon
    # Metal reports its working-set limit as the total; people know their Mac by its RAM.
    total = report.memory.total_bytes if report.apple_silicon else dev.memory_total_bytes
    return GpuFacts(
        name=dev.description or dev.name, memory_total=total or dev.memory_total_bytes,
        memory_free=min(dev.memory_free_bytes, dev.memory_total_bytes or dev.memory_free_bytes),
        backend=dev.backend or re.sub(r"\d+$", "", dev.name), index=index, unified=unified,
        vendor=match.vendor if match else "",
        driver_version=match.driver_version if match else "",
        cuda_version=match.cuda_version if match else "",
        compute_capability=match.compute_capability if match else "",
    )
