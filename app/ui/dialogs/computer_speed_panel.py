"""The speed test's part of the "This computer" page: Run / Cancel, progress, the latest
result and a table of earlier ones.

The test runs through :mod:`app.ui.services.tasks` on the engine bridge's queue when the page
was given one (it then waits for a running chat instead of racing it), else on a thread
of its own. A test cancelled while it still waits in that queue never reaches the
engine; a running one is stopped through the client, which stops the worker within a
token. Strings are translated in the page's ``ComputerPage`` context.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.engine.model_info import ModelInfo
from app.ui.dialogs.computer_speed import (
    KEEP_RESULTS,
    ChatClient,
    SpeedTestCancelled,
    SpeedTestFailed,
    date_text,
    latest_speed_test,
    load_speed_tests,
    ran_on,
    rate_text,
    result_html,
    run_speed_test,
    save_speed_test,
)
from app.ui.services.tasks import Task, gui_callback, run_in_background
from app.ui.widgets.plain import plain_label

log = logging.getLogger(__name__)
translate = QCoreApplication.translate  # lupdate knows this name

SHOWN_RESULTS = 8  # rows in the table of earlier results
Submit = Callable[[Callable[[], None]], None]


class SpeedTestPanel(QWidget):
    """Signals:
        started(): a test was queued; the engine is busy until it ends.
        progressed(str, int, int): stage ("prompt" / "generate"), done, total.
        finished(dict): its result, stored in the speed tests' file.
        failed(str): why it did not finish ("" when the user cancelled).
    """

    started = Signal()
    progressed = Signal(str, int, int)
    finished = Signal(dict)
    failed = Signal(str)

    def __init__(self, parent: QWidget, client: ChatClient | None, submit: Submit | None,
                 speed_tests_file: Path | None) -> None:
        super().__init__(parent)
        self._client = client
        self._submit = submit
        self._file = speed_tests_file
        self._info: ModelInfo | None = None
        self._engine_busy = False
        self._test: Task[tuple[dict[str, Any], str]] | None = None
        self._outcome = ""  # how the last test ended, when it did not just work
        self.results = load_speed_tests(speed_tests_file)
        self._build()

    def _build(self) -> None:
        buttons = QHBoxLayout()
        self.test_button = QPushButton(translate("ComputerPage", "Run speed test"), self)
        self.test_button.setObjectName("primary")
        self.test_button.setAccessibleName(translate("ComputerPage", "Run speed test"))
        self.test_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(translate("ComputerPage", "Cancel"), self)
        self.cancel_button.setAccessibleName(translate("ComputerPage", "Cancel the speed test"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName(translate("ComputerPage", "Speed test progress"))
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.hide()
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 1)
        buttons.addStretch(0)
        self.test_status = text_label(self, translate("ComputerPage", "Speed test status"),
                                      muted=True)
        self.result_label = text_label(self, translate("ComputerPage", "Speed test result"))
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        self.history = self._history_table()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(buttons)
        layout.addWidget(self.test_status)
        layout.addWidget(self.result_label)
        layout.addWidget(self.history)

    def _history_table(self) -> QTableWidget:
        table = QTableWidget(0, 5, self)
        table.setAccessibleName(translate("ComputerPage", "Earlier speed tests"))
        table.setHorizontalHeaderLabels([
            translate("ComputerPage", "Date"), translate("ComputerPage", "Model"),
            translate("ComputerPage", "Ran on"), translate("ComputerPage", "Prompt"),
            translate("ComputerPage", "Generation")])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        head = table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        head.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column in (3, 4):  # the speeds, right-aligned as their cells
            item = table.horizontalHeaderItem(column)
            if item is not None:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        return table

    # -- what the page tells it ---------------------------------------------------------
    def set_client(self, client: ChatClient | None) -> None:
        self._client = client
        self.fill()

    def set_model(self, info: ModelInfo | None) -> None:
        self._info = info
        self.fill()

    def set_engine_busy(self, busy: bool) -> None:
        self._engine_busy = busy
        self.fill()

    def latest(self) -> Mapping[str, Any] | None:
        """The newest result for the loaded model's file (any model's when none)."""
        info = self._info
        path = info.path if info is not None and not info.remote else ""
        return latest_speed_test(self.results, path)

    @property
    def testing(self) -> bool:
        return self._test is not None

    def wait(self, timeout: float = 30.0) -> bool:
        return self._test is None or self._test.wait(timeout)

    # -- the test -------------------------------------------------------------------
    def start(self) -> None:
        client, info = self._client, self._info
        if client is None or info is None or not self._can_test() or self.testing:
            return
        path = self._file
        progress = gui_callback(self._on_progress, self)

        def job() -> tuple[dict[str, Any], str]:
            result = run_speed_test(client, info, progress)
            try:
                save_speed_test(result, path)
            except OSError as exc:
                return result, str(exc)
            return result, ""

        self._outcome = ""
        self._test = run_in_background(job, self._on_finished, self._on_failed, parent=self,
                                       name="cove-speedtest", submit=self._submit)
        self.test_status.setText(translate("ComputerPage", "Waiting for the model…"))
        self.progress.setRange(0, 0)
        self.fill()
        self.started.emit()

    def cancel(self) -> None:
        """Stop the test: at once when it still waits in the engine's queue (it then
        never runs), else through the client, which stops the worker within a token."""
        test = self._test
        if test is None:
            return
        if test.cancel():  # it had not started: it never will
            self._on_failed(SpeedTestCancelled())
            return
        if self._client is not None:
            self._client.cancel()
        self.test_status.setText(translate("ComputerPage", "Cancelling…"))

    def _can_test(self) -> bool:
        return self._info is not None and not self._info.remote and self._client is not None

    def _on_progress(self, stage: str, done: int, total: int) -> None:
        if self._test is None or self._test.cancelled:
            return
        if stage == "prompt":
            self.test_status.setText(translate("ComputerPage", "Reading the test prompt…"))
            self.progress.setRange(0, 0)
        else:
            self.test_status.setText(translate("ComputerPage", "Writing: %1 of %2 tokens")
                                     .replace("%1", str(done)).replace("%2", str(total)))
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        self.progressed.emit(stage, done, total)

    def _on_finished(self, outcome: tuple[dict[str, Any], str]) -> None:
        result, problem = outcome
        self._test = None
        self.results = [*self.results, result][-KEEP_RESULTS:]
        self._outcome = translate("ComputerPage", "The result could not be saved: %1").replace(
            "%1", problem) if problem else ""
        self.fill()
        self.finished.emit(result)

    def _on_failed(self, exc: BaseException) -> None:
        """SpeedTestFailed carries a message for the user; anything else is a bug that
        must not leave the page waiting forever."""
        if isinstance(exc, SpeedTestCancelled):
            message = ""
        elif isinstance(exc, SpeedTestFailed):
            message = str(exc)
        else:
            log.error("speed test failed", exc_info=exc)
            message = f"{type(exc).__name__}: {exc}"
        self._test = None
        self._outcome = translate("ComputerPage", "Speed test cancelled.") if not message \
            else translate("ComputerPage", "The speed test failed: %1").replace("%1", message)
        self.fill()
        self.failed.emit(message)

    # -- showing ----------------------------------------------------------------------
    def fill(self) -> None:
        running = self.testing
        self.test_button.setEnabled(self._can_test() and not running and not self._engine_busy)
        self.test_button.setVisible(not running)  # Cancel takes its place
        self.cancel_button.setVisible(running)
        self.progress.setVisible(running)
        if not running:
            self.test_status.setText(self._hint())
        self.test_status.setVisible(bool(self.test_status.text()))
        latest = self.latest()
        self.result_label.setText(result_html(latest) if latest is not None else "")
        self.result_label.setVisible(latest is not None)
        self._fill_history()

    def _hint(self) -> str:
        if self._info is None:
            return translate("ComputerPage", "Load a model to test its speed.")
        if self._info.remote:
            return translate("ComputerPage", "The speed test measures models that run on "
                                             "this computer.")
        if self._engine_busy:
            return translate("ComputerPage", "The speed test can run once the answer is "
                                             "written.")
        return self._outcome

    def _fill_history(self) -> None:
        shown = list(reversed(self.results))[:SHOWN_RESULTS]
        self.history.setRowCount(len(shown))
        per_s = translate("ComputerPage", "%1 tok/s")
        for row, r in enumerate(shown):
            cells = [date_text(str(r.get("date") or "")), str(r.get("model") or ""), ran_on(r),
                     per_s.replace("%1", rate_text(float(r.get("prompt_tokens_per_s") or 0))),
                     per_s.replace("%1", rate_text(float(
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


def text_label(parent: QWidget, name: str, muted: bool = False) -> QLabel:
    """A selectable, wrapped label for names, paths and reasons (never HTML)."""
    label = plain_label(QLabel(parent))
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    if muted:
        label.setProperty("muted", True)
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def scaled(font: QFont, factor: float, bold: bool = False) -> QFont:
    font = QFont(font)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    return font
