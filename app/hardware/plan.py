"""How a model runs on this machine: a pure function from facts to load settings.

The plan puts as much of the model on the GPU as fits, in the order that costs least
speed when memory runs short: first every layer with its experts, then every layer
with the MoE experts of the first layers kept in RAM (what llama.cpp's ``--n-cpu-moe``
does, and why gpt-oss-20b runs on 8 GB GPUs: the experts are most of the bytes but
only 4 of 32 work on each token), then fewer layers on the GPU, then the CPU alone.
The requested context is kept if any of these fits; otherwise the largest context
that fits is chosen. Nothing is planned beyond the memory there is, less headroom for
the OS and other programs, and a plan that cannot fit says so (``fits`` is False) so
the caller never starts a load that would exhaust the machine's RAM.

Everything here is arithmetic on ``ModelFacts`` and ``MachineFacts``: no I/O, no
llama.cpp, so it is tested on machine profiles this computer is not.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from app.hardware.detect import GiB
from app.hardware.facts import GpuFacts, MachineFacts, ModelFacts
from app.hardware.speed import Speed, plan_tokens_per_second

MiB = 1 << 20
# The context asked for when the user leaves it on Automatic: the worker loads with it,
# and every screen that promises a context (the wizard, This computer) plans with it.
DEFAULT_CTX = 16384
MIN_CTX = 2048  # below this a chat with gpt-oss's reasoning does not get going
USER_MIN_CTX = 256  # the smallest context a user (or a test) may ask for
GOOD_CTX = 8192  # enough for a long chat: worth a slower layout only below this
CTX_STEP = 1024
N_BATCH = 512  # llama.cpp's default; larger ubatches grow the GPU compute buffer
MIN_NVIDIA_DRIVER = 525  # CUDA 12.0, what current llama.cpp CUDA builds need
EXPERT_PATTERN = r"blk\.{i}\.ffn_(up|down|gate|gate_up)_(ch|)exps"


@dataclass(frozen=True)
class Overrides:
    """The user's settings; None means "let Cove decide"."""

    n_ctx: int | None = None
    use_gpu: bool | None = None
    n_gpu_layers: int | None = None  # llama.cpp's meaning: n_layer + 1 = all and the head
    n_cpu_moe: int | None = None
    n_threads: int | None = None
    n_batch: int | None = None
    n_ubatch: int | None = None
    flash_attn: bool | None = None
    kv_cache: str | None = None  # "f16", "q8_0" or "q4_0" (KV_CACHE_TYPES)


# The KV cache's element types llama.cpp takes (GGML type ids), and its size against
# f16's: a quantised cache holds a context in about half (q8_0) or a quarter (q4_0) of
# the memory, at a small cost in quality. A quantised V cache needs flash attention.
KV_CACHE_TYPES = {"f16": 1, "q8_0": 8, "q4_0": 2}
KV_CACHE_SIZE = {"f16": 1.0, "q8_0": 34 / 64, "q4_0": 18 / 64}


@dataclass(frozen=True)
class Plan:
    """Settings for one load, what they cost, and one sentence for the user."""

    model_name: str
    n_ctx: int
    n_gpu_layers: int  # 0 = CPU only; n_layer + 1 = every layer and the output head
    n_cpu_moe: int  # the experts of layers 0 .. n_cpu_moe-1 stay in RAM
    n_threads: int
    n_threads_batch: int
    n_batch: int
    n_ubatch: int
    flash_attn: bool
    main_gpu: int  # index among llama.cpp's GPU devices; -1 when no GPU is used
    gpu_name: str
    gpu_bytes: int  # planned use of GPU memory
    ram_bytes: int  # planned use of RAM (on unified memory: everything)
    gpu_budget: int
    ram_budget: int
    fits: bool
    explanation: str
    requested_ctx: int = 0
    reason: str = ""  # for a fallback plan: what happened and what is tried now (English)
    fallback: str = ""  # the same for the UI's words: "less_gpu", "cpu_only", "smaller_ctx"
    notes: tuple[str, ...] = ()
    # Structured facts, so that the UI can say all of the above in the user's language.
    tok_s: float = 0.0  # estimated writing speed (app.hardware.speed)
    n_layer: int = 0
    gpu_memory: int = 0  # the used GPU's memory in all
    gpu_unified: bool = False
    memory_needed: int = 0  # weights and KV cache at n_ctx
    kv_cache: str = "f16"  # the KV cache's element type (KV_CACHE_TYPES)
    ram_total: int = 0
    ram_free: int = -1  # -1: the OS did not say
    manual_gpu_layers: int = -1  # the user's layout that did not fit (-1: none)
    manual_cpu_moe: int = -1
    model: ModelFacts | None = field(default=None, repr=False, compare=False)
    machine: MachineFacts | None = field(default=None, repr=False, compare=False)

    @property
    def uses_gpu(self) -> bool:
        return self.n_gpu_layers > 0

    def expert_override_patterns(self) -> list[str]:
        """Tensor-name regexes whose weights go to the CPU buffer type, one per layer
        (the form llama.cpp's ``--n-cpu-moe`` uses). Empty when nothing is overridden."""
        if not self.uses_gpu or not self.n_cpu_moe:
            return []
        return [EXPERT_PATTERN.format(i=i) for i in range(self.n_cpu_moe)]

    def llama_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``llama_cpp.Llama`` (the overrides go separately)."""
        kwargs: dict[str, Any] = {
            "n_ctx": self.n_ctx, "n_gpu_layers": self.n_gpu_layers,
            "n_threads": self.n_threads, "n_threads_batch": self.n_threads_batch,
            "n_batch": self.n_batch, "n_ubatch": self.n_ubatch, "flash_attn": self.flash_attn,
        }
        if self.kv_cache != "f16":
            kwargs["type_k"] = kwargs["type_v"] = KV_CACHE_TYPES[self.kv_cache]
        if self.uses_gpu and self.machine is not None and len(self.machine.gpus) > 1:
            kwargs.update(split_mode=0, main_gpu=self.main_gpu)  # LLAMA_SPLIT_MODE_NONE
        if not self.uses_gpu:
            kwargs["op_offload"] = False  # a CPU plan must not touch a GPU that failed
        return kwargs

    def to_dict(self) -> dict[str, Any]:
        data = asdict(replace(self, model=None, machine=None))
        data.pop("model")
        data.pop("machine")
        data["expert_override_patterns"] = self.expert_override_patterns()
        return data


@dataclass(frozen=True)
class Diagnosis:
    """Why the GPU is not (fully) used, and what the user can do about it."""

    code: str  # no_gpu, rosetta, driver_missing, driver_too_old, engine_without_gpu,
    #            gpu_not_opened, gpu_too_small, gpu_partial
    problem: str  # English, for the command line and the log
    action: str
    # What the UI needs to say it in the user's language: "gpu" (its short name),
    # "driver", "min_driver", "backend" ("" when the engine supports no such GPU at
    # all), "free" (bytes), "model", "n_ctx".
    params: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class _Layout:
    n_gpu_layers: int
    n_cpu_moe: int


@dataclass(frozen=True)
class _Cost:
    gpu_fixed: int
    gpu_per_token: int
    ram_fixed: int
    ram_per_token: int

    def gpu(self, n_ctx: int) -> int:
        return self.gpu_fixed + self.gpu_per_token * n_ctx

    def ram(self, n_ctx: int) -> int:
        return self.ram_fixed + self.ram_per_token * n_ctx


# -- budgets --------------------------------------------------------------------------

def ram_budget(machine: MachineFacts) -> int:
    """RAM a load may take: what is free now, and never more than the total less a
    reserve for the OS and the programs people keep open next to a chat."""
    total = machine.ram_total
    reserve = max(2 * GiB, total // 8)
    available = machine.ram_available
    if available is None:
        available = total - max(4 * GiB, total // 4)
    return max(0, min(available - GiB // 2, total - reserve))


def gpu_budget(gpu: GpuFacts) -> int:
    """GPU memory a load may take: the free memory less room for the CUDA/Metal
    context and the desktop's own use, which grows while the model runs."""
    reserve = 384 * MiB + gpu.memory_total // 20
    return max(0, min(gpu.memory_free, gpu.memory_total) - reserve)


# -- the plan -------------------------------------------------------------------------

def plan(model: ModelFacts, machine: MachineFacts, requested_ctx: int,
         overrides: Overrides | None = None) -> Plan:
    """The fastest way to run ``model`` here at ``requested_ctx`` (or the largest
    context that fits), with one sentence that says it."""
    return _plan(model, machine, requested_ctx, overrides or Overrides(), gpu_cap=None)


def _plan(model: ModelFacts, machine: MachineFacts, requested_ctx: int, ov: Overrides,
          gpu_cap: int | None, cpu_only: bool = False) -> Plan:
    gpu = _best_gpu(machine) if not cpu_only and ov.use_gpu is not False else None
    kv_cache = ov.kv_cache if ov.kv_cache in KV_CACHE_TYPES else "f16"
    # A quantised V cache works only with flash attention: asking for one turns it on.
    flash = True if ov.flash_attn is None or kv_cache != "f16" else ov.flash_attn
    if kv_cache != "f16":  # every memory sum below counts the smaller cache
        model = replace(model, kv_bytes_per_token=round(
            model.kv_bytes_per_token * KV_CACHE_SIZE[kv_cache]))
    n_ubatch = min(ov.n_ubatch or N_BATCH, ov.n_batch or N_BATCH)
    budgets = _Budgets(machine, gpu, gpu_cap)
    # A context the user asked for is kept even when small; Cove's own choice never
    # goes below MIN_CTX.
    requested = _clamp_ctx(ov.n_ctx or requested_ctx, model,
                           floor=USER_MIN_CTX if ov.n_ctx else MIN_CTX)
    notes: list[str] = []
    layouts = list(_layouts(model, gpu is not None))
    manual = _manual_layout(model, ov, gpu is not None)
    rejected: _Layout | None = None
    if manual is not None:
        if _max_ctx(model, manual, budgets, n_ubatch, flash) >= requested:
            layouts = [manual]
        else:
            rejected = manual
            notes.append(_manual_note(model, manual, requested))
    layout, n_ctx, fits = _choose(model, layouts, budgets, n_ubatch, flash, requested)
    if ov.flash_attn is None and kv_cache == "f16" and not layout.n_gpu_layers:
        # On the CPU llama.cpp reads a prompt faster without flash attention (synthetic
        # gpt-oss-20b, 4,096 tokens: +28 %; bench/gpt_oss_20b.py --settings), for a
        # bigger compute buffer (+1.7 GB at 16k): taken where the same context fits.
        plain = _choose(model, layouts, budgets, n_ubatch, False, requested)
        if plain[2] and plain[0] == layout and plain[1] >= n_ctx:
            flash = False
    cost = _cost(model, layout, budgets.unified, n_ubatch, flash)
    threads = ov.n_threads or machine.performance_cores
    chosen = Plan(
        model_name=model.name, n_ctx=n_ctx, n_gpu_layers=layout.n_gpu_layers,
        n_cpu_moe=layout.n_cpu_moe if layout.n_gpu_layers else 0,
        n_threads=threads, n_threads_batch=threads,
        n_batch=max(ov.n_batch or N_BATCH, n_ubatch), n_ubatch=n_ubatch, flash_attn=flash,
        kv_cache=kv_cache, main_gpu=gpu.index if gpu is not None and layout.n_gpu_layers else -1,
        gpu_name=gpu.name if gpu is not None and layout.n_gpu_layers else "",
        gpu_bytes=cost.gpu(n_ctx) if layout.n_gpu_layers else 0, ram_bytes=cost.ram(n_ctx),
        gpu_budget=budgets.gpu, ram_budget=budgets.ram, fits=fits, explanation="",
        requested_ctx=requested, notes=tuple(notes), model=model, machine=machine,
        n_layer=model.n_layer, gpu_memory=gpu.memory_total if gpu is not None else 0,
        gpu_unified=gpu.unified if gpu is not None else False,
        memory_needed=model.weights_bytes + model.kv_bytes_per_token * n_ctx,
        ram_total=machine.ram_total,
        ram_free=machine.ram_available if machine.ram_available is not None else -1,
        manual_gpu_layers=rejected.n_gpu_layers if rejected else -1,
        manual_cpu_moe=rejected.n_cpu_moe if rejected else -1,
        tok_s=round(plan_tokens_per_second(model, machine, layout.n_gpu_layers,
                                           layout.n_cpu_moe, gpu), 2),
    )
    return replace(chosen, explanation=explain(chosen, model, machine, gpu))


class _Budgets:
    def __init__(self, machine: MachineFacts, gpu: GpuFacts | None, cap: int | None) -> None:
        self.ram = ram_budget(machine)
        self.unified = gpu is not None and gpu.unified
        gpu_bytes = gpu_budget(gpu) if gpu is not None else 0
        if self.unified:  # the GPU's share comes out of the same RAM
            gpu_bytes = min(gpu_bytes, self.ram)
        self.gpu = gpu_bytes if cap is None else min(gpu_bytes, cap)


def _best_gpu(machine: MachineFacts) -> GpuFacts | None:
    """The GPU with the most usable memory (one GPU per model keeps the plan honest;
    splitting across cards is a later refinement)."""
    if machine.engine_gpu_offload is False or not machine.gpus:
        return None
    return max(machine.gpus, key=gpu_budget)


def _clamp_ctx(n_ctx: int, model: ModelFacts, floor: int = 0) -> int:
    upper = model.n_ctx_train or n_ctx
    return max(min(n_ctx, upper), min(floor or MIN_CTX, upper))


def _layouts(model: ModelFacts, have_gpu: bool) -> Iterator[_Layout]:
    """Best first: all on the GPU; all layers with ever more experts in RAM; ever
    fewer layers (their experts in RAM); the CPU alone."""
    n = model.n_layer
    if have_gpu:
        for m in range(n + 1) if model.is_moe else (0,):
            yield _Layout(n + 1, m)
        for g in range(n, 0, -1):
            yield _Layout(g, n if model.is_moe else 0)
    yield _Layout(0, 0)


def _manual_layout(model: ModelFacts, ov: Overrides, have_gpu: bool) -> _Layout | None:
    if ov.n_gpu_layers is None and ov.n_cpu_moe is None:
        return None
    g = model.n_layer + 1 if ov.n_gpu_layers is None or ov.n_gpu_layers < 0 \
        else min(ov.n_gpu_layers, model.n_layer + 1)
    m = min(max(ov.n_cpu_moe or 0, 0), model.n_layer) if model.is_moe else 0
    return _Layout(g if have_gpu else 0, m)


def _manual_note(model: ModelFacts, layout: _Layout, n_ctx: int) -> str:
    return (f"Your setting ({layout.n_gpu_layers} layers on the GPU, experts of "
            f"{layout.n_cpu_moe} layers in RAM) does not fit {model.name} at "
            f"{_ctx_words(n_ctx)} tokens of context in the free memory, so Cove chose "
            "for you.")


def _choose(model: ModelFacts, layouts: list[_Layout], budgets: _Budgets, n_ubatch: int,
            flash: bool, requested: int) -> tuple[_Layout, int, bool]:
    """The first (fastest) layout that holds the requested context. Failing that, the
    first that holds a comfortable context (the GPU at 8k beats the CPU at 12k), then
    whichever holds the most; failing all, the CPU at the smallest context, not fitting."""
    limits = [(layout, _max_ctx(model, layout, budgets, n_ubatch, flash)) for layout in layouts]
    floor = min(MIN_CTX, requested)
    for wanted in (requested, min(requested, GOOD_CTX)):
        for layout, n_ctx in limits:
            if n_ctx >= wanted:
                return layout, min(n_ctx, requested), True
    layout, n_ctx = max(limits, key=lambda item: item[1])
    if n_ctx >= floor:
        return layout, n_ctx, True
    return layouts[-1], floor, False


def _max_ctx(model: ModelFacts, layout: _Layout, budgets: _Budgets, n_ubatch: int,
             flash: bool) -> int:
    """The longest context (a multiple of CTX_STEP) this layout holds; -1 if none."""
    cost = _cost(model, layout, budgets.unified, n_ubatch, flash)
    limits = [_tokens(budgets.ram, cost.ram_fixed, cost.ram_per_token)]
    if layout.n_gpu_layers:
        limits.append(_tokens(budgets.gpu, cost.gpu_fixed, cost.gpu_per_token))
    n_ctx = min(limits)
    return n_ctx // CTX_STEP * CTX_STEP if n_ctx >= CTX_STEP else n_ctx


def _tokens(budget: int, fixed: int, per_token: int) -> int:
    if fixed > budget:
        return -1
    return (budget - fixed) // per_token if per_token else 1 << 30


def _cost(model: ModelFacts, layout: _Layout, unified: bool, n_ubatch: int,
          flash: bool) -> _Cost:
    """Bytes on each side for one layout: weights, KV cache per token of context (it
    lives with its layer), and compute buffers."""
    n = model.n_layer
    on_gpu = range(max(0, n - layout.n_gpu_layers), n) if layout.n_gpu_layers else range(0)
    gpu_w = sum(model.layer_bytes[i] + (model.expert_bytes[i] if i >= layout.n_cpu_moe else 0)
                for i in on_gpu)
    head_on_gpu = layout.n_gpu_layers > n
    if head_on_gpu:
        gpu_w += model.output_bytes
    cpu_w = model.weights_bytes - gpu_w + (model.output_bytes if head_on_gpu and
                                           model.output_tied else 0)
    kv_layer = model.kv_bytes_per_token / max(n, 1)
    kv_gpu = round(kv_layer * len(on_gpu))
    kv_cpu = model.kv_bytes_per_token - kv_gpu
    attn = 0 if flash else n_ubatch * max(model.n_head, 1) * 4  # KQ scores per token
    compute = _compute_bytes(model, n_ubatch)
    gpu_fixed = gpu_w + compute if layout.n_gpu_layers else 0
    gpu_token = kv_gpu + attn if layout.n_gpu_layers else 0
    ram_fixed = cpu_w + (_host_bytes(model, n_ubatch) if layout.n_gpu_layers else compute)
    ram_token = kv_cpu + (0 if layout.n_gpu_layers else attn)
    if unified:
        ram_fixed, ram_token = ram_fixed + gpu_fixed, ram_token + gpu_token
    return _Cost(gpu_fixed, gpu_token, ram_fixed, ram_token)


def _compute_bytes(model: ModelFacts, n_ubatch: int) -> int:
    """The scratch buffer of the device that runs the graph: logits for a whole
    ubatch plus activations (a deliberate overestimate: gpt-oss-20b ≈ 650 MB)."""
    width = model.n_vocab + 12 * model.n_embd + 3 * model.n_expert_used * model.n_ff_exp
    return 128 * MiB + n_ubatch * 4 * width


def _host_bytes(model: ModelFacts, n_ubatch: int) -> int:
    """What stays in RAM when a GPU runs the graph: a CPU-side scratch buffer."""
    return 64 * MiB + n_ubatch * 4 * 12 * model.n_embd


# -- words ----------------------------------------------------------------------------

def explain(p: Plan, model: ModelFacts, machine: MachineFacts, gpu: GpuFacts | None) -> str:
    """One plain sentence; the UI translates the pieces it needs from ``Plan``'s fields."""
    if not p.fits:
        return _no_fit_sentence(model, machine, p)
    return f"{_where_sentence(p, model, machine, gpu)} {Speed(p.tok_s).text().capitalize()}."


def _where_sentence(p: Plan, model: ModelFacts, machine: MachineFacts,
                    gpu: GpuFacts | None) -> str:
    ctx = f"{_ctx_words(p.n_ctx)} tokens of context"
    if p.n_ctx < p.requested_ctx:
        ctx += f" (the {_ctx_words(p.requested_ctx)} asked for does not fit)"
    if not p.uses_gpu or gpu is None:
        cores = f"{p.n_threads} core" + ("" if p.n_threads == 1 else "s")
        return (f"{model.name} runs on the CPU ({cores}, {_gb(machine.ram_total)} RAM), "
                f"{ctx}.")
    where = f"your {short_gpu_name(gpu.name)} ({_gb(gpu.memory_total)}" + \
        (" unified memory)" if gpu.unified else ")")
    n = model.n_layer
    if p.n_gpu_layers > n and not p.n_cpu_moe:
        return f"{model.name} runs on {where}: all layers on the GPU, {ctx}."
    if p.n_gpu_layers > n:
        return (f"{model.name} runs on {where} and the CPU: all layers on the GPU, the "
                f"experts of {p.n_cpu_moe} of {n} layers in RAM, {ctx}.")
    experts = " (their experts in RAM)" if model.is_moe else ""
    return (f"{model.name} runs partly on {where}: {p.n_gpu_layers} of {n} layers on the "
            f"GPU{experts}, the rest on the CPU, {ctx}.")


def _no_fit_sentence(model: ModelFacts, machine: MachineFacts, p: Plan) -> str:
    need = model.weights_bytes + model.kv_bytes_per_token * p.n_ctx
    free = machine.ram_available
    have = f"this computer has {_gb(machine.ram_total)} of RAM"
    if free is not None and need < machine.ram_total - max(2 * GiB, machine.ram_total // 8):
        return (f"{model.name} needs about {_gb(need)} of memory and only {_gb(free)} is "
                f"free: close some programs and try again.")
    return f"{model.name} needs about {_gb(need)} of memory, but {have}: it cannot run here."


def short_gpu_name(name: str) -> str:
    """"NVIDIA GeForce RTX 3060" -> "RTX 3060": the name printed on the box."""
    for prefix in ("NVIDIA GeForce ", "NVIDIA ", "AMD Radeon ", "AMD "):
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix):]
    return name


def _ctx_words(n_ctx: int) -> str:
    """Tokens as every screen shows them: "16,384" (the UI in its locale's digits)."""
    return f"{n_ctx:,}"


def _gb(n_bytes: int) -> str:
    """GPU and RAM sizes the way they are sold (binary GiB, called GB)."""
    value = n_bytes / GiB
    return f"{value:.0f} GB" if value >= 10 or value == int(value) else f"{value:.1f} GB"


# -- fallback -------------------------------------------------------------------------

def fallback_plans(p: Plan) -> list[Plan]:
    """What to try, in order, when loading ``p`` fails or the worker dies while
    loading: less on the GPU, then the CPU alone, then a smaller context. Only plans
    that fit are offered; each says in ``reason`` what happened."""
    if p.model is None or p.machine is None:
        return []
    model, machine = p.model, p.machine
    tries: list[Plan] = []
    if p.uses_gpu:
        less = _plan(model, machine, p.n_ctx, Overrides(), gpu_cap=p.gpu_bytes * 3 // 5)
        tries.append(replace(less, fallback="less_gpu", reason="Loading on the GPU failed; "
                                                               "trying with less on the GPU."))
    cpu = _plan(model, machine, p.n_ctx, Overrides(), gpu_cap=None, cpu_only=True)
    if p.uses_gpu:
        tries.append(replace(cpu, fallback="cpu_only", reason="Loading with the GPU failed; "
                                                              "trying on the CPU alone."))
    half = max(cpu.n_ctx // 2 // CTX_STEP * CTX_STEP, MIN_CTX)
    smaller = _plan(model, machine, half, Overrides(), gpu_cap=None,
                    cpu_only=True)
    tries.append(replace(smaller, fallback="smaller_ctx",
                         reason=f"Loading failed; trying on the CPU with a smaller context "
                                f"({_ctx_words(smaller.n_ctx)})."))
    return _distinct([t for t in tries if t.fits], p)


def _distinct(plans: list[Plan], original: Plan) -> list[Plan]:
    seen = {(original.n_gpu_layers, original.n_cpu_moe, original.n_ctx)}
    out = []
    for candidate in plans:
        key = (candidate.n_gpu_layers, candidate.n_cpu_moe, candidate.n_ctx)
        if key not in seen:
            seen.add(key)
            out.append(candidate)
    return out


# -- diagnosis ------------------------------------------------------------------------

def diagnose(machine: MachineFacts, p: Plan | None = None) -> list[Diagnosis]:
    """Why the GPU is not used (or only partly), each with what to do. Empty when the
    whole model is on a GPU, or when nothing could be improved."""
    if p is not None and p.uses_gpu and p.n_gpu_layers > (p.model.n_layer if p.model else 0) \
            and not p.n_cpu_moe:
        return []
    found = [_hardware_problem(machine)] if not machine.gpus else []
    found += [_engine_problem(machine)] if machine.gpus else []
    if machine.gpus and machine.engine_gpu_offload is not False and p is not None:
        found.append(_memory_problem(machine, p))
    return [d for d in found if d is not None]


def _hardware_problem(machine: MachineFacts) -> Diagnosis | None:
    """No usable GPU: say whether one exists at all and why it cannot be used."""
    if machine.rosetta:
        return Diagnosis("rosetta", "Cove is running as an Intel app on an Apple Silicon "
                         "Mac, so it cannot use the GPU.",
                         "Install the Apple Silicon version of Cove.")
    for gpu in machine.detected_gpus:
        if gpu.vendor == "NVIDIA":
            return _nvidia_problem(gpu)
    if machine.detected_gpus:
        gpu = machine.detected_gpus[0]
        return Diagnosis("engine_without_gpu", f"Your {gpu.name} was found, but Cove's "
                         "engine supports NVIDIA (CUDA) and Apple (Metal) GPUs only.",
                         "Nothing to do: Cove runs on the CPU.",
                         {"gpu": gpu.name, "backend": ""})
    return Diagnosis("no_gpu", "No graphics card Cove can use was found, so it runs on the "
                     "CPU.", "Nothing is wrong. An NVIDIA GPU with 8 GB or more, or an "
                     "Apple Silicon Mac, makes answers several times faster.")


def _nvidia_problem(gpu: GpuFacts) -> Diagnosis:
    if not gpu.driver_version:
        return Diagnosis("driver_missing", f"Your {gpu.name} is there, but its driver did "
                         "not answer.", "Install (or reinstall) the NVIDIA driver, restart "
                         "the computer, then start Cove again.", {"gpu": gpu.name})
    return Diagnosis("driver_too_old", f"The driver of your {short_gpu_name(gpu.name)} "
                     f"({gpu.driver_version}) is too old for Cove's CUDA engine.",
                     f"Install NVIDIA driver {MIN_NVIDIA_DRIVER} or newer, then restart "
                     "Cove.", {"gpu": short_gpu_name(gpu.name), "driver": gpu.driver_version,
                               "min_driver": str(MIN_NVIDIA_DRIVER)})


def _engine_problem(machine: MachineFacts) -> Diagnosis | None:
    gpu = max(machine.gpus, key=gpu_budget)
    name = short_gpu_name(gpu.name)
    if gpu.vendor == "NVIDIA" and _driver_major(gpu) and _driver_major(gpu) < MIN_NVIDIA_DRIVER:
        return _nvidia_problem(gpu)
    if machine.engine_gpu_offload is False:
        backend = gpu.backend or "GPU"
        return Diagnosis("engine_without_gpu", f"Your {name} was found, but Cove's engine was "
                         f"built without {backend} support, so it runs on the CPU.",
                         f"Rebuild the engine with {backend} (for CUDA: install the CUDA "
                         "toolkit, then run COVE_ENGINE_BACKEND=cuda make engine).",
                         {"gpu": name, "backend": backend})
    return None


def _driver_major(gpu: GpuFacts) -> int:
    head = gpu.driver_version.split(".")[0]
    return int(head) if head.isdigit() else 0


def _memory_problem(machine: MachineFacts, p: Plan) -> Diagnosis | None:
    gpu = max(machine.gpus, key=gpu_budget)
    name, free = short_gpu_name(gpu.name), _gb(gpu.memory_free)
    params = {"gpu": name, "free": gpu.memory_free, "model": p.model_name, "n_ctx": p.n_ctx}
    if not p.uses_gpu:
        return Diagnosis("gpu_too_small", f"Your {name} has {free} free, too little for "
                         f"{p.model_name} at {_ctx_words(p.n_ctx)} context.",
                         "Close programs that use the GPU (games, video editors) or choose "
                         "a smaller context. Cove runs on the CPU meanwhile.", params)
    return Diagnosis("gpu_partial", f"Your {name} ({free} free) holds part of "
                     f"{p.model_name}; the rest runs on the CPU, which is slower.",
                     "A smaller context or closing programs that use the GPU leaves more "
                     "of the model on it.", params)
