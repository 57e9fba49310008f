"""The "This computer" page: what Cove found, how the current model runs here, why the
GPU is not used (and what to do about it), and a one-click speed test whose results are
kept.

Two things here take time and never run on the GUI thread: detection (about 100 ms,
and it runs at every launch) together with reading the model's GGUF header, and the
speed test (seconds to a minute). Both report back through one relay object's signals.
The speed test talks to the engine only through a client's ``chat``/``cancel``, so it
works with :class:`app.engine.client.EngineClient` or anything shaped like it; the
window can hand in its own ``submit`` so that the test queues behind a running chat on
the engine's one thread instead of racing it.

The speed-test records and the engine report are plain JSON written atomically; the
functions for them need no Qt (the command line could share them).
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import fields, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QDateTime, QLocale, QObject, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.config import paths
from app.config.files import write_atomically
from app.hardware.detect import HardwareReport, detect
from app.hardware.facts import (
    MachineFacts,
    ModelFacts,
    machine_facts,
    metal_working_set,
    read_model_facts,
)
from app.hardware.plan import Diagnosis, Plan, diagnose, gpu_budget, short_gpu_name
from app.hardware.speed import Speed
from app.ui.plain import escaped, plain_label
from app.ui.wording import (
    diagnosis_text,
    failure_text,
    fallback_text,
    gb,
    plan_notes,
    plan_text,
    speed_sentence,
    tokens,
)

log = logging.getLogger(__name__)

SPEED_TESTS_FILE = "speedtests.json"
ENGINE_REPORT_FILE = "engine.json"
KEEP_RESULTS = 50  # speed tests kept in the file, newest last
SHOWN_RESULTS = 8  # rows in the page's table of earlier results
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


# -- the speed test (no Qt) ----------------------------------------------------------

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


def run_speed_test(client: ChatClient, info: Mapping[str, Any] | None = None,
                   progress: Progress | None = None) -> dict[str, Any]:
    """Prompt and generation speed of the loaded model, measured by the worker.

    Sampling is greedy and the model's stop strings are off, so each run writes the
    same kind of text; an end-of-turn token may still end it before
    :data:`SPEED_TEST_MAX_TOKENS`. Raises :class:`SpeedTestCancelled` or
    :class:`SpeedTestFailed`.
    """
    info = dict(info if info is not None else client.info)
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
    return speed_test_result(done.get("stats") or {}, info)


def speed_test_result(stats: Mapping[str, Any], info: Mapping[str, Any],
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
    plan = info.get("plan") or {}
    return {
        "date": (when or datetime.now()).astimezone().isoformat(timespec="seconds"),
        "model": str(info.get("name") or ""),
        "model_path": str(info.get("path") or ""),
        "backend": str(info.get("backend") or ""),
        "gpu_name": str(plan.get("gpu_name") or ""),
        "n_gpu_layers": int(info.get("n_gpu_layers") or plan.get("n_gpu_layers") or 0),
        "n_cpu_moe": int(plan.get("n_cpu_moe") or 0),
        "n_ctx": int(info.get("n_ctx") or plan.get("n_ctx") or 0),
        "n_threads": int(info.get("n_threads") or plan.get("n_threads") or 0),
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


def engine_report_path() -> Path:
    return paths.cache_dir() / ENGINE_REPORT_FILE


def save_engine_report(info: Mapping[str, Any], path: Path | None = None) -> None:
    """What the installed engine can use, as the last loaded model found it, so the page
    can say it before any model is loaded."""
    write_json_atomically(path or engine_report_path(), {
        "backends": list(info.get("backends") or []),
        "gpu_offload_supported": bool(info.get("gpu_offload_supported")),
        "saved": datetime.now().astimezone().isoformat(timespec="seconds"),
    })


def load_engine_report(path: Path | None = None) -> dict[str, Any]:
    try:
        data = json.loads((path or engine_report_path()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_json_atomically(path: Path, data: Any) -> None:
    """``data`` as JSON, replacing ``path`` in one step (see ``app.config.files``)."""
    write_atomically(path, json.dumps(data, indent=2, ensure_ascii=False))


def plan_from_info(data: Mapping[str, Any], model: ModelFacts | None = None,
                   machine: MachineFacts | None = None) -> Plan | None:
    """The worker's plan (``info["plan"]``, a plain dict) as a Plan again, with the
    facts :func:`app.hardware.plan.diagnose` weighs it against."""
    names = {f.name for f in fields(Plan)} - {"model", "machine"}
    values = {k: v for k, v in data.items() if k in names}
    values["notes"] = tuple(values.get("notes") or ())
    try:
        return Plan(**values, model=model, machine=machine)
    except TypeError:  # a plan from an older or newer worker
        return None


# -- the page -----------------------------------------------------------------------

class _Relay(QObject):
    """Carries results from background threads to the GUI thread (queued signals).

    It has no parent: the threads hold it, so it outlives a page closed mid-test."""

    detected = Signal(int, object)  # detection number, HardwareReport
    model_read = Signal(str, object)  # model path, ModelFacts or None
    progress = Signal(str, int, int)
    finished = Signal(object, str)  # the result, why saving it failed ("" if it did not)
    failed = Signal(str)  # "" when cancelled


# Diagnoses that mean the GPU cannot be used at all, whatever its memory.
_BLOCKING = frozenset({"rosetta", "driver_missing", "driver_too_old", "engine_without_gpu"})

class _TestState:
    """One speed test's progress between the GUI thread and the job."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.started = False
        self.cancelled = False


_FEATURE_NAMES = {
    "sse4_2": "SSE4.2", "avx_vnni": "AVX-VNNI", "avx512f": "AVX-512F",
    "avx512bw": "AVX-512BW", "avx512_vnni": "AVX-512 VNNI", "avx512_bf16": "AVX-512 BF16",
    "amx_tile": "AMX", "amx_int8": "AMX-INT8", "amx_bf16": "AMX-BF16", "dotprod": "DotProd",
}


class ComputerPage(QWidget):
    """What this computer has and how the current model runs on it.

    Signals:
        detected(object): the HardwareReport, once detection (on a thread) is done.
        speed_test_started(): a speed test was queued; the engine is busy until it ends.
        speed_test_finished(dict): its result, stored in speedtests.json.
        speed_test_failed(str): why it did not finish ("" when the user cancelled).
    """

    detected = Signal(object)
    speed_test_started = Signal()
    speed_test_finished = Signal(dict)
    speed_test_failed = Signal(str)

    def __init__(self, parent: QWidget | None = None, client: ChatClient | None = None,
                 submit: Callable[[Callable[[], None]], None] | None = None,
                 detector: Callable[[], HardwareReport] = detect,
                 speed_tests_file: Path | None = None, engine_report_file: Path | None = None,
                 auto_detect: bool = True) -> None:
        """``submit`` runs a job in the background (default: a thread of its own); give
        the engine bridge's queue so the test waits for a running chat. ``detector``
        and the file paths are for tests."""
        super().__init__(parent)
        self.setAccessibleName(self.tr("This computer"))
        self._client = client
        self._submit_job = submit
        self._detector = detector
        self._speed_file = speed_tests_file
        self._engine_file = engine_report_file
        self._relay = _Relay()
        self._relay.detected.connect(self._on_relay_detected)
        self._relay.model_read.connect(self._on_relay_model_read)
        self._relay.progress.connect(self._on_relay_progress)
        self._relay.finished.connect(self._on_relay_finished)
        self._relay.failed.connect(self._on_relay_failed)
        self._threads: list[threading.Thread] = []
        self._token = 0
        self.report: HardwareReport | None = None
        self.machine: MachineFacts | None = None
        self.model: ModelFacts | None = None
        self._model_path = ""
        self.info: dict[str, Any] = {}
        self._overrides: dict[str, Any] | None = None
        self._engine_busy = False
        self._test: _TestState | None = None
        self._outcome = ""
        self.diagnoses: list[Diagnosis] = []
        self._rows: dict[str, list[tuple[str, str]]] = {}
        self._results = load_speed_tests(self._speed_file)
        self._engine_cache = load_engine_report(self._engine_file)
        self._build()
        self._fill()
        if auto_detect:
            self.refresh()

    # -- building -------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget(scroll)
        scroll.setWidget(body)
        centre = QHBoxLayout(body)
        column = QWidget(body)
        column.setMaximumWidth(780)
        centre.addStretch(1)
        centre.addWidget(column, 100)
        centre.addStretch(1)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(24, 20, 24, 24)
        layout.setSpacing(10)

        header = QHBoxLayout()
        self.title = QLabel(self.tr("This computer"), column)
        self.title.setFont(_scaled(self.title.font(), 1.5, bold=True))
        self.title.setAccessibleName(self.tr("This computer"))
        header.addWidget(self.title, 1)
        self.copy_button = QPushButton(self.tr("Copy report"), column)
        self.copy_button.setAccessibleName(self.tr("Copy report"))
        self.copy_button.setToolTip(self.tr("Copy everything on this page as text, for a "
                                            "question or a bug report."))
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.refresh_button = QPushButton(self.tr("Check again"), column)
        self.refresh_button.setAccessibleName(self.tr("Check the hardware again"))
        self.refresh_button.clicked.connect(self.refresh)
        header.addWidget(self.copy_button)
        header.addWidget(self.refresh_button)
        layout.addLayout(header)

        # The current model
        self.plan_heading = self._heading(column, self.tr("The current model"))
        layout.addWidget(self.plan_heading)
        self.explanation = self._text(column, self.tr("How the model runs"))
        self.explanation.setFont(_scaled(self.explanation.font(), 1.1))
        layout.addWidget(self.explanation)
        self.plan_form = QFormLayout()
        self.plan_form.setHorizontalSpacing(18)
        layout.addLayout(self.plan_form)
        self.plan_notes = self._text(column, self.tr("Notes on the plan"), muted=True)
        layout.addWidget(self.plan_notes)
        self.diagnosis_box = QVBoxLayout()
        self.diagnosis_box.setSpacing(8)
        layout.addLayout(self.diagnosis_box)

        # Speed test
        layout.addSpacing(8)
        layout.addWidget(self._heading(column, self.tr("Speed test")))
        about = self._text(column, self.tr("About the speed test"), muted=True)
        about.setText(self.tr("Measures how fast the loaded model reads a prompt (about "
                              "300 tokens) and writes an answer (up to 64 tokens) on this "
                              "computer, with the settings it was loaded with."))
        layout.addWidget(about)
        buttons = QHBoxLayout()
        self.test_button = QPushButton(self.tr("Run speed test"), column)
        self.test_button.setObjectName("primary")
        self.test_button.setAccessibleName(self.tr("Run speed test"))
        self.test_button.clicked.connect(self.start_speed_test)
        self.cancel_button = QPushButton(self.tr("Cancel"), column)
        self.cancel_button.setAccessibleName(self.tr("Cancel the speed test"))
        self.cancel_button.clicked.connect(self.cancel_speed_test)
        self.cancel_button.hide()
        self.progress = QProgressBar(column)
        self.progress.setAccessibleName(self.tr("Speed test progress"))
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.hide()
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 1)
        buttons.addStretch(0)
        layout.addLayout(buttons)
        self.test_status = self._text(column, self.tr("Speed test status"), muted=True)
        layout.addWidget(self.test_status)
        self.result_label = self._text(column, self.tr("Speed test result"))
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.result_label)
        self.history = QTableWidget(0, 5, column)
        self.history.setAccessibleName(self.tr("Earlier speed tests"))
        self.history.setHorizontalHeaderLabels([
            self.tr("Date"), self.tr("Model"), self.tr("Ran on"), self.tr("Prompt"),
            self.tr("Generation")])
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.history.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.history.setShowGrid(False)
        self.history.setAlternatingRowColors(True)
        head = self.history.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        head.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column_index in (3, 4):  # the speeds, right-aligned as their cells
            header_item = self.history.horizontalHeaderItem(column_index)
            if header_item is not None:
                header_item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                             | Qt.AlignmentFlag.AlignVCenter)
        self.history.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        layout.addWidget(self.history)

        # Hardware and engine
        layout.addSpacing(8)
        layout.addWidget(self._heading(column, self.tr("What Cove found")))
        self.hardware_status = self._text(column, self.tr("Hardware detection status"),
                                          muted=True)
        self.hardware_form = QFormLayout()
        self.hardware_form.setHorizontalSpacing(18)
        layout.addLayout(self.hardware_form)
        layout.addWidget(self.hardware_status)
        layout.addSpacing(8)
        layout.addWidget(self._heading(column, self.tr("Cove's engine")))
        self.engine_form = QFormLayout()
        self.engine_form.setHorizontalSpacing(18)
        layout.addLayout(self.engine_form)
        layout.addStretch(1)

    def _heading(self, parent: QWidget, text: str) -> QLabel:
        label = plain_label(QLabel(text, parent))  # may name a model file
        label.setFont(_scaled(label.font(), 1.15, bold=True))
        label.setAccessibleName(text)
        return label

    def _text(self, parent: QWidget, name: str, muted: bool = False) -> QLabel:
        label = plain_label(QLabel(parent))  # names, paths and reasons, never HTML
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAccessibleName(name)
        if muted:
            label.setProperty("muted", True)
            label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        return label

    # -- public slots ---------------------------------------------------------------
    def set_client(self, client: ChatClient | None) -> None:
        """The engine client the speed test talks to (None: no speed test)."""
        self._client = client
        self._fill_speed()

    def set_model_info(self, info: Mapping[str, Any] | None,
                       overrides: Mapping[str, Any] | None = None) -> None:
        """The loaded model's info (EngineClient.load's; None or {} after an unload or a
        failed load), and the plan overrides it was loaded with, if the caller knows."""
        self.info = dict(info or {})
        self._overrides = dict(overrides) if overrides is not None else None
        path = str(self.info.get("path") or "") if not self._remote else ""
        engine = None
        if self.info.get("gpu_offload_supported") is not None and not self._remote:
            engine = {k: self.info.get(k) for k in ("backends", "gpu_offload_supported")}
            self._engine_cache = engine
        if path != self._model_path:
            self._model_path, self.model = path, None
            if path:
                self._start_reading_model(path, engine)
        self._machine_from_report()
        self._fill()

    def set_engine_busy(self, busy: bool) -> None:
        """The window says an answer is being written (the test would only queue)."""
        self._engine_busy = busy
        self._fill_speed()

    def refresh(self) -> None:
        """Detect the hardware again (on a thread); the page fills in when it is done."""
        self._start_detection()

    def set_report(self, report: HardwareReport, model: ModelFacts | None = None) -> None:
        """Show this report (and model facts) at once, without detecting: for tests and
        for a caller that already has them."""
        self._token += 1
        self.refresh_button.setEnabled(True)
        self.report = report
        if model is not None:
            self.model = model
        self._machine_from_report()
        self._fill()

    def wait(self, timeout: float = 30.0) -> bool:
        """Join the page's own background threads (tests; closing the app)."""
        for thread in list(self._threads):
            thread.join(timeout)
        self._threads = [t for t in self._threads if t.is_alive()]
        return not self._threads

    @property
    def detecting(self) -> bool:
        return any(t.name == "cove-detect" and t.is_alive() for t in self._threads)

    def report_text(self) -> str:
        """Everything the page shows, as plain text."""
        lines = [self.tr("This computer"), ""]
        if self.explanation.text():
            lines += [self.explanation.text(), ""]
        for section in ("plan", "hardware", "engine"):
            lines += [f"{label}: {value}" for label, value in self._rows.get(section, [])]
            lines.append("")
        for d in self.diagnoses:
            problem, action = diagnosis_text(d)
            lines += [problem, self.tr("What to do: %1").replace("%1", action), ""]
        if self.result_label.text():
            latest = self._latest()
            if latest is not None:
                lines.append(self._result_text(latest))
        return "\n".join(lines).strip() + "\n"

    # -- detection ------------------------------------------------------------------
    def _start_detection(self) -> None:
        self._token += 1
        token, relay, detector = self._token, self._relay, self._detector
        self.hardware_status.setText(self.tr("Looking at this computer…"))
        self.refresh_button.setEnabled(False)

        def job() -> None:
            relay.detected.emit(token, _safe_detect(detector))

        self._start_thread(job, "cove-detect")

    def _start_reading_model(self, path: str, engine: dict[str, Any] | None) -> None:
        """The model's layer and expert sizes, from its GGUF header (a few ms, but a
        file on a sleeping disk can take longer); and the engine's abilities saved for
        the next start, when the model came with them."""
        relay, engine_file = self._relay, self._engine_file

        def job() -> None:
            if engine is not None:
                try:
                    save_engine_report(engine, engine_file)
                except OSError as exc:
                    log.warning("could not save the engine report: %s", exc)
            try:
                facts: ModelFacts | None = read_model_facts(Path(path))
            except Exception as exc:  # a moved file or a damaged header: no details
                log.warning("could not read %s: %s", path, exc)
                facts = None
            relay.model_read.emit(path, facts)

        self._start_thread(job, "cove-model-facts")

    def _on_relay_detected(self, token: int, report: HardwareReport) -> None:
        if token != self._token:
            return  # a newer detection (or a report set by the caller) wins
        self.refresh_button.setEnabled(True)
        self.report = report
        self._machine_from_report()
        self._fill()
        self.detected.emit(report)

    def _on_relay_model_read(self, path: str, facts: ModelFacts | None) -> None:
        if path == self._model_path and facts is not None:
            self.model = facts
            self._fill()

    def _machine_from_report(self) -> None:
        """The planner's view of the machine, with what the engine said it can use (the
        loaded model's info, else the report cached from an earlier load)."""
        if self.report is None:
            self.machine = None
            return
        machine = machine_facts(self.report)
        engine = self._engine_info()
        if engine.get("gpu_offload_supported") is not None:
            machine = replace(machine,
                              engine_gpu_offload=bool(engine["gpu_offload_supported"]),
                              engine_backends=tuple(engine.get("backends") or ()))
        self.machine = machine

    def _engine_info(self) -> dict[str, Any]:
        """What the engine can use: the loaded model's word, else the cached report."""
        if self.info.get("gpu_offload_supported") is not None and not self._remote:
            return self.info
        return self._engine_cache

    @property
    def _remote(self) -> bool:
        return self.info.get("backend") == "remote"

    # -- filling --------------------------------------------------------------------
    def _fill(self) -> None:
        self._fill_plan()
        self._fill_diagnoses()
        self._fill_speed()
        self._fill_hardware()
        self._fill_engine()

    def _set_rows(self, section: str, form: QFormLayout, rows: list[tuple[str, str]]) -> None:
        while form.rowCount():
            form.removeRow(0)
        width = self.fontMetrics().horizontalAdvance(self.tr("Experts kept in RAM:")) + 16
        for label, value in rows:
            name = QLabel(label + ":", self)
            name.setMinimumWidth(width)  # one column for all three lists
            name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            shown = plain_label(QLabel(value, self))
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setAccessibleName(label)
            name.setBuddy(shown)
            form.addRow(name, shown)
        self._rows[section] = rows

    def _fill_plan(self) -> None:
        info = self.info
        plan = info.get("plan") or {}
        name = str(info.get("name") or "")
        self.plan_heading.setText(self.tr("How %1 runs here").replace("%1", name) if name
                                  else self.tr("The current model"))
        notes: list[str] = []
        if not info:
            self.explanation.setText(self.tr("No model is loaded. Open one to see how it "
                                             "runs on this computer."))
            rows: list[tuple[str, str]] = []
        elif self._remote:
            self.explanation.setText(self.tr("%1 runs on a server, not on this computer: "
                                             "the plan and the speed test apply to local "
                                             "models only.").replace("%1", name))
            rows = []
        else:
            self.explanation.setText(self._explain(info, plan))
            rows = self._plan_rows(info, plan)
            notes += plan_notes(plan)
            notes += self._fallback_notes(info, plan)
        self._set_rows("plan", self.plan_form, rows)
        self.plan_notes.setText("\n".join(notes))
        self.plan_notes.setVisible(bool(notes))

    def _fallback_notes(self, info: Mapping[str, Any], plan: Mapping[str, Any]) -> list[str]:
        """What Cove tried before the plan in use, in the user's language (an older
        worker's English lines only when it sent nothing else)."""
        failed = info.get("fallbacks_failed") or []
        tried = [failure_text(f) for f in failed] if failed else \
            [str(t) for t in info.get("fallbacks_tried") or []]
        if not tried:
            return []
        why = fallback_text(str(plan.get("fallback") or "")) or \
            self.tr("Cove had to fall back to this plan.")
        return [why + " " + self.tr("What did not work:") + "\n" +
                "\n".join(f"• {t}" for t in tried)]

    def _explain(self, info: Mapping[str, Any], plan: Mapping[str, Any]) -> str:
        """The plan in words, with the context the engine loaded and the speed the
        speed test measured (when it ran for this model), else the estimate."""
        if not plan:  # a worker that sent no plan: its own words
            return str(info.get("explanation") or "")
        facts = dict(plan)
        if info.get("n_ctx"):
            facts["n_ctx"] = int(info["n_ctx"])
        text = plan_text({**facts, "tok_s": 0})
        latest = self._latest()
        if latest is not None and float(latest.get("generation_tokens_per_s") or 0) > 0:
            speed = Speed(float(latest["generation_tokens_per_s"]), measured=True)
        elif float(plan.get("tok_s") or 0) > 0:
            speed = Speed(float(plan["tok_s"]))
        else:
            return text
        return text + " " + speed_sentence(speed)

    def _plan_rows(self, info: Mapping[str, Any], plan: Mapping[str, Any]) -> list[tuple[str, str]]:
        n_layer = self.model.n_layer if self.model is not None else 0
        gpu_layers = int(plan.get("n_gpu_layers", info.get("n_gpu_layers") or 0))
        backend = str(info.get("backend") or "CPU")
        gpu = str(plan.get("gpu_name") or "")
        if gpu_layers and backend != "CPU":
            where = f"{backend} · {gpu}" if gpu else backend
        else:
            where = self.tr("The CPU")
        if not gpu_layers:
            layers = self.tr("None")
        elif n_layer and gpu_layers > n_layer:
            layers = self.tr("All %1 (and the output layer)").replace("%1", str(n_layer))
        elif n_layer:
            layers = self.tr("%1 of %2").replace("%1", str(gpu_layers)).replace(
                "%2", str(n_layer))
        else:
            layers = str(gpu_layers)
        rows = [(self.tr("Runs on"), where), (self.tr("Layers on the GPU"), layers)]
        moe = int(plan.get("n_cpu_moe") or 0)
        if self.model is None or self.model.is_moe:
            if not gpu_layers:
                experts = self.tr("All (the whole model is in RAM)")
            elif moe and n_layer:
                experts = self.tr("Those of %1 of %2 layers").replace("%1", str(moe)).replace(
                    "%2", str(n_layer))
            elif moe:
                experts = self.tr("Those of %1 layers").replace("%1", str(moe))
            else:
                experts = self.tr("None")
            rows.append((self.tr("Experts kept in RAM"), experts))
        n_ctx = int(info.get("n_ctx") or plan.get("n_ctx") or 0)
        context = tokens(n_ctx)
        requested = int(plan.get("requested_ctx") or 0)
        if requested > n_ctx:
            context += " " + self.tr("(%1 asked for)").replace("%1", tokens(requested))
        rows.append((self.tr("Context"), context))
        rows.append((self.tr("Threads"), str(info.get("n_threads") or plan.get("n_threads") or "")))
        if "flash_attn" in plan:
            rows.append((self.tr("Flash attention"),
                         self.tr("On") if plan["flash_attn"] else self.tr("Off")))
        memory = []
        if plan.get("gpu_bytes"):
            memory.append(self.tr("%1 on the GPU").replace("%1", gb(int(plan["gpu_bytes"]))))
        if plan.get("ram_bytes"):
            memory.append(self.tr("%1 of RAM").replace("%1", gb(int(plan["ram_bytes"]))))
        if memory:
            rows.append((self.tr("Memory it takes"), ", ".join(memory)))
        return rows

    def _fill_diagnoses(self) -> None:
        while self.diagnosis_box.count():
            item = self.diagnosis_box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.diagnoses = self._diagnose()
        for d in self.diagnoses:
            self.diagnosis_box.addWidget(self._diagnosis_widget(d))

    def _diagnose(self) -> list[Diagnosis]:
        """app.hardware.plan.diagnose on the GUI's view of the machine (the detected GPUs
        with the engine's abilities), plus two cases only the caller can tell apart: the
        user turned the GPU off, or the engine could not open a GPU it supports."""
        machine = self.machine
        if machine is None or self._remote:
            return []
        plan = None
        if self.info.get("plan"):
            plan = plan_from_info(self.info["plan"], self.model, machine)
        if plan is not None and not plan.uses_gpu and machine.gpus:
            ov = self._overrides or {}
            if ov.get("use_gpu") is False or ov.get("n_gpu_layers") == 0:
                gpu = short_gpu_name(max(machine.gpus, key=gpu_budget).name)
                return [Diagnosis("gpu_off", self.tr(
                    "You chose to run models on the CPU, so your %1 is not used.").replace(
                    "%1", gpu), self.tr("Set “Use the GPU” back to Automatic in the model "
                                        "settings to make answers faster."))]
        found = diagnose(machine, plan)
        if any(d.code in _BLOCKING for d in found):
            # A driver or engine that cannot use the card explains it all; "too little
            # memory" after it would send the user closing programs for nothing.
            return [d for d in found if d.code not in ("gpu_too_small", "gpu_partial")]
        if plan is not None and plan.gpu_budget == 0 and machine.engine_gpu_offload:
            found = [self._not_opened(machine) if d.code == "gpu_too_small" else d
                     for d in found]
        return found

    def _not_opened(self, machine: MachineFacts) -> Diagnosis:
        gpu = short_gpu_name(max(machine.gpus, key=gpu_budget).name)
        return Diagnosis("gpu_not_opened", self.tr(
            "Cove's engine supports your %1 but could not use it for this model, so it runs "
            "on the CPU.").replace("%1", gpu), self.tr(
            "If you set the model to run on the CPU, set “Use the GPU” back to Automatic. "
            "Otherwise update the graphics driver and restart the computer; the worker log "
            "has the details."))

    def _diagnosis_widget(self, d: Diagnosis) -> QFrame:
        frame = QFrame(self)
        frame.setObjectName("diagnosis")
        frame.setProperty("code", d.code)
        frame.setAccessibleName(self.tr("Why the GPU is not used"))
        frame.setStyleSheet(
            "QFrame#diagnosis { border: 1px solid palette(mid); border-left: 4px solid "
            "#d08a1e; border-radius: 6px; background: palette(alternate-base); }"
            "QFrame#diagnosis QLabel { border: none; background: transparent; }")
        box = QVBoxLayout(frame)
        box.setContentsMargins(14, 10, 14, 10)
        problem_text, action_text = diagnosis_text(d)
        problem = QLabel(problem_text, frame)
        problem.setWordWrap(True)
        problem.setFont(_scaled(problem.font(), 1.0, bold=True))
        problem.setAccessibleName(self.tr("Problem"))
        action = QLabel(self.tr("What to do: %1").replace("%1", action_text), frame)
        action.setWordWrap(True)
        action.setAccessibleName(self.tr("What to do"))
        for label in (problem, action):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.addWidget(label)
        return frame

    def _fill_hardware(self) -> None:
        report = self.report
        if report is None:
            if not self.detecting:
                self.hardware_status.setText(self.tr("Looking at this computer…"))
            self.hardware_status.show()
            self._set_rows("hardware", self.hardware_form, [])
            return
        cpu, memory = report.cpu, report.memory
        system = " ".join(p for p in (report.os, report.os_version) if p)
        if report.arch:
            system += f" ({report.arch})"
        if report.rosetta:
            system += " · " + self.tr("running under Rosetta")
        if report.apple_silicon:
            cores = self.tr("%1 (%2 performance cores)").replace(
                "%1", str(cpu.physical_cores)).replace("%2", str(cpu.performance_cores))
        else:
            cores = self.tr("%1 physical, %2 logical").replace(
                "%1", str(cpu.physical_cores)).replace("%2", str(cpu.logical_cores))
        features = ", ".join(_FEATURE_NAMES.get(f, f.upper()) for f in cpu.features)
        if memory.available_bytes is not None:
            ram = self.tr("%1 in all, %2 available now").replace(
                "%1", gb(memory.total_bytes)).replace("%2", gb(memory.available_bytes))
        else:
            ram = self.tr("%1 in all").replace("%1", gb(memory.total_bytes))
        if memory.limit == "cgroup":
            ram += " " + self.tr("(the limit this container allows)")
        rows = [(self.tr("System"), system), (self.tr("Processor"), cpu.model or self.tr(
            "Unknown")), (self.tr("Cores"), cores),
            (self.tr("Instruction sets"), features or self.tr("None reported")),
            (self.tr("Memory"), ram)]
        gpus = [self._gpu_text(g) for g in report.gpus]
        rows.append((self.tr("Graphics"), "\n".join(gpus) or self.tr("None found")))
        self._set_rows("hardware", self.hardware_form, rows)
        status = self.tr("Found in %1 ms.").replace(
            "%1", QLocale().toString(report.detect_ms, "f", 0))
        if report.notes:
            status += " " + self.tr("Some checks gave no answer: %1").replace(
                "%1", "; ".join(report.notes))
        self.hardware_status.setText(status)

    def _gpu_text(self, gpu: Any) -> str:
        if gpu.unified_memory and gpu.vendor == "Apple" and self.report is not None:
            total = self.report.memory.total_bytes
            text = self.tr("%1: unified memory, shares the %2 of RAM (up to %3 for the "
                           "model)").replace("%1", gpu.name).replace("%2", gb(total)).replace(
                "%3", gb(metal_working_set(total)))
            return text
        parts = [gpu.name]
        if gpu.memory_total_bytes:
            memory = gb(gpu.memory_total_bytes)
            if gpu.memory_free_bytes is not None:
                memory += " " + self.tr("(%1 free)").replace("%1", gb(gpu.memory_free_bytes))
            parts.append(memory)
        elif gpu.unified_memory:
            parts.append(self.tr("shares the RAM"))
        if gpu.driver_version:
            parts.append(self.tr("driver %1").replace("%1", gpu.driver_version))
        if gpu.cuda_version:
            parts.append(self.tr("CUDA %1").replace("%1", gpu.cuda_version))
        return " · ".join(parts)

    def _fill_engine(self) -> None:
        engine = self._engine_info()
        offload = engine.get("gpu_offload_supported")
        backends = ", ".join(engine.get("backends") or ())
        unknown = self.tr("Not known yet: Cove asks the engine when it loads a model")
        if offload is None:
            rows = [(self.tr("Can use"), unknown)]
        else:
            rows = [(self.tr("Can use"), backends or self.tr("The CPU")),
                    (self.tr("GPU offload"), self.tr("Built in") if offload else self.tr(
                        "Not built in: this engine runs on the CPU only"))]
        if self.info and not self._remote:
            rows.append((self.tr("In use now"), str(self.info.get("backend") or "CPU")))
        self._set_rows("engine", self.engine_form, rows)

    # -- speed test -----------------------------------------------------------------
    def start_speed_test(self) -> None:
        client = self._client
        if client is None or not self._can_test() or self.testing:
            return
        info, relay, path = dict(self.info), self._relay, self._speed_file
        test = _TestState()
        self._test = test

        def job() -> None:
            with test.lock:
                if test.cancelled:  # cancelled while it waited for the engine
                    return
                test.started = True
            try:
                result = run_speed_test(client, info, relay.progress.emit)
            except SpeedTestCancelled:
                relay.failed.emit("")
                return
            except SpeedTestFailed as exc:
                relay.failed.emit(str(exc))
                return
            except Exception as exc:  # a bug must not leave the page waiting forever
                log.exception("speed test failed")
                relay.failed.emit(f"{type(exc).__name__}: {exc}")
                return
            problem = ""
            try:
                save_speed_test(result, path)
            except OSError as exc:
                problem = str(exc)
            relay.finished.emit(result, problem)

        self._outcome = ""
        if self._submit_job is not None:
            self._submit_job(job)
        else:
            self._start_thread(job, "cove-speedtest")
        self.test_status.setText(self.tr("Waiting for the model…"))
        self.progress.setRange(0, 0)
        self._fill_speed()
        self.speed_test_started.emit()

    def cancel_speed_test(self) -> None:
        """Stop the test: at once when it still waits in the engine's queue (it then
        never runs), else through the client, which stops the worker within a token."""
        test = self._test
        if test is None:
            return
        with test.lock:
            test.cancelled = True
            started = test.started
        if not started:
            self._on_relay_failed("")
            return
        if self._client is not None:
            self._client.cancel()
        self.test_status.setText(self.tr("Cancelling…"))

    @property
    def testing(self) -> bool:
        return self._test is not None

    def _can_test(self) -> bool:
        return bool(self.info) and not self._remote and self._client is not None

    def _on_relay_progress(self, stage: str, done: int, total: int) -> None:
        if self._test is None or self._test.cancelled:
            return
        if stage == "prompt":
            self.test_status.setText(self.tr("Reading the test prompt…"))
            self.progress.setRange(0, 0)
        else:
            self.test_status.setText(self.tr("Writing: %1 of %2 tokens").replace(
                "%1", str(done)).replace("%2", str(total)))
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _on_relay_finished(self, result: dict[str, Any], problem: str) -> None:
        self._test = None
        self._results = [*self._results, result][-KEEP_RESULTS:]
        self._outcome = self.tr("The result could not be saved: %1").replace(
            "%1", problem) if problem else ""
        self._fill_speed()
        self.speed_test_finished.emit(result)

    def _on_relay_failed(self, message: str) -> None:
        self._test = None
        self._outcome = self.tr("Speed test cancelled.") if not message else self.tr(
            "The speed test failed: %1").replace("%1", message)
        self._fill_speed()
        self.speed_test_failed.emit(message)

    def _latest(self) -> Mapping[str, Any] | None:
        path = "" if self._remote else str(self.info.get("path") or "")
        return latest_speed_test(self._results, path) if path else \
            latest_speed_test(self._results)

    def _fill_speed(self) -> None:
        running = self.testing
        self.test_button.setEnabled(self._can_test() and not running and not self._engine_busy)
        self.test_button.setVisible(not running)  # Cancel takes its place
        self.cancel_button.setVisible(running)
        self.progress.setVisible(running)
        if not running:
            if not self.info:
                hint = self.tr("Load a model to test its speed.")
            elif self._remote:
                hint = self.tr("The speed test measures models that run on this computer.")
            elif self._engine_busy:
                hint = self.tr("The speed test can run once the answer is written.")
            else:
                hint = self._outcome  # how the last test ended, when it did not just work
            self.test_status.setText(hint)
        self.test_status.setVisible(bool(self.test_status.text()))
        latest = self._latest()
        self.result_label.setText(self._resultescaped(latest) if latest is not None else "")
        self.result_label.setVisible(latest is not None)
        self._fill_history()

    def _resultescaped(self, r: Mapping[str, Any]) -> str:
        prompt = _rate(float(r.get("prompt_tokens_per_s") or 0))
        generation = _rate(float(r.get("generation_tokens_per_s") or 0))
        big = "font-size: 15pt; font-weight: 600;"
        reading = escaped(self.tr("tokens/s reading the prompt"))
        writing = escaped(self.tr("tokens/s writing the answer"))
        return (
            "<table cellspacing='0' cellpadding='0'><tr>"
            f"<td style='padding-right: 36px'><span style='{big}'>{prompt}</span><br>"
            f"{reading}</td>"
            f"<td><span style='{big}'>{generation}</span><br>"
            f"{writing}</td></tr></table>"
            f"<p>{escaped(self._measured_text(r))}</p>")

    def _measured_text(self, r: Mapping[str, Any]) -> str:
        threads = int(r.get("n_threads") or 0)
        on = self.tr("on the CPU") if self._on_cpu(r) else self.tr("on %1").replace(
            "%1", self._ran_on(r))
        text = (self.tr("Measured %1 with %2 %3, one thread.") if threads == 1 else
                self.tr("Measured %1 with %2 %3, %4 threads.")).replace(
            "%1", _date(str(r.get("date") or ""))).replace(
            "%2", str(r.get("model") or "?")).replace("%3", on).replace("%4", str(threads))
        completion = int(r.get("completion_tokens") or 0)
        if completion < SPEED_TEST_MAX_TOKENS:
            text += " " + self.tr("The model stopped after %1 tokens.").replace(
                "%1", str(completion))
        return text

    def _result_text(self, r: Mapping[str, Any]) -> str:
        return self.tr("Speed test: %1 tokens/s reading the prompt, %2 tokens/s writing the "
                       "answer.").replace("%1", _rate(float(r.get("prompt_tokens_per_s") or 0))
                                          ).replace(
            "%2", _rate(float(r.get("generation_tokens_per_s") or 0))) + " " + \
            self._measured_text(r)

    @staticmethod
    def _on_cpu(r: Mapping[str, Any]) -> bool:
        return str(r.get("backend") or "CPU") == "CPU" or not r.get("n_gpu_layers")

    def _ran_on(self, r: Mapping[str, Any]) -> str:
        """"CPU", or the GPU backend and card: "CUDA (RTX 3060)"."""
        if self._on_cpu(r):
            return self.tr("CPU")
        backend, gpu = str(r.get("backend")), str(r.get("gpu_name") or "")
        return f"{backend} ({short_gpu_name(gpu)})" if gpu else backend

    def _fill_history(self) -> None:
        shown = list(reversed(self._results))[:SHOWN_RESULTS]
        self.history.setRowCount(len(shown))
        for row, r in enumerate(shown):
            cells = [_date(str(r.get("date") or "")), str(r.get("model") or ""),
                     self._ran_on(r),
                     self.tr("%1 tok/s").replace("%1", _rate(float(
                         r.get("prompt_tokens_per_s") or 0))),
                     self.tr("%1 tok/s").replace("%1", _rate(float(
                         r.get("generation_tokens_per_s") or 0)))]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.history.setItem(row, column, item)
        self.history.setVisible(bool(shown))
        height = self.history.horizontalHeader().sizeHint().height() + 4
        height += sum(self.history.rowHeight(i) for i in range(len(shown)))
        self.history.setFixedHeight(height)

    # -- threads and clipboard ------------------------------------------------------
    def _start_thread(self, job: Callable[[], None], name: str) -> None:
        self._threads = [t for t in self._threads if t.is_alive()]
        thread = threading.Thread(target=job, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _on_copy_clicked(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.report_text())


class ComputerDialog(QDialog):
    """The page in a window of its own, for a menu entry ("This computer…")."""

    def __init__(self, parent: QWidget | None = None, page: ComputerPage | None = None,
                 **options: Any) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("This computer"))
        self.setAccessibleName(self.tr("This computer"))
        self.page = page or ComputerPage(self, **options)
        self.page.setParent(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.addWidget(self.page, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.setContentsMargins(0, 0, 16, 0)
        layout.addWidget(buttons)
        self.resize(780, 860)


# -- formatting ---------------------------------------------------------------------

def _safe_detect(detector: Callable[[], HardwareReport]) -> HardwareReport:
    try:
        return detector()
    except Exception as exc:  # detect() never raises; a replacement might
        log.exception("hardware detection failed")
        return HardwareReport(notes=[f"detection failed: {exc}"])


def _scaled(font: QFont, factor: float, bold: bool = False) -> QFont:
    font = QFont(font)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    return font


def _rate(value: float) -> str:
    return QLocale().toString(value, "f", 0 if value >= 100 else 1)


def _date(iso: str) -> str:
    when = QDateTime.fromString(iso, Qt.DateFormat.ISODate)
    if not when.isValid():
        return iso
    local = when.toLocalTime()
    locale = QLocale()
    return locale.toString(local.date(), "d MMM yyyy") + ", " + locale.toString(
        local.time(), QLocale.FormatType.ShortFormat)
