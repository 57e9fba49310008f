"""Blocking work off the GUI thread, its outcome back on it: the one way app/ui does it.

Reading model headers, verifying a 13 GB checksum, detecting the hardware, testing a
server or the model's speed all block. :func:`run_in_background` runs such a plain
function on a thread of its own (or on an executor the caller names, such as the
engine bridge's queue), and calls ``on_done(result)``, ``on_failed(exception)`` and
``on_progress(*args)`` later on the GUI thread, where they may touch widgets. The
work itself never sees a widget: it gets only what its closure holds.

What it guarantees, and why:

- Every callback runs on the GUI thread, through one queued signal of one dispatcher
  object that lives there. Callbacks of one task arrive in the order they were sent
  (progress, then the outcome), and tasks on one serial executor finish in order.
- A task whose ``parent`` was deleted drops its progress and outcome instead of
  calling into a dead widget, and is cancelled so that work that reports progress
  stops early. Closing a dialog is therefore never a crash, whatever still runs.
- Cancelling: work that has not started never runs (:meth:`Task.cancel` says so); work
  that runs sees the request at its next progress report, which raises
  :class:`TaskCancelled` and ends it quietly.
- Threads end: a task's own thread finishes with its work, and the GUI thread joins it
  when the outcome arrives, so a finished task leaves no thread behind.
  :meth:`Task.wait` (and :func:`wait_all`, for tests and for quitting) joins earlier.
- References: the GUI side keeps the work and the callbacks until the outcome has
  arrived, so the last reference to a widget a closure holds is never dropped on the
  worker's thread (a Qt object must be deleted on its own thread).

Signals from a library's own thread (a download manager's progress callback) use
:func:`gui_callback`, which delivers through the same dispatcher.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal

log = logging.getLogger(__name__)

T = TypeVar("T")
Submit = Callable[[Callable[[], None]], None]  # runs a job on some other thread, later
Report = Callable[..., None]  # what the work calls to report progress


class TaskCancelled(Exception):
    """Raised in the work by its progress report once the task is cancelled."""


class _Dispatcher(QObject):
    """Runs what other threads post, on the thread this object lives on (the GUI's)."""

    posted = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.posted.connect(self._on_posted, Qt.ConnectionType.QueuedConnection)

    def _on_posted(self, call: Callable[[], None]) -> None:
        call()


_dispatcher: _Dispatcher | None = None
_live: dict[int, Task[Any]] = {}  # started, outcome not yet delivered (GUI thread only)
_ids = itertools.count(1)


def _gui_dispatcher() -> _Dispatcher:
    """The dispatcher, made on first use; only the GUI thread may make or use it here."""
    global _dispatcher
    app = QCoreApplication.instance()
    if app is not None and not app.thread().isCurrentThread():
        raise RuntimeError("background tasks are started from the GUI thread")
    if _dispatcher is None or not shiboken6.isValid(_dispatcher):
        _dispatcher = _Dispatcher()
    return _dispatcher


def _post(dispatcher: _Dispatcher, call: Callable[[], None]) -> None:
    """Hand ``call`` to the GUI thread (from any thread); nothing when Qt is gone."""
    with contextlib.suppress(RuntimeError):  # the application already quit
        dispatcher.posted.emit(call)


class _Job:
    """What the worker's thread holds of a task: the work and the cancel state, no
    widget and no callback (see the module's note on references)."""

    def __init__(self, task_id: int, fn: Callable[..., Any], with_report: bool) -> None:
        self.task_id = task_id
        self.fn: Callable[..., Any] | None = fn
        self.with_report = with_report
        self.lock = threading.Lock()
        self.started = False
        self.cancelled = threading.Event()
        self.ended = threading.Event()

    def take(self) -> Callable[..., Any] | None:
        """The work, once; None when it was cancelled before it started."""
        with self.lock:
            fn, self.fn = self.fn, None
            if fn is not None:
                self.started = True
            return fn


class Task(Generic[T]):
    """One call of a function on a background thread; made by :func:`run_in_background`.

    The handle stays valid after the outcome arrived (``done`` is then True).
    """

    def __init__(self, fn: Callable[..., T], on_done: Callable[[T], Any] | None,
                 on_failed: Callable[[BaseException], Any] | None,
                 on_progress: Callable[..., Any] | None, parent: QObject | None,
                 name: str) -> None:
        self.name = name
        self.id = next(_ids)
        self._fn: Callable[..., T] | None = fn  # kept here until the outcome arrives
        self._on_done = on_done
        self._on_failed = on_failed
        self._on_progress = on_progress
        self._parent = parent
        self._job = _Job(self.id, fn, on_progress is not None)
        self._thread: threading.Thread | None = None
        self._dispatcher = _gui_dispatcher()
        self.done = False

    # -- for the caller (GUI thread) ----------------------------------------------------
    @property
    def started(self) -> bool:
        """Whether the work has begun (it may still wait in an executor's queue)."""
        with self._job.lock:
            return self._job.started

    @property
    def cancelled(self) -> bool:
        return self._job.cancelled.is_set()

    def cancel(self) -> bool:
        """Ask the work to stop. True when it had not started: it then never runs, no
        callback comes, and the task is done at once. Otherwise the work ends at its
        next progress report (work without progress reports runs to its end), and its
        outcome is still delivered unless it ended by :class:`TaskCancelled`."""
        job = self._job
        with job.lock:
            job.cancelled.set()
            never_ran = job.fn is not None
            job.fn = None  # dropped here, on the GUI thread, not on the worker's
        if never_ran:
            job.ended.set()
            self._finish()
        return never_ran

    def wait(self, timeout: float = 30.0) -> bool:
        """Block until the work has ended (not until its outcome was delivered: that
        needs the event loop); True when it has."""
        ended = self._job.ended.wait(timeout)
        if ended and self._thread is not None:
            self._thread.join(timeout)
            return not self._thread.is_alive()
        return ended

    @property
    def running(self) -> bool:
        """Started or waiting, and not ended yet."""
        return not self._job.ended.is_set()

    # -- the worker's side --------------------------------------------------------------
    def _start(self, submit: Submit | None) -> None:
        _live[self.id] = self
        work = _worker(self._job, self._dispatcher)
        if submit is not None:
            submit(work)
            return
        self._thread = threading.Thread(target=work, name=self.name, daemon=True)
        self._thread.start()

    # -- delivery (GUI thread) ----------------------------------------------------------
    def _parent_gone(self) -> bool:
        return self._parent is not None and not shiboken6.isValid(self._parent)

    def _deliver(self, kind: str, value: Any) -> None:
        if self.done:
            return  # cancelled before it started; a late word from the queue
        if kind == "progress":
            if self._parent_gone():
                self._job.cancelled.set()  # nobody listens: let the work stop early
            elif self._on_progress is not None and not self.cancelled:
                self._on_progress(*value)
            return
        if self._thread is not None:
            self._thread.join()  # it posted this as its last act: ends at once
        on_done, on_failed = self._on_done, self._on_failed
        gone = self._parent_gone()
        self._finish()
        if gone:
            log.debug("task %s: its receiver is gone, the %s is dropped", self.name, kind)
        elif kind == "done":
            if on_done is not None:
                on_done(value)
        elif isinstance(value, TaskCancelled):
            pass  # the caller asked for it: nothing to report
        elif on_failed is not None:
            on_failed(value)
        else:
            log.error("task %s failed", self.name, exc_info=value)

    def _finish(self) -> None:
        self.done = True
        _live.pop(self.id, None)
        self._fn = self._on_done = self._on_failed = self._on_progress = None


def _worker(job: _Job, dispatcher: _Dispatcher) -> Callable[[], None]:
    """The function the thread runs. It holds the job only, and lets go of the work
    before it posts the outcome (see the module's note on references)."""

    def send(kind: str, value: Any) -> None:
        def deliver() -> None:
            task = _live.get(job.task_id)
            if task is not None:
                task._deliver(kind, value)
        _post(dispatcher, deliver)

    def report(*args: Any) -> None:
        if job.cancelled.is_set():
            raise TaskCancelled
        send("progress", args)

    def work() -> None:
        fn = job.take()
        if fn is None:
            return  # cancelled while it waited in the queue
        kind, value = "done", None
        try:
            value = fn(report) if job.with_report else fn()
        except BaseException as exc:  # the caller hears of every failure
            kind, value = "failed", exc
        del fn
        send(kind, value)
        del value
        job.ended.set()

    return work


def run_in_background(fn: Callable[..., T], on_done: Callable[[T], Any] | None = None,
                      on_failed: Callable[[BaseException], Any] | None = None, *,
                      on_progress: Callable[..., Any] | None = None,
                      parent: QObject | None = None, name: str = "cove-task",
                      submit: Submit | None = None) -> Task[T]:
    """Run ``fn()`` off the GUI thread; its result goes to ``on_done``, an exception it
    raised to ``on_failed`` (logged when there is none), both called on the GUI thread.

    With ``on_progress`` the work is called as ``fn(report)``: ``report(*args)`` calls
    ``on_progress(*args)`` on the GUI thread, and raises :class:`TaskCancelled` in the
    work once the task was cancelled. ``parent``: when it is deleted, nothing more is
    delivered. ``submit``: run the work on that executor (e.g. the engine bridge's
    queue, so it waits for a running chat) instead of a thread of its own; ``name``
    names that thread. Call it on the GUI thread.
    """
    task: Task[T] = Task(fn, on_done, on_failed, on_progress, parent, name)
    task._start(submit)
    return task


def running_tasks() -> list[Task[Any]]:
    """The tasks whose outcome has not been delivered yet."""
    return list(_live.values())


def wait_all(timeout: float = 30.0) -> bool:
    """Join every task's work (quitting, and tests); True when all of them ended."""
    return all([task.wait(timeout) for task in running_tasks()])


def gui_callback(slot: Callable[..., Any], parent: QObject | None = None
                 ) -> Callable[..., None]:
    """A function any thread may call; each call runs ``slot`` with the same arguments
    later on the GUI thread, and nothing once ``parent`` was deleted. For a library
    that reports from its own thread (a download manager's progress callback). Make it
    on the GUI thread."""
    dispatcher = _gui_dispatcher()

    def deliver(args: tuple[Any, ...]) -> None:
        if parent is None or shiboken6.isValid(parent):
            slot(*args)

    def call(*args: Any) -> None:
        _post(dispatcher, lambda: deliver(args))

    return call


def call_soon_on_gui(parent: QObject) -> Callable[[Callable[[], None]], None]:
    """The conversation session's ``call_soon``: called from another thread, the
    function runs later on the GUI thread, in the order of the calls; called on the GUI
    thread itself, at once (Stop ending a chat that was never sent). Nothing runs once
    ``parent`` was deleted. Make it on the GUI thread."""
    later = gui_callback(lambda fn: fn(), parent)

    def call_soon(fn: Callable[[], None]) -> None:
        if QThread.currentThread() is parent.thread():
            fn()
        else:
            later(fn)

    return call_soon
