# ruff: noqa: E501  (lupdate needs the literal translate("Wording", …) calls; long lines)
"""The domain's facts in the user's language: plans, verdicts, speeds, diagnoses.

``app.hardware`` and ``app.models`` hand over structured results (a plan's fields, a
``Verdict(fit, why, speed)``, a ``Diagnosis(code, params)``) and keep an English
sentence only for the command line and the log. Every sentence the windows show about
them is made here, through Qt's translation, so that a German window is German all the
way through, and the wizard, the Models window and This computer say the same thing
the same way (one number for a context, one phrase for a speed).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale

from app.hardware.detect import GiB
from app.hardware.plan import Diagnosis, short_gpu_name
from app.hardware.speed import Pace, Speed
from app.models.catalog import CatalogEntry, Verdict, Why
from app.reasons import Reason
from app.reasons import parse as parse_reason
from app.reasons import split as split_reason

translate = QCoreApplication.translate  # lupdate knows this name



def gb(n_bytes: int) -> str:
    """Memory the way it is sold (binary GB), in the locale's digits: "12 GB", "7,5 GB"."""
    value = n_bytes / GiB
    digits = 0 if value >= 10 or value == int(value) else 1
    return QLocale().toString(value, "f", digits) + " GB"


def size(n_bytes: float) -> str:
    """A file or download size in decimal units, like the OS shows it, in the locale's
    digits: "12.1 GB" in English, "12,1 GB" in German (never the English "12.1" in a
    German window, which reads as twelve thousand one hundred)."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if abs(n_bytes) >= scale:
            return QLocale().toString(n_bytes / scale, "f", 1) + " " + unit
    return translate("Wording", "%1 bytes").replace("%1", QLocale().toString(int(n_bytes)))


def tokens(n: int) -> str:
    """A context size, the same on every screen: "16,384 tokens" / "16.384 Token"."""
    return translate("Wording", "%1 tokens").replace("%1", QLocale().toString(int(n)))


def pace_text(pace: Pace) -> str:
    return {Pace.FAST: translate("Wording", "fast"), Pace.GOOD: translate("Wording", "good"), Pace.SLOW: translate("Wording", "usable, slow"),
            Pace.TOO_SLOW: translate("Wording", "too slow")}[pace]


def rate(tok_s: float) -> str:
    """The number as said aloud: "0,5", "4", "190"."""
    if tok_s < 1:
        return QLocale().toString(tok_s, "f", 1)
    return QLocale().toString(round(tok_s) if tok_s < 100 else int(round(tok_s, -1)))


def speed_text(speed: Speed) -> str:
    """"about 4 words a second: usable, slow" (or "measured: …" after a speed test)."""
    text = translate("Wording", "measured %1 words a second: %2") if speed.measured else \
        translate("Wording", "about %1 words a second: %2")
    return text.replace("%1", rate(speed.tok_s)).replace("%2", pace_text(speed.pace))


def speed_sentence(speed: Speed) -> str:
    """"About 4 words a second: usable, slow." as a sentence of its own."""
    text = translate("Wording", "Measured: %1 words a second, %2.") if speed.measured else \
        translate("Wording", "About %1 words a second: %2.")
    return text.replace("%1", rate(speed.tok_s)).replace("%2", pace_text(speed.pace))


def verdict_text(v: Verdict) -> str:
    """Why a catalog model runs well, slowly or not at all here, with its speed."""
    need = gb(v.memory_needed)
    if v.why is Why.TOO_BIG:
        if v.vram_bytes:
            return translate("Wording", "Needs about %1 of memory; this computer has %2 of RAM and %3 of "
                      "graphics memory.").replace("%1", need).replace(
                "%2", gb(v.ram_bytes)).replace("%3", gb(v.vram_bytes))
        return translate("Wording", "Needs about %1 of memory; this computer has %2 of RAM.").replace(
            "%1", need).replace("%2", gb(v.ram_bytes))
    where = {Why.FITS_GPU: translate("Wording", "Fits in the graphics memory (%1 needed)"),
             Why.FITS_RAM: translate("Wording", "Fits in memory (%1 needed)"),
             Why.TIGHT: translate("Wording", "Fits, but memory is tight (%1 needed)")}[v.why].replace("%1", need)
    if v.speed is None:
        return where + "."
    return translate("Wording", "%1; %2.").replace("%1", where).replace("%2", speed_text(v.speed))


def plan_text(plan: Mapping[str, Any]) -> str:
    """How a model runs here, from a plan's fields (``Plan.to_dict()`` or the worker's
    ``info["plan"]``): where, how much context, how fast."""
    name = str(plan.get("model_name") or "")
    if not plan.get("fits", True):
        return _no_fit_text(plan, name)
    n_ctx, requested = int(plan.get("n_ctx") or 0), int(plan.get("requested_ctx") or 0)
    ctx = tokens(n_ctx)
    if requested > n_ctx:
        ctx = translate("Wording", "%1 (the %2 asked for does not fit)").replace("%1", ctx).replace(
            "%2", tokens(requested))
    text = _where_text(plan, name).replace("%ctx", ctx)
    tok_s = float(plan.get("tok_s") or 0)
    if tok_s > 0:
        text += " " + speed_sentence(Speed(tok_s))
    return text


def _where_text(plan: Mapping[str, Any], name: str) -> str:
    gpu_layers, n_layer = int(plan.get("n_gpu_layers") or 0), int(plan.get("n_layer") or 0)
    if not gpu_layers:
        threads = int(plan.get("n_threads") or 0)
        cpu = translate("Wording", "%1 runs on the CPU (1 core, %3 RAM), %ctx of context.") if threads == 1 \
            else translate("Wording", "%1 runs on the CPU (%2 cores, %3 RAM), %ctx of context.")
        return cpu \
            .replace("%1", name).replace("%2", str(plan.get("n_threads") or "?")) \
            .replace("%3", gb(int(plan.get("ram_total") or 0)))
    gpu = short_gpu_name(str(plan.get("gpu_name") or ""))
    if plan.get("gpu_memory"):
        memory = gb(int(plan["gpu_memory"]))
        gpu = (translate("Wording", "%1 (%2 unified memory)") if plan.get("gpu_unified") else translate("Wording", "%1 (%2)")) \
            .replace("%1", gpu).replace("%2", memory)
    moe = int(plan.get("n_cpu_moe") or 0)
    if n_layer and gpu_layers > n_layer and not moe:
        text = translate("Wording", "%1 runs on your %2: all layers on the GPU, %ctx of context.")
    elif n_layer and gpu_layers > n_layer:
        text = translate("Wording", "%1 runs on your %2 and the CPU: all layers on the GPU, the experts of %3 "
                  "of %4 layers in RAM, %ctx of context.")
    else:
        text = translate("Wording", "%1 runs partly on your %2: %5 of %4 layers on the GPU, the rest on the "
                  "CPU, %ctx of context.")
    return text.replace("%1", name).replace("%2", gpu).replace("%3", str(moe)) \
        .replace("%4", str(n_layer)).replace("%5", str(gpu_layers))


def _no_fit_text(plan: Mapping[str, Any], name: str) -> str:
    need = int(plan.get("memory_needed") or 0)
    total, free = int(plan.get("ram_total") or 0), int(plan.get("ram_free", -1))
    if free >= 0 and need < total - max(2 * GiB, total // 8):
        return translate("Wording", "%1 needs about %2 of memory and only %3 is free: close some programs "
                  "and try again.").replace("%1", name).replace("%2", gb(need)).replace(
            "%3", gb(free))
    return translate("Wording", "%1 needs about %2 of memory, but this computer has %3 of RAM: it cannot run "
              "here.").replace("%1", name).replace("%2", gb(need)).replace("%3", gb(total))


def plan_notes(plan: Mapping[str, Any]) -> list[str]:
    """The plan's notes in words (a layout the user set that did not fit)."""
    if int(plan.get("manual_gpu_layers", -1)) < 0:
        return []
    return [translate("Wording", "Your setting (%1 layers on the graphics card, the experts of %2 layers in "
               "RAM) does not fit %3 with %4 of context in the free memory, so Cove chose "
               "for you.").replace("%1", str(plan["manual_gpu_layers"])).replace(
        "%2", str(plan.get("manual_cpu_moe", 0))).replace(
        "%3", str(plan.get("model_name") or "")).replace(
        "%4", tokens(int(plan.get("requested_ctx") or 0)))]


def layout_text(plan: Mapping[str, Any]) -> str:
    """Where a plan puts the model, in a few words: "all layers on the GPU, 16,384 tokens
    of context" (for the list of what Cove tried before the plan in use)."""
    gpu_layers, n_layer = int(plan.get("n_gpu_layers") or 0), int(plan.get("n_layer") or 0)
    moe, ctx = int(plan.get("n_cpu_moe") or 0), tokens(int(plan.get("n_ctx") or 0))
    if not gpu_layers:
        text = translate("Wording", "the CPU alone, %1 of context")
    elif n_layer and gpu_layers > n_layer and not moe:
        text = translate("Wording", "all layers on the GPU, %1 of context")
    elif n_layer and gpu_layers > n_layer:
        text = translate("Wording", "all layers on the GPU with the experts of %2 layers in RAM, %1 of context")
    else:
        text = translate("Wording", "%3 of %4 layers on the GPU, %1 of context")
    return _fill(text, ctx, str(moe), str(gpu_layers), str(n_layer or "?"))


def failure_text(failed: Mapping[str, Any]) -> str:
    """One plan that did not load (an entry of the worker's ``info["fallbacks_failed"]``)."""
    layout = layout_text(failed.get("plan") or {})
    if failed.get("crashed"):
        return translate("Wording", "Tried %1: the model worker stopped while loading.").replace("%1", layout)
    return translate("Wording", "Tried %1: llama.cpp could not load it (details are in the log file).").replace("%1", layout)


def fallback_text(code: str) -> str:
    """Why the plan in use is a fallback (``Plan.fallback``); "" for a first choice."""
    texts = {"less_gpu": translate("Wording", "Loading on the GPU failed, so Cove put less of the model on the GPU."),
             "cpu_only": translate("Wording", "Loading with the GPU failed, so Cove runs the model on the CPU alone."),
             "smaller_ctx": translate("Wording", "Loading failed, so Cove runs the model on the CPU with a smaller context.")}
    return texts.get(code, "")


def diagnosis_text(d: Diagnosis) -> tuple[str, str]:
    """(What is wrong, what to do) for a diagnosis from :func:`app.hardware.plan.diagnose`
    or made by the UI itself (its own words already translated: kept as they are)."""
    p = d.params
    gpu = str(p.get("gpu") or "")
    free = gb(int(p.get("free") or 0))
    model, ctx = str(p.get("model") or ""), tokens(int(p.get("n_ctx") or 0))
    texts: dict[str, tuple[str, str]] = {
        "rosetta": (translate("Wording", "Cove is running as an Intel app on an Apple Silicon Mac, so it "
                       "cannot use the graphics chip."),
                    translate("Wording", "Install the Apple Silicon version of Cove.")),
        "no_gpu": (translate("Wording", "No graphics card Cove can use was found, so it runs on the "
                      "CPU."),
                   translate("Wording", "Nothing is wrong. An NVIDIA graphics card with 8 GB or more, or an "
                      "Apple Silicon Mac, makes answers several times faster.")),
        "driver_missing": (translate("Wording", "Your %1 is there, but its driver did not answer.").replace(
            "%1", gpu), translate("Wording", "Install (or reinstall) the NVIDIA driver, restart the computer, "
                           "then start Cove again.")),
        "driver_too_old": (translate("Wording", "The driver of your %1 (%2) is too old for Cove's CUDA "
                              "engine.").replace("%1", gpu).replace(
            "%2", str(p.get("driver") or "")),
            translate("Wording", "Install NVIDIA driver %1 or newer, then restart Cove.").replace(
                "%1", str(p.get("min_driver") or ""))),
        "gpu_too_small": (translate("Wording", "Your %1 has %2 free, too little for %3 with %4 of context.")
                          .replace("%1", gpu).replace("%2", free).replace("%3", model)
                          .replace("%4", ctx),
                          translate("Wording", "Close programs that use the graphics card (games, video "
                             "editors) or choose a smaller context. Cove runs on the "
                             "CPU meanwhile.")),
        "gpu_partial": (translate("Wording", "Your %1 (%2 free) holds part of %3; the rest runs on the "
                           "CPU, which is slower.").replace("%1", gpu).replace(
            "%2", free).replace("%3", model),
            translate("Wording", "A smaller context, or closing programs that use the graphics card, leaves "
               "more of the model on it.")),
    }
    if d.code == "engine_without_gpu":
        backend = str(p.get("backend") or "")
        if not backend:
            return (translate("Wording", "Your %1 was found, but Cove's engine supports NVIDIA (CUDA) and "
                       "Apple (Metal) graphics only.").replace("%1", gpu),
                    translate("Wording", "Nothing to do: Cove runs on the CPU."))
        return (translate("Wording", "Your %1 was found, but Cove's engine was built without %2 support, so "
                   "it runs on the CPU.").replace("%1", gpu).replace("%2", backend),
                translate("Wording", "Ask whoever installed Cove for a version built with %1.").replace(
                    "%1", backend))
    return texts.get(d.code, (d.problem, d.action))


def summary_text(key: str, english: str) -> str:
    """A catalog model's description (``CatalogEntry.summary``) in the user's language;
    a model this table does not know keeps its English text."""
    texts = {
        "gpt-oss-20b": translate(
            "Catalog", "OpenAI's open-weight model for laptops: the original MXFP4 weights, "
            "converted by the llama.cpp team."),
        "gpt-oss-20b-unsloth-q4_k_m": translate(
            "Catalog", "Unsloth's conversion, with their chat template fixes."),
        "gpt-oss-20b-unsloth-f16": translate(
            "Catalog", "MXFP4 experts, everything else at 16 bits."),
        "gpt-oss-20b-bartowski-mxfp4": translate(
            "Catalog", "bartowski's conversion of the original weights."),
        "gpt-oss-120b": translate(
            "Catalog", "The large model, for workstations with 80 GB or more of (graphics) "
            "memory. Three files, downloaded and used as one."),
        "qwen3-embedding-0.6b": translate(
            "Catalog", "Not a chat model: with it, Cove finds the passages of your documents "
            "that answer a question by meaning, not only by their words, in over 100 "
            "languages. Keyword search works without it."),
    }
    return texts.get(key, english)


def entry_title(entry: CatalogEntry) -> str:
    """A catalog model's name as windows show it: an embedding model says what it is for
    ("Qwen3 Embedding 0.6B (for documents)"), in the user's language."""
    if entry.embedding:
        return translate("Catalog", "%1 (for documents)").replace("%1", entry.title)
    return entry.title


def reason_text(text: str) -> str:
    """A failure the engine explained (``app.reasons``) in the user's language, with its
    file-specific detail (a file name, a path, an OS error) kept as it is; any other text
    (a server's own words) unchanged. Technical detail that only the log needs (llama.cpp's
    words, the planner's English explanation) is left out of the translation."""
    parsed = parse_reason(text)
    if parsed is None:
        head, follow_up = split_reason(text)
        if follow_up is None:
            return text
        return f"{reason_text(head)} {_follow_up_text(*follow_up)}"
    reason, p = parsed
    file = p.get("file") or p.get("path") or ""
    texts = {
        Reason.CUT_SHORT: translate("Reasons", "%1 ends inside its header: the file is incomplete (an unfinished download?) or damaged. Download it again, or choose another model file."),
        Reason.DAMAGED: translate("Reasons", "%1 has a damaged header. Download it again, or choose another model file."),
        Reason.NOT_GGUF: translate("Reasons", "%1 is not a GGUF model file. Cove runs models in the GGUF format (files ending in .gguf): choose one of those, or download a model in the Models window."),
        Reason.GGUF_VERSION: translate("Reasons", "%1 uses GGUF version %2, which Cove cannot read. Choose a file in GGUF version 2 or 3 (what current converters write).").replace("%2", p.get("version", "")),
        Reason.FOLDER: translate("Reasons", "%1 is a folder, not a model file. Choose the .gguf file inside it."),
        Reason.MISSING: translate("Reasons", "The model file %1 does not exist. It may have been moved, renamed or deleted: choose it where it is now, or download it again."),
        Reason.UNREADABLE: translate("Reasons", "Cove cannot read the model file %1 (%2). Check that its drive is connected and that you may read the file, or choose another one.").replace("%2", p.get("error", "")),
        Reason.NO_WEIGHTS: translate("Reasons", "%1 contains no model weights, only a header. Choose the model file itself, or download the model again."),
        Reason.INCOMPLETE: translate("Reasons", "%1 is incomplete: it has %2 of the %3 its header describes. Download it again (or resume the download).").replace("%2", local_size(p.get("have", ""))).replace("%3", local_size(p.get("need", ""))),
        Reason.EMBEDDING_ONLY: translate("Reasons", "%1 is a text-embedding model: Cove uses it to search attached documents by meaning, but it cannot chat. Choose a chat model such as gpt-oss."),
        Reason.SETUP_FAILED: translate("Reasons", "Cove could not set up %1. Choose another model."),
        Reason.NO_CONTEXT_MEMORY: translate("Reasons", "%1 loaded, but there was not enough memory for its context. Choose a shorter context in Settings, close other programs, or choose a smaller model."),
        Reason.UNSUPPORTED: translate("Reasons", "llama.cpp could not load %1, a %2 model. This version of Cove may not support this kind of model, or the file may be damaged: choose another model, or download this one again.").replace("%2", p.get("architecture", "")),
        Reason.DOES_NOT_FIT: translate("Reasons", "%1 was not loaded: it does not fit in this computer's free memory with this context. Choose a smaller model, or a shorter context in Settings."),
        Reason.TOO_LONG: translate("Reasons", "This message is too long for the model's context window (%2 tokens, with %3 kept free for the answer).").replace("%2", _number(p.get("n_ctx", ""))).replace("%3", _number(p.get("reserve", ""))),
    }
    if reason in texts:
        return texts[reason].replace("%1", file)
    if reason is Reason.NOT_ADDED:
        return translate("Reasons", "Not added: %1").replace("%1", reason_text(p.get("why", "")))
    phrased = _engine_text(reason, p) or _download_text(reason, p) or _library_text(reason, p)
    return text if phrased is None else phrased


def _engine_text(reason: Reason, p: Mapping[str, str]) -> str | None:
    """The worker process stopped, or could not be started again (``app.engine.client``);
    a revive's own cause is said in the user's language too."""
    log = p.get("log", "")
    texts = {
        Reason.WORKER_NOT_STARTED: lambda: _fill(translate("Reasons", "The model worker could not start. Details are in %1."), log),
        Reason.WORKER_SILENT: lambda: translate("Reasons", "The model worker stopped answering."),
        Reason.WORKER_STOPPED: lambda: _fill(translate("Reasons", "The model worker stopped unexpectedly. What was already written is kept. Cove can start the model again; if this repeats, try a shorter context or fewer GPU layers. Details are in %1."), log),
        Reason.WORKER_EXITED: lambda: _fill(translate("Reasons", "The model worker stopped unexpectedly (exit code %1). What was already written is kept. Cove can start the model again; if this repeats, try a shorter context or fewer GPU layers. Details are in %2."), p.get("code", ""), log),
        Reason.REVIVE_FAILED: lambda: _fill(translate("Reasons", "The model worker had stopped, and starting it again failed: %1 Your conversation is saved; send your message again to try once more."), reason_text(p.get("why", ""))),
        Reason.CRASHED_LOADING: lambda: _fill(translate("Reasons", "The model worker stopped while loading %1, also with the safer settings (%2 tried). The file may be damaged or not supported by this version of llama.cpp: choose another model. Details are in %3."), p.get("file", ""), _number(p.get("tried", "")), log),
    }
    phrase = texts.get(reason)
    if phrase is not None:
        return phrase()
    if reason in (Reason.STILL_IN_USE, Reason.NOT_RESTORED):
        return _follow_up_text(reason, p)
    return None


def _follow_up_text(reason: Reason, p: Mapping[str, str]) -> str:
    """Which model answers after a failed load (``reasons.FOLLOW_UPS``)."""
    if reason is Reason.STILL_IN_USE:
        return _fill(translate("Reasons", "%1 is still loaded and in use."), p.get("name", ""))
    return _fill(translate("Reasons", "%1, the model loaded before, could not be loaded again either: open a model to go on."), p.get("name", ""))


def _fill(text: str, *values: str) -> str:
    """%1, %2 … in one pass, so that a value holding "%2" (a file name) stays as it is."""
    return re.sub(r"%(\d)", lambda m: values[int(m.group(1)) - 1], text)


def _download_text(reason: Reason, p: Mapping[str, str]) -> str | None:
    """A download's failure (``app.models.downloads``). The technical detail of a lost
    connection (an exception's English words) is the log's, not the window's."""
    repo, file, server = p.get("repo", ""), p.get("file", ""), p.get("server", "")
    s = {k: local_size(p.get(k, "")) for k in ("needed", "margin", "free", "short", "have", "size")}
    texts = {
        Reason.BAD_REPO_NAME: lambda: _fill(translate("Reasons", "“%1” is not a Hugging Face repository name (it looks like owner/name)."), repo),
        Reason.BAD_FILE_NAME: lambda: _fill(translate("Reasons", "“%1” is not a file name Cove can download."), file),
        Reason.DOWNLOADS_CLOSED: lambda: translate("Reasons", "Cove is closing, so no new download can start."),
        Reason.NO_SUCH_FILE: lambda: _fill(translate("Reasons", "%1 has no file named %2. Check the name (it is case-sensitive) on the model's page."), repo, file),
        Reason.NO_CHECKSUM: lambda: _fill(translate("Reasons", "The server gave no checksum for %1, so Cove cannot verify it. Nothing was downloaded."), file),
        Reason.NO_SPACE: lambda: _fill(translate("Reasons", "Not enough disk space for %1: it needs %2 more (plus %3 to spare), but only %4 is free in %5. Nothing was lost. Free up %6 or choose another models folder, then try again."),
                                       file, s["needed"], s["margin"], s["free"], p.get("folder", ""), s["short"]),
        Reason.CONNECTION_LOST: lambda: _fill(translate("Reasons", "The connection was lost while downloading %1. The %2 already downloaded are kept; press Resume when you are back online."), file, s["have"]),
        Reason.DISK_FULL: lambda: _fill(translate("Reasons", "The disk is full: the download of %1 stopped at %2 of %3. What was downloaded is kept. Free up %4 and press Resume."), file, s["have"], s["size"], s["short"]),
        Reason.CANNOT_WRITE: lambda: _fill(translate("Reasons", "Cove cannot write %1: %2. What was downloaded is kept; check the models folder's permissions, then press Resume."), p.get("path", ""), p.get("error", "")),
        Reason.WRONG_SIZE: lambda: _fill(translate("Reasons", "The downloaded %1 is damaged: its size does not match what %2 publishes. The bad data was deleted. Try again; if this keeps happening, the server or mirror is sending a wrong file."), file, repo),
        Reason.WRONG_CHECKSUM: lambda: _fill(translate("Reasons", "The downloaded %1 is damaged: its checksum (sha256) does not match what %2 publishes. The bad data was deleted. Try again; if this keeps happening, the server or mirror is sending a wrong file."), file, repo),
        Reason.GATED: lambda: _fill(translate("Reasons", "%1 is a gated model: accept its licence on its page at %2, then add your Hugging Face access token in Cove's settings. Nothing was downloaded."), repo, server),
        Reason.REPO_NOT_FOUND: lambda: _fill(translate("Reasons", "%1 was not found on %2. Check the name; if it is a private model, add your Hugging Face access token in Cove's settings."), repo, server),
        Reason.NO_REVISION: lambda: _fill(translate("Reasons", "%1 has no version “%2”."), repo, p.get("revision", "")),
        Reason.OFFLINE: lambda: translate("Reasons", "Downloads are switched off (HF_HUB_OFFLINE is set)."),
        Reason.SERVER_ERROR: lambda: _fill(translate("Reasons", "%1 answered %2 for %3. Nothing is lost; try again later."), server, p.get("status", ""), repo),
        Reason.UNREACHABLE: lambda: _fill(translate("Reasons", "Cove cannot reach %1. Check the internet connection (or the mirror address), then try again."), server),
        Reason.DOWNLOAD_BROKE: lambda: _fill(translate("Reasons", "The download of %1 stopped because of an unexpected error (details are in the log file). What was downloaded so far is kept; press Resume to try again."), file),
    }
    phrase = texts.get(reason)
    return None if phrase is None else phrase()


def _library_text(reason: Reason, p: Mapping[str, str]) -> str | None:
    """An import, delete or check of the model library (``app.models.library``)."""
    file, name = p.get("file", ""), p.get("name", "")
    texts = {
        Reason.ALREADY_THERE: lambda: _fill(translate("Reasons", "A model named %1 is already in the library. Rename the file or delete the existing model first."), file),
        Reason.NO_SPACE_TO_COPY: lambda: _fill(translate("Reasons", "Not enough disk space to copy %1: it needs %2, %3 is free. Nothing was copied; add it in place instead, or free up space."),
                                               file, local_size(p.get("needed", "")), local_size(p.get("free", ""))),
        Reason.COPY_FAILED: lambda: _fill(translate("Reasons", "Copying %1 failed (%2). Your original file is untouched."), file, p.get("error", "")),
        Reason.NOT_IN_LIBRARY: lambda: _fill(translate("Reasons", "%1 is not in Cove's library."), file),
        Reason.REMOVED: lambda: _fill(translate("Reasons", "%1 was removed from the library; the file itself is kept."), name),
        Reason.DELETED: lambda: _fill(translate("Reasons", "%1 was deleted (%2 freed)."), name, local_size(p.get("size", ""))),
        Reason.PARTS_MISSING: lambda: _fill(translate("Reasons", "%1 of its %2 files are missing (%3)."), p.get("missing", ""), p.get("parts", ""), p.get("names", "")),
        Reason.STRUCTURE_OK: lambda: _fill(translate("Reasons", "%1 looks complete (no checksum is known for it, so only its structure was checked)."), name),
        Reason.CHECKSUM_BAD: lambda: _fill(translate("Reasons", "%1 is damaged: its checksum does not match the download's. Delete it and download it again."), file),
        Reason.INTACT: lambda: _fill(translate("Reasons", "%1 is intact (checksum verified)."), name),
    }
    phrase = texts.get(reason)
    return None if phrase is None else phrase()


def local_size(english: str) -> str:
    """"1.23 GB" (as the engine writes a size) in the locale's digits: "1,23 GB"."""
    number, _, unit = english.partition(" ")
    try:
        value = float(number)
    except ValueError:
        return english
    if unit == "bytes":  # human_size's smallest unit
        return size(value)
    digits = len(number.partition(".")[2])
    return QLocale().toString(value, "f", digits) + (" " + unit if unit else "")


def _number(text: str) -> str:
    return QLocale().toString(int(text)) if text.isdigit() else text
