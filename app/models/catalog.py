"""The models Cove knows, what each needs, and a plain verdict for this machine.

The catalog is offline data: browsing it never touches the network. Sizes are the
published sizes, rounded; the exact size and sha256 of each file come from the Hub
when a download starts (see ``downloads``), so a stale number here can only make a
verdict a little off, never a download wrong.

The machine comes in as a plain ``Machine`` (or a mapping with the same keys), so the
hardware package's report can be passed straight in.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from app.hardware import speed
from app.hardware.plan import DEFAULT_CTX
from app.hardware.speed import Pace, Speed
from app.models.splits import part_names

GB = 1_000_000_000
GIB = 1 << 30
DEFAULT_CONTEXT = DEFAULT_CTX  # the context the engine loads with on Automatic
# Compute buffers, the runtime and the app itself, on top of weights and KV cache.
RUNTIME_OVERHEAD = 1 * GIB
# An embedding model's compute buffers (its worker beside the chat model's).
EMBEDDING_OVERHEAD = 256 << 20


CHAT, EMBEDDING = "chat", "embedding"
EMBEDDING_CONTEXT = 2048  # what the embedding worker loads an embedding model with


class Fit(str, enum.Enum):
    RUNS_WELL = "runs well"
    RUNS_SLOWLY = "runs slowly"
    WONT_FIT = "won't fit"


class Why(str, enum.Enum):
    """Why a verdict is what it is; the UI phrases each in the user's language."""

    FITS_GPU = "fits_gpu"  # all of it in graphics memory
    FITS_RAM = "fits_ram"  # in RAM (and partly on a GPU): the speed says the rest
    TIGHT = "tight"  # fits, with little memory to spare
    TOO_BIG = "too_big"  # needs more memory than there is


@dataclass(frozen=True)
class Machine:
    """What the verdict needs to know about this computer (bytes, bytes per second)."""

    ram_bytes: int
    vram_bytes: int = 0  # dedicated GPU memory (largest GPU); 0 without a usable GPU
    unified_memory: bool = False  # Apple silicon: the GPU uses the RAM
    # Decoding rates (app.hardware.speed); 0 = unknown, a modest laptop is assumed.
    cpu_rate: float = field(default=0.0, compare=False)
    gpu_rate: float = field(default=0.0, compare=False)

    @classmethod
    def from_mapping(cls, report: Mapping[str, Any]) -> Machine:
        """From a hardware report (dict) with ``ram_bytes``/``vram_bytes``/``unified_memory``."""
        ram = report.get("ram_bytes", report.get("total_ram_bytes", 0))
        return cls(int(ram or 0), int(report.get("vram_bytes") or 0),
                   bool(report.get("unified_memory", False)))

    @classmethod
    def from_facts(cls, facts: Any) -> Machine:
        """From the hardware package's ``MachineFacts`` (``ram_total``, ``gpus``), read by
        attribute so that a plain namespace with those names will do."""
        gpus = tuple(getattr(facts, "gpus", ()) or ())
        unified = bool(getattr(facts, "apple_silicon", False)) or any(
            getattr(g, "unified", False) for g in gpus)
        vram = max((int(getattr(g, "memory_total", 0)) for g in gpus
                    if not getattr(g, "unified", False)), default=0)
        cpu = 0.0
        if getattr(facts, "cpu_name", None) is not None:
            cores = int(getattr(facts, "performance_cores", 0)
                        or getattr(facts, "physical_cores", 0) or speed.UNKNOWN_CORES)
            cpu = speed.cpu_rate(cores, speed.ram_bandwidth(
                str(facts.cpu_name), cores, bool(getattr(facts, "apple_silicon", False))))
        best = max(gpus, key=lambda g: int(getattr(g, "memory_total", 0)), default=None)
        gpu = speed.GPU_EFFICIENCY * speed.gpu_bandwidth(
            str(getattr(best, "name", "")), int(getattr(best, "memory_total", 0)),
            str(getattr(best, "vendor", "")), bool(getattr(best, "unified", False))) \
            if best is not None else 0.0
        return cls(int(facts.ram_total), vram, unified, cpu, gpu)

    @classmethod
    def coerce(cls, machine: Any) -> Machine:
        """A ``Machine`` from itself, a report mapping, or the hardware package's facts."""
        if isinstance(machine, Machine):
            return machine
        if isinstance(machine, Mapping):
            return cls.from_mapping(machine)
        return cls.from_facts(machine)

    @property
    def gpu_bytes(self) -> int:
        """Memory the GPU can hold a model in (macOS lends the GPU about 2/3 to 3/4 of RAM)."""
        if self.unified_memory:
            share = 0.75 if self.ram_bytes > 36 * GIB else 0.67
            return int(self.ram_bytes * share)
        return self.vram_bytes

    @property
    def reserve_bytes(self) -> int:
        """RAM the operating system and other apps keep for themselves."""
        return max(2 * GIB, self.ram_bytes // 10)

    def rates(self) -> tuple[float, float]:
        """(CPU, GPU) bytes per second while decoding; guessed when not known."""
        cpu = self.cpu_rate or speed.default_cpu_rate()
        gpu = self.gpu_rate
        if not gpu and (self.vram_bytes or self.unified_memory):
            gpu = speed.GPU_EFFICIENCY * speed.gpu_bandwidth(
                "Apple" if self.unified_memory else "", self.vram_bytes)
        return cpu, gpu


@dataclass(frozen=True)
class Verdict:
    """Whether and how fast a model runs here, as facts; :meth:`text` says it in
    English (the command line), the UI says it in the user's language."""

    fit: Fit
    why: Why
    memory_needed: int  # bytes at the context asked for
    memory_have: int = 0  # RAM (and graphics memory) a model may use here
    ram_bytes: int = 0
    vram_bytes: int = 0
    speed: Speed | None = None  # None when it does not fit
    family: str = ""

    @property
    def reason(self) -> str:
        return self.text()

    def text(self) -> str:
        need = _gb(self.memory_needed)
        if self.why is Why.TOO_BIG:
            gpu = f" and {_gb(self.vram_bytes)} of graphics memory" if self.vram_bytes else ""
            return (f"{self.family} needs about {need} of memory; this computer has "
                    f"{_gb(self.ram_bytes)} of RAM{gpu}.")
        where = {Why.FITS_GPU: "it fits in the graphics memory",
                 Why.FITS_RAM: "it fits in memory",
                 Why.TIGHT: "it fits, but memory is tight"}[self.why]
        pace = f"; {self.speed.text()}" if self.speed is not None else ""
        return f"{self.family}: {where} ({need} needed){pace}."


@dataclass(frozen=True)
class Family:
    """What every file of one model shares, whoever converted it."""

    name: str  # "gpt-oss-20b"
    total_params: int
    active_params: int  # per token (mixture of experts)
    context_max: int
    kv_bytes_per_token: int  # f16 KV cache of the full-attention layers
    # Bytes one token reads in the reference GGUF (shared layers, its experts, the
    # output head), as app.hardware.speed counts them from the header; 0: estimated.
    bytes_per_token: int = 0


@dataclass(frozen=True)
class CatalogEntry:
    key: str
    family: Family
    title: str
    publisher: str
    repo_id: str
    filename: str  # first part for a split model
    size_bytes: int
    quantization: str
    default: bool = False
    summary: str = ""
    purpose: str = "chat"  # CHAT, or EMBEDDING: finds document passages by meaning

    @property
    def embedding(self) -> bool:
        return self.purpose == EMBEDDING

    @property
    def files(self) -> list[str]:
        """Every file to download (a split model has several)."""
        return part_names(self.filename)

    def memory_needed(self, context: int = DEFAULT_CONTEXT) -> int:
        if self.embedding:  # loaded beside a chat model, with a short context
            context = min(context, EMBEDDING_CONTEXT)
        context = max(1, min(context, self.family.context_max))
        overhead = EMBEDDING_OVERHEAD if self.embedding else RUNTIME_OVERHEAD
        return self.size_bytes + self.family.kv_bytes_per_token * context + overhead

    def active_bytes(self) -> float:
        """Bytes one token reads (the experts a token uses, not all of them): the
        family's figure, the same the plan counts once the file is here, scaled to
        this file's size."""
        if self.family.bytes_per_token:
            return self.family.bytes_per_token * self.size_bytes / _reference_size(self.family)
        return self.size_bytes * self.family.active_params / self.family.total_params

    def verdict(self, machine: Machine | Mapping[str, Any] | Any,
                context: int = DEFAULT_CONTEXT, measured: float | None = None,
                calibration: Iterable[tuple[float, float]] = ()) -> Verdict:
        """Runs well / runs slowly / won't fit for this machine (a ``Machine``, a
        mapping, or the hardware package's ``MachineFacts``), with the estimated
        speed, or the ``measured`` one (tokens/s from a speed test of this model) when
        there is one. ``calibration``: (measured, estimated) tokens/s of speed tests of
        other models here, which correct the estimate (see ``speed.calibrated``)."""
        machine = Machine.coerce(machine)
        need = self.memory_needed(context)
        have = machine.ram_bytes - machine.reserve_bytes + \
            (0 if machine.unified_memory else machine.vram_bytes)
        facts = Verdict(Fit.WONT_FIT, Why.TOO_BIG, need, have, machine.ram_bytes,
                        0 if machine.unified_memory else machine.vram_bytes,
                        family=self.family.name)
        if machine.gpu_bytes < need and have < need:
            return facts
        tok_s = measured if measured else \
            speed.calibrated(self._estimate(machine, need), calibration)
        estimate = Speed(round(tok_s, 2), measured=bool(measured))
        slow = estimate.pace in (Pace.SLOW, Pace.TOO_SLOW)
        if machine.gpu_bytes >= need:
            why = Why.FITS_GPU
        else:
            why = Why.FITS_RAM if have >= need * 1.2 else Why.TIGHT
        fit = Fit.RUNS_SLOWLY if slow or why is Why.TIGHT else Fit.RUNS_WELL
        return replace(facts, fit=fit, why=why, speed=estimate)

    def _estimate(self, machine: Machine, need: int) -> float:
        """Tokens/s: on the GPU what fits in its memory, the rest on the CPU."""
        cpu, gpu = machine.rates()
        share = min(1.0, machine.gpu_bytes / need) if gpu and need else 0.0
        active = self.active_bytes()
        return speed.tokens_per_second(active * share, active * (1 - share), gpu, cpu)


def _gb(n: int) -> str:
    """Memory as the OS shows it (8 GB of RAM is 8 GiB): whole numbers from 10 up."""
    value = n / GIB
    return f"{value:.0f} GB" if value >= 10 or value.is_integer() else f"{value:.1f} GB"


GPT_OSS_20B = Family("gpt-oss-20b", total_params=20_900_000_000,
                     active_params=3_600_000_000, context_max=131072,
                     # 12 full-attention layers x (K+V) x 8 KV heads x 64 dims x 2 bytes;
                     # the 12 sliding-window layers keep only 128 tokens.
                     kv_bytes_per_token=12 * 2 * 8 * 64 * 2, bytes_per_token=2_575_000_000)
GPT_OSS_120B = Family("gpt-oss-120b", total_params=116_800_000_000,
                      active_params=5_100_000_000, context_max=131072,
                      kv_bytes_per_token=18 * 2 * 8 * 64 * 2,
                      bytes_per_token=3_594_000_000)

QWEN3_EMBEDDING_06B = Family("Qwen3-Embedding-0.6B", total_params=596_000_000,
                             active_params=596_000_000, context_max=32768,
                             # 28 layers x (K+V) x 8 KV heads x 128 dims x 2 bytes
                             kv_bytes_per_token=28 * 2 * 8 * 128 * 2)

CATALOG: tuple[CatalogEntry, ...] = (
    CatalogEntry(
        key="gpt-oss-20b", title="gpt-oss-20b", publisher="ggml-org",
        repo_id="ggml-org/gpt-oss-20b-GGUF", filename="gpt-oss-20b-mxfp4.gguf",
        size_bytes=12_100_000_000, quantization="MXFP4", default=True,
        summary="OpenAI's open-weight model for laptops: the original MXFP4 weights, "
                "converted by the llama.cpp team.", family=GPT_OSS_20B),
    CatalogEntry(
        key="gpt-oss-20b-unsloth-q4_k_m", title="gpt-oss-20b (Unsloth Q4_K_M)",
        publisher="unsloth", repo_id="unsloth/gpt-oss-20b-GGUF",
        filename="gpt-oss-20b-Q4_K_M.gguf", size_bytes=11_600_000_000,
        quantization="Q4_K_M", summary="Unsloth's conversion, with their chat template "
                                       "fixes.", family=GPT_OSS_20B),
    CatalogEntry(
        key="gpt-oss-20b-unsloth-f16", title="gpt-oss-20b (Unsloth F16)",
        publisher="unsloth", repo_id="unsloth/gpt-oss-20b-GGUF",
        filename="gpt-oss-20b-F16.gguf", size_bytes=13_800_000_000,
        quantization="F16", summary="MXFP4 experts, everything else at 16 bits.",
        family=GPT_OSS_20B),
    CatalogEntry(
        key="gpt-oss-20b-bartowski-mxfp4", title="gpt-oss-20b (bartowski MXFP4)",
        publisher="bartowski", repo_id="bartowski/openai_gpt-oss-20b-GGUF",
        filename="openai_gpt-oss-20b-MXFP4.gguf", size_bytes=12_100_000_000,
        quantization="MXFP4", summary="bartowski's conversion of the original weights.",
        family=GPT_OSS_20B),
    CatalogEntry(
        key="gpt-oss-120b", title="gpt-oss-120b", publisher="ggml-org",
        repo_id="ggml-org/gpt-oss-120b-GGUF",
        filename="gpt-oss-120b-mxfp4-00001-of-00003.gguf", size_bytes=63_400_000_000,
        quantization="MXFP4",
        summary="The large model, for workstations with 80 GB or more of (graphics) "
                "memory. Three files, downloaded and used as one.", family=GPT_OSS_120B),
    CatalogEntry(
        key="qwen3-embedding-0.6b", title="Qwen3 Embedding 0.6B",
        publisher="Qwen", repo_id="Qwen/Qwen3-Embedding-0.6B-GGUF",
        filename="Qwen3-Embedding-0.6B-Q8_0.gguf", size_bytes=639_000_000,
        quantization="Q8_0", purpose=EMBEDDING, family=QWEN3_EMBEDDING_06B,
        summary="Not a chat model: with it, Cove finds the passages of your documents "
                "that answer a question by meaning, not only by their words, in over "
                "100 languages. Keyword search works without it."),
)


def _reference_size(family: Family) -> int:
    """The size of the family's first (ggml-org) file, which ``bytes_per_token`` is of."""
    return next(e.size_bytes for e in CATALOG if e.family is family)


def default_entry() -> CatalogEntry:
    return next(e for e in CATALOG if e.default)


def embedding_entries() -> list[CatalogEntry]:
    """The embedding models Cove offers for document search, preferred first."""
    return [e for e in CATALOG if e.embedding]


def find(key: str) -> CatalogEntry | None:
    """An entry by key, or by ``repo/file`` (any part of a split model)."""
    for entry in CATALOG:
        if key == entry.key or key in (f"{entry.repo_id}/{f}" for f in entry.files):
            return entry
    return None


def recommend(machine: Machine | Mapping[str, Any] | Any,
              context: int = DEFAULT_CONTEXT) -> tuple[CatalogEntry, Verdict]:
    """The model to suggest first: the largest family that runs well, else the default.

    Only each family's first (ggml-org, original-weights) entry is considered; the
    alternatives are choices for people who know why they want them.
    """
    leaders = [e for e in CATALOG if e.publisher == "ggml-org" and not e.embedding]
    for entry in sorted(leaders, key=lambda e: e.family.total_params, reverse=True):
        verdict = entry.verdict(machine, context)
        if verdict.fit is Fit.RUNS_WELL:
            return entry, verdict
    entry = default_entry()
    return entry, entry.verdict(machine, context)
