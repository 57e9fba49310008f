"""How fast a model will write here: an estimate of tokens per second, and a verdict.

Writing one token reads every weight the token uses once (for a mixture-of-experts
model: the attention, the shared layers, the output head and only the experts picked
for that token), so decoding speed is set by how fast those bytes can be streamed and
multiplied: memory bandwidth on a GPU or a big CPU, the cores' arithmetic on a small
CPU. The estimate is that, and nothing cleverer::

    seconds per token = bytes read on the GPU / GPU rate + bytes read on the CPU / CPU rate

    GPU rate = 50 % of the card's memory bandwidth (a table of common cards and Apple
               chips; by its memory size otherwise)
    CPU rate = min(cores × 5.3 GB/s of arithmetic, 65 % of the RAM's bandwidth)

The constants are calibrated against published llama.cpp figures for gpt-oss-20b
(MXFP4: about 2.6 GB read per token, the output head included): a 16-core desktop
CPU writes 21.7 tokens/s, laptop CPUs 6.7–9.8, a 2-core cloud VM (33 GB/s) 4.1, an
RTX 4090 191, an M4 Max 118
(``tests/hardware/test_speed.py`` holds the estimate to those). Memory bandwidth cannot
be read from the OS in milliseconds, so it comes from the CPU's class: a laptop chip
(by its model name), a desktop, or a server. Once the user has run the speed test, the
measured figure replaces the estimate for that model, and corrects the estimates of the
others (see :func:`calibrated`; the Models window and the welcome wizard use it).

No Qt and no I/O here: the UI phrases :class:`Pace` in the user's language.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.hardware.facts import GpuFacts, MachineFacts, ModelFacts

GB = 1_000_000_000
CPU_CORE_RATE = 5.3 * GB  # bytes of weights one core dequantizes and multiplies per second
CPU_EFFICIENCY = 0.65  # share of the RAM's bandwidth decoding reaches on a CPU
GPU_EFFICIENCY = 0.5  # the same on a GPU (4090: 191 tok/s of a 1008 GB/s ceiling)
LAPTOP_RAM_BANDWIDTH = 32 * GB  # dual-channel (LP)DDR as laptops sustain it
DESKTOP_RAM_BANDWIDTH = 80 * GB  # dual-channel DDR5
SERVER_RAM_BANDWIDTH = 200 * GB  # 8 and more channels
UNKNOWN_CORES = 4  # a machine nothing is known about: a modest laptop
# Below these, in tokens per second: "fast", "good", "usable, slow", else "too slow".
FAST, GOOD, USABLE = 30.0, 10.0, 3.0

_MOBILE_CPU = re.compile(
    r"\b(i[3579]-\d{4,5}(U|Y|H|HK|HS|HX|G\d|P)\b|Core\(TM\) Ultra|Core Ultra|Ryzen .*\d{4}"
    r"(U|H|HS|HX)\b|Ryzen AI|Celeron N|Pentium Silver|Snapdragon|Mobile)", re.I)
_SERVER_CPU = re.compile(r"EPYC|Xeon|Threadripper|Ampere|Graviton|Neoverse", re.I)

# Memory bandwidth, GB/s: the cards people run local models on (their desktop versions).
_NVIDIA = (
    ("5090", 1792), ("5080", 960), ("5070 Ti", 896), ("5070", 672), ("5060 Ti", 448),
    ("5060", 448), ("4090", 1008), ("4080", 736), ("4070 Ti Super", 672), ("4070 Ti", 504),
    ("4070", 504), ("4060 Ti", 288), ("4060", 272), ("3090 Ti", 1008), ("3090", 936),
    ("3080 Ti", 912), ("3080", 760), ("3070 Ti", 608), ("3070", 448), ("3060 Ti", 448),
    ("3060", 360), ("3050", 224), ("2080 Ti", 616), ("2080", 448), ("2070", 448),
    ("2060", 336), ("1080 Ti", 484), ("1080", 320), ("1070", 256), ("1060", 192),
    ("H200", 4800), ("H100", 3350), ("A100", 1935), ("L40", 864), ("A6000", 768),
    ("6000 Ada", 960), ("A5000", 768), ("A4000", 448), ("L4", 300), ("T4", 320),
    ("V100", 900),
)
# Apple chips: the base chip, Pro, Max, Ultra.
_APPLE = {1: (68, 200, 400, 800), 2: (100, 200, 400, 800), 3: (100, 150, 400, 819),
          4: (120, 273, 546, 819), 5: (153, 273, 546, 819)}


class Pace(str, enum.Enum):
    """How writing at some tokens per second feels, for a reasoning chat model."""

    FAST = "fast"
    GOOD = "good"
    SLOW = "usable, slow"
    TOO_SLOW = "too slow"


@dataclass(frozen=True)
class Speed:
    """An estimated (or measured) writing speed and how it feels."""

    tok_s: float
    measured: bool = False

    @property
    def pace(self) -> Pace:
        return pace(self.tok_s)

    def text(self) -> str:
        """English, for the command line: "about 4 words a second: usable, slow"."""
        return f"about {words_per_second(self.tok_s)} words a second: {self.pace.value}"


def pace(tok_s: float) -> Pace:
    if tok_s >= FAST:
        return Pace.FAST
    if tok_s >= GOOD:
        return Pace.GOOD
    return Pace.SLOW if tok_s >= USABLE else Pace.TOO_SLOW


def words_per_second(tok_s: float) -> str:
    """The number as said aloud: "0.5", "4", "190" (a token is about a word)."""
    if tok_s < 1:
        return f"{tok_s:.1f}"
    return str(round(tok_s)) if tok_s < 100 else str(int(round(tok_s, -1)))


# -- rates -----------------------------------------------------------------------------

def ram_bandwidth(cpu_name: str, cores: int, apple_silicon: bool = False) -> float:
    """Bytes per second the RAM delivers, from the CPU's class (laptop, desktop, server,
    Apple chip)."""
    if apple_silicon:
        return apple_bandwidth(cpu_name)
    if _SERVER_CPU.search(cpu_name) and cores >= 16:
        return SERVER_RAM_BANDWIDTH
    if _MOBILE_CPU.search(cpu_name):
        return LAPTOP_RAM_BANDWIDTH
    return DESKTOP_RAM_BANDWIDTH


def cpu_rate(cores: int, bandwidth: float) -> float:
    """Bytes of weights per second the CPU gets through while decoding."""
    return min(max(cores, 1) * CPU_CORE_RATE, CPU_EFFICIENCY * bandwidth)


def machine_cpu_rate(machine: MachineFacts) -> float:
    cores = machine.performance_cores or machine.physical_cores
    return cpu_rate(cores, ram_bandwidth(machine.cpu_name, cores, machine.apple_silicon))


def default_cpu_rate() -> float:
    return cpu_rate(UNKNOWN_CORES, LAPTOP_RAM_BANDWIDTH)


def apple_bandwidth(name: str) -> float:
    match = re.search(r"\bM(\d)\b(?:\s+(Pro|Max|Ultra))?", name)
    if match is None:
        return 100 * GB
    tiers = _APPLE.get(int(match[1]), _APPLE[5])
    tier = {"Pro": 1, "Max": 2, "Ultra": 3}.get(match[2] or "", 0)
    return tiers[tier] * GB


def gpu_bandwidth(name: str, memory_total: int, vendor: str = "",
                  unified: bool = False) -> float:
    """Bytes per second: from the table of known cards, else from the memory size
    (cards with more memory have wider buses)."""
    if vendor == "Apple" or name.startswith("Apple"):
        return apple_bandwidth(name)
    for model, gb_s in _NVIDIA:
        if re.search(rf"\b{re.escape(model)}\b", name, re.I):
            return gb_s * GB * (0.7 if "laptop" in name.lower() else 1.0)
    if unified:  # an integrated GPU shares the laptop's RAM
        return LAPTOP_RAM_BANDWIDTH
    gib = memory_total / (1 << 30)
    return min(max(40 * gib, 200), 1000) * GB


def gpu_rate(gpu: GpuFacts) -> float:
    return GPU_EFFICIENCY * gpu_bandwidth(gpu.name, gpu.memory_total, gpu.vendor, gpu.unified)


def tokens_per_second(gpu_bytes: float, cpu_bytes: float, gpu_bytes_per_s: float,
                      cpu_bytes_per_s: float) -> float:
    """One token reads ``gpu_bytes`` on the GPU and ``cpu_bytes`` on the CPU."""
    seconds = (gpu_bytes / gpu_bytes_per_s if gpu_bytes and gpu_bytes_per_s else 0.0) + \
        (cpu_bytes / cpu_bytes_per_s if cpu_bytes else 0.0)
    return 1.0 / seconds if seconds > 0 else 0.0


# -- models and plans -------------------------------------------------------------------

def active_bytes(model: ModelFacts) -> int:
    """Bytes one token reads: every layer's shared weights, its share of the experts,
    and the output head (the embeddings only give up one row)."""
    return sum(active_layer_bytes(model, i) for i in range(model.n_layer)) + model.output_bytes


def active_layer_bytes(model: ModelFacts, layer: int, experts: bool = True) -> int:
    shared = model.layer_bytes[layer]
    if not experts or not model.expert_bytes[layer]:
        return shared
    return shared + round(model.expert_bytes[layer] * expert_share(model))


def expert_share(model: ModelFacts) -> float:
    """The share of a layer's experts one token uses (gpt-oss-20b: 4 of 32)."""
    if model.n_expert and model.n_expert_used:
        return min(1.0, model.n_expert_used / model.n_expert)
    return 0.125  # the common 1 in 8 when the header does not say


def plan_tokens_per_second(model: ModelFacts, machine: MachineFacts, n_gpu_layers: int,
                           n_cpu_moe: int, gpu: GpuFacts | None) -> float:
    """Tokens per second for one layout (what :mod:`app.hardware.plan` chose)."""
    n = model.n_layer
    gpu_first = max(0, n - n_gpu_layers) if gpu is not None and n_gpu_layers else n
    on_gpu = on_cpu = 0.0
    for i in range(n):
        shared = model.layer_bytes[i]
        experts = active_layer_bytes(model, i) - shared
        if i >= gpu_first:
            on_gpu += shared
            if i >= n_cpu_moe:
                on_gpu += experts
            else:
                on_cpu += experts
        else:
            on_cpu += shared + experts
    if gpu is not None and n_gpu_layers > n:
        on_gpu += model.output_bytes
    else:
        on_cpu += model.output_bytes
    return tokens_per_second(on_gpu, on_cpu, gpu_rate(gpu) if gpu else 0.0,
                             machine_cpu_rate(machine))


def calibrated(estimate: float, measurements: Iterable[tuple[float, float]]) -> float:
    """``estimate`` corrected by speed tests run here: each (measured, estimated) pair
    says how far off the estimate is on this machine; the newest counts. The factor is
    kept within 4× either way (a test run while the machine was busy is no law)."""
    pairs = [(m, e) for m, e in measurements if m > 0 and e > 0]
    if not pairs:
        return estimate
    measured, estimated = pairs[-1]
    return estimate * min(4.0, max(0.25, measured / estimated))
