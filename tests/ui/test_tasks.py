"""app.ui.services.tasks: results and failures come back on the GUI thread, in order; a task whose
receiver was deleted drops its outcome; cancelling stops work that has not started and
work that reports progress; no thread outlives its task."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QLabel

from app.ui.services.tasks import (
    TaskCancelled,
    gui_callback,
    run_in_background,
    running_tasks,
    wait_all,
)
from tests.ui.fixtures import settle, wait_until


@pytest.fixture(autouse=True)
def no_task_left(qapp: QApplication) -> Iterator[None]:
    yield
    assert wait_all(30), "a task's work is still running"
    wait_until(qapp, lambda: not running_tasks(), what="every outcome to be delivered")
    assert not [t for t in threading.enumerate() if t.name.startswith("test-task")]


class SerialExecutor:
    """One thread that runs jobs in the order they came (as the engine bridge does)."""

    def __init__(self) -> None:
        self.jobs: queue.Queue[Callable[[], object] | None] = queue.Queue()
        self.thread = threading.Thread(target=self._serve, name="test-task-serial")
        self.thread.start()

    def submit(self, job: Callable[[], object]) -> None:
        self.jobs.put(job)

    def _serve(self) -> None:
        while (job := self.jobs.get()) is not None:
            job()

    def close(self) -> None:
        self.jobs.put(None)
        self.thread.join(30)


def gui_thread() -> threading.Thread:
    return threading.main_thread()


def test_the_result_arrives_on_the_gui_thread(qapp: QApplication) -> None:
    ran_on: list[str] = []
    got: list[tuple[Any, threading.Thread]] = []

    def work() -> int:
        ran_on.append(threading.current_thread().name)
        return 42

    task = run_in_background(work, lambda r: got.append((r, threading.current_thread())),
                             name="test-task-result")
    wait_until(qapp, lambda: got, what="the result")
    assert ran_on == ["test-task-result"]  # the work ran on a thread of its own
    assert got == [(42, gui_thread())]
    assert task.done and not task.running
    assert not any(t.name == "test-task-result" for t in threading.enumerate())


def test_an_exception_arrives_as_a_failure(qapp: QApplication) -> None:
    done: list[Any] = []
    failed: list[tuple[BaseException, threading.Thread]] = []

    def work() -> None:
        raise ValueError("the disk said no")

    run_in_background(work, done.append,
                      lambda exc: failed.append((exc, threading.current_thread())),
                      name="test-task-failure")
    wait_until(qapp, lambda: failed, what="the failure")
    settle(qapp)
    assert done == []
    exc, thread = failed[0]
    assert isinstance(exc, ValueError) and str(exc) == "the disk said no"
    assert exc.__traceback__ is not None  # the caller can log where it failed
    assert thread is gui_thread()


def test_a_failure_without_a_handler_is_logged(qapp: QApplication,
                                               caplog: pytest.LogCaptureFixture) -> None:
    task = run_in_background(lambda: 1 / 0, name="test-task-logged")
    wait_until(qapp, lambda: task.done, what="the failure")
    assert any(r.name == "app.ui.services.tasks" and r.exc_info
               and r.exc_info[0] is ZeroDivisionError for r in caplog.records)


def test_a_deleted_receiver_gets_nothing_and_nothing_crashes(qapp: QApplication) -> None:
    label = QLabel()  # the widget a dialog would update
    gate = threading.Event()
    calls: list[str] = []

    def on_done(text: str) -> None:
        calls.append("done")
        label.setText(text)  # would crash on a deleted label

    def work() -> str:
        gate.wait(30)
        return "finished"

    task = run_in_background(work, on_done,
                             lambda _exc: calls.append("failed"), parent=label,
                             name="test-task-orphan")
    shiboken6.delete(label)  # the dialog closed and was deleted while the work ran
    gate.set()
    wait_until(qapp, lambda: task.done, what="the outcome to arrive")
    settle(qapp)
    assert calls == []


def test_progress_stops_work_whose_receiver_is_gone(qapp: QApplication) -> None:
    owner = QObject()
    steps: list[int] = []
    ended: list[str] = []

    def work(report: Callable[..., None]) -> None:
        try:
            for i in range(100_000):
                report(i)
                threading.Event().wait(0.001)
        except TaskCancelled:
            ended.append("cancelled")
            raise

    task = run_in_background(work, on_progress=steps.append, parent=owner,
                             name="test-task-progress-orphan")
    wait_until(qapp, lambda: steps, what="the first progress report")
    shiboken6.delete(owner)
    wait_until(qapp, lambda: task.done, what="the work to notice and stop")
    assert ended == ["cancelled"] and len(steps) < 100_000


def test_progress_then_the_result_in_order(qapp: QApplication) -> None:
    seen: list[Any] = []

    def work(report: Callable[..., None]) -> str:
        for i in range(50):
            report(i, 50)
        return "end"

    run_in_background(work, lambda r: seen.append(r),
                      on_progress=lambda done, total: seen.append((done, total)),
                      name="test-task-progress")
    wait_until(qapp, lambda: "end" in seen, what="the result")
    assert seen == [(i, 50) for i in range(50)] + ["end"]


def test_many_tasks_each_deliver_once(qapp: QApplication) -> None:
    got: list[int] = []
    for i in range(40):
        run_in_background(lambda i=i: i * i, got.append, name="test-task-many")
    wait_until(qapp, lambda: len(got) == 40, what="forty results")
    settle(qapp)
    assert sorted(got) == [i * i for i in range(40)]


def test_tasks_on_a_serial_executor_finish_in_order(qapp: QApplication) -> None:
    executor = SerialExecutor()
    try:
        got: list[int] = []
        threads: set[str] = set()

        def work(i: int) -> int:
            threads.add(threading.current_thread().name)
            return i

        for i in range(30):
            run_in_background(lambda i=i: work(i), got.append, submit=executor.submit)
        wait_until(qapp, lambda: len(got) == 30, what="thirty results")
        assert got == list(range(30))
        assert threads == {"test-task-serial"}  # no thread of their own
    finally:
        executor.close()


def test_cancel_before_it_started_never_runs(qapp: QApplication) -> None:
    executor = SerialExecutor()
    gate = threading.Event()
    try:
        executor.submit(lambda: gate.wait(30))  # busy, as with a running chat
        ran: list[str] = []
        calls: list[Any] = []
        task = run_in_background(lambda: ran.append("ran"), calls.append, calls.append,
                                 submit=executor.submit)
        assert not task.started
        assert task.cancel() is True  # it had not started: it never will
        assert task.done and task.wait(1)
        gate.set()
        marker = run_in_background(lambda: "after", calls.append, submit=executor.submit)
        wait_until(qapp, lambda: marker.done, what="the job queued after it")
        assert ran == [] and calls == ["after"]
    finally:
        gate.set()
        executor.close()


def test_cancel_while_running_ends_quietly_at_the_next_report(qapp: QApplication) -> None:
    started = threading.Event()
    calls: list[Any] = []

    def work(report: Callable[..., None]) -> str:
        started.set()
        while True:
            report()
            threading.Event().wait(0.001)

    task = run_in_background(work, calls.append, calls.append,
                             on_progress=lambda: None, name="test-task-cancel")
    assert started.wait(30)
    assert task.started and task.cancel() is False  # running: it is asked to stop
    assert task.wait(30)
    wait_until(qapp, lambda: task.done, what="the task to end")
    settle(qapp)
    assert calls == []  # cancelled on request: neither a result nor a failure


def test_the_work_outcome_after_a_cancel_is_still_delivered(qapp: QApplication) -> None:
    """Work that stops on its own terms (a speed test's own "cancelled" error) still
    tells the caller how it ended."""
    gate = threading.Event()
    failed: list[BaseException] = []

    def work() -> None:
        gate.wait(30)
        raise RuntimeError("stopped by the engine")

    task = run_in_background(work, None, failed.append, name="test-task-own-stop")
    wait_until(qapp, lambda: task.started, what="the work to start")
    assert task.cancel() is False
    gate.set()
    wait_until(qapp, lambda: failed, what="the work's own outcome")
    assert str(failed[0]) == "stopped by the engine"


def test_wait_joins_the_thread(qapp: QApplication) -> None:
    gate = threading.Event()
    task = run_in_background(lambda: gate.wait(30), name="test-task-wait")
    assert task.running and not task.wait(0.05)
    gate.set()
    assert task.wait(30)
    assert not any(t.name == "test-task-wait" for t in threading.enumerate())
    wait_until(qapp, lambda: task.done, what="the outcome")


def test_starting_a_task_off_the_gui_thread_is_refused(qapp: QApplication) -> None:
    errors: list[BaseException] = []

    def elsewhere() -> None:
        try:
            run_in_background(lambda: None)
        except RuntimeError as exc:
            errors.append(exc)

    thread = threading.Thread(target=elsewhere, name="test-task-elsewhere")
    thread.start()
    thread.join(30)
    assert len(errors) == 1


def test_gui_callback_delivers_calls_from_any_thread(qapp: QApplication) -> None:
    owner = QObject()
    got: list[tuple[int, threading.Thread]] = []
    call = gui_callback(lambda i: got.append((i, threading.current_thread())), owner)
    thread = threading.Thread(target=lambda: [call(i) for i in range(20)],
                              name="test-task-callback")
    thread.start()
    thread.join(30)
    wait_until(qapp, lambda: len(got) == 20, what="twenty calls")
    assert got == [(i, gui_thread()) for i in range(20)]

    shiboken6.delete(owner)
    call(99)
    settle(qapp)
    assert len(got) == 20  # its receiver is gone: dropped
