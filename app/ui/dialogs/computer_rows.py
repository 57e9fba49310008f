"""What the "This computer" page says, as text: how the model runs (the plan's rows and
its explanation), why the GPU is not used (the diagnoses), and what was found (the
hardware's and the engine's rows).

Plain functions of the facts (the loaded model's :class:`ModelInfo`, the model file's
facts, the planner's view of the machine, the detection report), so that the page only
lays them out. Strings are translated in the page's ``ComputerPage`` context.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale

from app.engine.model_info import ModelInfo
from app.hardware.detect import GpuInfo, HardwareReport
from app.hardware.facts import MachineFacts, ModelFacts, metal_working_set
from app.hardware.plan import Diagnosis, Plan, diagnose, gpu_budget, short_gpu_name
from app.hardware.speed import Speed
from app.ui.dialogs.computer_speed import EngineAbilities
from app.ui.language.wording import (
    failure_text,
    fallback_text,
    gb,
    plan_text,
    speed_sentence,
    tokens,
)

translate = QCoreApplication.translate  # lupdate knows this name

Rows = list[tuple[str, str]]

# Diagnoses that mean the GPU cannot be used at all, whatever its memory.
BLOCKING = frozenset({"rosetta", "driver_missing", "driver_too_old", "engine_without_gpu"})

FEATURE_NAMES = {
    "sse4_2": "SSE4.2", "avx_vnni": "AVX-VNNI", "avx512f": "AVX-512F",
    "avx512bw": "AVX-512BW", "avx512_vnni": "AVX-512 VNNI", "avx512_bf16": "AVX-512 BF16",
    "amx_tile": "AMX", "amx_int8": "AMX-INT8", "amx_bf16": "AMX-BF16", "dotprod": "DotProd",
}


def plan_from_info(data: Mapping[str, Any], model: ModelFacts | None = None,
                   machine: MachineFacts | None = None) -> Plan | None:
    """The worker's plan (``info.plan``, a plain dict) as a Plan again, with the facts
    :func:`app.hardware.plan.diagnose` weighs it against."""
    names = {f.name for f in fields(Plan)} - {"model", "machine"}
    values = {k: v for k, v in data.items() if k in names}
    values["notes"] = tuple(values.get("notes") or ())
    try:
        return Plan(**values, model=model, machine=machine)
    except TypeError:  # a plan from an older or newer worker
        return None


# -- the plan -------------------------------------------------------------------------

def explanation(info: ModelInfo, latest: Mapping[str, Any] | None) -> str:
    """The plan in words, with the context the engine loaded and the speed the speed
    test measured (``latest``, when it ran for this model), else the estimate."""
    plan = info.plan
    if not plan:  # a worker that sent no plan: its own words
        return info.explanation
    facts = dict(plan)
    if info.n_ctx:
        facts["n_ctx"] = info.n_ctx
    text = plan_text({**facts, "tok_s": 0})
    if latest is not None and float(latest.get("generation_tokens_per_s") or 0) > 0:
        speed = Speed(float(latest["generation_tokens_per_s"]), measured=True)
    elif float(plan.get("tok_s") or 0) > 0:
        speed = Speed(float(plan["tok_s"]))
    else:
        return text
    return text + " " + speed_sentence(speed)


def fallback_notes(info: ModelInfo) -> list[str]:
    """What Cove tried before the plan in use, in the user's language (an older
    worker's English lines only when it sent nothing else)."""
    failed = info.fallbacks_failed
    tried = [failure_text(f) for f in failed] if failed else list(info.fallbacks_tried)
    if not tried:
        return []
    why = fallback_text(str(info.plan.get("fallback") or "")) or \
        translate("ComputerPage", "Cove had to fall back to this plan.")
    return [why + " " + translate("ComputerPage", "What did not work:") + "\n" +
            "\n".join(f"• {t}" for t in tried)]


def plan_rows(info: ModelInfo, model: ModelFacts | None) -> Rows:
    """Where the model runs, its layers and experts, context, threads and memory."""
    plan = info.plan
    n_layer = model.n_layer if model is not None else 0
    gpu_layers = int(plan.get("n_gpu_layers", info.n_gpu_layers) or 0)
    gpu = str(plan.get("gpu_name") or "")
    if gpu_layers and info.backend != "CPU":
        where = f"{info.backend} · {gpu}" if gpu else info.backend
    else:
        where = translate("ComputerPage", "The CPU")
    if not gpu_layers:
        layers = translate("ComputerPage", "None")
    elif n_layer and gpu_layers > n_layer:
        layers = _fill(translate("ComputerPage", "All %1 (and the output layer)"), n_layer)
    elif n_layer:
        layers = _fill(translate("ComputerPage", "%1 of %2"), gpu_layers, n_layer)
    else:
        layers = str(gpu_layers)
    rows = [(translate("ComputerPage", "Runs on"), where),
            (translate("ComputerPage", "Layers on the GPU"), layers)]
    if model is None or model.is_moe:
        rows.append((translate("ComputerPage", "Experts kept in RAM"),
                     _experts(plan, gpu_layers, n_layer)))
    n_ctx = int(info.n_ctx or plan.get("n_ctx") or 0)
    context = tokens(n_ctx)
    requested = int(plan.get("requested_ctx") or 0)
    if requested > n_ctx:
        context += " " + _fill(translate("ComputerPage", "(%1 asked for)"), tokens(requested))
    rows.append((translate("ComputerPage", "Context"), context))
    rows.append((translate("ComputerPage", "Threads"),
                 str(info.n_threads or plan.get("n_threads") or "")))
    if "flash_attn" in plan:
        on = translate("ComputerPage", "On") if plan["flash_attn"] else \
            translate("ComputerPage", "Off")
        rows.append((translate("ComputerPage", "Flash attention"), on))
    memory = []
    if plan.get("gpu_bytes"):
        memory.append(_fill(translate("ComputerPage", "%1 on the GPU"),
                            gb(int(plan["gpu_bytes"]))))
    if plan.get("ram_bytes"):
        memory.append(_fill(translate("ComputerPage", "%1 of RAM"), gb(int(plan["ram_bytes"]))))
    if memory:
        rows.append((translate("ComputerPage", "Memory it takes"), ", ".join(memory)))
    return rows


def _experts(plan: Mapping[str, Any], gpu_layers: int, n_layer: int) -> str:
    moe = int(plan.get("n_cpu_moe") or 0)
    if not gpu_layers:
        return translate("ComputerPage", "All (the whole model is in RAM)")
    if moe and n_layer:
        return _fill(translate("ComputerPage", "Those of %1 of %2 layers"), moe, n_layer)
    if moe:
        return _fill(translate("ComputerPage", "Those of %1 layers"), moe)
    return translate("ComputerPage", "None")


def _fill(text: str, *values: object) -> str:
    """``text`` with %1, %2, … replaced by ``values``."""
    for number, value in enumerate(values, 1):
        text = text.replace(f"%{number}", str(value))
    return text


# -- why the GPU is not used ----------------------------------------------------------

def diagnoses(machine: MachineFacts | None, info: ModelInfo | None,
              model: ModelFacts | None, overrides: Mapping[str, Any] | None
              ) -> list[Diagnosis]:
    """app.hardware.plan.diagnose on the GUI's view of the machine (the detected GPUs
    with the engine's abilities), plus two cases only the caller can tell apart: the
    user turned the GPU off (``overrides``, None when not known), or the engine could
    not open a GPU it supports."""
    if machine is None or (info is not None and info.remote):
        return []
    plan = None
    if info is not None and info.plan:
        plan = plan_from_info(info.plan, model, machine)
    if plan is not None and not plan.uses_gpu and machine.gpus:
        ov = overrides or {}
        if ov.get("use_gpu") is False or ov.get("n_gpu_layers") == 0:
            return [_gpu_off(machine)]
    found = diagnose(machine, plan)
    if any(d.code in BLOCKING for d in found):
        # A driver or engine that cannot use the card explains it all; "too little
        # memory" after it would send the user closing programs for nothing.
        return [d for d in found if d.code not in ("gpu_too_small", "gpu_partial")]
    if plan is not None and plan.gpu_budget == 0 and machine.engine_gpu_offload:
        found = [_not_opened(machine) if d.code == "gpu_too_small" else d for d in found]
    return found


def _best_gpu(machine: MachineFacts) -> str:
    return short_gpu_name(max(machine.gpus, key=gpu_budget).name)


def _gpu_off(machine: MachineFacts) -> Diagnosis:
    problem = translate("ComputerPage", "You chose to run models on the CPU, so your %1 is "
                                        "not used.")
    action = translate("ComputerPage", "Set “Use the GPU” back to Automatic in the model "
                                       "settings to make answers faster.")
    return Diagnosis("gpu_off", _fill(problem, _best_gpu(machine)), action)


def _not_opened(machine: MachineFacts) -> Diagnosis:
    problem = translate("ComputerPage", "Cove's engine supports your %1 but could not use "
                                        "it for this model, so it runs on the CPU.")
    action = translate("ComputerPage", "If you set the model to run on the CPU, set “Use the "
                                       "GPU” back to Automatic. Otherwise update the graphics "
                                       "driver and restart the computer; the worker log has "
                                       "the details.")
    return Diagnosis("gpu_not_opened", _fill(problem, _best_gpu(machine)), action)


# -- what was found -------------------------------------------------------------------

def hardware_rows(report: HardwareReport) -> Rows:
    """System, processor, cores, instruction sets, memory and graphics."""
    cpu, memory = report.cpu, report.memory
    system = " ".join(p for p in (report.os, report.os_version) if p)
    if report.arch:
        system += f" ({report.arch})"
    if report.rosetta:
        system += " · " + translate("ComputerPage", "running under Rosetta")
    if report.apple_silicon:
        cores = _fill(translate("ComputerPage", "%1 (%2 performance cores)"),
                      cpu.physical_cores, cpu.performance_cores)
    else:
        cores = _fill(translate("ComputerPage", "%1 physical, %2 logical"),
                      cpu.physical_cores, cpu.logical_cores)
    features = ", ".join(FEATURE_NAMES.get(f, f.upper()) for f in cpu.features)
    if memory.available_bytes is not None:
        ram = _fill(translate("ComputerPage", "%1 in all, %2 available now"),
                    gb(memory.total_bytes), gb(memory.available_bytes))
    else:
        ram = _fill(translate("ComputerPage", "%1 in all"), gb(memory.total_bytes))
    if memory.limit == "cgroup":
        ram += " " + translate("ComputerPage", "(the limit this container allows)")
    gpus = "\n".join(gpu_text(g, report) for g in report.gpus)
    return [(translate("ComputerPage", "System"), system),
            (translate("ComputerPage", "Processor"),
             cpu.model or translate("ComputerPage", "Unknown")),
            (translate("ComputerPage", "Cores"), cores),
            (translate("ComputerPage", "Instruction sets"),
             features or translate("ComputerPage", "None reported")),
            (translate("ComputerPage", "Memory"), ram),
            (translate("ComputerPage", "Graphics"), gpus or translate("ComputerPage",
                                                                       "None found"))]


def hardware_status(report: HardwareReport) -> str:
    """How long detection took, and which checks gave no answer."""
    status = _fill(translate("ComputerPage", "Found in %1 ms."),
                   QLocale().toString(report.detect_ms, "f", 0))
    if report.notes:
        status += " " + _fill(translate("ComputerPage", "Some checks gave no answer: %1"),
                              "; ".join(report.notes))
    return status


def gpu_text(gpu: GpuInfo, report: HardwareReport) -> str:
    """One card: name, memory (free), driver and CUDA versions; or Apple's unified
    memory with the share a model may use."""
    if gpu.unified_memory and gpu.vendor == "Apple":
        total = report.memory.total_bytes
        return _fill(translate("ComputerPage", "%1: unified memory, shares the %2 of RAM (up "
                                               "to %3 for the model)"),
                     gpu.name, gb(total), gb(metal_working_set(total)))
    parts = [gpu.name]
    if gpu.memory_total_bytes:
        memory = gb(gpu.memory_total_bytes)
        if gpu.memory_free_bytes is not None:
            memory += " " + _fill(translate("ComputerPage", "(%1 free)"),
                                  gb(gpu.memory_free_bytes))
        parts.append(memory)
    elif gpu.unified_memory:
        parts.append(translate("ComputerPage", "shares the RAM"))
    if gpu.driver_version:
        parts.append(_fill(translate("ComputerPage", "driver %1"), gpu.driver_version))
    if gpu.cuda_version:
        parts.append(_fill(translate("ComputerPage", "CUDA %1"), gpu.cuda_version))
    return " · ".join(parts)


def engine_rows(engine: EngineAbilities, info: ModelInfo | None) -> Rows:
    """What Cove's engine can use, and (a local model loaded) what it uses now."""
    if engine.gpu_offload is None:
        unknown = translate("ComputerPage", "Not known yet: Cove asks the engine when it "
                                            "loads a model")
        rows = [(translate("ComputerPage", "Can use"), unknown)]
    else:
        offload = translate("ComputerPage", "Built in") if engine.gpu_offload else \
            translate("ComputerPage", "Not built in: this engine runs on the CPU only")
        rows = [(translate("ComputerPage", "Can use"),
                 ", ".join(engine.backends) or translate("ComputerPage", "The CPU")),
                (translate("ComputerPage", "GPU offload"), offload)]
    if info is not None and not info.remote:
        rows.append((translate("ComputerPage", "In use now"), info.backend))
    return rows
