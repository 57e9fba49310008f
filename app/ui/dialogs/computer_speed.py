"""The speed test of "This computer": run it through an engine client, keep its results,
and say them in words; also the engine report the page shows before a model is loaded.

Running and storing need no Qt (the command line could share them): the test talks to
the engine only through a client's ``chat``/``cancel``, so it works with
:class:`app.engine.client.EngineClient` or anything shaped like it. The records and the
engine report are plain JSON written atomically. The words at the end are the page's
(translated in its ``ComputerPage`` context).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, Qt

from app.config import paths
from app.config.files import write_atomically
from app.engine.model_info import ModelInfo
from app.hardware.plan import short_gpu_name
from app.ui.widgets.plain import escaped

log = logging.getLogger(__name__)
translate = QCoreApplication.translate  # lupdate knows this name

SPEED_TESTS_FILE = "speedtests.json"
ENGINE_REPORT_FILE = "engine.json"
KEEP_RESULTS = 50  # speed tests kept in the file, newest last
SPEED_TEST_MAX_TOKENS = 64
# About 300 tokens for the common tokenizers (gpt-oss's o200k, gemma's, llama's): long
# enough that reading it is measured, short enough to take seconds on a laptop CPU.
SPEED_TEST_TEXT = (
    "The lighthouse on the northern cape had been automated for twenty years, but Mara "
    "still climbed its one hundred and twelve steps every evening. She told the people "
    "in the village that she went up to check the lamp, though everybody knew the lamp "
    "needed no one. What she really checked was the sea. From the gallery she could see "
    "the fishing boats come home in a loose line, the ferry to the islands leaving its "
    "white scar across the bay, and, on clear nights, the lights of the city on the far "
    "shore, which looked close enough to touch and took four hours to reach by road. "
    "One evening in late October the ferry did not come back. The radio in the harbour "
    "office gave only static, and the wind had turned so hard from the west that the "
    "boats stayed tied up, knocking against the quay. Mara watched the dark water for "
    "an hour before she saw it: a small light, low on the waves, moving the wrong way, "
    "towards the rocks below the cape instead of the harbour mouth. She did not think "
    "about what to do. She ran down the steps, took the old signal lamp from its hook in "
    "the store room, and began to flash the pattern her father had taught her when she "
    "was nine: short, short, long, the signal for danger ahead, turn to port. For a long "
    "time nothing changed. Then, slowly, the little light swung round."
)
SPEED_TEST_QUESTION = "Retell this story in your own words, in detail."


class SpeedTestFailed(Exception):
    """The test could not be run or did not finish; the message is for the user."""


class SpeedTestCancelled(SpeedTestFailed):
    pass


class ChatClient(Protocol):
    """What the speed test needs of an engine client (EngineClient has it)."""

    info: dict[str, Any]

    def chat(self, messages: Sequence[Any], instructions: str = "", effort: str = "medium",
             sampling: dict[str, Any] | None = None, max_tokens: int | None = None,
             stop: Sequence[str] | None = None) -> Iterator[dict[str, Any]]: ...

    def cancel(self) -> None: ...


Progress = Callable[[str, int, int], None]  # stage ("prompt" / "generate"), done, total


def speed_test_prompt() -> str:
    """The test prompt. A fresh tag at its start keeps the worker from reusing the KV
    cache of the previous test, which would make reading the prompt look instant."""
    return f"(Speed test {uuid.uuid4().hex[:8]}.)\n\n{SPEED_TEST_TEXT}\n\n{SPEED_TEST_QUESTION}"


def run_speed_test(client: ChatClient, info: ModelInfo | Mapping[str, Any] | None = None,
                   progress: Progress | None = None) -> dict[str, Any]:
    """Prompt and generation speed of the loaded model, measured by the worker.

    Sampling is greedy and the model's stop strings are off, so each run writes the
    same kind of text; an end-of-turn token may still end it before
    :data:`SPEED_TEST_MAX_TOKENS`. Raises :class:`SpeedTestCancelled` or
    :class:`SpeedTestFailed`.
    """
    model = ModelInfo.of(info if info is not None else client.info)
    report = progress or (lambda _stage, _done, _total: None)
    report("prompt", 0, 0)
    written = 0
    done: dict[str, Any] | None = None
    for msg in client.chat([{"role": "user", "content": speed_test_prompt()}], effort="low",
                           sampling={"temp": 0.0}, max_tokens=SPEED_TEST_MAX_TOKENS, stop=[]):
        kind = msg.get("type")
        if kind == "prompt_progress":
            report("prompt", int(msg.get("done", 0)), int(msg.get("total", 0)))
        elif kind == "event" and msg.get("kind") in ("reasoning", "answer", "tool_call"):
            written = min(written + 1, SPEED_TEST_MAX_TOKENS)
            report("generate", written, SPEED_TEST_MAX_TOKENS)
        elif kind == "error":
            raise SpeedTestFailed(str(msg.get("message") or "The speed test failed."))
        elif kind == "done":
            done = msg
    if done is None:
        raise SpeedTestFailed("The model worker ended the speed test without a result.")
    if done.get("finish_reason") == "cancelled":
        raise SpeedTestCancelled("The speed test was cancelled.")
    return speed_test_result(done.get("stats") or {}, model)


def speed_test_result(stats: Mapping[str, Any], info: ModelInfo | Mapping[str, Any] | None,
                      when: datetime | None = None) -> dict[str, Any]:
    """One stored record: the two speeds, what they were measured on, and when.

    Prompt speed counts the tokens the worker actually evaluated (``evaluated_tokens``
    less the last one, which it evaluates while sampling) over ``prompt_ms``; tokens it
    found in its cache cost nothing and are left out.
    """
    prompt_tokens = int(stats.get("prompt_tokens") or 0)
    evaluated = int(stats.get("evaluated_tokens", prompt_tokens) or 0)
    prompt_ms = float(stats.get("prompt_ms") or 0.0)
    timed = max(evaluated - 1, 0)
    model = ModelInfo.of(info) or ModelInfo(name="", backend="")
    plan = model.plan
    return {
        "date": (when or datetime.now()).astimezone().isoformat(timespec="seconds"),
        "model": model.name,
        "model_path": model.path,
        "backend": model.backend,
        "gpu_name": str(plan.get("gpu_name") or ""),
        "n_gpu_layers": int(model.n_gpu_layers or plan.get("n_gpu_layers") or 0),
        "n_cpu_moe": int(plan.get("n_cpu_moe") or 0),
        "n_ctx": int(model.n_ctx or plan.get("n_ctx") or 0),
        "n_threads": int(model.n_threads or plan.get("n_threads") or 0),
        "prompt_tokens": evaluated,
        "prompt_ms": round(prompt_ms, 2),
        "prompt_tokens_per_s": round(timed / (prompt_ms / 1000), 2) if timed and prompt_ms
        else 0.0,
        "completion_tokens": int(stats.get("completion_tokens") or 0),
        "generation_tokens_per_s": float(stats.get("tokens_per_s") or 0.0),
        # What the planner estimated for the same load: the pair corrects the estimates
        # of other models on this computer (app.hardware.speed.calibrated).
        "estimated_tokens_per_s": float(plan.get("tok_s") or 0.0),
    }


def speed_tests_path() -> Path:
    return paths.data_dir() / SPEED_TESTS_FILE


def load_speed_tests(path: Path | None = None) -> list[dict[str, Any]]:
    """Stored results, oldest first; an unreadable file counts as none."""
    path = path or speed_tests_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        log.warning("speed tests: %s is unreadable (%s)", path, exc)
        return []
    results = data.get("results") if isinstance(data, dict) else None
    return [r for r in results if isinstance(r, dict)] if isinstance(results, list) else []


def save_speed_test(result: Mapping[str, Any], path: Path | None = None) -> list[dict[str, Any]]:
    """Append ``result`` (keeping the newest :data:`KEEP_RESULTS`); returns them all."""
    path = path or speed_tests_path()
    results = [*load_speed_tests(path), dict(result)][-KEEP_RESULTS:]
    write_json_atomically(path, {"version": 1, "results": results})
    return results


def latest_speed_test(results: Sequence[Mapping[str, Any]],
                      model_path: str = "") -> Mapping[str, Any] | None:
    """The newest result for this model file (any model's when none is given)."""
    for result in reversed(results):
        if not model_path or result.get("model_path") == model_path:
            return result
    return None


@dataclass(frozen=True)
class EngineAbilities:
    """What Cove's engine can use: GPU offload built in (None: not known yet), and its
    compiled-in backends."""

    gpu_offload: bool | None = None
    backends: tuple[str, ...] = ()

    @classmethod
    def of(cls, info: ModelInfo | None) -> EngineAbilities | None:
        """A local model's word on its engine; None when it gave none (a server)."""
        if info is None or info.remote or info.gpu_offload_supported is None:
            return None
        return cls(info.gpu_offload_supported, info.backends)


def engine_report_path() -> Path:
    return paths.cache_dir() / ENGINE_REPORT_FILE


def save_engine_report(engine: EngineAbilities, path: Path | None = None) -> None:
    """What the installed engine can use, as the last loaded model found it, so the page
    can say it before any model is loaded."""
    write_json_atomically(path or engine_report_path(), {
        "backends": list(engine.backends),
        "gpu_offload_supported": bool(engine.gpu_offload),
        "saved": datetime.now().astimezone().isoformat(timespec="seconds"),
    })


def load_engine_report(path: Path | None = None) -> EngineAbilities:
    """The saved report; unknown abilities when there is none (or it is unreadable)."""
    try:
        data = json.loads((path or engine_report_path()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return EngineAbilities()
    if not isinstance(data, dict) or data.get("gpu_offload_supported") is None:
        return EngineAbilities()
    return EngineAbilities(bool(data["gpu_offload_supported"]),
                           tuple(str(b) for b in data.get("backends") or ()))


def write_json_atomically(path: Path, data: Any) -> None:
    """``data`` as JSON, replacing ``path`` in one step (see ``app.config.files``)."""
    write_atomically(path, json.dumps(data, indent=2, ensure_ascii=False))


# -- the results in words (the page's) ---------------------------------------------------

def rate_text(value: float) -> str:
    """A speed as the page shows it: "41.5", or "612" from a hundred on."""
    return QLocale().toString(value, "f", 0 if value >= 100 else 1)


def date_text(iso: str) -> str:
    """A stored date in the user's locale: "3 Mar 2025, 14:05"."""
    when = QDateTime.fromString(iso, Qt.DateFormat.ISODate)
    if not when.isValid():
        return iso
    local = when.toLocalTime()
    locale = QLocale()
    return locale.toString(local.date(), "d MMM yyyy") + ", " + locale.toString(
        local.time(), QLocale.FormatType.ShortFormat)


def ran_on_cpu(r: Mapping[str, Any]) -> bool:
    return str(r.get("backend") or "CPU") == "CPU" or not r.get("n_gpu_layers")


def ran_on(r: Mapping[str, Any]) -> str:
    """"CPU", or the GPU backend and card: "CUDA (RTX 3060)"."""
    if ran_on_cpu(r):
        return translate("ComputerPage", "CPU")
    backend, gpu = str(r.get("backend")), str(r.get("gpu_name") or "")
    return f"{backend} ({short_gpu_name(gpu)})" if gpu else backend


def measured_text(r: Mapping[str, Any]) -> str:
    """When, with which model and where a result was measured."""
    threads = int(r.get("n_threads") or 0)
    if ran_on_cpu(r):
        on = translate("ComputerPage", "on the CPU")
    else:
        on = translate("ComputerPage", "on %1").replace("%1", ran_on(r))
    text = (translate("ComputerPage", "Measured %1 with %2 %3, one thread.") if threads == 1
            else translate("ComputerPage", "Measured %1 with %2 %3, %4 threads.")).replace(
        "%1", date_text(str(r.get("date") or ""))).replace(
        "%2", str(r.get("model") or "?")).replace("%3", on).replace("%4", str(threads))
    completion = int(r.get("completion_tokens") or 0)
    if completion < SPEED_TEST_MAX_TOKENS:
        text += " " + translate("ComputerPage", "The model stopped after %1 tokens.").replace(
            "%1", str(completion))
    return text


def result_text(r: Mapping[str, Any]) -> str:
    """A result as one plain sentence (the copied report)."""
    return translate("ComputerPage", "Speed test: %1 tokens/s reading the prompt, %2 tokens/s "
                     "writing the answer.").replace(
        "%1", rate_text(float(r.get("prompt_tokens_per_s") or 0))).replace(
        "%2", rate_text(float(r.get("generation_tokens_per_s") or 0))) + " " + \
        measured_text(r)


def result_html(r: Mapping[str, Any]) -> str:
    """A result as the page shows it: the two speeds large, then how it was measured."""
    prompt = rate_text(float(r.get("prompt_tokens_per_s") or 0))
    generation = rate_text(float(r.get("generation_tokens_per_s") or 0))
    big = "font-size: 15pt; font-weight: 600;"
    reading = escaped(translate("ComputerPage", "tokens/s reading the prompt"))
    writing = escaped(translate("ComputerPage", "tokens/s writing the answer"))
    return (
        "<table cellspacing='0' cellpadding='0'><tr>"
        f"<td style='padding-right: 36px'><span style='{big}'>{prompt}</span><br>"
        f"{reading}</td>"
        f"<td><span style='{big}'>{generation}</span><br>"
        f"{writing}</td></tr></table>"
        f"<p>{escaped(measured_text(r))}</p>")
