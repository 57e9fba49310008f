"""The "This computer" page: what Cove found, how the current model runs here, why the
GPU is not used (and what to do about it), and a one-click speed test whose results are
kept.

Two things here take time and never run on the GUI thread: detection (about 100 ms,
and it runs at every launch) together with reading the model's GGUF header, and the
speed test (seconds to a minute). Both run through :mod:`app.ui.services.tasks`. The window can
hand in its own ``submit`` so that the speed test queues behind a running chat on the
engine's one thread instead of racing it.

The page lays out; what it says is in :mod:`app.ui.dialogs.computer_rows` (the plan, the
diagnoses, the hardware) and :mod:`app.ui.dialogs.computer_speed` (running, keeping and
wording the speed test).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.engine.model_info import ModelInfo
from app.hardware.detect import HardwareReport, detect
from app.hardware.facts import MachineFacts, ModelFacts, machine_facts, read_model_facts
from app.hardware.plan import Diagnosis
from app.ui.dialogs import computer_rows as rows
from app.ui.dialogs.computer_speed import (
    ChatClient,
    EngineAbilities,
    load_engine_report,
    result_text,
    save_engine_report,
)
from app.ui.dialogs.computer_speed_panel import SpeedTestPanel, scaled, text_label
from app.ui.language.wording import diagnosis_text, plan_notes
from app.ui.services.tasks import Task, run_in_background
from app.ui.widgets.plain import plain_label

log = logging.getLogger(__name__)


class ComputerPage(QWidget):
    """What this computer has and how the current model runs on it.

    Signals:
        detected(object): the HardwareReport, once detection (on a thread) is done.
        speed_test_started(): a speed test was queued; the engine is busy until it ends.
        speed_test_progress(str, int, int): stage ("prompt" / "generate"), done, total.
        speed_test_finished(dict): its result, stored in speedtests.json.
        speed_test_failed(str): why it did not finish ("" when the user cancelled).
    """

    detected = Signal(object)
    speed_test_started = Signal()
    speed_test_progress = Signal(str, int, int)
    speed_test_finished = Signal(dict)
    speed_test_failed = Signal(str)

    def __init__(self, parent: QWidget | None = None, client: ChatClient | None = None,
                 submit: Callable[[Callable[[], None]], None] | None = None,
                 detector: Callable[[], HardwareReport] = detect,
                 speed_tests_file: Path | None = None, engine_report_file: Path | None = None,
                 auto_detect: bool = True) -> None:
        """``submit`` runs the speed test in the background (default: a thread of its
        own); give the engine bridge's queue so the test waits for a running chat.
        ``detector`` and the file paths are for tests."""
        super().__init__(parent)
        self.setAccessibleName(self.tr("This computer"))
        self._client = client
        self._submit_job = submit
        self._detector = detector
        self._speed_file = speed_tests_file
        self._engine_file = engine_report_file
        self._tasks: list[Task[Any]] = []
        self._detection: Task[HardwareReport] | None = None
        self.report: HardwareReport | None = None
        self.machine: MachineFacts | None = None
        self.model: ModelFacts | None = None
        self._model_path = ""
        self.info: ModelInfo | None = None
        self._overrides: dict[str, Any] | None = None
        self.diagnoses: list[Diagnosis] = []
        self._rows: dict[str, rows.Rows] = {}
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
        self.title.setFont(scaled(self.title.font(), 1.5, bold=True))
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
        self.explanation = text_label(column, self.tr("How the model runs"))
        self.explanation.setFont(scaled(self.explanation.font(), 1.1))
        layout.addWidget(self.explanation)
        self.plan_form = QFormLayout()
        self.plan_form.setHorizontalSpacing(18)
        layout.addLayout(self.plan_form)
        self.plan_notes = text_label(column, self.tr("Notes on the plan"), muted=True)
        layout.addWidget(self.plan_notes)
        self.diagnosis_box = QVBoxLayout()
        self.diagnosis_box.setSpacing(8)
        layout.addLayout(self.diagnosis_box)

        # Speed test
        layout.addSpacing(8)
        layout.addWidget(self._heading(column, self.tr("Speed test")))
        about = text_label(column, self.tr("About the speed test"), muted=True)
        about.setText(self.tr("Measures how fast the loaded model reads a prompt (about "
                              "300 tokens) and writes an answer (up to 64 tokens) on this "
                              "computer, with the settings it was loaded with."))
        layout.addWidget(about)
        self.speed = SpeedTestPanel(column, self._client, self._submit_job, self._speed_file)
        self.speed.finished.connect(self._on_speed_finished)
        self.speed.started.connect(self.speed_test_started)
        self.speed.progressed.connect(self.speed_test_progress)
        self.speed.failed.connect(self.speed_test_failed)
        layout.addWidget(self.speed)

        # Hardware and engine
        layout.addSpacing(8)
        layout.addWidget(self._heading(column, self.tr("What Cove found")))
        self.hardware_status = text_label(column, self.tr("Hardware detection status"),
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
        label.setFont(scaled(label.font(), 1.15, bold=True))
        label.setAccessibleName(text)
        return label

    # -- public slots ---------------------------------------------------------------
    def set_client(self, client: ChatClient | None) -> None:
        """The engine client the speed test talks to (None: no speed test)."""
        self._client = client
        self.speed.set_client(client)

    def set_model_info(self, info: ModelInfo | Mapping[str, Any] | None,
                       overrides: Mapping[str, Any] | None = None) -> None:
        """The loaded model (None after an unload or a failed load; the wire dict is
        taken too), and the plan overrides it was loaded with, if the caller knows."""
        self.info = ModelInfo.of(info)
        self._overrides = dict(overrides) if overrides is not None else None
        path = self.info.path if self.info is not None and not self.info.remote else ""
        engine = EngineAbilities.of(self.info)
        if engine is not None:
            self._engine_cache = engine
        if path != self._model_path:
            self._model_path, self.model = path, None
            if path:
                self._start_reading_model(path, engine)
        self._machine_from_report()
        self._fill()

    def set_engine_busy(self, busy: bool) -> None:
        """The window says an answer is being written (the test would only queue)."""
        self.speed.set_engine_busy(busy)

    def refresh(self) -> None:
        """Detect the hardware again (on a thread); the page fills in when it is done."""
        self._start_detection()

    def set_report(self, report: HardwareReport, model: ModelFacts | None = None) -> None:
        """Show this report (and model facts) at once, without detecting: for tests and
        for a caller that already has them."""
        self._detection = None  # a detection still on its way is outdated
        self.refresh_button.setEnabled(True)
        self.report = report
        if model is not None:
            self.model = model
        self._machine_from_report()
        self._fill()

    def wait(self, timeout: float = 30.0) -> bool:
        """Wait for the page's background work to end (tests; closing the app)."""
        ended = all([task.wait(timeout) for task in self._tasks]) and self.speed.wait(timeout)
        self._tasks = [t for t in self._tasks if t.running]
        return ended

    @property
    def detecting(self) -> bool:
        """Whether a detection runs (or its report has not been shown yet)."""
        return self._detection is not None and not self._detection.done

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
        if self.speed.result_label.text():
            latest = self.speed.latest()
            if latest is not None:
                lines.append(result_text(latest))
        return "\n".join(lines).strip() + "\n"

    # -- detection ------------------------------------------------------------------
    def _run(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
             on_failed: Callable[[BaseException], None] | None = None, name: str = ""
             ) -> Task[Any]:
        self._tasks = [t for t in self._tasks if t.running]
        task = run_in_background(fn, on_done, on_failed, parent=self, name=name)
        self._tasks.append(task)
        return task

    def _start_detection(self) -> None:
        self.hardware_status.setText(self.tr("Looking at this computer…"))
        self.refresh_button.setEnabled(False)
        task: Task[HardwareReport] | None = None

        def done(report: HardwareReport) -> None:
            if task is self._detection:  # else a newer detection (or a set report) wins
                self._on_detected(report)

        def failed(exc: BaseException) -> None:  # detect() never raises; a replacement might
            log.error("hardware detection failed", exc_info=exc)
            done(HardwareReport(notes=[f"detection failed: {exc}"]))

        task = self._detection = self._run(self._detector, done, failed, "cove-detect")

    def _on_detected(self, report: HardwareReport) -> None:
        self.refresh_button.setEnabled(True)
        self.report = report
        self._machine_from_report()
        self._fill()
        self.detected.emit(report)

    def _start_reading_model(self, path: str, engine: EngineAbilities | None) -> None:
        """The model's layer and expert sizes, from its GGUF header (a few ms, but a
        file on a sleeping disk can take longer); and the engine's abilities saved for
        the next start, when the model came with them."""
        engine_file = self._engine_file

        def job() -> ModelFacts | None:
            if engine is not None:
                try:
                    save_engine_report(engine, engine_file)
                except OSError as exc:
                    log.warning("could not save the engine report: %s", exc)
            try:
                return read_model_facts(Path(path))
            except Exception as exc:  # a moved file or a damaged header: no details
                log.warning("could not read %s: %s", path, exc)
                return None

        def done(facts: ModelFacts | None) -> None:
            if path == self._model_path and facts is not None:
                self.model = facts
                self._fill()

        self._run(job, done, name="cove-model-facts")

    def _machine_from_report(self) -> None:
        """The planner's view of the machine, with what the engine said it can use (the
        loaded model's info, else the report cached from an earlier load)."""
        if self.report is None:
            self.machine = None
            return
        machine = machine_facts(self.report)
        engine = self._engine()
        if engine.gpu_offload is not None:
            machine = replace(machine, engine_gpu_offload=engine.gpu_offload,
                              engine_backends=engine.backends)
        self.machine = machine

    def _engine(self) -> EngineAbilities:
        """What the engine can use: the loaded model's word, else the cached report."""
        return EngineAbilities.of(self.info) or self._engine_cache

    @property
    def _remote(self) -> bool:
        return self.info is not None and self.info.remote

    # -- filling --------------------------------------------------------------------
    def _fill(self) -> None:
        self._fill_plan()
        self._fill_diagnoses()
        self.speed.set_model(self.info)
        self._fill_hardware()
        self._set_rows("engine", self.engine_form, rows.engine_rows(self._engine(), self.info))

    def _set_rows(self, section: str, form: QFormLayout, shown_rows: rows.Rows) -> None:
        while form.rowCount():
            form.removeRow(0)
        width = self.fontMetrics().horizontalAdvance(self.tr("Experts kept in RAM:")) + 16
        for label, value in shown_rows:
            name = QLabel(label + ":", self)
            name.setMinimumWidth(width)  # one column for all three lists
            name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            shown = plain_label(QLabel(value, self))
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setAccessibleName(label)
            name.setBuddy(shown)
            form.addRow(name, shown)
        self._rows[section] = shown_rows

    def _fill_plan(self) -> None:
        info = self.info
        name = info.name if info is not None else ""
        self.plan_heading.setText(self.tr("How %1 runs here").replace("%1", name) if name
                                  else self.tr("The current model"))
        notes: list[str] = []
        plan_rows: rows.Rows = []
        if info is None:
            self.explanation.setText(self.tr("No model is loaded. Open one to see how it "
                                             "runs on this computer."))
        elif info.remote:
            self.explanation.setText(self.tr("%1 runs on a server, not on this computer: "
                                             "the plan and the speed test apply to local "
                                             "models only.").replace("%1", name))
        else:
            self.explanation.setText(rows.explanation(info, self.speed.latest()))
            plan_rows = rows.plan_rows(info, self.model)
            notes += plan_notes(info.plan)
            notes += rows.fallback_notes(info)
        self._set_rows("plan", self.plan_form, plan_rows)
        self.plan_notes.setText("\n".join(notes))
        self.plan_notes.setVisible(bool(notes))

    def _fill_diagnoses(self) -> None:
        while self.diagnosis_box.count():
            item = self.diagnosis_box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.diagnoses = rows.diagnoses(self.machine, self.info, self.model, self._overrides)
        for d in self.diagnoses:
            self.diagnosis_box.addWidget(self._diagnosis_widget(d))

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
        problem.setFont(scaled(problem.font(), 1.0, bold=True))
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
        self._set_rows("hardware", self.hardware_form, rows.hardware_rows(report))
        self.hardware_status.setText(rows.hardware_status(report))

    def _on_speed_finished(self, _result: dict[str, Any]) -> None:
        """A measured speed replaces the estimate in the explanation."""
        self._fill_plan()
        self.speed_test_finished.emit(_result)

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

